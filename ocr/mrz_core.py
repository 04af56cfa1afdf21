"""What every ICAO 9303 machine-readable zone shares, whoever issued it: the character set, check digits,
YYMMDD dates, line cleaning and the characters OCR confuses on OCR-B print.

Text only, no image work. `ocr.icao.mrz` (any issuing state) and `ocr.cccd.mrz` (Vietnamese cards, with
their own repairs) build on this module; nothing country-specific belongs here.
"""

from __future__ import annotations

import re
from datetime import date

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
FILLER = "<"
UNKNOWN = "?"  # a cell OCR could not read (kept by `clean_line(..., keep_unknown=True)`)
_WEIGHTS = (7, 3, 1)

# What OCR makes of a character that must be a digit / a letter.
TO_DIGIT = {"O": "0", "Q": "0", "D": "0", "U": "0", "C": "0", "I": "1", "L": "1", "J": "1", "T": "7",
            "Z": "2", "S": "5", "B": "8", "G": "6", "A": "4", "E": "8"}  # fmt: skip
TO_LETTER = {"0": "O", "1": "I", "2": "Z", "4": "A", "5": "S", "6": "G", "7": "T", "8": "B"}
# Digits OCR (OCR-B, Tesseract's eng model) confuses with one another, for check-digit searches.
CONFUSED_DIGITS = ("08", "06", "09", "17", "14", "27", "38", "35", "56", "59", "58", "68", "89", "36")
# Chevron look-alikes OCR returns for a filler before any cleaning.
_FILLER_GLYPHS = str.maketrans({"«": FILLER, "‹": FILLER, "(": FILLER})


def confusions(pairs: tuple[str, ...], alphabet: str) -> dict[str, str]:
    """For each character of `alphabet`, the characters it is paired with in `pairs` (sorted)."""
    return {c: "".join(sorted({p[1 - p.index(c)] for p in pairs if c in p})) for c in alphabet}


def char_value(ch: str) -> int:
    """A character's value in a check digit: digits as such, A = 10 ... Z = 35, filler (and unread) 0."""
    if ch in (FILLER, UNKNOWN):
        return 0
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    raise ValueError(f"not an MRZ character: {ch!r}")


def check_digit(data: str) -> int:
    """ICAO 9303 check digit: weights 7, 3, 1 repeating, sum modulo 10 (`<` = 0, A = 10 ... Z = 35)."""
    return sum(char_value(c) * _WEIGHTS[i % 3] for i, c in enumerate(data)) % 10


def check_ok(data: str, digit: str) -> bool:
    """Whether `digit` is the check digit of `data` (never with an unread cell in either)."""
    return UNKNOWN not in data and digit.isdigit() and check_digit(data) == int(digit)


def clean_line(raw: str, *, keep_unknown: bool = False) -> str:
    """OCR or typed text as MRZ characters: upper case, no spaces, chevron look-alikes as fillers, anything
    else dropped (unread cells kept with `keep_unknown`)."""
    text = raw.upper().replace(" ", "").translate(_FILLER_GLYPHS)
    keep = ALPHABET + UNKNOWN if keep_unknown else ALPHABET
    return "".join(c for c in text if c in keep)


def as_digits(s: str) -> str:
    return "".join(TO_DIGIT.get(c, c) for c in s)


def as_letters(s: str) -> str:
    return "".join(TO_LETTER.get(c, c) for c in s)


def yymmdd(value: str, century: int) -> date | None:
    """A YYMMDD field in the given century, None when it is not six digits or not a real date."""
    if not re.fullmatch(r"\d{6}", value):
        return None
    try:
        return date(century + int(value[:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


def date_not_after(value: str, latest_year: int) -> date | None:
    """A YYMMDD field in the latest century that keeps its year at or before `latest_year`."""
    if not re.fullmatch(r"\d{6}", value):
        return None
    return yymmdd(value, 2000 if 2000 + int(value[:2]) <= latest_year else 1900)


SEX_NAMES = {"M": "Nam", "F": "Nữ"}  # the sex field as the station reports it ("<" or "X": unspecified)


def split_name(field: str) -> tuple[str | None, str | None]:
    """SURNAME<<GIVEN<NAMES as (surname, given names) with spaces, None for an empty part."""
    surname, _, given = field.rstrip(FILLER).partition(FILLER + FILLER)

    def words(s: str) -> str | None:
        return " ".join(s.replace(FILLER, " ").split()) or None

    return words(surname), words(given)
