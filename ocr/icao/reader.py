"""Read every ICAO 9303 machine-readable zone on an image: locate, OCR line by line, parse.

Each zone's lines are read by Tesseract (the card engine's MRZ whitelist) on a couple of renderings;
every character is put into its cell by position (the MRZ has a fixed pitch, so a filler OCR read as
"<K", or two fillers read as one wide glyph, still lands where it belongs), the renderings vote per
cell, and the result is parsed in each layout the zone's shape allows; the best-scoring one is kept.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import cv2
import numpy as np
import numpy.typing as npt

from ocr.cccd.engine import PSM_SINGLE_LINE, Symbol, ocr_symbols
from ocr.icao.locate import TARGET_CHAR_HEIGHT, MrzZone, find_mrz_zones, looks_fixed_pitch
from ocr.icao.mrz import Cell, Layout, MrzFields, layout_for, parse
from ocr.mrz_core import ALPHABET
from scanning.models import Image

log = logging.getLogger(__name__)

_GLYPH = 0.62  # an OCR-B capital is about this fraction of the character pitch wide
_MIN_FILLERS = 4


def _renderings(line: Image) -> list[Image]:
    """The line as scanned, and with the background flattened (guilloche, rainbow print, uneven light)."""
    k = round(TARGET_CHAR_HEIGHT * 1.6)
    blackhat = cv2.morphologyEx(line, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    top = max(1, int(blackhat.max()))
    flat = np.asarray(255 - (blackhat.astype(np.float32) * (255.0 / top)).clip(0, 255), np.uint8)
    _, binary = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return [line, flat, np.asarray(binary, np.uint8)]


_SUSPECT_FILLERS = "KXCES"  # what OCR makes of a filler's chevron next to other fillers
_SAME_SHAPE = 0.8  # normalised correlation with the zone's own fillers above which a glyph is one
_MIN_TEMPLATE_CONFIDENCE = 50.0  # fillers OCR read with less agreement than this do not shape the template


def _glyph(
    ink: npt.NDArray[np.float32], span: tuple[float, float], length: int, cell: int
) -> npt.NDArray[np.float32] | None:
    """One cell's glyph, normalised to a small zero-mean unit-norm patch (None for an empty cell)."""
    pitch = (span[1] - span[0]) / (length - 1 + _GLYPH)
    x0 = round(span[0] + (cell - 0.15) * pitch)
    x1 = round(span[0] + (cell + _GLYPH + 0.15) * pitch)
    crop = ink[:, max(0, x0) : max(0, x1)]
    if crop.size == 0:
        return None
    patch = np.asarray(cv2.resize(crop, (12, 20), interpolation=cv2.INTER_AREA), np.float32)
    patch = patch - np.float32(patch.mean())
    norm = float(np.linalg.norm(patch))
    return None if norm < 1e-3 else np.asarray(patch / norm, np.float32)


def _fillers_by_shape(line: Image, span: tuple[float, float], row: list[Cell]) -> list[Cell]:
    """Cells read as K, X, C, E or S beside a filler whose glyph has the shape of this line's fillers.

    OCR reads a chevron run as "<K<", "<X" or "CC" now and then; the line's fillers show what a filler looks
    like here, whatever the print and scan. A cell turned into a filler is a filler beside the next one, so
    a run of them ("ANNACC<<" as read) is undone from the filler side inwards; letters of another shape stop it.
    """
    ink = np.asarray((255 - _renderings(line)[2]).astype(np.float32) / 255.0, np.float32)
    length = len(row)
    fillers: list[npt.NDArray[np.float32]] = []
    for floor in (80, _MIN_TEMPLATE_CONFIDENCE):  # the surest fillers, or the likely ones on a faint line
        fillers = [g for i, c in enumerate(row) if c.char == "<" and c.confidence >= floor
                   and (g := _glyph(ink, span, length, i)) is not None]
        if len(fillers) >= 3:
            break
    if len(fillers) < 3:
        return row
    template = np.mean(fillers, axis=0)
    template /= max(1e-3, float(np.linalg.norm(template)))
    out = list(row)
    changed = True
    while changed:
        changed = False
        for i, c in enumerate(out):
            beside = (i > 0 and out[i - 1].char == "<") or (i + 1 < length and out[i + 1].char == "<")
            if c.char not in _SUSPECT_FILLERS or not beside:
                continue
            glyph = _glyph(ink, span, length, i)
            if glyph is not None and float(np.sum(glyph * template)) >= _SAME_SHAPE:
                out[i] = Cell("<", 60.0, c.char)
                changed = True
    return out


def _cells(symbols: Sequence[Symbol], span: tuple[float, float], length: int) -> list[list[tuple[str, float]]]:
    """Characters put into `length` cells by position, the line's glyphs spanning `span` (x0, x1)."""
    x_start, x_end = span
    pitch = (x_end - x_start) / (length - 1 + _GLYPH)
    cells: list[list[tuple[str, float]]] = [[] for _ in range(length)]
    if pitch <= 0:
        return cells
    for ch, conf, x0, x1 in symbols:
        ch = ch.strip().upper()
        if len(ch) != 1 or ch not in ALPHABET:
            continue
        span_cells = max(1, round((x1 - x0) / pitch + 1 - _GLYPH))
        first = round((x0 - x_start) / pitch)
        for cell in range(first, first + span_cells) if ch == "<" else [round((x1 - x_start) / pitch - _GLYPH)]:
            if 0 <= cell < length:
                cells[cell].append((ch, conf))
    return cells


