"""Merge what the QR, the MRZ and the printed text of one card side say into one `CitizenId`.

Preference per field: the QR (exact, with diacritics) over the printed text (OCR) over the MRZ (no
diacritics, two-digit years). Where two sources carry the same field they are compared and the result
is a named check (`qr_mrz_id_match`, ...); a disagreement is a warning naming the field, never its value.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from ocr.cccd.idnumber import id_number_checks, is_id_number
from ocr.cccd.mrz import MrzReading
from ocr.cccd.qr import QrReading
from ocr.models import CardSide, CardStyle, CitizenId


@dataclass(frozen=True)
class PrintedFields:
    """Fields OCR read from the printed text of a card side (any may be missing)."""

    id_number: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None
    issue_date: date | None = None
    expiry_date: date | None = None

    def __repr__(self) -> str:
        present = [k for k, v in self.__dict__.items() if v is not None]
        return f"PrintedFields(present={present!r})"

    @property
    def field_count(self) -> int:
        return sum(value is not None for value in self.__dict__.values())

    @property
    def empty(self) -> bool:
        return all(v is None for v in self.__dict__.values())


def fold_name(name: str) -> str:
    """Upper case ASCII without diacritics, as the MRZ writes names: "Nguyễn Văn Đức" -> "NGUYEN VAN DUC"."""
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join("".join(c if c.isalpha() else " " for c in text.upper()).split())


def _compare(
    checks: dict[str, bool], warnings: list[str], name: str, label: str, a: object | None, b: object | None
) -> None:
    if a is None or b is None:
        return
    checks[name] = a == b
    if a != b:
        warnings.append(f"{label} differs between sources ({name})")


def build_citizen_id(
    *,
    side: CardSide | None,
    card_style: CardStyle | None,
    qr: QrReading | None = None,
    mrz: MrzReading | None = None,
    printed: PrintedFields | None = None,
    warnings: tuple[str, ...] = (),
) -> CitizenId:
    checks: dict[str, bool] = {}
    notes: list[str] = list(warnings)
    sources: list[str] = []
    if printed is not None and printed.empty:
        printed = None
    if qr is not None:
        sources.append("qr")
        checks.update(qr.checks)
        notes.extend(qr.warnings)
    if mrz is not None:
        sources.append("mrz")
        checks.update(mrz.checks)
        notes.extend(mrz.warnings)
    if printed is not None:
        sources.append("ocr")
    if not sources:
        checks["readable"] = False
        notes.append("no QR code, MRZ or printed number could be read on this card side")

    def pick_id() -> str | None:
        if qr is not None and is_id_number(qr.id_number):
            return qr.id_number
        if mrz is not None and mrz.id_number is not None and mrz.checks.get("mrz_id_check"):
            return mrz.id_number
        if printed is not None and is_id_number(printed.id_number):
            return printed.id_number
        for value in (qr.id_number if qr else None, mrz.id_number if mrz else None):
            if value is not None:
                return value
        return None

    id_number = pick_id()
    mrz_dob = mrz.date_of_birth if mrz is not None and mrz.checks.get("mrz_dob_check") else None
    mrz_expiry = mrz.expiry_date if mrz is not None and mrz.checks.get("mrz_expiry_check") else None
    dob = (qr.date_of_birth if qr else None) or (printed.date_of_birth if printed else None) or mrz_dob
    if dob is None and mrz is not None:
        dob = mrz.date_of_birth  # failed its check digit: reported, but better than nothing to show
    sex = (qr.sex if qr else None) or (printed.sex if printed else None) or (mrz.sex if mrz else None)
    full_name = (qr.full_name if qr else None) or (printed.full_name if printed else None)
    if full_name is None and mrz is not None and mrz.full_name is not None:
        full_name = mrz.full_name
        notes.append("full name from the MRZ only: without diacritics")
    expiry = mrz_expiry or (printed.expiry_date if printed else None)
    if expiry is None and mrz is not None:
        expiry = mrz.expiry_date
    issue = (qr.issue_date if qr else None) or (printed.issue_date if printed else None)

    if qr is not None and mrz is not None:
        _compare(checks, notes, "qr_mrz_id_match", "ID number", qr.id_number, mrz.id_number)
        _compare(checks, notes, "qr_mrz_dob_match", "date of birth", qr.date_of_birth, mrz.date_of_birth)
        _compare(checks, notes, "qr_mrz_sex_match", "sex", qr.sex, mrz.sex)
        if qr.full_name and mrz.full_name:
            _compare(checks, notes, "qr_mrz_name_match", "full name", fold_name(qr.full_name), mrz.full_name)
    if printed is not None:
        for other_name, other in (("qr", qr), ("mrz", mrz)):
            if other is None:
                continue
            _compare(checks, notes, f"ocr_{other_name}_id_match", "ID number", printed.id_number, other.id_number)
            _compare(checks, notes, f"ocr_{other_name}_dob_match", "date of birth", printed.date_of_birth,
                     other.date_of_birth)
    if id_number is not None:
        id_checks, id_notes = id_number_checks(id_number, date_of_birth=dob, sex=sex)
        checks.update(id_checks)
        notes.extend(id_notes)
    return CitizenId(
        side=side,
        card_style=card_style,
        id_number=id_number,
        old_id=qr.old_id if qr else None,
        full_name=full_name,
        date_of_birth=dob,
        sex=sex,
        address=qr.address if qr else None,
        issue_date=issue,
        expiry_date=expiry,
        sources=tuple(sources),
        checks=checks,
        warnings=tuple(dict.fromkeys(notes)),
        extra_fields=qr.extra_fields if qr else (),
    )


def is_valid(card: CitizenId) -> bool:
    """Whether every check that was made passed and something was read."""
    return bool(card.sources) and all(card.checks.values())


def citizen_id_to_json(card: CitizenId) -> dict[str, object]:
    """The JSON object of `station cccd --json` and of `"cccd"` in `station inspect --json` (full values)."""
    def iso(d: date | None) -> str | None:
        return None if d is None else d.isoformat()

    return {
        "side": card.side,
        "card_style": card.card_style,
        "id_number": card.id_number,
        "old_id": card.old_id,
        "full_name": card.full_name,
        "date_of_birth": iso(card.date_of_birth),
        "sex": card.sex,
        "address": card.address,
        "issue_date": iso(card.issue_date),
        "expiry_date": iso(card.expiry_date),
        "sources": list(card.sources),
        "checks": dict(card.checks),
        "warnings": list(card.warnings),
        "extra_fields": list(card.extra_fields),
    }
