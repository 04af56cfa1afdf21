"""Deskew: measure the small rotation of a page's content and undo it.

Sign convention (issue 2, `station inspect`): ``skew_deg`` > 0 means the content is rotated
counter-clockwise (text lines rise to the right, as ``tests.pagegen.skew(image, +4)`` makes them); the
correction rotates the page by ``-skew_deg``.

Method: projection-profile search on the ink pixels of a reduced (150 dpi) copy. For a candidate angle
every ink pixel is projected onto the axis perpendicular to the text lines; when the angle matches the
skew, the lines collapse into narrow, tall peaks and the sum of squared bin counts is largest. The
search is coarse-to-fine (1 deg, 0.1 deg, 0.02 deg steps, then a parabola through the best three), on at
most ~50 000 sampled pixels, so it costs ~10-20 ms whatever the page size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.cleanup._common import BoolArray, analyse, background_color, effective_dpi, text_like, to_gray
from scanning.cleanup.config import CleanupConfig
from scanning.models import Image

MAX_POINTS = 30_000
MIN_POINTS = 200


@dataclass(frozen=True)
class SkewResult:
    skew_deg: float  # positive = content rotated counter-clockwise
    confidence: float  # 0..1: how much sharper the profile is at the found angle than on average
    sharpness: float  # profile sharpness at the found angle (1 = ink spread evenly over the page height)


@dataclass(frozen=True, eq=False)
class InkPoints:
    """Coordinates of a mask's ink pixels (all of them, and a sample of at most MAX_POINTS)."""

    ys: npt.NDArray[np.float64]
    xs: npt.NDArray[np.float64]
    sample_ys: npt.NDArray[np.float64]
    sample_xs: npt.NDArray[np.float64]
    shape: tuple[int, int]

    @classmethod
    def of(cls, mask: BoolArray) -> InkPoints:
        ys_i, xs_i = np.nonzero(mask)
        ys, xs = ys_i.astype(np.float64), xs_i.astype(np.float64)
        stride = max(1, math.ceil(ys.size / MAX_POINTS))
        return cls(ys, xs, ys[::stride], xs[::stride], (int(mask.shape[0]), int(mask.shape[1])))

    def turned(self) -> InkPoints:
        """The same points on the page turned 90 degrees clockwise (np.rot90(mask, -1))."""
        h = self.shape[0]
        return InkPoints(self.xs, h - 1 - self.ys, self.sample_xs, h - 1 - self.sample_ys,
                         (self.shape[1], self.shape[0]))

    def profile(self, deg: float) -> npt.NDArray[np.float64]:
        """Row profile (ink count per 1 px row) of all points once the content is turned by -deg."""
        theta = math.radians(deg)
        proj = self.ys * math.cos(theta) + self.xs * math.sin(theta)
        if proj.size == 0:
            return np.zeros(0, np.float64)
        proj -= proj.min()
        return np.bincount(proj.astype(np.int64)).astype(np.float64)


def _sharpness(points: InkPoints, deg: float, binsize: float) -> float:
    ys, xs = points.sample_ys, points.sample_xs
    theta = math.radians(deg)
    proj = ys * math.cos(theta) + xs * math.sin(theta)
    proj -= proj.min()
    counts = np.bincount((proj / binsize).astype(np.int64)).astype(np.float64)
    n = float(ys.size)
    # Sum of squares relative to ink spread evenly over the page's height: 1 = no structure. (Relative
    # to the page, not to the ink's own extent, so that one line of text on an empty page reads as sharp
    # across the line, and values compare between angles and between the two axes.)
    extent = points.shape[0] / binsize
    return float(np.dot(counts, counts) * extent / (n * n))


@dataclass(frozen=True)
class CoarseSkew:
    deg: float  # best angle on the 1-degree grid
    peak: float  # sharpness there (2 px bins)
    mean: float  # mean sharpness over the grid


def coarse_skew(points: InkPoints, max_deg: float) -> CoarseSkew:
    if points.sample_ys.size < MIN_POINTS:
        return CoarseSkew(0.0, 1.0, 1.0)
    grid = np.arange(-max_deg, max_deg + 0.5, 1.0)
    scores = [_sharpness(points, float(a), 2.0) for a in grid]
    i = int(np.argmax(scores))
    return CoarseSkew(float(grid[i]), float(scores[i]), float(np.mean(scores)))


