"""Find ICAO 9303 machine-readable zones on an image: any position, scale and small tilt.

Pure image functions, no I/O. An MRZ is two or three long, parallel, evenly spaced lines of same-size
dark characters. At each of a few character heights the dark small features are isolated (black-hat),
merged along the line (horizontal closing), and runs far longer than they are tall are grouped into
zones of 2 or 3 parallel lines of similar length. Each zone is cut out level and scaled so that one
character is about `TARGET_CHAR_HEIGHT` pixels high, ready for OCR.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.models import Image

TARGET_CHAR_HEIGHT = 36  # px: Tesseract's LSTM models read best with capitals about 30-40 px high
_WORK_SIDE = 1600  # the image is scaled (up or down) to this longer side for the search
_CHAR_HEIGHTS = (9, 13, 19, 28, 40)  # character heights tried at work scale
_MIN_ASPECT = 14.0  # a 30-character MRZ line is ~30x longer than tall; text words are much shorter
_MAX_TILT_DEG = 12.0


@dataclass(frozen=True)
class _Run:
    centre: tuple[float, float]
    length: float
    thickness: float
    angle: float  # degrees, the run's direction (-45..45)


@dataclass(frozen=True, eq=False)
class MrzZone:
    """One zone found on the image: `lines` text-line images (level, gray, dark text on light)."""

    lines: tuple[Image, ...]
    centre: tuple[float, float]  # in the input image's pixels
    angle: float  # degrees the zone was tilted
    char_height: float  # in the input image's pixels
    length: float  # line length in the input image's pixels

    def __repr__(self) -> str:
        return f"MrzZone(lines={len(self.lines)}, centre={self.centre!r}, angle={self.angle:.1f})"


def to_gray(image: Image) -> Image:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY), np.uint8)
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), np.uint8)


def _runs(gray: Image, char_h: int) -> list[_Run]:
    """Long thin runs of dark characters about `char_h` pixels high."""
    k = max(3, round(char_h * 1.6))
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Drop specks far smaller than a character, then join the characters of a line.
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                            (max(3, round(char_h * 1.1)), 1)))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT,
                                                                           (max(3, char_h * 2), max(1, char_h // 3))))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    runs: list[_Run] = []
    for contour in contours:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        if w < h:
            w, h, angle = h, w, angle - 90
        while angle <= -45:
            angle += 180
        while angle > 45:
            angle -= 180
        if abs(angle) > _MAX_TILT_DEG or not 0.6 * char_h <= h <= 2.0 * char_h or w < _MIN_ASPECT * h:
            continue
        if cv2.contourArea(contour) < 0.6 * w * h:  # a ragged blob (text block, picture), not a line
            continue
        runs.append(_Run((float(cx), float(cy)), float(w), float(h), float(angle)))
    return runs


def _zones_of(runs: list[_Run]) -> list[list[_Run]]:
    """Groups of 2-3 parallel runs of similar length, stacked at a regular line spacing."""
    runs = sorted(runs, key=lambda r: r.centre[1])
    groups: list[list[_Run]] = []
    used: set[int] = set()
    for i, first in enumerate(runs):
        if i in used:
            continue
        group = [first]
        for j in range(i + 1, len(runs)):
            if j in used:
                continue
            last = group[-1]
            cand = runs[j]
            theta = np.deg2rad(last.angle)
            dx, dy = cand.centre[0] - last.centre[0], cand.centre[1] - last.centre[1]
            along = dx * np.cos(theta) + dy * np.sin(theta)
            across = -dx * np.sin(theta) + dy * np.cos(theta)
            if (abs(cand.angle - last.angle) <= 3.0 and 0.75 <= cand.length / last.length <= 1.33
                    and abs(along) <= 0.15 * last.length and 1.1 * last.thickness <= across <= 3.5 * last.thickness
                    and 0.6 <= cand.thickness / last.thickness <= 1.6):
                group.append(cand)
                used.add(j)
                if len(group) == 3:
                    break
        if len(group) >= 2:
            used.add(i)
            groups.append(group)
    return groups


def _cut_lines(gray: Image, group: list[_Run], scale: float, background: int) -> MrzZone | None:
    """The text lines of one zone, level, scaled to the target character height (input pixels in).

    The zone is cut out generously (a line the run search missed, such as a middle line that touched
    other print, is found again here) and split into lines by the rows the dark characters cover.
    """
    angle = float(np.mean([r.angle for r in group]))
    thickness = float(np.median([r.thickness for r in group])) / scale
    theta = np.deg2rad(angle)
    u = np.array([np.cos(theta), np.sin(theta)])
    n = np.array([-np.sin(theta), np.cos(theta)])
    centres = np.array([r.centre for r in group]) / scale
    half = [r.length / scale / 2 for r in group]
    along = [(float(c @ u) - d, float(c @ u) + d) for c, d in zip(centres, half, strict=True)]
    # Generous along the line: a run may have stopped short where print or a photo touched the line.
    a0, a1 = min(a for a, _ in along), max(b for _, b in along)
    corners = np.array([[0, 0], [gray.shape[1], 0], [0, gray.shape[0]], [gray.shape[1], gray.shape[0]]]) @ u
    a0, a1 = max(a0 - 1.5 * (a1 - a0), float(corners.min())), min(a1 + 1.5 * (a1 - a0), float(corners.max()))
    across = centres @ n
    n0, n1 = float(across.min()) - 2.6 * thickness, float(across.max()) + 2.6 * thickness
    factor = TARGET_CHAR_HEIGHT / max(1.0, thickness * 0.85)
    out_w, out_h = round((a1 - a0) * factor), round((n1 - n0) * factor)
    if out_w * out_h > 40_000_000 or out_w < 10 or out_h < 10:
        return None
    # Output pixel (x, y) <- input point a0*u + n0*n + (x*u + y*n) / factor.
    origin = a0 * u + n0 * n
    m_inv = np.array([[u[0] / factor, n[0] / factor, origin[0]], [u[1] / factor, n[1] / factor, origin[1]]])
    level = np.asarray(cv2.warpAffine(gray, m_inv, (out_w, out_h), flags=cv2.INTER_CUBIC | cv2.WARP_INVERSE_MAP,
                                      borderMode=cv2.BORDER_CONSTANT, borderValue=background), np.uint8)
    lines = _split_lines(level)
    if len(lines) < 2:
        return None
    centre = centres.mean(axis=0)  # of the lines the search found (the cut itself is wider)
    return MrzZone(tuple(lines), (float(centre[0]), float(centre[1])), angle, thickness, (a1 - a0))


def _split_lines(level: Image) -> list[Image]:
    """Full-width text lines of a level zone image, each with a margin above and below."""
    k = round(TARGET_CHAR_HEIGHT * 1.6)
    blackhat = cv2.morphologyEx(level, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    _, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = mask > 0
    profile = ink.mean(axis=1)
    rows = profile > max(0.04, 0.25 * float(np.percentile(profile, 90)))
    segments: list[tuple[int, int]] = []
    start = None
    for y, on in enumerate([*rows.tolist(), False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if y - start >= 0.5 * TARGET_CHAR_HEIGHT:
                segments.append((start, y))
            start = None
    found: list[tuple[int, int, int, int]] = []
    for y0, y1 in segments:
        if y1 - y0 > 2.2 * TARGET_CHAR_HEIGHT:  # two lines run together (a tilt the search missed)
            continue
        x0, x1 = _line_extent(np.asarray(ink[y0:y1].any(axis=0), dtype=bool))
        if x1 - x0 >= 20 * TARGET_CHAR_HEIGHT * 0.6:
            found.append((y0, y1, x0, x1))
    if not found:
        return []
    longest = max(x1 - x0 for _, _, x0, x1 in found)
    lines: list[Image] = []
    pad = round(0.5 * TARGET_CHAR_HEIGHT)
    for y0, y1, x0, x1 in found:
        if x1 - x0 < 0.7 * longest:
            continue
        vpad = round(0.35 * TARGET_CHAR_HEIGHT)
        crop = level[max(0, y0 - vpad) : y1 + vpad, max(0, x0 - pad) : x1 + pad]
        if x0 < pad or x1 + pad > level.shape[1]:  # keep the margin the reader relies on
            crop = np.asarray(cv2.copyMakeBorder(crop, 0, 0, max(0, pad - x0), max(0, x1 + pad - level.shape[1]),
                                                 cv2.BORDER_REPLICATE), np.uint8)
        lines.append(np.ascontiguousarray(crop))
    return lines


def _line_extent(columns: npt.NDArray[np.bool_]) -> tuple[int, int]:
    """The longest stretch of inked columns whose gaps stay under a character's width (x0, x1 exclusive)."""
    xs = np.flatnonzero(columns)
    if xs.size == 0:
        return 0, 0
    best = (0, 0)
    start = prev = int(xs[0])
    for x in [*xs[1:].tolist(), None]:
        if x is None or x - prev > 0.9 * TARGET_CHAR_HEIGHT:
            if prev + 1 - start > best[1] - best[0]:
                best = (start, prev + 1)
            if x is None:
                break
            start = x
        prev = x
    return best


