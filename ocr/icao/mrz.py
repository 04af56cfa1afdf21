"""ICAO 9303 machine-readable zones of any issuing state: TD1, TD2, TD3, MRV-A, MRV-B.

Text only (no image work). OCR output is first put into the fixed layout of its format (digits where
digits must be, letters where letters must be); a field whose check digit fails is repaired only when
exactly one substitution of a character OCR was unsure of makes it pass. Otherwise the field is
reported as read, with its check marked failed: a printed check digit that is itself wrong (specimens
have some) stays a failed check, never an invented value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from ocr.icao.states import STATE_CODES
from ocr.mrz_core import (
    ALPHABET,
    CONFUSED_DIGITS,
    FILLER,
    SEX_NAMES,
    TO_DIGIT,
    TO_LETTER,
    clean_line,
    confusions,
    date_not_after,
    split_name,
)
from ocr.mrz_core import check_ok as _digit_ok

# Characters OCR (Tesseract's eng model on OCR-B) confuses, for the check-digit search.
_CONFUSED = (*CONFUSED_DIGITS, "0O", "0D", "0Q", "1I", "2Z", "5S", "8B", "6G", "4A", "7T", "<K", "<S", "<E", "<C")
_ALTERNATIVES = {c: set(alts) for c, alts in confusions(_CONFUSED, ALPHABET).items()}


@dataclass(frozen=True)
class Layout:
    """Where the fields of one format sit: (line, start, end) slices, end exclusive."""

    name: str
    lines: int
    length: int
    number: tuple[int, int, int]
    number_check: tuple[int, int]
    nationality: tuple[int, int, int]
    dob: tuple[int, int, int]
    sex: tuple[int, int]
    expiry: tuple[int, int, int]
    optional: tuple[tuple[int, int, int], ...]
    name_field: tuple[int, int, int]
    personal_check: tuple[int, int] | None  # TD3: the personal number's own check digit
    composite: tuple[tuple[int, int, int], ...]  # the data the composite check digit covers
    composite_check: tuple[int, int] | None


def _long_layout(name: str, length: int, *, visa: bool) -> Layout:
    td3 = length == 44
    optional_end = length if visa else (length - 2 if td3 else length - 1)
    return Layout(
        name=name, lines=2, length=length,
        number=(1, 0, 9), number_check=(1, 9), nationality=(1, 10, 13), dob=(1, 13, 19), sex=(1, 20),
        expiry=(1, 21, 27), optional=((1, 28, optional_end),), name_field=(0, 5, length),
        personal_check=(1, 42) if td3 and not visa else None,
        composite=() if visa else ((1, 0, 10), (1, 13, 20), (1, 21, length - 1)),
        composite_check=None if visa else (1, length - 1),
    )  # fmt: skip


TD1 = Layout(
    name="TD1", lines=3, length=30,
    number=(0, 5, 14), number_check=(0, 14), nationality=(1, 15, 18), dob=(1, 0, 6), sex=(1, 7),
    expiry=(1, 8, 14), optional=((0, 15, 30), (1, 18, 29)), name_field=(2, 0, 30), personal_check=None,
    composite=((0, 5, 30), (1, 0, 7), (1, 8, 15), (1, 18, 29)), composite_check=(1, 29),
)  # fmt: skip
TD2 = _long_layout("TD2", 36, visa=False)
TD3 = _long_layout("TD3", 44, visa=False)
MRVA = _long_layout("MRVA", 44, visa=True)
MRVB = _long_layout("MRVB", 36, visa=True)


def layout_for(lines: int, length: int, first_char: str) -> Layout | None:
    if lines == 3:
        return TD1 if length == 30 else None
    visa = first_char == "V"
    return {36: MRVB if visa else TD2, 44: MRVA if visa else TD3}.get(length)


@dataclass(frozen=True)
class Cell:
    """One character position as OCR read it: best character, its confidence, and the runners-up."""

    char: str
    confidence: float  # 0..100; 0 for a cell nothing was read in
    others: str = ""  # other characters OCR (or another reading) offered for this cell


@dataclass(frozen=True)
class MrzFields:
    """A parsed machine-readable zone (personal data: the repr is masked)."""

    format: str
    lines: tuple[str, ...]
    document_code: str
    issuing_state: str | None
    document_number: str | None
    nationality: str | None
    date_of_birth: date | None
    sex: str | None  # "Nam" | "Nữ" | None (unspecified)
    expiry_date: date | None
    surname: str | None
    given_names: str | None
    optional_data: str | None
    checks: dict[str, bool]
    repaired: tuple[str, ...] = ()  # names of the fields a repair touched (check digits, state codes)

    @property
    def document_type(self) -> str:
        """"passport", "visa" or "id_card" from the document code (Vietnamese cards: see the reader)."""
        code = self.document_code[:1]
        return {"P": "passport", "V": "visa"}.get(code, "id_card")

    @property
    def score(self) -> int:
        """How much this reading looks like a real MRZ: plausible fields, then check digits that pass on
        fields that hold something (a zone of fillers passes every check and means nothing)."""
        lines = self.lines
        shape = (2 * (self.date_of_birth is not None) + 2 * (self.expiry_date is not None)
                 + (lines[1][self._sex_pos] in "MFX<") + (self.issuing_state is not None)
                 + (self.nationality is not None) + (self.document_code[:1] in "PVIAC")
                 + (self.document_number is not None and len(self.document_number) >= 5))  # fmt: skip
        names = {"mrz_number_check": self.document_number, "mrz_dob_check": self.date_of_birth,
                 "mrz_expiry_check": self.expiry_date, "mrz_personal_number_check": self.optional_data,
                 "mrz_composite_check": self.date_of_birth}  # fmt: skip
        checks = sum(2 for k, v in self.checks.items() if v and names.get(k) is not None)
        return shape + checks

    @property
    def passed_checks(self) -> int:
        """Check digits that pass on fields that hold something."""
        held = {"mrz_number_check": self.document_number, "mrz_dob_check": self.date_of_birth,
                "mrz_expiry_check": self.expiry_date, "mrz_personal_number_check": self.optional_data,
                "mrz_composite_check": self.date_of_birth}  # fmt: skip
        return sum(1 for k, v in self.checks.items() if v and held.get(k) is not None)

    @property
    def plausible(self) -> bool:
        """Whether this is a machine-readable zone and not OCR of other print: check digits that pass on
        fields that hold something (three; or two with a known state code; or one with both state codes
        known: specimens print wrong check digits or invented states, ordinary text rarely holds two
        state codes where an MRZ has them, and never three passing check digits)."""
        states = (self.issuing_state in STATE_CODES) + (self.nationality in STATE_CODES)
        checks = self.passed_checks
        return checks >= 3 or (states >= 1 and checks >= 2) or (states == 2 and checks >= 1)

    @property
    def _sex_pos(self) -> int:
        return 7 if self.format == "TD1" else 20

    def __repr__(self) -> str:
        return f"MrzFields(format={self.format!r}, checks={self.checks!r}, repaired={self.repaired!r})"

    __str__ = __repr__


def _check_ok(data: str, digit: str) -> bool:
    if digit == FILLER and set(data) <= {FILLER}:
        return True  # an unused optional field may carry a filler as its check digit
    return _digit_ok(data, digit)


def _get(lines: Sequence[str], span: tuple[int, int, int]) -> str:
    return lines[span[0]][span[1] : span[2]]


def compute_checks(layout: Layout, lines: Sequence[str]) -> dict[str, bool]:
    """The named check-digit results of lines already in the layout (no repair)."""
    def ok(span: tuple[int, int, int], check: tuple[int, int]) -> bool:
        return _check_ok(_get(lines, span), lines[check[0]][check[1]])

    number_span, number_check = _number_span(layout, lines)
    checks = {
        "mrz_number_check": ok(number_span, number_check),
        "mrz_dob_check": ok(layout.dob, (layout.dob[0], layout.dob[2])),
        "mrz_expiry_check": ok(layout.expiry, (layout.expiry[0], layout.expiry[2])),
    }
    if layout.personal_check is not None:
        checks["mrz_personal_number_check"] = ok(layout.optional[0], layout.personal_check)
    if layout.composite_check is not None:
        data = "".join(_get(lines, s) for s in layout.composite)
        checks["mrz_composite_check"] = _check_ok(data, lines[layout.composite_check[0]][layout.composite_check[1]])
    checks["mrz_check_digits"] = all(checks.values())
    return checks


def _number_span(layout: Layout, lines: Sequence[str]) -> tuple[tuple[int, int, int], tuple[int, int]]:
    """The document number and its check digit; TD1 numbers over 9 characters continue in the optional
    data (a filler in the check position, the check digit after the last character)."""
    li, a, b = layout.number
    if layout is TD1 and lines[0][14] == FILLER and lines[0][15] != FILLER:
        tail = lines[0][15:30].split(FILLER, 1)[0]
        if len(tail) >= 2:
            return (0, 5, 15 + len(tail) - 1), (0, 15 + len(tail) - 1)
    return (li, a, b), layout.number_check


# What each position may hold: "d" digit (or filler), "a" letter (or filler), "x" any, "s" sex.
def _kinds(layout: Layout) -> list[list[str]]:
    kinds = [["x"] * layout.length for _ in range(layout.lines)]

    def mark(span: tuple[int, int, int], kind: str) -> None:
        for p in range(span[1], span[2]):
            kinds[span[0]][p] = kind

    mark((0, 0, 5), "a")
    mark(layout.name_field, "a")
    mark(layout.nationality, "a")
    mark((layout.dob[0], layout.dob[1], layout.dob[2] + 1), "d")
    mark((layout.expiry[0], layout.expiry[1], layout.expiry[2] + 1), "d")
    kinds[layout.sex[0]][layout.sex[1]] = "s"
    kinds[layout.number_check[0]][layout.number_check[1]] = "d" if layout is not TD1 else "x"
    for check in (layout.personal_check, layout.composite_check):
        if check is not None:
            kinds[check[0]][check[1]] = "d"
    return kinds


def _coerce(ch: str, kind: str) -> str:
    if ch == FILLER:
        return ch
    if kind == "d":
        return TO_DIGIT.get(ch, ch)
    if kind == "a":
        return TO_LETTER.get(ch, ch)
    if kind == "s":
        return {"N": "M", "H": "M", "P": "F", "E": "F", "K": FILLER}.get(ch, ch)
    return ch


_FILLER_LIKE = set("<KSECX")


def _clean_fillers(text: str, *, name: bool) -> str:
    """Runs of fillers that OCR partly read as K, S, E, C or X (a filler's chevron is an odd glyph)."""
    chars = list(text)
    # A lone filler-like letter between two fillers is a filler (no name part is one K long).
    for i in range(1, len(chars) - 1):
        if chars[i] in "KSECX" and chars[i - 1] == FILLER and chars[i + 1] == FILLER:
            chars[i] = FILLER
    out = "".join(chars)
    if name and (m3 := re.search(r"[A-Z]<<<", out)) is not None:  # no name holds three fillers in a row
        out = out[: m3.start() + 1] + FILLER * (len(out) - m3.start() - 1)
    # A tail of filler-like characters that starts with two fillers is all fillers.
    m = re.search(r"<<[<KSECX]*$", out) if name else re.search(r"<[<KSECX]*$", out)
    if m is not None and (not name or out[: m.start()].count(FILLER + FILLER) >= 1 or m.start() > 0):
        tail = m.group()
        if tail.count(FILLER) * 2 >= len(tail) or name:
            out = out[: m.start()] + FILLER * len(tail)
    return out


def normalise(layout: Layout, cells: Sequence[Sequence[Cell]]) -> list[list[Cell]]:
    """The cells with every character made what its position allows (digits, letters, fillers)."""
    kinds = _kinds(layout)
    out: list[list[Cell]] = []
    for li, row in enumerate(cells):
        fixed = [Cell(_coerce(c.char, kinds[li][p]), c.confidence, c.others) for p, c in enumerate(row)]
        text = "".join(c.char for c in fixed)
        spans = [s for s in (layout.name_field, *layout.optional) if s[0] == li]
        for span in spans:
            cleaned = _clean_fillers(text[span[1] : span[2]], name=span == layout.name_field)
            text = text[: span[1]] + cleaned + text[span[2] :]
        out.append([Cell(ch, c.confidence if ch == c.char else 50.0, c.others)
                    for ch, c in zip(text, fixed, strict=True)])
    return out


def _birth_date(value: str, today: date) -> date | None:
    return date_not_after(value, today.year)


def _expiry_date(value: str, today: date) -> date | None:
    return date_not_after(value, today.year + 30)


_NUMBER_DIGITS = str.maketrans("OQDZSBIG", "00025816")
_ZEROS = str.maketrans("OQD", "000")
_UNSURE = 75.0  # a cell read with less confidence than this may be repaired


def _number_as_digits(value: str, check: str) -> str | None:
    """The document number with OCR's letter-for-digit readings undone, when its check digit agrees.

    Issuers avoid O and Q in numbers, and O passes a check digit where two stand side by side (O = 24,
    24 x (7 + 3) = 240), so a number holding them is re-read even when it passes. Tried in turn: the
    digits past a two-letter prefix (when the prefix has no O or Q), every O, Q and D as 0, then every
    letter OCR reads for a digit.
    """
    if _check_ok(value, check) and not set(value) & {"O", "Q"}:
        return None
    inner = value  # a filler inside the number stays: as a 0 it would pass any check digit (both count 0)
    candidates = [inner.translate(_ZEROS), inner.translate(_NUMBER_DIGITS)]
    if not set(inner[:2]) & {"O", "Q"}:
        candidates.insert(0, inner[:2] + inner[2:].translate(_NUMBER_DIGITS))
    return next((c for c in candidates if c != value and _check_ok(c, check)), None)


def _fixes(layout: Layout, lines: list[str], cells: list[list[Cell]], span: tuple[int, int, int],
           check: tuple[int, int], as_date: Callable[[str, date], date | None] | None, today: date, *,
           confident: bool) -> list[list[str]]:
    """Every single-character substitution that makes the field's check digit pass, among the unsure
    cells (or, with `confident`, among the cells OCR was sure of)."""
    kinds = _kinds(layout)
    li, a, b = span
    trials: list[list[str]] = []
    for pli, pos in [(li, p) for p in range(a, b)] + [check]:
        cell = cells[pli][pos]
        unsure = cell.confidence < _UNSURE or bool(cell.others)
        if unsure == confident:
            continue
        for alt in sorted(set(cell.others) | _ALTERNATIVES.get(cell.char, set())):
            if alt == cell.char or (kinds[pli][pos] == "d" and not (alt.isdigit() or alt == FILLER)):
                continue
            if kinds[pli][pos] == "a" and alt.isdigit():
                continue
            trial = list(lines)
            trial[pli] = trial[pli][:pos] + alt + trial[pli][pos + 1 :]
            value = trial[li][a:b]
            if not _check_ok(value, trial[check[0]][check[1]]):
                continue
            if as_date is not None and as_date(value, today) is None:
                continue
            trials.append(trial)
    return trials


def _repair(layout: Layout, cells: list[list[Cell]], today: date) -> tuple[list[str], list[str]]:
    """Lines after repairing failed field check digits where exactly one fix of an unsure cell works."""
    lines = ["".join(c.char for c in row) for row in cells]
    repaired: list[str] = []
    number_span, number_check = _number_span(layout, lines)
    fields = [("document_number", number_span, number_check, None),
              ("date_of_birth", layout.dob, (layout.dob[0], layout.dob[2]), _birth_date),
              ("expiry_date", layout.expiry, (layout.expiry[0], layout.expiry[2]), _expiry_date)]  # fmt: skip
    for name, span, check, as_date in fields:
        li, a, b = span
        if name == "document_number":
            fixed = _number_as_digits(lines[li][a:b], lines[check[0]][check[1]])
            if fixed is not None:
                lines = [line[:a] + fixed + line[b:] if i == li else line for i, line in enumerate(lines)]
                repaired.append(name)
                continue
        if _check_ok(lines[li][a:b], lines[check[0]][check[1]]):
            continue
        trials = _fixes(layout, lines, cells, span, check, as_date, today, confident=False)
        if len(trials) > 1 and layout.composite_check is not None:
            trials = [t for t in trials if compute_checks(layout, t).get("mrz_composite_check")]
        if not trials and layout.composite_check is not None:
            # A confident cell may still be wrong: fixing one needs the composite check's word as well, and
            # a single candidate (the composite often passes with any fix that satisfies the field's check).
            strong = _fixes(layout, lines, cells, span, check, as_date, today, confident=True)
            trials = [t for t in strong if compute_checks(layout, t).get("mrz_composite_check")]
        if len(trials) == 1:
            lines = trials[0]
            repaired.append(name)
    return lines, repaired


_LETTER_CONFUSIONS = {"O": "DQC", "D": "O", "Q": "O", "C": "GO", "G": "C", "I": "L", "L": "I", "U": "V", "V": "U",
                      "M": "N", "N": "M", "E": "FB", "F": "E", "B": "E"}  # fmt: skip


def _state(code: str) -> tuple[str | None, bool]:
    """A state code as read, or the one known code a single letter confusion away from an unknown one;
    and whether it was changed. Unknown codes with no such neighbour are kept as read."""
    if not re.fullmatch(r"[A-Z][A-Z<]{2}", code):
        return None, False
    if code in STATE_CODES:
        return code, False
    near = {code[:i] + alt + code[i + 1 :] for i, ch in enumerate(code) for alt in _LETTER_CONFUSIONS.get(ch, "")}
    known = sorted(near & STATE_CODES)
    return (known[0], True) if len(known) == 1 else (code, False)


def parse(layout: Layout, cells: Sequence[Sequence[Cell]], *, today: date | None = None, repair: bool = True
          ) -> MrzFields:
    """Fields of one zone read as `cells` (one row per line, `layout.length` cells each). Never raises.

    With `repair` (OCR output), check-digit failures are repaired where the evidence allows (see _repair).
    """
    today = today or date.today()
    rows = [list(r)[: layout.length] + [Cell(FILLER, 0.0)] * (layout.length - len(r)) for r in cells[: layout.lines]]
    rows = normalise(layout, rows)
    lines, repaired = _repair(layout, rows, today) if repair else (["".join(c.char for c in r) for r in rows], [])
    checks = compute_checks(layout, lines)
    number_span, _ = _number_span(layout, lines)
    number = _get(lines, number_span).replace(FILLER, "") or None
    dob = _birth_date(_get(lines, layout.dob), today)
    expiry = _expiry_date(_get(lines, layout.expiry), today)
    sex = SEX_NAMES.get(lines[layout.sex[0]][layout.sex[1]])
    surname, given = split_name(_get(lines, layout.name_field))
    optional = FILLER.join(_get(lines, s).strip(FILLER) for s in layout.optional).strip(FILLER) or None
    issuing_state, fixed_issuer = _state(lines[0][2:5])
    nationality, fixed_nationality = _state(_get(lines, layout.nationality))
    if repair:
        repaired += ["issuing_state"] if fixed_issuer else []
        repaired += ["nationality"] if fixed_nationality else []
    else:
        issuing_state = lines[0][2:5] if issuing_state is not None else None
        nationality = _get(lines, layout.nationality) if nationality is not None else None
    return MrzFields(
        format=layout.name,
        lines=tuple(lines),
        document_code=lines[0][0:2],
        issuing_state=issuing_state,
        document_number=number,
        nationality=nationality,
        date_of_birth=dob,
        sex=sex,
        expiry_date=expiry,
        surname=surname,
        given_names=given,
        optional_data=optional,
        checks=checks,
        repaired=tuple(repaired),
    )


def parse_lines(lines: Sequence[str], *, today: date | None = None, repair: bool = False) -> MrzFields | None:
    """Fields of MRZ lines given as text (exact, unless `repair`); None for an unknown shape."""
    clean = [clean_line(line) for line in lines]
    layout = layout_for(len(clean), max((len(c) for c in clean), default=0), clean[0][:1] if clean else "")
    if layout is None:
        return None
    return parse(layout, [[Cell(c, 100.0) for c in line] for line in clean], today=today, repair=repair)
