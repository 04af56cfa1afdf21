"""Helpers shared by the cleanup steps: gray conversion, reduced copies, paper level and ink masks."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.cleanup.config import CleanupConfig
from scanning.models import Image

BoolArray = npt.NDArray[np.bool_]


def to_gray(image: Image) -> Image:
    """Gray view of an image; RGB is converted (a new array), gray is returned as is (not copied)."""
    if image.ndim == 3:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    return image


A4_LONG_SIDE_IN = 297.0 / 25.4


def effective_dpi(dpi: float | None, cfg: CleanupConfig, shape: tuple[int, ...] | None = None) -> float:
    """The page's dpi; when unknown, estimated from its long side as if it were A4 (clamped to 100..600),
    or `cfg.assumed_dpi` without a shape. Only used to size analyses, never reported as the page's dpi."""
    if dpi:
        return float(dpi)
    if shape is not None:
        return float(min(600.0, max(100.0, max(int(shape[0]), int(shape[1])) / A4_LONG_SIDE_IN)))
    return cfg.assumed_dpi


def reduce(gray: Image, scale: float) -> Image:
    """Area-averaged downscale (averaging also suppresses scanner noise); scale >= 1 returns the input."""
    if scale >= 0.999:
        return gray
    h, w = gray.shape[:2]
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


@dataclass(frozen=True, eq=False)
class Analysis:
    """A reduced gray copy of a page and what every step needs from it."""

    gray: Image  # reduced gray image
    dpi: float  # resolution of `gray`
    paper: float  # the page's typical paper level (median of the local paper map)
    ink: BoolArray  # ink mask, same shape as gray

    def mm(self, value_mm: float) -> float:
        """Millimetres in pixels of the reduced image."""
        return value_mm / 25.4 * self.dpi


def percentile_u8(image: Image, q: float, mask: npt.NDArray[np.uint8] | None = None) -> float:
    """The q-th percentile (0..100) of a uint8 image's values (under a 0/non-0 mask), from its histogram:
    a few ms where np.percentile sorts millions of values."""
    hist = cv2.calcHist([image], [0], mask, [256], [0, 256]).ravel()
    total = float(hist.sum())
    if total <= 0:
        return 0.0
    return float(np.searchsorted(np.cumsum(hist), q / 100.0 * total))


def ink_threshold_map(gray: Image, cfg: CleanupConfig) -> tuple[Image, float]:
    """Per-pixel gray level below which a pixel is ink, and the median paper level.

    The local paper level is a max filter over a coarse copy (~40 cells across the short side, ~5 mm on
    A4), so text, holes and stamps vanish from it while uneven lighting is followed. A pixel is ink when
    it is darker than the paper by `ink_min_darkness` and by `ink_relative_darkness` of the paper level.
    """
    h, w = gray.shape
    step = max(1, min(h, w) // 40)
    coarse = cv2.resize(gray, (max(1, w // step), max(1, h // step)), interpolation=cv2.INTER_AREA)
    coarse = cv2.dilate(coarse, np.ones((5, 5), np.uint8))
    paper = cv2.GaussianBlur(coarse, (0, 0), 1.5).astype(np.float32)
    threshold = paper - np.maximum(cfg.ink_min_darkness, cfg.ink_relative_darkness * paper)
    small_map = np.clip(threshold, 0, 255).astype(np.uint8)
    full_map = cv2.resize(small_map, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.asarray(full_map, dtype=np.uint8), float(np.median(paper))


def analysis_of_reduced(small: Image, dpi: float, cfg: CleanupConfig) -> Analysis:
    threshold, paper = ink_threshold_map(small, cfg)
    return Analysis(small, dpi, paper, np.asarray(small < threshold, dtype=np.bool_))


def analyse(gray: Image, dpi: float, cfg: CleanupConfig) -> Analysis:
    """Reduce a full-resolution gray page to `cfg.analysis_dpi` and compute paper level and ink."""
    scale = min(1.0, cfg.analysis_dpi / dpi)
    small = reduce(gray, scale)
    real_scale = small.shape[1] / gray.shape[1]
    return analysis_of_reduced(small, dpi * real_scale, cfg)


def text_like(ink: BoolArray, dpi: float) -> BoolArray:
    """The ink of glyph- and word-sized marks only: drawings, photos, rules and frames (too big) and dust
    (too small) would blur the line profiles. A mark is kept when its long side is at least 0.5 mm, its
    short side at most 20 mm (a large headline letter) and its long side at most 80 mm (a run of touching
    letters)."""
    mm = dpi / 25.4
    _n, labels, stats, _c = cv2.connectedComponentsWithStatsWithAlgorithm(ink.view(np.uint8), 8, cv2.CV_32S,
                                                                          cv2.CCL_GRANA)
    w, h = stats[:, 2], stats[:, 3]
    short, long = np.minimum(w, h), np.maximum(w, h)
    keep = (long >= 0.5 * mm) & (short <= 20 * mm) & (long <= 80 * mm)
    keep[0] = False
    return np.asarray(keep[labels], dtype=np.bool_)


def background_color(image: Image, gray: Image | None = None) -> int | tuple[int, int, int]:
    """The paper colour of a page (for filling rotated-in corners): median of its bright pixels."""
    sample = image[::8, ::8]
    g = np.ascontiguousarray(to_gray(sample) if gray is None else gray[::8, ::8])
    level = percentile_u8(g, 90)
    bright = g >= level - 20
    if image.ndim == 3:
        px = sample[bright]
        if px.size == 0:
            return (255, 255, 255)
        med = np.median(px, axis=0)
        return (int(med[0]), int(med[1]), int(med[2]))
    vals = sample[bright]
    return int(np.median(vals)) if vals.size else 255
