"""Every identity document on an image: Vietnamese citizen ID cards and any ICAO 9303 document.

Vietnamese cards (CCCD 2021, Căn cước 2024) are read by `ocr.cccd` (QR, Vietnamese MRZ with its own
repairs, printed fields). Foreign passports, ID cards, residence cards and visas are read from their
machine-readable zone by `ocr.icao`, with no Vietnamese-specific repair. A Vietnamese card's MRZ is
also an ICAO zone: it is left to the card reader whenever that reader found the card.
"""

from __future__ import annotations

import re
from datetime import date

from ocr.cccd import citizen_id_to_json, read_cards
from ocr.icao import MrzFields, read_mrz_documents
from ocr.models import CardSide, CitizenId, mask_id
from scanning.models import CleanPage, Image

IdentityDocument = CitizenId | MrzFields

_CHECK_NAMES = ("mrz_number_check", "mrz_dob_check", "mrz_expiry_check", "mrz_personal_number_check",
                "mrz_composite_check")  # fmt: skip


def _is_vietnamese_card(doc: MrzFields) -> bool:
    return doc.document_code.startswith("I") and doc.issuing_state == "VNM" and doc.format == "TD1"


def read_documents(image: Image, dpi: int | None = None, *, today: date | None = None) -> list[IdentityDocument]:
    """Card sides first (top to bottom), then the machine-readable zones of other documents."""
    return _merge(read_cards(image, dpi), read_mrz_documents(image, today=today))


def read_page_documents(clean: CleanPage, *, today: date | None = None) -> list[IdentityDocument]:
    """The same for a cleaned page: cards on the cleaned image, machine-readable zones on the page as
    captured (the zone reader finds any tilt and turn itself; the resampling of a deskew blurs OCR-B
    glyphs on small images enough to fail check digits)."""
    cards = read_cards(clean.image, clean.page.dpi)
    return _merge(cards, read_mrz_documents(clean.page.image, today=today))


def _foreign_card(card: CitizenId, zones: list[MrzFields]) -> bool:
    """A foreign ID-1 card that the card reader took for a Vietnamese back: no QR, its MRZ is not
    Vietnamese, and the zone reader found a TD1 zone of another issuing state on the image."""
    return (card.side is CardSide.BACK and "qr" not in card.sources
            and card.checks.get("mrz_nationality_vnm") is False
            and any(z.format == "TD1" and z.issuing_state not in (None, "VNM") for z in zones))


def _merge(cards: list[CitizenId], zones: list[MrzFields]) -> list[IdentityDocument]:
    cards = [c for c in cards if not _foreign_card(c, zones)]
    recognised = [c for c in cards if c.side is not None]
    if any(c.side is CardSide.BACK for c in recognised):
        zones = [z for z in zones if not _is_vietnamese_card(z)]
    if zones:  # a foreign document is not an unrecognised card candidate
        return [*recognised, *zones]
    return list(cards)


def document_warnings(doc: MrzFields) -> list[str]:
    """Which checks failed and which fields were repaired, by name (never by value)."""
    notes = [f"mrz: check digit failed ({k})" for k in _CHECK_NAMES if doc.checks.get(k) is False]
    if doc.repaired:
        notes.append("mrz: repaired from OCR confusions (" + ", ".join(doc.repaired) + ")")
    return notes


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def document_to_json(doc: IdentityDocument) -> dict[str, object]:
    """The `station cccd --json` object (full values: personal data, never for a log)."""
    if isinstance(doc, CitizenId):
        surname, _, given = (doc.full_name or "").partition(" ")
        return {
            "document_type": "cccd",
            "document_number": doc.id_number,
            "issuing_state": "VNM",
            "nationality": "VNM",
            "surname": surname or None,
            "given_names": given or None,
            **citizen_id_to_json(doc),
        }
    record: dict[str, object] = {
        "document_type": _type_of(doc),
        "format": doc.format,
        "document_code": doc.document_code.rstrip("<"),
        "document_number": doc.document_number,
        "issuing_state": doc.issuing_state,
        "nationality": doc.nationality,
        "surname": doc.surname,
        "given_names": doc.given_names,
        "full_name": " ".join(p for p in (doc.surname, doc.given_names) if p) or None,
        "date_of_birth": _iso(doc.date_of_birth),
        "sex": doc.sex,
        "expiry_date": _iso(doc.expiry_date),
        "optional_data": doc.optional_data,
        "sources": ["mrz"],
        "checks": dict(doc.checks),
        "warnings": document_warnings(doc),
    }
    if _is_vietnamese_card(doc):  # a card back the card reader missed: its 12-digit number is in the MRZ
        optional = (doc.optional_data or "").split("<")[0]
        record["id_number"] = optional if re.fullmatch(r"\d{12}", optional) else None
    return record


def _type_of(doc: MrzFields) -> str:
    return "cccd" if _is_vietnamese_card(doc) else doc.document_type


def document_summary(doc: MrzFields) -> str:
    """One masked line for a terminal: type, issuing state, masked number, initials, birth year, checks."""
    initials = "".join(w[0] + "." for w in " ".join(p for p in (doc.surname, doc.given_names) if p).split()) or "-"
    failed = [k for k, v in doc.checks.items() if not v and k != "mrz_check_digits"]
    verdict = f"all {len(doc.checks) - 1} check digits passed" if not failed else "FAILED: " + ", ".join(failed)
    return " · ".join([
        f"{_type_of(doc)} {doc.format}",
        f"issued by {doc.issuing_state or '?'}",
        f"number {mask_id(doc.document_number) or '-'}",
        f"name {initials}",
        f"born {doc.date_of_birth.year if doc.date_of_birth else '-'}",
        verdict,
    ])
