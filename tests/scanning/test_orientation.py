"""Orientation: 0/90/180/270 turns found on generated Vietnamese pages and on real scans (cardinal.pdf)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.orientation import detect_orientation, turn
from scanning.models import CleanPage
from tests import pagegen as pg

CFG = CleanupConfig()
DPI = 150


@cache
def upright(color: bool, font: str) -> np.ndarray:
    return pg.render_text_page(dpi=DPI, color=color, font_path=font).image


def correction(fed_turn_cw: int) -> int:
    """A page fed turned `fed_turn_cw` clockwise needs the rest of the circle to be upright."""
    return (360 - fed_turn_cw) % 360


@pytest.mark.parametrize("fed", [0, 90, 180, 270])
@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("font", [pg.FONT_SERIF, pg.FONT_SANS])
def test_turns_of_clean_pages(fed: int, color: bool, font: str) -> None:
    result = detect_orientation(pg.turn(upright(color, font), fed), CFG, DPI)
    assert result.known
    assert result.rotation_cw == correction(fed)
    assert result.confidence >= 0.5
    assert result.lines >= 15


@pytest.mark.parametrize("fed", [0, 90, 180, 270])
@pytest.mark.parametrize(("skew", "degrade"), [(-2.5, "noise"), (7.0, "blur"), (-13.0, "noise+speckles")])
def test_turns_of_skewed_degraded_pages(fed: int, skew: float, degrade: str) -> None:
    page = pg.skew(upright(fed in (90, 270), pg.FONT_SANS if fed % 180 else pg.FONT_SERIF), skew)
    if "noise" in degrade:
        page = pg.add_noise(page, 10)
    if "speckles" in degrade:
        page = pg.add_speckles(page, 200)
    if degrade == "blur":
        page = pg.blur(page, 1.2)
    result = detect_orientation(pg.turn(page, fed), CFG, DPI)
    assert result.rotation_cw == correction(fed), result
    assert abs(result.skew_deg - skew) <= 0.3  # the skew once upright, measured on the way


def test_upright_after_turning_back() -> None:
    fed = pg.turn(upright(False, pg.FONT_SERIF), 90)
    result = detect_orientation(fed, CFG, DPI)
    fixed = turn(fed, result.rotation_cw)
    assert np.array_equal(fixed, upright(False, pg.FONT_SERIF))


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(lambda: pg.add_noise(pg.blank_page(dpi=DPI)), id="blank"),
        pytest.param(lambda: pg.render_text_page(["Trang 2"], dpi=DPI).image, id="page-number"),
        pytest.param(lambda: pg.render_text_page(["Hồ sơ đã tiếp nhận"], dpi=DPI).image, id="one-line"),
    ],
)
def test_too_little_text_is_unknown_not_a_guess(image) -> None:
    for fed in (0, 180):
        result = detect_orientation(pg.turn(image(), fed), CFG, DPI)
        assert not result.known
        assert result.rotation_cw == 0
        assert result.confidence < 0.5 or result.lines < CFG.orientation_min_lines


def test_a_grid_without_text_is_not_turned() -> None:
    grid = np.full((1754 // 2, 1240 // 2), 255, np.uint8)
    grid[::40, :] = 0
    grid[:, ::40] = 0
    result = detect_orientation(grid, CFG, DPI)
    assert result.rotation_cw == 0


def render(pdf: Path, index: int, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return np.asarray(doc[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L"))
    finally:
        doc.close()


@pytest.mark.parametrize(("index", "expected"), [(0, 0), (1, 270), (2, 180), (3, 90)])
def test_cardinal_pdf_pages_of_a_real_scan(corpora: Path, index: int, expected: int) -> None:
    # cardinal.pdf: the same real scan in the four orientations (page 2 has its top on the right).
    result = detect_orientation(render(corpora / "ocrmypdf" / "cardinal.pdf", index, 150), CFG, 150)
    assert result.known and result.rotation_cw == expected
    assert result.confidence > 0.8


def test_cardinal_pdf_in_colour_at_200_dpi(corpora: Path) -> None:
    gray = render(corpora / "ocrmypdf" / "cardinal.pdf", 1, 200)
    rgb = np.dstack([gray, gray, (gray * 0.9).astype(np.uint8)])
    assert detect_orientation(rgb, CFG, 200).rotation_cw == 270


@pytest.mark.parametrize("fed", [0, 90, 180, 270])
def test_real_book_page_with_a_large_drawing(corpora: Path, fed: int) -> None:
    # c02-22.pdf: a scanned book page, half of it an engraving; only glyph-sized marks vote.
    page = render(corpora / "ocrmypdf" / "c02-22.pdf", 0, 150)
    result = detect_orientation(pg.turn(page, fed), CFG, 150)
    assert result.known and result.rotation_cw == correction(fed)


@pytest.mark.parametrize("fed", [0, 90, 180, 270])
def test_two_big_headline_lines_are_right_or_unknown_never_confidently_wrong(fed: int) -> None:
    page = pg.skew(pg.render_text_page(["THÔNG BÁO", "Lịch tiếp công dân"], dpi=DPI, font_pt=40).image, 2.0)
    result = detect_orientation(pg.turn(page, fed), CFG, DPI)
    assert result.rotation_cw == correction(fed) or not result.known
    assert not result.known or result.lines >= CFG.orientation_min_lines
    # Turned or not, the skew of the lines is measured (a quarter turn does not change it).
    assert abs(result.skew_deg - 2.0) <= 0.3


def _clean(image: np.ndarray, dpi: int) -> CleanPage:
    from scanning.cleanup.pipeline import clean_page
    from scanning.models import Page

    return clean_page(Page(image, dpi, "trang-Giấy-tờ-đất-đai.png", 1), CFG)


@pytest.mark.parametrize("angle", [16.0, -16.0, 19.0])
def test_sheet_fed_crooked_up_to_20_degrees_is_straightened_not_turned(angle: float) -> None:
    page = pg.add_noise(pg.skew(pg.render_text_page(dpi=200).image, angle), 4.0)
    clean = _clean(page, 200)
    assert clean.rotation_applied == 0
    assert abs(clean.skew_deg - angle) < 0.3
    assert "orientation_uncertain" not in clean.quality.issues


def test_skew_beyond_the_search_is_not_turned_on_a_guess() -> None:
    page = pg.add_noise(pg.skew(pg.render_text_page(dpi=200).image, 26.0), 4.0)
    result = detect_orientation(page, CFG, 200)
    assert not result.known and result.rotation_cw == 0


def test_weak_evidence_leaves_the_page_and_flags_it() -> None:
    sparse = pg.render_text_page(["Hồ sơ đã tiếp nhận"], dpi=200).image
    clean = _clean(pg.turn(sparse, 180), 200)
    assert clean.rotation_applied == 0 and not clean.blank
    assert "orientation_uncertain" in clean.quality.issues
    assert clean.quality.score <= 100 - CFG.quality.penalty("orientation_uncertain")
    full = _clean(pg.render_text_page(dpi=200).image, 200)
    assert "orientation_uncertain" not in full.quality.issues
    assert "orientation_uncertain" not in _clean(pg.add_noise(pg.blank_page(dpi=200)), 200).quality.issues
