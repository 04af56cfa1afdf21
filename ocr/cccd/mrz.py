"""The machine-readable zone on the back of a CCCD / Căn cước card: ICAO 9303 TD1, 3 lines x 30 chars.

Vietnamese layout (checked against the public sample in tests/ocr/test_cccd_mrz.py)::

    IDVNM0930470641001093047064<<2   ID, VNM, last 9 digits of the ID, check, 12-digit ID, <<, check
    9301054M3301052VNM<<<<<<<<<<<8   DOB YYMMDD, check, sex, expiry YYMMDD, check, VNM, fillers, composite
    NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<   SURNAME<<GIVEN<NAMES, without diacritics

OCR misreads are repaired with what the layout knows: which positions are digits, letters or fillers,
the 9 digits that appear twice on line 1, and the five check digits. Every repair is reported by the
name of the field it touched (never by value).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ocr.mrz_core import (
    CONFUSED_DIGITS,
    SEX_NAMES,
    UNKNOWN,
    as_digits,
    as_letters,
    clean_line,
    confusions,
    split_name,
    yymmdd,
)
from ocr.mrz_core import check_ok as _check_ok

LINE_LENGTH = 30
_DIGIT_CONFUSIONS = confusions(CONFUSED_DIGITS, "0123456789")

# Field slices: line index, start, end (end exclusive).
DOC_NUMBER = (0, 5, 14)
DOC_CHECK = (0, 14)
ID_NUMBER = (0, 15, 27)
ID_CHECK = (0, 29)
DOB = (1, 0, 6)
DOB_CHECK = (1, 6)
SEX = (1, 7)
EXPIRY = (1, 8, 14)
EXPIRY_CHECK = (1, 14)
COMPOSITE_CHECK = (1, 29)

_LINE1_RE = re.compile(r"IDVNM\d{9}\d\d{12}<<\d")
_LINE2_RE = re.compile(r"(\d{6}|<{6})[\d<][MF<](\d{6}|<{6})[\d<][A-Z]{3}[A-Z0-9<]{11}\d")
_LINE3_RE = re.compile(r"[A-Z<]{30}")


@dataclass(frozen=True)
class MrzReading:
    """A TD1 MRZ after repair (personal data: the repr is masked)."""

    lines: tuple[str, str, str]
    id_number: str | None
    document_number: str | None
    date_of_birth: date | None
    sex: str | None  # "Nam" | "Nữ"
    expiry_date: date | None
    surname: str | None
    given_names: str | None
    checks: dict[str, bool] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    repaired: tuple[str, ...] = ()  # names of the fields a repair touched

    @property
    def full_name(self) -> str | None:
        parts = [p for p in (self.surname, self.given_names) if p]
        return " ".join(parts) or None

    @property
    def valid(self) -> bool:
        return bool(self.checks.get("mrz_format")) and bool(self.checks.get("mrz_check_digits"))

    def __repr__(self) -> str:
        return f"MrzReading(checks={self.checks!r}, repaired={self.repaired!r}, warnings={len(self.warnings)})"


def compute_checks(lines: Sequence[str]) -> dict[str, bool]:
    """The named check-digit checks of three 30-char lines (no repair)."""
    l1, l2, _ = lines
    checks = {
        "mrz_line1_check": _check_ok(l1[5:14], l1[14]),
        "mrz_id_check": _check_ok(l1[15:29], l1[29]),
        "mrz_dob_check": _check_ok(l2[0:6], l2[6]),
        "mrz_expiry_check": _check_ok(l2[8:14], l2[14]) or (l2[8:15] == "<" * 7),
        "mrz_composite_check": _check_ok(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29]),
    }
    checks["mrz_check_digits"] = all(checks.values())
    return checks


def _clean(raw: str) -> str:
    return clean_line(raw, keep_unknown=True)


def _digits_or_unknown(part: str) -> str:
    return "".join(UNKNOWN if c in "<K" else c for c in as_digits(part))


def _fix_line1(raw: str) -> str:
    s = _clean(raw)
    if len(s) != LINE_LENGTH:
        # Rebuild from the 23 digits the line must carry, when that many can be found after the header.
        body = s[5:] if len(s) > 5 else ""
        digits = re.sub(r"[^0-9]", "", as_digits(body.replace("K", "<")))
        if len(digits) == 23:
            s = "IDVNM" + digits[:10] + digits[10:22] + "<<" + digits[22]
        else:
            s = (s + "<" * LINE_LENGTH)[:LINE_LENGTH]
    header = as_letters(s[:5])
    if header != "IDVNM" and sum(a == b for a, b in zip(header, "IDVNM", strict=True)) >= 3:
        header = "IDVNM"  # the document code and issuing state are fixed on Vietnamese cards
    return header + _digits_or_unknown(s[5:27]) + "<<" + _digits_or_unknown(s[29])


def _fix_line2(raw: str) -> str:
    s = _clean(raw)
    if len(s) != LINE_LENGTH:
        m = re.match(r"(.{6})(.)(.)(.{6})(.)(.{3})(.*)(.)$", s)
        s = (s + "<" * LINE_LENGTH)[:LINE_LENGTH] if m is None else (
            "".join(m.group(i) for i in range(1, 7)) + "<" * 11 + m.group(8)
        )
    def digits_or_fillers(part: str) -> str:
        return "<" * len(part) if set(part) <= {"<", "K"} else _digits_or_unknown(part)

    sex = s[7].replace("K", "<")
    sex = {"N": "M", "H": "M", "P": "F", "E": "F"}.get(sex, sex)
    optional = s[18:29]
    optional = "<" * 11 if set(optional) <= {"<", "K"} else optional.replace("K", "<")
    return (
        digits_or_fillers(s[0:6]) + digits_or_fillers(s[6]) + sex + digits_or_fillers(s[8:14])
        + digits_or_fillers(s[14]) + as_letters(s[15:18]) + optional + _digits_or_unknown(s[29])
    )


_VOWELS = set("AEIOUY")  # X (and every initial consonant) is followed by a vowel in a syllable
_K_KEEPS_BEFORE = set("HIEY")  # Vietnamese spelling: K only in KH, KI, KE/KÊ, KY; never ends a syllable


_SYLLABLE_RE = re.compile(r"(NGH|NG|GH|GI|KH|NH|PH|QU|TH|TR|CH|[BCDGHKLMNPRSTVX])?([AEIOUY]{1,3})(CH|NG|NH|[CMNPT])?")
_FRONT_ONSETS = {"K", "GH", "NGH"}  # spelled only before I, E, Ê, Y (C, G and NG before the other vowels)


def is_vietnamese_syllable(word: str) -> bool:
    """Whether an unaccented upper-case word can be a Vietnamese syllable (onset, vowels, final)."""
    m = _SYLLABLE_RE.fullmatch(word)
    if m is None:
        return False
    onset, front = m.group(1), m.group(2)[0] in "IEY"
    return not ((onset in _FRONT_ONSETS and not front) or (onset in {"C", "NG", "G"} and front and onset != "G"))


_FILLER_LIKE = set("KXCSLZE")  # letters OCR makes of a filler's chevron


def _syllables(word: str) -> list[str]:
    """A name word read between fillers as the Vietnamese syllables it holds (fewest letters dropped).

    The filler structure decides, not the check digits (the name has none): every syllable of a name is
    its own word, so two syllables run together ("THUKHA", "THUSHAS") lost the filler between them to a
    letter, and a letter stuck at the start or end of a syllable ("DUCK", "ANNAC") is a filler read as one.
    Only filler-like letters may be dropped: at the start, at the end, or one between two syllables. A
    final D that makes the word impossible is an O. Words that are no Vietnamese syllables at all (minority
    names) are kept as read.
    """
    return _segment(word) or [word]


def _segment(word: str) -> list[str] | None:
    """The syllables of `_syllables`, None when the word cannot be read as Vietnamese syllables."""
    if is_vietnamese_syllable(word) or len(word) < 2:
        return [word] if is_vietnamese_syllable(word) else None
    n = len(word)
    # best[i]: (letters dropped, syllables) for word[:i], ending after a separator (or a leading drop) or at n
    best: list[tuple[int, list[str]] | None] = [None] * (n + 1)
    best[0] = (0, [])
    for i in range(1, n + 1):
        prev = best[i - 1]
        if word[i - 1] in _FILLER_LIKE and prev is not None and not prev[1]:
            best[i] = (prev[0] + 1, [])  # a leading filler read as a letter
    ends: list[tuple[int, list[str]]] = []  # complete readings: (letters dropped, syllables)
    for i in range(n + 1):
        start = best[i]
        if start is None:
            continue
        for j in range(i + 1, n + 1):
            syllable = word[i:j]
            if not is_vietnamese_syllable(syllable):
                if i == 0 and j == n and syllable.endswith("D") and is_vietnamese_syllable(syllable[:-1] + "O"):
                    syllable = syllable[:-1] + "O"
                else:
                    continue
            syllables = [*start[1], syllable]
            tail = word[j:]
            if all(c in _FILLER_LIKE for c in tail):  # the word ends here (fillers read as letters after it)
                ends.append((start[0] + len(tail), syllables))
            if len(tail) > 1 and tail[0] in _FILLER_LIKE:  # a separator: another syllable must follow
                found = best[j + 1]
                if found is None or start[0] + 1 < found[0]:
                    best[j + 1] = (start[0] + 1, syllables)
    if not ends:
        return None
    return min(ends, key=lambda e: (e[0], len(e[1])))[1]


def _minority_initial(line: str, i: int) -> bool:
    """Whether the K or X at `i` starts a word that is no Vietnamese syllable without it either ("KSOR",
    "KPA" of Ê Đê and Jrai names): then it is the name's letter, not a filler read as one."""
    if i > 0 and line[i - 1] != "<":
        return False
    word = re.split(r"<", line[i + 1 :], maxsplit=1)[0]
    return len(word) >= 2 and word[0] not in _VOWELS and bool(set(word) & _VOWELS) and _segment(word) is None


