"""clean_page: crop -> orientation -> deskew -> blank -> quality composed on whole pages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.orientation import detect_orientation
from scanning.cleanup.pipeline import STEPS, clean_page
from scanning.models import CleanPage, Page
from tests import pagegen as pg

CFG = CleanupConfig()
DPI = 200


@cache
def upright(color: bool) -> np.ndarray:
    return pg.render_text_page(dpi=DPI, color=color).image


def scanned(color: bool, fed: int, skew: float, border: bool = True) -> np.ndarray:
    """What a scanner delivers: a skewed sheet, fed turned, noisy, inside a dark lid border."""
    image = pg.add_noise(pg.turn(pg.skew(upright(color), skew), fed), 6)
    return pg.add_dark_border(image, top=50, left=70, bottom=30, right=40) if border else image


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Correlation of two pages' gray levels over their common top-left area, at 1/8 scale (area mean, so a
    shift of a few pixels from the crop's safety margin does not matter)."""
    ga = a if a.ndim == 2 else a.mean(axis=2).astype(np.uint8)
    gb = b if b.ndim == 2 else b.mean(axis=2).astype(np.uint8)
    h, w = min(ga.shape[0], gb.shape[0]) // 8 * 8, min(ga.shape[1], gb.shape[1]) // 8 * 8
    x = cv2.resize(ga[:h, :w], (w // 8, h // 8), interpolation=cv2.INTER_AREA).astype(float).ravel()
    y = cv2.resize(gb[:h, :w], (w // 8, h // 8), interpolation=cv2.INTER_AREA).astype(float).ravel()
    return float(np.corrcoef(x, y)[0, 1])


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize(("fed", "skew"), [(0, 0.0), (90, 3.5), (180, -1.2), (270, -8.0)])
def test_turned_skewed_bordered_page_comes_out_upright_straight_and_cropped(color: bool, fed: int,
                                                                           skew: float) -> None:
    page = Page(scanned(color, fed, skew), DPI, "generated", 1)
    timings: dict[str, float] = {}
    clean = clean_page(page, CFG, timings)
    assert isinstance(clean, CleanPage) and clean.page is page
    assert clean.rotation_applied == (360 - fed) % 360
    assert abs(clean.skew_deg - skew) <= 0.3
    assert not clean.blank
    assert clean.image.ndim == page.image.ndim
    # Cropped back to the sheet (within the safety margin), in upright proportions.
    h, w = upright(color).shape[:2]
    assert abs(clean.image.shape[0] - h) <= 12 and abs(clean.image.shape[1] - w) <= 12
    # Upright and straight: the result reads as the original page did.
    again = detect_orientation(clean.image, CFG, DPI)
    assert again.rotation_cw == 0 and abs(again.skew_deg) <= 0.3
    assert similarity(clean.image, upright(color)) > 0.75
    assert similarity(pg.turn(upright(color), 180), upright(color)) < 0.5  # what a wrong result would score
    expected_skewed = abs(skew) > CFG.quality.max_skew_deg
    assert ("skewed" in clean.quality.issues) == expected_skewed
    assert set(clean.quality.issues) <= {"skewed"}
    assert clean.quality.metrics["border_px"] >= 190 - 8
    assert set(timings) == set(STEPS) and all(v >= 0 for v in timings.values())


def test_input_page_is_never_modified_and_output_does_not_share_memory() -> None:
    image = scanned(False, 180, 2.0)
    before = image.copy()
    clean = clean_page(Page(image, DPI, "generated", 1), CFG)
    assert np.array_equal(image, before)
    assert not np.shares_memory(clean.image, image)
    plain = upright(False)
    untouched = clean_page(Page(plain, DPI, "generated", 2), CFG)
    assert untouched.rotation_applied == 0 and untouched.skew_deg == 0.0
    assert np.array_equal(untouched.image, plain) and not np.shares_memory(untouched.image, plain)


@pytest.mark.parametrize("color", [False, True])
def test_blank_back_side_is_flagged_not_dropped(color: bool) -> None:
    back = pg.add_show_through(pg.add_noise(pg.blank_page(dpi=DPI)), pg.turn(upright(False), 0), 0.15)
    back = pg.add_dark_border(pg.add_punch_holes(back, dpi=DPI))
    image = np.dstack([back] * 3) if color else back
    clean = clean_page(Page(image, DPI, "generated", 2, side="back"), CFG)
    assert clean.blank
    assert clean.rotation_applied == 0  # no text: orientation unknown, not guessed
    assert clean.quality.metrics["orientation_known"] == 0.0
    assert clean.image.size > 0 and clean.quality.metrics["blank_ink_mm2"] < CFG.blank_max_ink_mm2


def test_page_number_only_page_is_kept_as_content() -> None:
    page = pg.render_text_page(["- 12 -"], dpi=DPI, font_pt=10).image
    assert not clean_page(Page(page, DPI, "generated", 3), CFG).blank


def test_quality_flags_come_through_the_pipeline() -> None:
    blurred = clean_page(Page(pg.blur(scanned(False, 0, 5.0, border=False), 2.0), 150, "generated", 4), CFG)
    assert {"blur", "low_dpi", "skewed"} <= set(blurred.quality.issues)
    assert blurred.quality.score <= 100 - 35 - 30 - 10
    unknown_dpi = clean_page(Page(upright(False), None, "generated", 5), CFG)
    assert "low_dpi" not in unknown_dpi.quality.issues and unknown_dpi.quality.metrics["dpi_known"] == 0.0
    assert all(isinstance(v, float) for v in unknown_dpi.quality.metrics.values())


def test_steps_can_be_switched_off() -> None:
    image = scanned(False, 90, 4.0)
    cfg = CleanupConfig(orientation=False, deskew=False, crop=False)
    clean = clean_page(Page(image, DPI, "generated", 1), cfg)
    assert clean.rotation_applied == 0 and clean.skew_deg == 0.0
    assert clean.image.shape == image.shape


def test_tiny_or_odd_images_do_not_crash() -> None:
    for image in (np.zeros((8, 8), np.uint8), np.full((20, 3000), 255, np.uint8), np.zeros((40, 40, 3), np.uint8)):
        clean = clean_page(Page(image, None, "generated", 1), CFG)
        assert 0 <= clean.quality.score <= 100


def render(pdf: Path, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[0].render(scale=dpi / 72).to_pil().convert("RGB"))
    finally:
        doc.close()


@pytest.mark.parametrize(("name", "expected_skew"), [("skew.pdf", -1.8), ("rotated_skew.pdf", 2.7)])
def test_real_skewed_scans(corpora: Path, name: str, expected_skew: float) -> None:
    # skew.pdf's lines fall to the right (clockwise, negative); rotated_skew.pdf's rise (positive).
    clean = clean_page(Page(render(corpora / "ocrmypdf" / name, 150), 150, name, 1), CFG)
    assert clean.rotation_applied == 0
    assert abs(clean.skew_deg - expected_skew) <= 0.3
    assert not clean.blank
    assert abs(detect_orientation(clean.image, CFG, 150).skew_deg) <= 0.3


def test_real_blank_pdf_is_blank(corpora: Path) -> None:
    clean = clean_page(Page(render(corpora / "ocrmypdf" / "blank.pdf", 150), 150, "blank.pdf", 1), CFG)
    assert clean.blank


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("angle", [1.0, -3.0])
def test_sheet_lying_askew_on_a_dark_platen_comes_out_without_dark_wedges(color: bool, angle: float) -> None:
    sheet = upright(color)
    scan = pg.add_noise(pg.skew(pg.add_dark_border(sheet, top=70, left=70, bottom=70, right=70), angle, fill=25), 5)
    clean = clean_page(Page(scan, DPI, "generated", 1), CFG)
    assert abs(clean.skew_deg - angle) <= 0.3
    assert "cut_off" not in clean.quality.issues
    gray = clean.image if clean.image.ndim == 2 else clean.image.mean(axis=2)
    for edge in (gray[:3], gray[-3:], gray[:, :3], gray[:, -3:]):
        assert float((edge < 100).mean()) < 0.02  # no platen left along any edge
    h, w = sheet.shape[:2]
    assert abs(gray.shape[0] - h) <= 15 and abs(gray.shape[1] - w) <= 15  # the sheet, neither more nor less


def test_lineart_page() -> None:
    binary = np.where(pg.skew(pg.turn(upright(False), 180), 2.0) < 128, 0, 255).astype(np.uint8)
    clean = clean_page(Page(binary, DPI, "generated", 1), CFG)
    assert clean.rotation_applied == 180 and abs(clean.skew_deg - 2.0) <= 0.3
    assert not clean.blank and "blur" not in clean.quality.issues
