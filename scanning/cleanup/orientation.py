"""Orientation: was the page fed turned by 90, 180 or 270 degrees?

``rotation_cw`` is the clockwise turn that makes the input upright (what `station inspect` reports as
``rotation_applied``): a page that arrived turned 90 degrees clockwise needs 270.

Two cheap tests on the glyph-sized marks of the 150 dpi ink mask (drawings, photos, rules and dust left
out), ~20-30 ms of one core in all where Tesseract OSD takes 250-500 ms on the same page:
1. Line direction: the projection-profile search of deskew.py runs on the mask and on the mask turned a
   quarter; text lines give a far sharper profile across them than along them. This decides 0/180
   versus 90/270 and measures the skew on the way.
2. Up or down: in the straightened candidate, every text line's profile has a dense core (x-height band).
   Latin script puts far more ink above the core than below it (ascenders b d f h k l t, capitals, digits
   versus descenders g j p q y), and Vietnamese adds its diacritics (á à ả ã, â ê ô, ơ ư, stacked ấ ầ ẩ ẫ)
   above; only the dot of nặng sits below. Ink above minus ink below, summed over the lines, gives the
   sign; its size gives the confidence.
Pages with too few text lines or an undecided vote are reported as rotation 0 with low confidence: the
page is left as it came rather than turned on a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.cleanup._common import BoolArray, analyse, effective_dpi, text_like, to_gray
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.deskew import MIN_POINTS, InkPoints, coarse_skew, refine_skew
from scanning.models import Image


@dataclass(frozen=True)
class OrientationResult:
    rotation_cw: int  # clockwise degrees to turn the input upright: 0, 90, 180, 270 (0 when unknown)
    confidence: float  # 0..1; below cfg.orientation_min_confidence the page is not turned
    known: bool  # False: too little text or an undecided vote; rotation_cw is then 0
    skew_deg: float  # skew of the content once upright (positive = counter-clockwise)
    lines: int  # text lines that voted
    vote: float  # (ink above - ink below) / total, signed, in the chosen candidate frame


def _line_runs(profile: npt.NDArray[np.float64], min_height: int, max_height: int) -> list[tuple[int, int]]:
    """Row ranges [a, b) of text lines: runs of the row profile above a small fraction of its peak level."""
    positive = profile[profile > 0]
    if positive.size == 0:
        return []
    level = 0.08 * float(np.percentile(positive, 95))
    on = np.concatenate([[False], profile > level, [False]])
    edges = np.flatnonzero(on[1:] != on[:-1])
    runs = []
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        if min_height <= b - a <= max_height:
            runs.append((int(a), int(b)))
    return runs


def up_down_vote(profile: npt.NDArray[np.float64], dpi: float) -> tuple[float, int]:
    """Signed (ink above core - ink below core) / ink outside the core, over the text lines of the row
    profile of straight, horizontal text. Positive: upright; negative: upside down.
    Returns (vote, number of lines)."""
    mm = dpi / 25.4
    runs = _line_runs(profile, max(3, round(1.2 * mm)), round(15 * mm))
    above_total = below_total = 0.0
    lines = 0
    for a, b in runs:
        seg = profile[a:b]
        dense = np.flatnonzero(seg >= 0.5 * float(seg.max()))
        # The core band (x-height): from the first to the last dense row. Sans-serif letters thin out in
        # the middle of the band (stems only), so the band is not required to be contiguous.
        top, bottom = int(dense[0]), int(dense[-1])
        above = float(seg[:top].sum())
        below = float(seg[bottom + 1 :].sum())
        if above + below <= 0:
            continue
        above_total += above
        below_total += below
        lines += 1
    outside = above_total + below_total
    if outside <= 0:
        return 0.0, lines
    return (above_total - below_total) / outside, lines


def orientation_of_mask(ink: BoolArray, dpi: float, cfg: CleanupConfig) -> OrientationResult:
    """Orientation from an ink mask at `dpi` (see module docstring)."""
    points = InkPoints.of(text_like(ink, dpi))
    if points.sample_ys.size < MIN_POINTS:  # no glyph-sized marks: all the ink (for the skew at least)
        points = InkPoints.of(ink)
    turned = points.turned()  # the page turned 90 degrees clockwise
    coarse_h = coarse_skew(points, cfg.max_skew_deg)
    coarse_v = coarse_skew(turned, cfg.max_skew_deg)
    if coarse_v.peak > coarse_h.peak:
        base, chosen, coarse = 90, turned, coarse_v
        axis_ratio = coarse_v.peak / max(coarse_h.peak, 1e-6)
    else:
        base, chosen, coarse = 0, points, coarse_h
        axis_ratio = coarse_h.peak / max(coarse_v.peak, 1e-6)
    skew = refine_skew(chosen, coarse, cfg.max_skew_deg)
    # The row profile of the straightened candidate, straight from the projected points (no warp).
    vote, lines = up_down_vote(chosen.profile(skew.skew_deg), dpi)
    rotation = base if vote >= 0 else (base + 180) % 360
    # Confidence: the up/down vote (0.3 is already a clear margin on text) times how clearly the lines
    # run one way (a sharpness ratio of 1.3+ is unambiguous; square tables or pictures come near 1).
    # A handful of lines is a thin basis: below 8 lines the confidence shrinks in proportion.
    vote_conf = min(1.0, abs(vote) / 0.3)
    axis_conf = min(1.0, max(0.0, (axis_ratio - 1.0) / 0.3))
    confidence = round(vote_conf * axis_conf * min(1.0, lines / 8), 3)
    # A skew found at the edge of the search is no skew measurement at all (a sheet turned further, or no
    # text lines): the profiles the vote reads are not straight, so the page is not turned on them.
    at_bound = abs(skew.skew_deg) >= cfg.max_skew_deg - 0.5
    known = lines >= cfg.orientation_min_lines and confidence >= cfg.orientation_min_confidence and not at_bound
    if not known:
        # The page is not turned. The skew stays valid: a quarter turn does not change the angle by which
        # the lines (horizontal or vertical) are rotated.
        return OrientationResult(0, confidence, False, skew.skew_deg, lines, round(vote, 4))
    return OrientationResult(rotation, confidence, True, skew.skew_deg, lines, round(vote, 4))


def detect_orientation(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> OrientationResult:
    """Clockwise turn (0/90/180/270) that makes a page upright, with a confidence (gray or RGB, any dpi)."""
    analysis = analyse(to_gray(image), effective_dpi(dpi, cfg, image.shape), cfg)
    return orientation_of_mask(analysis.ink, analysis.dpi, cfg)


def turn(image: Image, rotation_cw: int) -> Image:
    """Turn an image clockwise by a multiple of 90 degrees (a new array)."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    r = rotation_cw % 360
    if r == 0:
        return image.copy()
    return np.ascontiguousarray(cv2.rotate(image, codes[r]), dtype=np.uint8)