def _fix_line3(raw: str) -> str:
    """SURNAME<<GIVEN<NAMES: fillers misread as K (or inserted as extra K) are turned back into fillers."""
    s = as_letters(_clean(raw)).replace(UNKNOWN, "<")
    chars = list(s)
    for i, ch in enumerate(chars):
        nxt = chars[i + 1] if i + 1 < len(chars) else "<"
        if (ch == "K" and nxt not in _K_KEEPS_BEFORE) or (ch == "X" and nxt not in _VOWELS):
            if _minority_initial(s, i):
                continue
            chars[i] = "^"  # a filler read as a letter (kept apart from the fillers read as such for now)
    fixed = "".join(chars).strip("<^")
    if "<<" in fixed.replace("^", "<"):
        cut = fixed.replace("^", "<").index("<<")
        surname, rest = fixed[:cut], fixed[cut:].lstrip("<^")
    else:  # the double filler was lost: the family name comes first in Vietnamese names
        surname, _, rest = fixed.replace("^", "<").partition("<")
    # Given names are separated by single fillers: two fillers read as such end the name (noise follows).
    ends = [m.start() for m in re.finditer(r"[<^]+", rest) if m.group().count("<") >= 2]
    rest = (rest[: ends[0]] if ends else rest).replace("^", "<")
    given = [w for t in rest.split("<") if t for w in _syllables(t)]
    surname = "<".join(w for t in surname.replace("^", "<").split("<") if t for w in _syllables(t))
    line = surname + "<<" + "<".join(given) if surname else ""
    return (line + "<" * LINE_LENGTH)[:LINE_LENGTH]


