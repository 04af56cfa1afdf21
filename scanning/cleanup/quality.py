"""Per-page quality metrics, flags and a 0-100 score (thresholds: config.QualityThresholds).

Metrics (all floats, physical units so they mean the same at any resolution):
- ``dpi`` / ``dpi_known``: the page's stated resolution (0 and 0 when the file does not say).
- ``paper_level`` / ``ink_level`` / ``contrast``: median paper gray, darkest-text gray (5th percentile of
  content ink), and their difference; ``mean_level`` of the whole page.
- ``blur_mm``: estimated edge spread of the text, as the sigma (mm) of the Gaussian blur that would give
  the measured steepest edges: for a blurred step edge of height C the steepest gradient is
  C / (sqrt(2 pi) sigma). Measured on the 150 dpi analysis copy, so it is normalised for dpi;
  ``blur_limit_mm`` is the threshold applied (raised for pages scanned below 150 dpi).
- ``skew_deg``: absolute content skew before correction.
- ``edge_ink_mm2``: content ink within ``cut_off_margin_mm`` of an edge of the cleaned page.
- ``ink_mm2``: content ink area (see blank.py).
Flags: blur, low_dpi, too_dark, too_light, low_contrast, skewed, cut_off. Text-dependent flags (blur,
too_light, low_contrast, cut_off) are not raised on pages without content; print too faint to pass as
ink (a faded copy) still counts as content for too_light and low_contrast.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np
import numpy.typing as npt

from scanning.cleanup._common import Analysis, analyse, effective_dpi, percentile_u8, text_like, to_gray
from scanning.cleanup.blank import Marks, content_marks
from scanning.cleanup.config import CleanupConfig
from scanning.models import Image, Quality, QualityFlag

MIN_INK_PX = 30  # fewer content-ink pixels than this: no text to measure blur/contrast on


BLUR_BANDS = 12  # horizontal bands of the text area measured for blur...
BLUR_BAND_MM = 8.0  # ...each this tall: ~1/3 of a page's text area, at a third of the cost


def _blur_mm(analysis: Analysis, content: npt.NDArray[np.bool_]) -> float:
    """Edge spread of the text: sigma of the Gaussian blur that explains the steepest edges.

    Each edge pixel's gradient is divided by its local contrast (max - min in a 7x7 window), so faint
    and dark print, stamps and text measure alike; the 90th percentile stands for the sharpest edges.
    Measured on evenly spaced bands across the rows that hold content.
    """
    rows = np.flatnonzero(content.any(axis=1))
    if rows.size == 0:
        return 0.0
    band = max(16, round(analysis.mm(BLUR_BAND_MM)))
    top, bottom = int(rows[0]), int(rows[-1]) + 1
    if bottom - top <= band * BLUR_BANDS:
        starts = list(range(top, bottom, band))
    else:
        starts = [round(v) for v in np.linspace(top, bottom - band, BLUR_BANDS)]
    kernel = np.ones((7, 7), np.uint8)
    ratios = []
    for y0 in starts:
        y1 = min(bottom, y0 + band)
        a, b = max(0, y0 - 3), min(analysis.gray.shape[0], y1 + 3)  # context for the 7x7 window
        gray = analysis.gray[a:b]
        g = gray.astype(np.float32)
        mag = cv2.magnitude(cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3), cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3))
        mag = np.asarray(mag, dtype=np.float32) / 8.0  # Sobel 3x3 weighs the central difference by 8
        local_range = cv2.dilate(gray, kernel).astype(np.float32) - cv2.erode(gray, kernel).astype(np.float32)
        near = cv2.dilate(analysis.ink[a:b].astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        select = near & (local_range >= 40.0) & (mag > 0.15 * local_range)
        select[: y0 - a] = False
        select[y1 - a :] = False
        ratios.append(mag[select] / local_range[select])
    values = np.concatenate(ratios) if ratios else np.zeros(0, np.float32)
    if values.size < MIN_INK_PX:
        return 0.0
    steepness = float(np.percentile(values, 90))
    sigma_px = 1.0 / (math.sqrt(2 * math.pi) * max(steepness, 1e-3))
    return sigma_px * 25.4 / analysis.dpi


def _edge_ink_mm2(analysis: Analysis, marks: Marks, margin_mm: float) -> float:
    """Area of the marks (not dust, not holes) that reach within `margin_mm` of an edge of the page.

    Long straight remnants of a scanner border (longer than half the side) are not content.
    """
    if marks.edge.size == 0:
        return 0.0
    h, w = analysis.ink.shape
    m = analysis.mm(margin_mm)
    x, y, bw, bh, area = (marks.edge[:, i] for i in range(5))
    reaches = (x <= m) | (y <= m) | (x + bw >= w - m) | (y + bh >= h - m)
    long_line = (bw > 0.5 * w) | (bh > 0.5 * h)
    return float(area[reaches & ~long_line].sum()) * (25.4 / analysis.dpi) ** 2


def _faint_print(analysis: Analysis, cfg: CleanupConfig) -> float | None:
    """The ink level of print too faint for the ink mask (glyph-sized marks at least
    `faint_ink_darkness` under the paper, covering `faint_min_mm2`; dust, streaks, holes and edge marks
    removed as for blank detection), or None when there is none."""
    t = cfg.quality
    mask = np.asarray(analysis.gray < analysis.paper - t.faint_ink_darkness, dtype=np.bool_)
    faint = replace(analysis, ink=mask)
    glyphs = text_like(content_marks(faint, cfg).content_mask(), analysis.dpi)
    area_mm2 = float(np.count_nonzero(glyphs)) * (25.4 / analysis.dpi) ** 2
    if area_mm2 < t.faint_min_mm2:
        return None
    return percentile_u8(analysis.gray, 5, glyphs.view(np.uint8))


def quality_of_analysis(
    analysis: Analysis,
    cfg: CleanupConfig,
    dpi: float | None,
    skew_deg: float = 0.0,
    marks: Marks | None = None,
) -> Quality:
    t = cfg.quality
    marks = content_marks(analysis, cfg) if marks is None else marks
    gray = analysis.gray
    paper = analysis.paper
    # Only content marks count as ink for contrast (holes, dust and borders are not print).
    content = marks.content_mask()
    ink_px = int(marks.stats[:, 4].sum()) if marks.stats.size else 0
    has_text = ink_px >= MIN_INK_PX
    ink_level = percentile_u8(gray, 5, content.view(np.uint8)) if has_text else paper
    if not has_text:
        faint = _faint_print(analysis, cfg)
        if faint is not None:  # print too faint to pass as ink: its contrast is what a reader sees
            has_text, ink_level = True, faint
    contrast = paper - ink_level
    metrics: dict[str, float] = {
        "dpi": float(dpi or 0),
        "dpi_known": 1.0 if dpi else 0.0,
        "paper_level": round(paper, 1),
        "ink_level": round(ink_level, 1),
        "contrast": round(contrast, 1),
        "mean_level": round(float(gray.mean()), 1),
        "blur_mm": round(_blur_mm(analysis, content), 4) if has_text else 0.0,
        "skew_deg": round(abs(skew_deg), 3),
        "edge_ink_mm2": round(_edge_ink_mm2(analysis, marks, t.cut_off_margin_mm), 2),
        "ink_mm2": round(float(marks.stats[:, 4].sum()) * (25.4 / analysis.dpi) ** 2, 2) if has_text else 0.0,
    }
    issues: list[str] = []
    # Below the analysis resolution (a page scanned at < 150 dpi) pixels alone spread edges further: the
    # limit grows in proportion, so blur means blur and low resolution is `low_dpi`'s business.
    blur_limit = t.max_blur_mm * max(1.0, cfg.analysis_dpi / analysis.dpi)
    metrics["blur_limit_mm"] = round(blur_limit, 4)
    if has_text and metrics["blur_mm"] > blur_limit:
        issues.append(QualityFlag.BLUR)
    if dpi and dpi < t.min_dpi:
        issues.append(QualityFlag.LOW_DPI)
    if paper < t.too_dark_paper:
        issues.append(QualityFlag.TOO_DARK)
    if has_text and ink_level > t.too_light_ink:
        issues.append(QualityFlag.TOO_LIGHT)
    if has_text and contrast < t.min_contrast:
        issues.append(QualityFlag.LOW_CONTRAST)
    if abs(skew_deg) > t.max_skew_deg:
        issues.append(QualityFlag.SKEWED)
    if has_text and metrics["edge_ink_mm2"] >= t.cut_off_min_ink_mm2:
        issues.append(QualityFlag.CUT_OFF)
    score = max(0, 100 - sum(t.penalty(i) for i in issues))
    return Quality(score=score, issues=tuple(issues), metrics=metrics)


def assess_quality(image: Image, cfg: CleanupConfig, dpi: float | None = None, skew_deg: float = 0.0) -> Quality:
    """Quality of a (cleaned) page. `skew_deg` is the skew measured before correction, if any."""
    analysis = analyse(to_gray(image), effective_dpi(dpi, cfg, image.shape), cfg)
    return quality_of_analysis(analysis, cfg, dpi, skew_deg)
