"""The QR payload of a CCCD (front, 2021) or Căn cước (back, 2024) card.

UTF-8 text, fields separated by ``|``::

    12-digit ID | old 9-digit CMND (may be empty) | full name | DOB ddmmyyyy | Nam/Nữ | address | issue ddmmyyyy

2024 cards append four more fields, usually empty. Empty fields are kept, extras are kept as read.
Each field is validated; a failure is a named check set to False plus a warning, never an exception.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ocr.models import CardStyle

SEPARATOR = "|"
MIN_FIELDS = 7
FIELDS_2024 = 11

_DIGITS_RE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class QrReading:
    """The fields of a card's QR payload as validated values (personal data: the repr is masked)."""

    field_count: int
    id_number: str | None
    old_id: str | None
    full_name: str | None
    date_of_birth: date | None
    sex: str | None
    address: str | None
    issue_date: date | None
    extra_fields: tuple[str, ...] = ()
    checks: dict[str, bool] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def style_hint(self) -> CardStyle | None:
        """Căn cước 2024 for the 11-field payload, CCCD 2021 for the 7-field one, None otherwise."""
        if self.field_count >= FIELDS_2024:
            return CardStyle.CAN_CUOC_2024
        if self.field_count == MIN_FIELDS:
            return CardStyle.CCCD_2021
        return None

    def __repr__(self) -> str:
        return f"QrReading(field_count={self.field_count}, checks={self.checks!r}, warnings={len(self.warnings)})"


def parse_date_ddmmyyyy(value: str) -> date | None:
    if not re.fullmatch(r"[0-9]{8}", value):
        return None
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None


def normalize_sex(value: str) -> str | None:
    """"Nam" / "Nữ" from the printed forms (any case, NFC or NFD, "Nu" without the diacritic)."""
    folded = unicodedata.normalize("NFC", value).strip().casefold()
    if folded in ("nam", "male", "m"):
        return "Nam"
    if folded in ("nữ", "nu", "female", "f"):
        return "Nữ"
    return None


def is_card_payload(text: str) -> bool:
    """Whether a QR text has the shape of a card payload at all (else it is some other QR code)."""
    if SEPARATOR not in text:
        return False
    first = text.split(SEPARATOR, 1)[0].strip()
    return _DIGITS_RE.fullmatch(first) is not None and 9 <= len(first) <= 12


def parse_qr_payload(text: str) -> QrReading | None:
    """Parse a card's QR text; None when the text is not a card payload (some other QR code)."""
    text = unicodedata.normalize("NFC", text).strip("\r\n\ufeff")
    if not is_card_payload(text):
        return None
    parts = text.split(SEPARATOR)  # keeps empty fields
    padded = parts + [""] * max(0, MIN_FIELDS - len(parts))
    raw_id, raw_old, raw_name, raw_dob, raw_sex, raw_address, raw_issue = (p.strip() for p in padded[:MIN_FIELDS])
    checks: dict[str, bool] = {}
    warnings: list[str] = []

    checks["qr_field_count"] = len(parts) >= MIN_FIELDS
    if len(parts) < MIN_FIELDS:
        warnings.append(f"qr: {len(parts)} fields, at least {MIN_FIELDS} expected")
    elif len(parts) not in (MIN_FIELDS, FIELDS_2024):
        warnings.append(f"qr: {len(parts)} fields, {MIN_FIELDS} or {FIELDS_2024} expected")

    id_ok = re.fullmatch(r"[0-9]{12}", raw_id) is not None
    checks["qr_id_format"] = id_ok
    if not id_ok:
        warnings.append("qr: ID number is not 12 digits")

    old_ok = raw_old == "" or re.fullmatch(r"[0-9]{9}", raw_old) is not None
    checks["qr_old_id_format"] = old_ok
    if not old_ok:
        warnings.append("qr: old ID (CMND) is not 9 digits")

    name = " ".join(raw_name.split()) or None
    checks["qr_name_present"] = name is not None
    if name is None:
        warnings.append("qr: full name is empty")

    dob = parse_date_ddmmyyyy(raw_dob)
    checks["qr_dob_valid"] = dob is not None
    if dob is None:
        warnings.append("qr: date of birth is not a real date (ddmmyyyy)")

    sex = normalize_sex(raw_sex)
    checks["qr_sex_valid"] = sex is not None
    if sex is None:
        warnings.append("qr: sex is neither Nam nor Nữ")

    address = " ".join(raw_address.split()) or None
    issue = parse_date_ddmmyyyy(raw_issue)
    checks["qr_issue_date_valid"] = issue is not None
    if issue is None:
        warnings.append("qr: issue date is not a real date (ddmmyyyy)")
    if dob is not None and issue is not None and issue < dob:
        checks["qr_dates_order"] = False
        warnings.append("qr: issue date is before the date of birth")

    return QrReading(
        field_count=len(parts),
        id_number=raw_id or None,
        old_id=raw_old or None,
        full_name=name,
        date_of_birth=dob,
        sex=sex,
        address=address,
        issue_date=issue,
        extra_fields=tuple(parts[MIN_FIELDS:]),
        checks=checks,
        warnings=tuple(warnings),
    )