def _digit_positions(lines: Sequence[str]) -> list[tuple[int, int]]:
    spans = [(0, 5, 15), (0, 15, 27), (0, 29, 30), (1, 0, 7), (1, 8, 15), (1, 29, 30)]
    return [(li, p) for li, a, b in spans for p in range(a, b) if lines[li][p].isdigit()]


def _replace(lines: Sequence[str], li: int, pos: int, ch: str) -> list[str]:
    out = list(lines)
    out[li] = out[li][:pos] + ch + out[li][pos + 1 :]
    return out


def _field_of(li: int, pos: int) -> str:
    if li == 0:
        return "document_number" if pos < 15 else "id_number"
    if pos <= 6:
        return "date_of_birth"
    if 8 <= pos <= 14:
        return "expiry_date"
    return "composite"


def _fill_unknowns(lines: list[str]) -> tuple[list[str], list[str]]:
    """Unread digit cells (at most two): the only digits that make every check pass, else fillers."""
    unknown = [(li, p) for li in (0, 1) for p in range(LINE_LENGTH) if lines[li][p] == UNKNOWN]
    if not unknown:
        return lines, []
    solutions: list[list[str]] = []
    if len(unknown) <= 2:
        for n in range(10 ** len(unknown)):
            trial = list(lines)
            for k, (li, p) in enumerate(unknown):
                trial = _replace(trial, li, p, str(n // 10**k % 10))
            if compute_checks(trial)["mrz_check_digits"] and _dates_ok(trial):
                solutions.append(trial)
    if len(solutions) == 1:
        return solutions[0], sorted({_field_of(li, p) for li, p in unknown})
    return [line.replace(UNKNOWN, "<") for line in lines], []


def _search_check_digits(lines: list[str]) -> tuple[list[str], list[str]]:
    """Find the one confusion-substitution that makes every check digit pass, if there is exactly one."""
    if compute_checks(lines)["mrz_check_digits"]:
        return lines, []
    # Line 1 carries the last 9 digits of the ID twice: where the copies differ, try each in both places.
    l1 = lines[0]
    diffs = [i for i in range(9) if l1[5 + i] != l1[18 + i]]
    if 0 < len(diffs) <= 3:
        best: list[str] | None = None
        for mask in range(1 << len(diffs)):
            cand = list(l1)
            for bit, i in enumerate(diffs):
                ch = l1[5 + i] if mask >> bit & 1 else l1[18 + i]
                cand[5 + i] = cand[18 + i] = ch
            trial = ["".join(cand), lines[1], lines[2]]
            if compute_checks(trial)["mrz_check_digits"]:
                if best is not None:
                    best = None
                    break
                best = trial
        if best is not None:
            return best, ["document_number", "id_number"]
    candidates: list[tuple[list[str], str]] = []
    for li, pos in _digit_positions(lines):
        for alt in _DIGIT_CONFUSIONS[lines[li][pos]]:
            trial = _replace(lines, li, pos, alt)
            if li == 0 and 5 <= pos < 14:  # keep the two copies of the ID's last 9 digits equal
                trial = _replace(trial, 0, pos + 13, alt) if lines[0][pos + 13] == lines[0][pos] else trial
            elif li == 0 and 18 <= pos < 27 and lines[0][pos - 13] == lines[0][pos]:
                trial = _replace(trial, 0, pos - 13, alt)
            if compute_checks(trial)["mrz_check_digits"] and _dates_ok(trial):
                candidates.append((trial, _field_of(li, pos)))
    unique = {"".join(c[0]) for c in candidates}
    if len(unique) == 1:
        return candidates[0][0], [candidates[0][1]]
    return lines, []


def _dates_ok(lines: Sequence[str]) -> bool:
    l2 = lines[1]
    dob_ok = yymmdd(l2[0:6], 2000) is not None or l2[0:6] == "<" * 6
    exp_ok = yymmdd(l2[8:14], 2000) is not None or l2[8:14] == "<" * 6
    return dob_ok and exp_ok


def _dob_century(id_number: str | None, yy: int, today: date) -> int:
    """Century of a YYMMDD birth date: from the ID's century digit, else the latest not in the future."""
    if id_number is not None and re.fullmatch(r"\d{12}", id_number):
        digit = int(id_number[3])
        return {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200}.get(digit, 1800)
    return 2000 if 2000 + yy <= today.year else 1900


def lines_from_symbols(symbol_lines: Sequence[Sequence[tuple[str, float, int, int]]]) -> list[str] | None:
    """Rebuild three 30-cell lines from OCR symbols and their x extents, using the fixed pitch of TD1.

    OCR of OCR-B fillers tends to add letters ("<" read as "<K") or merge two fillers into one wide
    symbol; placing each symbol into its cell by position removes both effects. A cell nothing was
    read in becomes UNKNOWN. None when there are not three MRZ-like lines.
    """
    rows = [list(r) for r in symbol_lines if len(r) >= 15]
    if len(rows) < 3:
        return None
    start_row = 0
    for i in range(len(rows) - 2):
        head = "".join(c for c, *_ in rows[i][:5]).upper()
        if head.startswith(("ID", "1D", "IO", "I0")) or "VNM" in head:
            start_row = i
            break
    else:
        start_row = len(rows) - 3
    rows = rows[start_row : start_row + 3]
    x_start = float(sorted(r[0][2] for r in rows)[1])  # median of the three left edges
    x_end = float(max(r[-1][3] for r in rows[:2]))  # lines 1 and 2 always fill all 30 cells
    pitch = (x_end - x_start) / (LINE_LENGTH - 1 + 0.67)  # an OCR-B glyph is about 2/3 of the pitch
    if pitch <= 0:
        return None
    out: list[str] = []
    for row in rows:
        cells: list[list[tuple[str, float]]] = [[] for _ in range(LINE_LENGTH)]
        for ch, conf, x0, x1 in row:
            ch = ch.strip().upper()
            if len(ch) != 1:
                continue
            span = max(1, round((x1 - x0) / pitch + 0.33))
            if span == 1:
                cells_of = [int(((x0 + x1) / 2 - x_start) / pitch)]
            elif ch == "<":  # several fillers read as one wide symbol
                first = round((x0 - x_start) / pitch)
                cells_of = list(range(first, first + span))
            else:  # a character whose box swallowed fillers before it: it sits at the right end
                cells_of = [round((x1 - x_start) / pitch - 0.67)]
            for cell in cells_of:
                if 0 <= cell < LINE_LENGTH:
                    cells[cell].append((ch, conf))
        text = ""
        for cand in cells:
            chars = {c for c, _ in cand}
            if not cand:
                text += UNKNOWN
            elif chars <= {"<", "K", "X", "C"} and ("<" in chars or chars == {"K", "X"}):  # a C beside a K is a C
                text += "<"
            elif chars & {"K", "X"} and chars - {"K", "X", "<"}:  # K/X: the usual insertions next to a glyph
                text += max((t for t in cand if t[0] not in "KX<"), key=lambda t: t[1])[0]
            else:
                text += max(cand, key=lambda t: t[1])[0]
        out.append(text)
    return out


def find_mrz_lines(text_lines: Sequence[str]) -> list[str] | None:
    """Pick the three TD1 lines out of OCR output lines (drops blank and short noise lines)."""
    cleaned = [_clean(t) for t in text_lines]
    cleaned = [c for c in cleaned if len(c) >= 20]
    if len(cleaned) < 3:
        return None
    for i in range(len(cleaned) - 2):
        if cleaned[i].startswith(("ID", "1D", "IO", "I0")) or "VNM" in cleaned[i][:8]:
            return cleaned[i : i + 3]
    return cleaned[-3:]


def mrz_score(reading: MrzReading) -> int:
    """How much an OCR reading looks like a real MRZ: check digits passed, layout, fixed fields (0..9)."""
    names = ("mrz_line1_check", "mrz_id_check", "mrz_dob_check", "mrz_expiry_check", "mrz_composite_check")
    score = sum(1 for k in names if reading.checks.get(k))
    l1, l2, _ = reading.lines
    score += 2 if l1.startswith("IDVNM") else 0
    score += 1 if l2[15:18] == "VNM" else 0
    score += 1 if reading.checks.get("mrz_format") else 0
    return score


def parse_td1(raw_lines: Sequence[str], *, today: date | None = None) -> MrzReading:
    """Repair and parse three TD1 lines as OCR read them. Never raises on bad input."""
    today = today or date.today()
    warnings: list[str] = []
    raw = [*raw_lines, "", "", ""][:3]
    lines = [_fix_line1(raw[0]), _fix_line2(raw[1]), _fix_line3(raw[2])]
    structural = [name for name, a, b in zip(("line1", "line2", "line3"), raw, lines, strict=True) if _clean(a) != b]
    lines, filled = _fill_unknowns(lines)
    lines, repaired = _search_check_digits(lines)
    repaired = filled + repaired
    l1, l2, l3 = lines
    checks: dict[str, bool] = {
        "mrz_format": bool(_LINE1_RE.fullmatch(l1) and _LINE2_RE.fullmatch(l2) and _LINE3_RE.fullmatch(l3)),
    }
    if not checks["mrz_format"]:
        warnings.append("mrz: lines do not have the TD1 layout of a Vietnamese card")
    checks.update(compute_checks(lines))
    for name in ("mrz_line1_check", "mrz_id_check", "mrz_dob_check", "mrz_expiry_check", "mrz_composite_check"):
        if not checks[name]:
            warnings.append(f"mrz: check digit failed ({name})")
    if repaired:
        warnings.append("mrz: repaired by check digits (" + ", ".join(sorted(set(repaired))) + ")")

    id_number = l1[15:27] if re.fullmatch(r"\d{12}", l1[15:27]) else None
    document_number = l1[5:14] if re.fullmatch(r"\d{9}", l1[5:14]) else None
    if id_number is not None and document_number is not None:
        checks["mrz_doc_number_matches_id"] = id_number[3:] == document_number
        if id_number[3:] != document_number:
            warnings.append("mrz: document number is not the last 9 digits of the ID number")
    dob = None
    if re.fullmatch(r"\d{6}", l2[0:6]):
        dob = yymmdd(l2[0:6], _dob_century(id_number, int(l2[0:2]), today))
        if dob is None:
            warnings.append("mrz: date of birth is not a real date")
    checks["mrz_dob_valid"] = dob is not None
    expiry = yymmdd(l2[8:14], 2000) if re.fullmatch(r"\d{6}", l2[8:14]) else None
    if expiry is None and l2[8:14] != "<" * 6:
        warnings.append("mrz: expiry date is not a real date")
    sex = SEX_NAMES.get(l2[7])
    checks["mrz_sex_valid"] = sex is not None
    if sex is None:
        warnings.append("mrz: sex is neither M nor F")
    checks["mrz_nationality_vnm"] = l2[15:18] == "VNM" and l1[2:5] == "VNM"
    surname_s, given_s = split_name(l3)
    checks["mrz_name_present"] = surname_s is not None
    return MrzReading(
        lines=(l1, l2, l3),
        id_number=id_number,
        document_number=document_number,
        date_of_birth=dob,
        sex=sex,
        expiry_date=expiry,
        surname=surname_s,
        given_names=given_s,
        checks=checks,
        warnings=tuple(warnings),
        repaired=tuple(structural) + tuple(repaired),
    )
