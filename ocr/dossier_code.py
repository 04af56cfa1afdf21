"""Dossier receipt codes (mã hồ sơ, Circular 01/2018/TT-VPCP): ``<agency code>-YYMMDD-NNNN``.

The agency code is the unit's identifier (QCVN 102:2016): dotted groups of 2-3 digits and one
province/ministry group of a letter and two digits, e.g. ``000.00.01.H22`` or ``38.98.H29``. ``YYMMDD``
is the receipt date (20YY, must be a real calendar date), ``NNNN`` the four-digit running number.

Canonical form: upper case, no spaces, ASCII hyphens, e.g. ``000.00.01.H22-250702-0013``.

Searching (``find_dossier_code``) looks at barcodes first (receipts carry the code in a QR, often as a
parameter of a look-up URL), then at OCR text, where it tolerates what OCR does to such codes: spaces
around the dots and dashes, en/em dashes, lower case, ``O`` for ``0`` and ``I``/``l`` for ``1`` in the
numeric parts. It does not over-match: the code must stand alone (no letter, digit or dot glued to either
end) and the date must be real.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import unquote_plus

from ocr.models import Barcode

_NUMERIC_GROUP = r"\d{2,3}"
_LETTER_GROUP = r"[A-Z]\d{2}"
_CANONICAL = re.compile(
    rf"(?P<agency>(?:(?:{_NUMERIC_GROUP}|{_LETTER_GROUP})\.){{1,4}}(?:{_NUMERIC_GROUP}|{_LETTER_GROUP}))"
    r"-(?P<date>\d{6})-(?P<seq>\d{4})"
)

# Tolerant pattern for OCR text and barcode payloads.
_D = r"[0-9OoIl]"  # a digit as OCR may render it
_SP = r"[ \t]{0,2}"  # OCR inserts spaces around punctuation, never line breaks inside a code
_DOT = rf"{_SP}[.,]{_SP}"
_DASH = rf"{_SP}[-‐‑‒–—]{_SP}"
_T_NUMERIC = rf"{_D}{{2,3}}"
_T_LETTER = rf"[A-NP-Za-np-z]{_D}{{2}}"  # not O: "OOO" is a numeric group read badly, not a letter group
_T_GROUP = rf"(?:{_T_LETTER}|{_T_NUMERIC})"
_TOLERANT = re.compile(
    rf"(?<![0-9A-Za-z.])"
    rf"(?P<agency>{_T_GROUP}(?:{_DOT}{_T_GROUP}){{1,4}})"
    rf"{_DASH}(?P<date>{_D}{{6}}){_DASH}(?P<seq>{_D}{{4}})"
    rf"(?![0-9A-Za-z])"
)
_DIGIT_FIXES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})
_MAX_GROUPS = 5


def is_valid_dossier_code(code: str) -> bool:
    """True for a code in canonical form with a real receipt date (``000.00.01.H22-250702-0013``).

    Strict: no surrounding spaces, upper case, ASCII hyphens. Use `normalize_dossier_code` for loose input.
    """
    match = _CANONICAL.fullmatch(code)
    if match is None:
        return False
    groups = match["agency"].split(".")
    if not 2 <= len(groups) <= _MAX_GROUPS or not any(_is_letter_group(g) for g in groups):
        return False
    return _parse_date(match["date"]) is not None


def dossier_code_date(code: str) -> date | None:
    """The receipt date of a valid code, else None."""
    if not is_valid_dossier_code(code):
        return None
    return _parse_date(code.split("-")[1])


def normalize_dossier_code(text: str) -> str | None:
    """The canonical code if `text` is exactly one dossier code written loosely, else None."""
    match = _TOLERANT.fullmatch(text.strip())
    return _canonical_from_match(match) if match else None


def find_dossier_codes(text: str) -> list[str]:
    """Every valid dossier code in free text (OCR output, a URL), canonical, in order, without repeats."""
    found: list[str] = []
    for candidate in _candidates(text):
        for match in _TOLERANT.finditer(candidate):
            code = _canonical_from_match(match)
            if code is not None and code not in found:
                found.append(code)
    return found


def find_dossier_code(barcodes: Iterable[Barcode], text: str | None = None) -> str | None:
    """The dossier code of a page: from its barcodes first (in the order given), else from its OCR text."""
    for barcode in barcodes:
        codes = find_dossier_codes(barcode.text)
        if codes:
            return codes[0]
    if text:
        codes = find_dossier_codes(text)
        if codes:
            return codes[0]
    return None


def _candidates(text: str) -> list[str]:
    """The text itself, plus its URL-decoded form when it looks percent-encoded (QR look-up links)."""
    candidates = [text]
    if "%" in text or "+" in text:
        decoded = unquote_plus(text)
        if decoded != text:
            candidates.append(decoded)
    return candidates


def _canonical_from_match(match: re.Match[str]) -> str | None:
    raw_groups = re.split(r"\s*[.,]\s*", match["agency"].strip())
    groups: list[str] = []
    for group in raw_groups:
        group = group.strip()
        if len(group) == 3 and group[0].isalpha() and group[0] not in "OoIl":
            groups.append(group[0].upper() + group[1:].translate(_DIGIT_FIXES))
        else:
            groups.append(group.translate(_DIGIT_FIXES))
    day = match["date"].translate(_DIGIT_FIXES)
    seq = match["seq"].translate(_DIGIT_FIXES)
    code = f"{'.'.join(groups)}-{day}-{seq}"
    return code if is_valid_dossier_code(code) else None


def _is_letter_group(group: str) -> bool:
    return len(group) == 3 and group[0].isalpha()


def _parse_date(yymmdd: str) -> date | None:
    try:
        return date(2000 + int(yymmdd[0:2]), int(yymmdd[2:4]), int(yymmdd[4:6]))
    except ValueError:
        return None
