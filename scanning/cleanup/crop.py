"""Crop dark scanner-lid borders and platen background from around the sheet.

Walks inward from each edge of a reduced gray copy while the row (column) is mostly border-dark (much
darker than paper); stops at the first row that is mostly paper. Text rows are never more than ~35% ink,
so content is not taken for border; a cap (`border_max_crop`) stops a dark full-bleed picture from being
eaten. A page without a border is returned whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from scanning.cleanup._common import effective_dpi, percentile_u8, reduce, to_gray
from scanning.cleanup.config import CleanupConfig
from scanning.models import Image


@dataclass(frozen=True)
class CropBox:
    """The kept part of the page, in full-resolution pixels: image[top:bottom, left:right]."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def removed(self, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
        """Pixels removed on the (left, top, right, bottom) sides of an image of `shape`."""
        return self.left, self.top, int(shape[1]) - self.right, int(shape[0]) - self.bottom


def _edge_run(fraction: npt.NDArray[np.float64], min_fraction: float, limit: int) -> int:
    """How many leading entries of `fraction` are border (>= min_fraction), at most `limit`."""
    not_border = np.flatnonzero(fraction[:limit] < min_fraction)
    return int(not_border[0]) if not_border.size else limit


def find_crop(gray_small: Image, scale: float, full_shape: tuple[int, ...], cfg: CleanupConfig,
              dpi: float) -> CropBox:
    """The crop box of a page given a reduced gray copy (`scale` = reduced / full size)."""
    h_full, w_full = int(full_shape[0]), int(full_shape[1])
    paper = percentile_u8(np.ascontiguousarray(gray_small), 90)
    dark_level = min(cfg.border_max_level, 0.5 * paper)
    dark = gray_small < dark_level
    rows = dark.mean(axis=1, dtype=np.float64)
    cols = dark.mean(axis=0, dtype=np.float64)
    h, w = dark.shape
    lim_h, lim_w = int(h * cfg.border_max_crop), int(w * cfg.border_max_crop)
    top = _edge_run(rows, cfg.border_min_fraction, lim_h)
    bottom = _edge_run(rows[::-1], cfg.border_min_fraction, lim_h)
    left = _edge_run(cols, cfg.border_min_fraction, lim_w)
    right = _edge_run(cols[::-1], cfg.border_min_fraction, lim_w)
    safety = cfg.border_safety_mm / 25.4 * dpi  # full-resolution pixels

    def side(n: int, full: int) -> int:
        if n == 0:
            return 0
        return min(math.ceil(n / scale + safety), int(full * cfg.border_max_crop))

    box = CropBox(
        side(left, w_full), side(top, h_full), w_full - side(right, w_full), h_full - side(bottom, h_full)
    )
    if box.width < w_full * 0.2 or box.height < h_full * 0.2:
        return CropBox(0, 0, w_full, h_full)
    return box


def platen_at_edges(gray_small: Image, cfg: CleanupConfig) -> int | None:
    """The gray level of dark scanner background still along the image edges (the wedges beside a sheet
    that lay askew on the platen), or None when the edges are paper.

    The outermost 2-pixel frame is looked at: when more than `platen_edge_fraction` of it is border-dark
    the page has platen showing. Text cut off at an edge darkens far less of the frame."""
    g = np.ascontiguousarray(gray_small)
    paper = percentile_u8(g, 90)
    dark_level = min(cfg.border_max_level, 0.5 * paper)
    frame = np.concatenate([g[:2].ravel(), g[-2:].ravel(), g[:, :2].ravel(), g[:, -2:].ravel()])
    dark = frame[frame < dark_level]
    if dark.size <= cfg.platen_edge_fraction * frame.size:
        return None
    return int(np.median(dark))


def detect_border(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> CropBox:
    """Where the sheet is inside a scan (gray or RGB)."""
    gray = to_gray(image)
    d = effective_dpi(dpi, cfg, image.shape)
    scale = min(1.0, cfg.analysis_dpi / d)
    small = reduce(gray, scale)
    return find_crop(small, small.shape[1] / gray.shape[1], gray.shape, cfg, d)


def crop_borders(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> tuple[Image, CropBox]:
    """The sheet without dark borders (a new array) and the box that was kept."""
    box = detect_border(image, cfg, dpi)
    return image[box.top : box.bottom, box.left : box.right].copy(), box