def refine_skew(points: InkPoints, coarse: CoarseSkew, max_deg: float) -> SkewResult:
    if points.sample_ys.size < MIN_POINTS:
        return SkewResult(0.0, 0.0, 1.0)
    best = coarse.deg
    for step, span in ((0.1, 1.0), (0.02, 0.1)):
        grid = np.arange(best - span, best + span + step / 2, step)
        fine = [_sharpness(points, float(a), 1.0) for a in grid]
        best = float(grid[int(np.argmax(fine))])
    # Parabolic interpolation through the best fine step and its neighbours.
    s_minus, s0, s_plus = (_sharpness(points, best + d, 1.0) for d in (-0.02, 0.0, 0.02))
    denom = s_minus - 2 * s0 + s_plus
    if denom < 0:
        best += 0.02 * 0.5 * (s_minus - s_plus) / denom
    best = max(-max_deg, min(max_deg, best))
    confidence = max(0.0, min(1.0, 1.0 - coarse.mean / coarse.peak)) if coarse.peak > 0 else 0.0
    return SkewResult(round(best, 3), round(confidence, 3), round(s0, 3))


def skew_of_points(points: InkPoints, max_deg: float = 15.0) -> SkewResult:
    return refine_skew(points, coarse_skew(points, max_deg), max_deg)


def skew_of_mask(mask: BoolArray, max_deg: float = 15.0) -> SkewResult:
    """Skew of the text lines in an ink mask, lines assumed roughly horizontal (within ±max_deg)."""
    return skew_of_points(InkPoints.of(mask), max_deg)


def skew_of_text(ink: BoolArray, dpi: float, max_deg: float = 15.0) -> SkewResult:
    """Skew measured on the glyph-sized marks of an ink mask (drawings, rules and dust left out), or on
    all the ink when there are too few of those."""
    points = InkPoints.of(text_like(ink, dpi))
    if points.sample_ys.size < MIN_POINTS:
        points = InkPoints.of(ink)
    return skew_of_points(points, max_deg)


def estimate_skew(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> SkewResult:
    """Skew of an upright page (gray or RGB, any resolution)."""
    analysis = analyse(to_gray(image), effective_dpi(dpi, cfg, image.shape), cfg)
    return skew_of_text(analysis.ink, analysis.dpi, cfg.max_skew_deg)


def _turn_matrix(turn_cw: int, w: int, h: int) -> tuple[npt.NDArray[np.float64], int, int]:
    """3x3 matrix taking source pixel coordinates to those of the image turned `turn_cw` degrees clockwise
    (exactly as cv2.rotate does), and the turned size (width, height)."""
    r = turn_cw % 360
    if r == 90:
        return np.array([[0.0, -1.0, h - 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]), h, w
    if r == 180:
        return np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0], [0.0, 0.0, 1.0]]), w, h
    if r == 270:
        return np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, w - 1.0], [0.0, 0.0, 1.0]]), h, w
    return np.eye(3), w, h


def rotate(
    image: Image,
    angle_deg: float,
    fill: int | tuple[int, int, int],
    *,
    turn_cw: int = 0,
    expand: bool = False,
    interpolation: int = cv2.INTER_LINEAR,
) -> Image:
    """Rotate the content counter-clockwise by `angle_deg` about the centre (cv2's convention), after
    turning it `turn_cw` degrees clockwise (0/90/180/270) — both in one resampling pass.

    The (turned) page keeps its size unless `expand`; uncovered corners get `fill` (the paper colour).
    """
    h, w = image.shape[:2]
    turn, tw, th = _turn_matrix(turn_cw, w, h)
    rot = np.vstack([cv2.getRotationMatrix2D((tw / 2.0, th / 2.0), angle_deg, 1.0), [0.0, 0.0, 1.0]])
    out_w, out_h = tw, th
    if expand:
        c, s = abs(rot[0, 0]), abs(rot[0, 1])
        out_w, out_h = round(th * s + tw * c), round(th * c + tw * s)
        rot[0, 2] += (out_w - tw) / 2.0
        rot[1, 2] += (out_h - th) / 2.0
    matrix = (rot @ turn)[:2]
    border: tuple[int, int, int] | int
    if image.ndim == 3:
        border = fill if isinstance(fill, tuple) else (fill, fill, fill)
    else:
        border = fill if isinstance(fill, int) else round(sum(fill) / 3)
    rotated = cv2.warpAffine(
        image, matrix, (out_w, out_h), flags=interpolation, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )
    return np.asarray(rotated, dtype=np.uint8)


def deskew(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> tuple[Image, SkewResult]:
    """Measure the skew of an upright page and rotate it straight (a new array; the input is untouched).

    Returns the corrected image and the measured skew (before correction).
    """
    result = estimate_skew(image, cfg, dpi)
    if abs(result.skew_deg) < cfg.min_correction_deg:
        return image.copy(), result
    return rotate(image, -result.skew_deg, background_color(image)), result
