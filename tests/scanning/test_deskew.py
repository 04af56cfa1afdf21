"""Deskew: measured skew within 0.3 deg of the truth up to ±15 deg, sign convention, corners filled with paper."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.deskew import deskew, estimate_skew, rotate
from tests import pagegen as pg

CFG = CleanupConfig()
DPI = 200
ANGLES = (0.5, -0.5, 3.0, -3.0, 9.7, -9.7, 15.0, -15.0)


@cache
def text_page(color: bool = False, font: str = pg.FONT_SERIF) -> np.ndarray:
    return pg.render_text_page(dpi=DPI, color=color, font_path=font).image


@pytest.mark.parametrize("angle", ANGLES)
def test_residual_skew_after_correction_is_within_0_3_degrees_gray(angle: float) -> None:
    skewed = pg.skew(text_page(), angle)
    corrected, result = deskew(skewed, CFG, DPI)
    assert abs(result.skew_deg - angle) <= 0.3, result
    # The corrected page measures straight again, and the measurement was trusted.
    assert abs(estimate_skew(corrected, CFG, DPI).skew_deg) <= 0.3
    assert result.confidence > 0.2


@pytest.mark.parametrize("angle", (0.5, -3.0, 9.7, -15.0))
def test_residual_skew_on_noisy_colour_sans_pages(angle: float) -> None:
    skewed = pg.add_noise(pg.skew(text_page(True, pg.FONT_SANS), angle), 10)
    corrected, result = deskew(skewed, CFG, DPI)
    assert abs(result.skew_deg - angle) <= 0.3, result
    assert corrected.shape == skewed.shape and corrected.ndim == 3


@pytest.mark.parametrize("angle", (2.0, -6.0))
def test_blurred_300_dpi_page(angle: float) -> None:
    page = pg.blur(pg.skew(pg.render_text_page(dpi=300, font_pt=10).image, angle), 2.5)
    assert abs(estimate_skew(page, CFG, 300).skew_deg - angle) <= 0.3


def test_sign_convention_counter_clockwise_is_positive() -> None:
    # pagegen.skew(+4) rotates the content counter-clockwise: lines rise to the right.
    assert estimate_skew(pg.skew(text_page(), 4.0), CFG, DPI).skew_deg > 3.5
    assert estimate_skew(pg.skew(text_page(), -4.0), CFG, DPI).skew_deg < -3.5


def test_correction_restores_the_unskewed_page() -> None:
    original = text_page()
    corrected, _ = deskew(pg.skew(original, 6.0), CFG, DPI)
    h, w = original.shape
    core = (slice(h // 8, h // 2), slice(w // 8, w - w // 8))  # the text block, away from cut corners
    diff_corrected = np.abs(corrected[core].astype(int) - original[core].astype(int)).mean()
    diff_skewed = np.abs(pg.skew(original, 6.0)[core].astype(int) - original[core].astype(int)).mean()
    assert diff_corrected < diff_skewed / 3


def test_rotated_in_corners_get_the_paper_colour_not_black() -> None:
    cream = np.minimum(text_page(), 228).astype(np.uint8)  # tinted paper
    skewed = pg.skew(cream, 8.0, fill=228)
    corrected, result = deskew(skewed, CFG, DPI)
    assert abs(result.skew_deg - 8.0) <= 0.3
    for corner in (corrected[:5, :5], corrected[:5, -5:], corrected[-5:, :5], corrected[-5:, -5:]):
        assert abs(float(corner.mean()) - 228) < 6


def test_colour_corners_get_the_paper_colour() -> None:
    page = text_page(True).copy()
    page[(page == 255).all(axis=2)] = (250, 240, 215)  # yellowish paper
    corrected, _ = deskew(pg.skew(page, -5.0, fill=250), CFG, DPI)
    corner = corrected[:4, :4].reshape(-1, 3).mean(axis=0)
    assert abs(corner[2] - 215) < 12 and abs(corner[0] - 250) < 12


def test_input_is_not_modified_and_output_is_a_new_array() -> None:
    skewed = pg.skew(text_page(), 3.0)
    before = skewed.copy()
    corrected, _ = deskew(skewed, CFG, DPI)
    assert np.array_equal(skewed, before)
    assert not np.shares_memory(corrected, skewed)
    straight, result = deskew(text_page(), CFG, DPI)
    assert abs(result.skew_deg) < CFG.min_correction_deg
    assert not np.shares_memory(straight, text_page())


def test_blank_page_has_no_skew_and_no_confidence() -> None:
    result = estimate_skew(pg.add_noise(pg.blank_page(dpi=DPI)), CFG, DPI)
    assert result.skew_deg == 0.0 and result.confidence == 0.0


def test_rotate_expand_keeps_everything() -> None:
    img = np.full((100, 200), 255, np.uint8)
    img[45:55, :] = 0  # a line across the full width
    out = rotate(img, 30.0, 255, expand=True)
    assert out.shape[1] > 200 and out.shape[0] > 100
    assert int((out < 128).sum()) == pytest.approx(int((img < 128).sum()), rel=0.1)


@pytest.mark.parametrize("angle", [-4.0, 2.2])
def test_drawings_and_rules_do_not_pull_the_measurement(angle: float) -> None:
    import cv2

    page = text_page().copy()
    h, w = page.shape
    # A photo-like block with diagonal hatching and a long oblique rule: strong, non-text structure.
    cv2.rectangle(page, (w // 2, h // 2), (w - 150, h - 300), 90, -1)
    for k in range(0, 600, 12):
        cv2.line(page, (w // 2 + k, h // 2), (w // 2, h // 2 + k), 0, 2)
    cv2.line(page, (100, h - 200), (w - 100, h - 320), 0, 3)
    result = estimate_skew(pg.skew(page, angle), CFG, DPI)
    assert abs(result.skew_deg - angle) <= 0.3, result


@pytest.mark.parametrize("turn_cw", [0, 90, 180, 270])
def test_turn_folded_into_the_warp_matches_cv2_rotate_exactly(turn_cw: int) -> None:
    import cv2

    rng = np.random.default_rng(1)
    for shape in ((37, 53), (40, 29, 3)):
        img = rng.integers(0, 256, shape, dtype=np.uint8)
        warped = rotate(img, 0.0, 255, turn_cw=turn_cw, interpolation=cv2.INTER_NEAREST)
        assert np.array_equal(warped, pg.turn(img, turn_cw))
    # And with a skew correction on top, one pass equals turn-then-rotate.
    page = pg.skew(text_page(), 3.0)
    one_pass = rotate(page, -3.0, 255, turn_cw=turn_cw)
    two_pass = rotate(pg.turn(page, turn_cw), -3.0, 255)
    assert one_pass.shape == two_pass.shape
    assert np.abs(one_pass.astype(int) - two_pass.astype(int)).mean() < 1.0
