"""`clean_page`: crop borders -> orientation -> deskew -> blank -> quality, on one captured page.

All analyses run on one reduced gray copy (150 dpi: 1/4 of a 300 dpi page's pixels) made once at the start
and carried through the same geometry as the full-resolution image (crop = slicing; turn and deskew = one
warpAffine, or a cv2.rotate for a turn alone). The full-resolution image is touched only by that geometry
and one final copy. The input page is never modified.

One page runs on one core: the station fans pages out to one process per core. Call `configure_worker()`
in each worker process so OpenCV does not start its own thread pool on top (measured in
tests/benchmarks/bench_cleanup_accuracy.py).
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from dataclasses import replace

import cv2
import numpy as np

from scanning.cleanup._common import (
    Analysis,
    analysis_of_reduced,
    background_color,
    effective_dpi,
    percentile_u8,
    reduce,
    to_gray,
)
from scanning.cleanup.blank import BlankResult, blank_of_marks, content_marks
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.crop import CropBox, find_crop, platen_at_edges
from scanning.cleanup.deskew import rotate, skew_of_text
from scanning.cleanup.orientation import OrientationResult, orientation_of_mask, turn
from scanning.cleanup.quality import quality_of_analysis
from scanning.models import CleanPage, Image, Page, QualityFlag

STEPS = ("reduce", "crop", "orientation", "deskew", "blank", "quality")


def configure_worker() -> None:
    """For a process that cleans one page at a time on one core: keep OpenCV single-threaded."""
    cv2.setNumThreads(1)


class _Clock:
    def __init__(self, timings: MutableMapping[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, step: str) -> None:
        if self.timings is not None:
            now = time.perf_counter()
            self.timings[step] = self.timings.get(step, 0.0) + (now - self.last) * 1000.0
            self.last = now


def clean_page(page: Page, cfg: CleanupConfig, timings: MutableMapping[str, float] | None = None) -> CleanPage:
    """Make a captured page upright, straight and border-free, and judge it.

    `timings`, when given, receives the milliseconds spent per step (keys: STEPS).
    """
    clock = _Clock(timings)
    image = page.image
    if image.ndim not in (2, 3) or min(image.shape[:2]) < 16:
        return _too_small(page, cfg)
    dpi = effective_dpi(page.dpi, cfg, image.shape)
    scale = min(1.0, cfg.analysis_dpi / dpi)
    # Reduce first, then convert to gray: 3x fewer pixels through the colour conversion.
    small = uncropped = to_gray(reduce(image, scale))
    small_dpi = dpi * small.shape[1] / image.shape[1]
    clock.lap("reduce")

    # 1. Crop borders (slicing: no copy of the full-resolution image yet).
    full = image
    box = CropBox(0, 0, image.shape[1], image.shape[0])
    if cfg.crop:
        full, small, box = _crop_both(image, small, dpi, cfg)
    border_px = sum(box.removed(image.shape))
    analysis = analysis_of_reduced(np.ascontiguousarray(small), small_dpi, cfg)
    clock.lap("crop")

    # 2. Orientation (it measures the skew in the upright frame on the way).
    if cfg.orientation:
        orient = orientation_of_mask(analysis.ink, small_dpi, cfg)
    else:
        skew = skew_of_text(analysis.ink, small_dpi, cfg.max_skew_deg)
        orient = OrientationResult(0, 0.0, False, skew.skew_deg, 0, 0.0)
    rotation = orient.rotation_cw if orient.known else 0
    clock.lap("orientation")

    # 3. Deskew. The turn and the skew correction are one warp of the full-resolution image (a turn
    # alone is a cheap cv2.rotate); the same is done to the reduced copy.
    skew_deg = orient.skew_deg if cfg.deskew else 0.0
    correct = cfg.deskew and abs(skew_deg) >= cfg.min_correction_deg
    # A sheet that lay askew on a dark platen leaves dark wedges along the edges (and the crop may have cut
    # its corners). Then the whole scan is straightened with the platen's colour in the corners: the
    # sheet becomes an upright rectangle in a dark frame, which the crop removes exactly.
    platen = platen_at_edges(analysis.gray, cfg) if correct and cfg.crop else None
    if platen is not None:
        full = rotate(image, -skew_deg, _gray_fill(platen, image), turn_cw=rotation)
        small = rotate(uncropped, -skew_deg, platen, turn_cw=rotation)
        before = full.shape
        full, small, second = _crop_both(full, small, dpi, cfg)
        border_px = sum(second.removed(before))
    elif correct:
        full = rotate(full, -skew_deg, background_color(full), turn_cw=rotation)
        small = rotate(analysis.gray, -skew_deg, round(percentile_u8(analysis.gray, 90)), turn_cw=rotation)
    elif rotation:
        full = turn(full, rotation)
        small = turn(analysis.gray, rotation)
    else:
        full = full.copy()  # the cleaned image never shares memory with the captured one
    if rotation or correct:
        analysis = analysis_of_reduced(small, small_dpi, cfg)
    clock.lap("deskew")

    # 4. Blank, 5. quality, on the cleaned page; quality gets the skew measured before correction.
    marks = content_marks(analysis, cfg)
    blank = blank_of_marks(marks, analysis, cfg)
    central_dark = central_dark_fraction(uncropped)
    if blank.blank and central_dark > cfg.blank_guard_dark_fraction:
        blank = replace(blank, blank=False)  # the capture holds ink: never drop it on the steps' word alone
    clock.lap("blank")
    quality = quality_of_analysis(analysis, cfg, page.dpi, skew_deg, marks)
    if cfg.orientation and not orient.known and orient.lines > 0 and not blank.blank:
        # Text whose way up could not be told: left as it came rather than turned on a guess; flagged.
        quality = replace(quality, issues=(*quality.issues, QualityFlag.ORIENTATION_UNCERTAIN),
                          score=max(0, quality.score - cfg.quality.penalty(QualityFlag.ORIENTATION_UNCERTAIN)))
    metrics = dict(quality.metrics)
    metrics.update(_extra_metrics(orient, blank, border_px))
    metrics["central_dark_fraction"] = round(central_dark, 4)
    quality = replace(quality, metrics=metrics)
    clock.lap("quality")
    return CleanPage(
        page=page,
        image=np.ascontiguousarray(full),
        rotation_applied=rotation,
        skew_deg=round(float(skew_deg), 2),
        blank=blank.blank,
        quality=quality,
    )


def central_dark_fraction(gray: Image) -> float:
    """Share of dark (< 128) pixels in the central 70 % (both ways) of a gray image."""
    h, w = gray.shape[:2]
    core = gray[round(h * 0.15) : max(round(h * 0.85), 1), round(w * 0.15) : max(round(w * 0.85), 1)]
    return float(np.count_nonzero(core < 128)) / max(1, core.size)


def _crop_both(full: Image, small: Image, dpi: float, cfg: CleanupConfig) -> tuple[Image, Image, CropBox]:
    """Crop a full-resolution image and its reduced copy alike (slices of both; see crop.find_crop)."""
    scale_y, scale_x = small.shape[0] / full.shape[0], small.shape[1] / full.shape[1]
    box = find_crop(small, scale_x, full.shape, cfg, dpi)
    if (box.left, box.top, box.right, box.bottom) == (0, 0, full.shape[1], full.shape[0]):
        return full, small, box
    top, left = round(box.top * scale_y), round(box.left * scale_x)
    small = small[top : max(top + 1, round(box.bottom * scale_y)), left : max(left + 1, round(box.right * scale_x))]
    return full[box.top : box.bottom, box.left : box.right], np.ascontiguousarray(small), box


def _gray_fill(level: int, image: Image) -> int | tuple[int, int, int]:
    return (level, level, level) if image.ndim == 3 else level


def _extra_metrics(orient: OrientationResult, blank: BlankResult, border_px: int) -> dict[str, float]:
    return {
        "orientation_confidence": float(orient.confidence),
        "orientation_known": 1.0 if orient.known else 0.0,
        "text_lines": float(orient.lines),
        "blank_ink_mm2": float(blank.ink_mm2),
        "blank_ink_fraction": float(blank.ink_fraction),
        "dust_specks": float(blank.dust),
        "punch_holes": float(blank.holes),
        "border_px": float(border_px),  # pixels cropped off the four sides (both crop passes)
    }


def _too_small(page: Page, cfg: CleanupConfig) -> CleanPage:
    gray = to_gray(page.image) if page.image.ndim in (2, 3) else np.zeros((1, 1), np.uint8)
    analysis = Analysis(gray, 1.0, float(gray.max(initial=0)), np.zeros(gray.shape, dtype=np.bool_))
    quality = quality_of_analysis(analysis, cfg, page.dpi, 0.0)
    return CleanPage(page, page.image.copy(), 0, 0.0, True, quality)
