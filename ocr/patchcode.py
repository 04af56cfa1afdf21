"""Kodak patch codes: the scanner industry's separator sheets (Patch 1, 2, 3, 4, 6 and T).

A patch is four long parallel black bars, two wide (0.20 in) and two narrow (0.08 in), with three
narrow spaces (0.08 in): 0.80 in across in all. Which bars are wide tells the patch (from the zone
tables of Kodak's "Patch Code Information", A-61599), read from the leading edge of the sheet:

    Patch 1: W W N N    Patch 2: W N N W    Patch 3: W N W N
    Patch 4: N W W N    Patch 6: N N W W    Patch T: N W N W

Patch 3 read backwards is Patch T (and 1 is 6), so the reading direction matters: bars parallel to the
leading edge are read top to bottom of the image as captured, end-fed patches (bars perpendicular to
it) right to left. Widths are measured relative to the patch's own 0.80 in, so no resolution is needed.
Pure image functions, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import cv2
import numpy as np

from ocr.models import BBox
from scanning.models import Image

PATTERNS = {"WWNN": "1", "WNNW": "2", "WNWN": "3", "NWWN": "4", "NNWW": "6", "NWNW": "T"}
_UNITS = 10.0  # the patch's width in narrow units: 2 x 2.5 (wide) + 2 x 1 (narrow) + 3 x 1 (spaces)
_WORK_SIDE = 1000  # the search runs on the page scaled to this longer side
_MIN_BAR_RATIO = 6.0  # a patch bar is at least 0.75 in long and at most 0.20 in thick
_MAX_TILT = 4.0  # degrees


@dataclass(frozen=True)
class PatchCode:
    patch: str  # "1", "2", "3", "4", "6" or "T"
    bbox: BBox  # in the input image's pixels

    @property
    def text(self) -> str:
        return f"PATCH-{self.patch}"


@dataclass(frozen=True)
class _Bar:
    along: float  # centre along the bar
    across: float  # centre across the bars (the reading direction)
    length: float
    thickness: float
    box: tuple[int, int, int, int]


def _bars(mask: Image, *, vertical: bool) -> list[_Bar]:
    """Solid, long, thin, axis-parallel dark components of `mask`."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    bars: list[_Bar] = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i])
        length, thickness = (h, w) if vertical else (w, h)
        if thickness < 2 or length < _MIN_BAR_RATIO * thickness or area < 0.85 * w * h:
            continue
        along, across = (y + h / 2, x + w / 2) if vertical else (x + w / 2, y + h / 2)
        bars.append(_Bar(along, across, float(length), float(thickness), (x, y, w, h)))
    return bars


def _classify(group: list[_Bar]) -> str | None:
    """"W"/"N" per bar (in `group` order), or None when bars or spaces are off the patch geometry."""
    edges = [(b.across - b.thickness / 2, b.across + b.thickness / 2) for b in group]
    span = edges[-1][1] - edges[0][0]
    if span <= 0:
        return None
    unit = span / _UNITS
    kinds = ""
    for start, end in edges:
        width = (end - start) / unit
        if 0.55 <= width <= 1.6:
            kinds += "N"
        elif 1.8 <= width <= 3.3:
            kinds += "W"
        else:
            return None
    for (_, end), (start, _) in pairwise(edges):
        if not 0.5 <= (start - end) / unit <= 1.6:
            return None
    return kinds if kinds.count("W") == 2 else None


def _groups(bars: list[_Bar]) -> list[list[_Bar]]:
    """Runs of four bars side by side: overlapping along the bar, of similar length."""
    bars = sorted(bars, key=lambda b: b.across)
    out: list[list[_Bar]] = []
    for i in range(len(bars) - 3):
        group = [bars[i]]
        for cand in bars[i + 1 :]:
            last = group[-1]
            if cand.across - last.across > 4 * max(cand.thickness, last.thickness):
                continue
            overlap = min(last.along + last.length / 2, cand.along + cand.length / 2) - max(
                last.along - last.length / 2, cand.along - cand.length / 2)
            if overlap >= 0.7 * min(last.length, cand.length) and 0.7 <= cand.length / last.length <= 1.4:
                group.append(cand)
                if len(group) == 4:
                    out.append(group)
                    break
    return out


def _isolated(group: list[_Bar], mask: Image, *, vertical: bool) -> bool:
    """A patch stands alone, with bars at least 0.75 in long: four bars out of a barcode have more ink
    beside them (the rest of the code) or are short for their spread."""
    first, last = group[0], group[-1]
    lo, hi = first.across - first.thickness / 2, last.across + last.thickness / 2
    span = hi - lo
    if min(b.length for b in group) < 0.9 * span:
        return False
    a0 = max(b.along - b.length / 2 for b in group)
    a1 = min(b.along + b.length / 2 for b in group)
    quiet = 0.4 * span
    for q0, q1 in ((lo - quiet, lo - 0.1 * span), (hi + 0.1 * span, hi + quiet)):
        c0, c1 = max(0, round(q0)), max(0, round(q1))
        region = mask[round(a0) : round(a1), c0:c1] if vertical else mask[c0:c1, round(a0) : round(a1)]
        if region.size and float(np.mean(region > 0)) > 0.05:
            return False
    return True