_PITCH_RANGE = (0.6, 1.6)  # an OCR-B character pitch, in target character heights
_CELLS_RANGE = (26.0, 49.0)  # 30, 36 or 44 characters on a line, with room for a missed glyph or a speck
_MIN_PERIODICITY = 0.36  # autocorrelation of the ink profile at the pitch; text lines of a page stay under


def fixed_pitch_cells(line: Image) -> tuple[float, float]:
    """How regularly a level line's glyphs repeat (autocorrelation of its column ink at the best pitch,
    0..1) and how many pitches long the line is. Every MRZ cell holds a glyph (fillers included) on a
    fixed pitch; proportional print with word spaces repeats far less regularly."""
    _, binary = cv2.threshold(line, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = binary == 0
    xs = np.flatnonzero(ink.any(axis=0))
    lo, hi = round(_PITCH_RANGE[0] * TARGET_CHAR_HEIGHT), round(_PITCH_RANGE[1] * TARGET_CHAR_HEIGHT)
    if xs.size == 0 or xs[-1] - xs[0] < 2 * hi:
        return 0.0, 0.0
    profile = ink[:, xs[0] : xs[-1] + 1].sum(axis=0).astype(np.float32)
    profile -= np.float32(profile.mean())
    n = profile.size
    spectrum = np.fft.rfft(profile, 2 * n)  # autocorrelation by FFT (zero-padded: no wrap-around)
    auto = np.fft.irfft(spectrum * np.conj(spectrum))[:n]
    if auto[0] <= 0:
        return 0.0, 0.0
    pitch = lo + int(np.argmax(auto[lo:hi]))
    return float(auto[pitch] / auto[0]), float((xs[-1] - xs[0]) / pitch)


def looks_fixed_pitch(lines: tuple[Image, ...]) -> bool:
    """A cheap image-only first look (no OCR): at least two lines of the zone are fixed-pitch runs of
    30 to 44 characters. Text lines of a page fail it; every specimen MRZ of ../shared/corpora/mrz passes."""
    passing = 0
    for line in lines:
        regularity, cells = fixed_pitch_cells(line)
        passing += regularity >= _MIN_PERIODICITY and _CELLS_RANGE[0] <= cells <= _CELLS_RANGE[1]
    return passing >= 2


def _overlaps(a: MrzZone, b: MrzZone) -> bool:
    return abs(a.centre[0] - b.centre[0]) < 0.3 * max(a.length, b.length) and abs(a.centre[1] - b.centre[1]) < max(
        a.char_height, b.char_height)


def find_mrz_zones(image: Image) -> list[MrzZone]:
    """Every MRZ-like zone on `image`, top to bottom (duplicates found at several scales removed)."""
    gray = to_gray(image)
    h, w = gray.shape
    scale = _WORK_SIDE / max(h, w)
    work = np.asarray(cv2.resize(gray, (round(w * scale), round(h * scale)),
                                 interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC), np.uint8)
    background = int(np.median(work))  # what the cut-out pads with (once: a median of a page is slow)
    found: list[tuple[int, MrzZone]] = []
    for char_h in _CHAR_HEIGHTS:
        for group in _zones_of(_runs(work, char_h)):
            zone = _cut_lines(gray, group, scale, background)
            if zone is not None:
                found.append((len(zone.lines), zone))
    found.sort(key=lambda t: -t[0])  # three-line groups first: a TD1 seen as two lines is the weaker find
    zones: list[MrzZone] = []
    for _, zone in found:
        if not any(_overlaps(zone, z) for z in zones):
            zones.append(zone)
    return sorted(zones, key=lambda z: (z.centre[1], z.centre[0]))