def _spans(line: Image, readings: Sequence[Sequence[Symbol]]) -> list[tuple[float, float]]:
    """Where the line's glyphs start and end: the cut's margins (locate._split_lines leaves half a
    target character height), and the extent of what OCR read (a speck at the end shifts the first)."""
    pad = round(0.5 * TARGET_CHAR_HEIGHT)
    spans = [(float(pad), float(line.shape[1] - pad))]
    for symbols in readings:
        if symbols:
            spans.append((float(min(s[2] for s in symbols)), float(max(s[3] for s in symbols))))
    return spans


def _vote(readings: Sequence[list[list[tuple[str, float]]]]) -> list[Cell]:
    """One cell per position from several readings: highest summed confidence wins."""
    out: list[Cell] = []
    for position in zip(*readings, strict=True):
        scores: dict[str, float] = defaultdict(float)
        for cell in position:
            best: dict[str, float] = {}
            for ch, conf in cell:
                best[ch] = max(best.get(ch, 0.0), conf)
            for ch, conf in best.items():
                scores[ch] += conf
        if not scores:
            out.append(Cell("<", 0.0))
            continue
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if ranked[0][0] in "KXSEC" and "<" in scores:  # a filler's chevron read as "<K": it is a filler
            ranked.sort(key=lambda kv: kv[0] != "<")
        char, total = ranked[0]
        agreeing = sum(1 for cell in position if any(c == char for c, _ in cell))
        confidence = total / len(position) if agreeing == len(position) else min(total / len(position), 50.0)
        out.append(Cell(char, confidence, "".join(c for c, _ in ranked[1:])))
    return out


def _read_line(line: Image) -> list[list[Symbol]]:
    return [[s for row in ocr_symbols(r, kind="mrz", psm=PSM_SINGLE_LINE) for s in row] for r in _renderings(line)]


def _looks_like_mrz(lines: tuple[Image, ...]) -> bool:
    """A cheap first look (one rendering): an MRZ always holds fillers, ordinary print read through the
    MRZ whitelist almost never does (the specimens show 11 or more; text lines of a page none)."""
    fillers = 0
    for line in lines:
        for row in ocr_symbols(_renderings(line)[1], kind="mrz", psm=PSM_SINGLE_LINE):
            fillers += sum(1 for ch, *_ in row if ch == "<")
    return fillers >= _MIN_FILLERS


def _best_reading(zone: MrzZone, today: date) -> MrzFields | None:
    """The best-scoring reading of a zone; an upside-down zone (a document turned on the glass) is read
    turned when the upright reading is no MRZ."""
    if not looks_fixed_pitch(zone.lines):  # no OCR for print that is not on a fixed pitch (text of a page)
        return None
    best: MrzFields | None = None
    turned = tuple(np.ascontiguousarray(line[::-1, ::-1]) for line in reversed(zone.lines))
    for lines in (zone.lines, turned):
        if not _looks_like_mrz(lines):
            continue
        fields = _read_zone(lines, today)
        if fields is not None and (best is None or fields.score > best.score):
            best = fields
        if best is not None and best.plausible:
            break
    return best


def _read_zone(lines: tuple[Image, ...], today: date) -> MrzFields | None:
    zone_lines = lines
    symbols = [_read_line(line) for line in zone_lines]
    spans = [_spans(line, readings) for line, readings in zip(zone_lines, symbols, strict=True)]
    best: MrzFields | None = None
    for count in (3, 2):
        for start in range(0, len(zone_lines) - count + 1):
            window = range(start, start + count)
            for length in (30,) if count == 3 else (44, 36):
                for which in range(max(len(spans[i]) for i in window)):
                    chosen = {i: spans[i][min(which, len(spans[i]) - 1)] for i in window}
                    rows = [_fillers_by_shape(zone_lines[i], chosen[i],
                                              _vote([_cells(s, chosen[i], length) for s in symbols[i]]))
                            for i in window]
                    layout: Layout | None = layout_for(count, length, rows[0][0].char)
                    if layout is None:
                        continue
                    fields = parse(layout, rows, today=today)
                    if best is None or fields.score > best.score:
                        best = fields
    return best


def _read_all(image: Image, today: date) -> list[MrzFields]:
    found: list[MrzFields] = []
    for zone in find_mrz_zones(image):
        fields = _best_reading(zone, today)
        if fields is not None and fields.plausible and all(f.lines != fields.lines for f in found):
            found.append(fields)
    return found


def read_mrz_documents(image: Image, *, today: date | None = None) -> list[MrzFields]:
    """Every machine-readable zone on `image` that reads as one, top to bottom."""
    today = today or date.today()
    found = _read_all(image, today)
    if not found:  # a document lying sideways on the glass: its lines run down the page
        found = _read_all(np.ascontiguousarray(np.rot90(image)), today)
    log.info("machine-readable zones read: %d (%s)", len(found), ", ".join(f.format for f in found))
    return found