def _bar_tilts(mask: Image) -> list[float]:
    """The tilts (degrees, within _MAX_TILT of level) of long, solid, thin components: one per distinct
    tilt the page's bars have, so that a slightly skewed sheet is levelled before the bars are measured."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    tilts: list[float] = []
    for i in range(1, count):
        bw, bh = int(stats[i, cv2.CC_STAT_WIDTH]), int(stats[i, cv2.CC_STAT_HEIGHT])
        if max(bw, bh) < 40 or max(bw, bh) < 3 * min(bw, bh):  # cheap first cut: not long and thin enough
            continue
        x, y = int(stats[i, cv2.CC_STAT_LEFT]), int(stats[i, cv2.CC_STAT_TOP])
        points = cv2.findNonZero(np.asarray(labels[y : y + bh, x : x + bw] == i, np.uint8))
        if points is None:
            continue
        (_, _), (w, h), angle = cv2.minAreaRect(points)
        long_side, short_side = max(w, h), min(w, h)
        if short_side < 2 or long_side < _MIN_BAR_RATIO * short_side:
            continue
        if int(stats[i, cv2.CC_STAT_AREA]) < 0.8 * w * h:
            continue
        tilt = float(angle) if w >= h else float(angle) - 90.0
        tilt = (tilt + 45.0) % 90.0 - 45.0  # horizontal and vertical bars alike: their tilt off the axes
        if abs(tilt) <= _MAX_TILT:
            tilts.append(tilt)
    if not tilts:
        return []
    return sorted({round(float(np.median(tilts)), 1), 0.0})


def find_patch_codes(image: Image) -> list[PatchCode]:
    """The patch codes on a page image as captured (leading edge at the top), top to bottom."""
    gray = image if image.ndim == 2 else np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), np.uint8)
    h, w = gray.shape
    scale = min(1.0, _WORK_SIDE / max(h, w))
    work = np.asarray(cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA), np.uint8)
    mask = np.asarray(cv2.threshold(work, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1], np.uint8)
    if float(np.mean(mask > 0)) > 0.6:  # mostly dark: a photo or a black page, not a patch sheet
        return []
    found: dict[tuple[str, int, int], PatchCode] = {}
    centre = (mask.shape[1] / 2, mask.shape[0] / 2)
    for tilt in _bar_tilts(mask):
        m = cv2.getRotationMatrix2D(centre, tilt, 1.0)
        level = mask if tilt == 0 else np.asarray(
            cv2.warpAffine(mask, m, (mask.shape[1], mask.shape[0]), flags=cv2.INTER_NEAREST), np.uint8)
        back = cv2.invertAffineTransform(m)
        for patch, (x0, y0, x1, y1) in _patches_on_level(level):
            corners = np.array([[x0, y0, 1], [x1, y0, 1], [x0, y1, 1], [x1, y1, 1]], np.float64) @ back.T
            bx0, by0 = corners.min(axis=0) / scale
            bx1, by1 = corners.max(axis=0) / scale
            key = (patch, round(bx0 / 50), round(by0 / 50))
            found.setdefault(key, PatchCode(patch, (round(bx0), round(by0), round(bx1 - bx0), round(by1 - by0))))
    return sorted(found.values(), key=lambda p: (p.bbox[1], p.bbox[0]))


def _patches_on_level(mask: Image) -> list[tuple[str, tuple[int, int, int, int]]]:
    """Patches whose bars run along the image axes: (patch, (x0, y0, x1, y1)) in `mask` pixels."""
    out: list[tuple[str, tuple[int, int, int, int]]] = []
    for vertical in (False, True):
        for group in _groups(_bars(mask, vertical=vertical)):
            if not _isolated(group, mask, vertical=vertical):
                continue
            kinds = _classify(group)
            # Leading edge first: top to bottom for bars across the page, right to left for end-fed ones.
            patch = None if kinds is None else PATTERNS.get(kinds[::-1] if vertical else kinds)
            if patch is None:
                continue
            x0 = min(b.box[0] for b in group)
            y0 = min(b.box[1] for b in group)
            x1 = max(b.box[0] + b.box[2] for b in group)
            y1 = max(b.box[1] + b.box[3] for b in group)
            out.append((patch, (x0, y0, x1, y1)))
    return out


def render_patch(patch: str, *, dpi: int = 300, length_in: float = 3.0) -> Image:
    """A patch as a gray image, bars horizontal (across the leading edge), at `dpi`, with a quiet margin."""
    kinds = next(k for k, v in PATTERNS.items() if v == patch)
    unit = 0.08 * dpi
    margin = round(0.25 * dpi)
    length = round(length_in * dpi)
    height = round(0.80 * dpi) + 2 * margin
    out = np.full((height, length + 2 * margin), 255, np.uint8)
    y = float(margin)
    for kind in kinds:
        thickness = unit * (2.5 if kind == "W" else 1.0)
        out[round(y) : round(y + thickness), margin : margin + length] = 0
        y += thickness + unit
    return out
