"""Blank page detection that survives scanner noise, dust, show-through, punch holes and borders.

Ink is what is clearly darker than the local paper level (show-through from the back of thin paper is
not: it is only 15-45 levels dark). Of the ink's connected components, dust specks (smaller than
`blank_min_mark_mm`), scanner streaks (thin vertical lines along the feed, whole or broken), filing holes
(round, 4-9 mm, near an edge) and marks touching the edge band (left-over borders, sheet edges) are not
content. What is left is measured in mm2: below `blank_max_ink_mm2` the page
is blank. A page number alone is ~2.5-6 mm2 of ink, so it keeps the page. The page is flagged, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from scanning.cleanup._common import Analysis, analyse, effective_dpi, to_gray
from scanning.cleanup.config import CleanupConfig
from scanning.models import Image


@dataclass(frozen=True)
class BlankResult:
    blank: bool
    ink_mm2: float  # content ink area after removing dust, holes and edge marks
    ink_fraction: float  # the same as a fraction of the page area
    marks: int  # number of content marks (connected components) kept
    dust: int  # specks ignored
    holes: int  # punch holes ignored


@dataclass(frozen=True)
class Marks:
    """Content ink components of a page (dust, holes and edge marks removed), in reduced pixels."""

    stats: npt.NDArray[np.int32]  # rows of (x, y, w, h, area) as cv2.connectedComponentsWithStats gives
    dust: int
    holes: int
    edge: npt.NDArray[np.int32]  # the components that touch the edge band (not content for blankness)
    labels: npt.NDArray[np.int32]  # component label per pixel (0 = no ink)
    keep: npt.NDArray[np.bool_]  # per label (index 0 = background): is it a content mark?

    def content_mask(self) -> npt.NDArray[np.bool_]:
        """Pixels of content marks only."""
        return np.asarray(self.keep[self.labels], dtype=np.bool_)


def content_marks(analysis: Analysis, cfg: CleanupConfig) -> Marks:
    mask = analysis.ink.astype(np.uint8)
    # BBDT (Grana) labelling: 3x faster here than OpenCV's default choice.
    _n, labels, stats, _centroids = cv2.connectedComponentsWithStatsWithAlgorithm(mask, 8, cv2.CV_32S,
                                                                                  cv2.CCL_GRANA)
    stats = stats[1:].astype(np.int32)
    h, w = mask.shape
    x, y, bw, bh, area = (stats[:, i] for i in range(5))
    min_mark = analysis.mm(cfg.blank_min_mark_mm)
    dust = (bw < min_mark) & (bh < min_mark)
    edge_px = analysis.mm(cfg.blank_edge_mm)
    touches = (x <= edge_px) | (y <= edge_px) | (x + bw >= w - edge_px) | (y + bh >= h - edge_px)
    hole_lo, hole_hi = (analysis.mm(v) for v in cfg.punch_hole_mm)
    near = analysis.mm(cfg.punch_hole_edge_mm)
    roundish = (np.abs(bw - bh) <= 0.25 * np.maximum(bw, bh)) & (bw >= hole_lo) & (bw <= hole_hi)
    fill = area / np.maximum(1, bw * bh)
    near_edge = (x <= near) | (y <= near) | (x + bw >= w - near) | (y + bh >= h - near)
    holes = roundish & (fill > 0.6) & (fill < 0.95) & near_edge & ~dust
    dust = dust | _streaks(np.asarray(stats, np.int32), analysis, cfg)  # not content: counted with the specks
    keep = ~dust & ~holes & ~touches
    keep_lut = np.concatenate([np.zeros(1, dtype=np.bool_), keep])
    return Marks(stats[keep], int(dust.sum()), int(holes.sum()), stats[touches & ~dust & ~holes],
                 np.asarray(labels, dtype=np.int32), keep_lut)


def _streaks(stats: npt.NDArray[np.int32], analysis: Analysis, cfg: CleanupConfig) -> npt.NDArray[np.bool_]:
    """Scanner streaks: thin vertical marks that are long, or that line up in one column with others
    (a faint streak breaks into many short pieces once thresholded) to a long total."""
    x, _, bw, bh = (stats[:, i] for i in range(4))
    max_w = analysis.mm(cfg.streak_max_width_mm)
    min_len = analysis.mm(cfg.streak_min_length_mm)
    thin = (bw <= max_w) & (bh >= 3 * bw) & (bh >= analysis.mm(cfg.blank_min_mark_mm))
    streaks = thin & (bh >= min_len) & (bh >= 8 * bw)
    if not thin.any():
        return streaks
    column = np.floor((x + bw / 2) / max(1.0, max_w)).astype(np.int64)
    totals: dict[int, int] = {}
    for col, height in zip(column[thin].tolist(), bh[thin].tolist(), strict=True):
        for c in (col - 1, col, col + 1):  # a streak may straddle two columns
            totals[c] = totals.get(c, 0) + int(height)
    lined_up = np.array([totals.get(int(c), 0) >= 3 * min_len for c in column.tolist()], dtype=np.bool_)
    return np.asarray(streaks | (thin & lined_up), dtype=np.bool_)


def blank_of_analysis(analysis: Analysis, cfg: CleanupConfig) -> BlankResult:
    return blank_of_marks(content_marks(analysis, cfg), analysis, cfg)


def blank_of_marks(marks: Marks, analysis: Analysis, cfg: CleanupConfig) -> BlankResult:
    px_mm2 = (25.4 / analysis.dpi) ** 2
    ink_px = float(marks.stats[:, 4].sum()) if marks.stats.size else 0.0
    ink_mm2 = ink_px * px_mm2
    page_px = float(analysis.ink.size)
    return BlankResult(
        blank=ink_mm2 < cfg.blank_max_ink_mm2,
        ink_mm2=round(ink_mm2, 3),
        ink_fraction=round(ink_px / page_px, 6),
        marks=int(marks.stats.shape[0]),
        dust=marks.dust,
        holes=marks.holes,
    )


def detect_blank(image: Image, cfg: CleanupConfig, dpi: float | None = None) -> BlankResult:
    """Is this page (gray or RGB, best after border crop) blank?"""
    return blank_of_analysis(analyse(to_gray(image), effective_dpi(dpi, cfg, image.shape), cfg), cfg)
