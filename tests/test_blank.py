"""Blank detection: noise, dust, show-through, punch holes and borders keep a page blank; a page number or
one short line makes it not blank. Gray and colour, 200 and 300 dpi."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import numpy as np
import pytest

from scanning.cleanup.blank import detect_blank
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.crop import crop_borders
from tests import pagegen as pg

CFG = CleanupConfig()
Image = np.ndarray


@cache
def back_side(dpi: int) -> Image:
    return pg.render_text_page(dpi=dpi, font_pt=11, line_spacing=1.3).image


@cache
def page_number(dpi: int) -> Image:
    # One digit, 9 pt, centred at the foot of the page: the smallest real content.
    page = pg.blank_page(dpi=dpi)
    mark = pg.render_text_page(["7"], dpi=dpi, size_mm=(20.0, 20.0), margin_mm=5, font_pt=9).image
    h, w = page.shape
    y, x = h - pg.mm_to_px(20, dpi), w // 2
    page[y : y + mark.shape[0], x : x + mark.shape[1]] = np.minimum(page[y : y + mark.shape[0], x : x + mark.shape[1]],
                                                                    mark)
    return page


@cache
def short_line(dpi: int) -> Image:
    return pg.render_text_page(["Trang này để trống."], dpi=dpi, font_pt=11).image


BLANK_CASES: dict[str, Callable[[int], Image]] = {
    "plain": lambda dpi: pg.blank_page(dpi=dpi),
    "gaussian-noise": lambda dpi: pg.add_noise(pg.blank_page(dpi=dpi), 12),
    "dust": lambda dpi: pg.add_speckles(pg.blank_page(dpi=dpi), 500),
    "show-through": lambda dpi: pg.add_show_through(pg.blank_page(dpi=dpi), back_side(dpi), 0.15),
    "strong-show-through": lambda dpi: pg.add_show_through(pg.blank_page(dpi=dpi), back_side(dpi), 0.25),
    "punch-holes": lambda dpi: pg.add_punch_holes(pg.blank_page(dpi=dpi), dpi=dpi),
    "everything": lambda dpi: pg.add_noise(
        pg.add_speckles(pg.add_punch_holes(pg.add_show_through(pg.blank_page(dpi=dpi), back_side(dpi), 0.15),
                                           dpi=dpi), 300), 8),
}

CONTENT_CASES: dict[str, Callable[[int], Image]] = {
    "page-number": page_number,
    "page-number-noisy": lambda dpi: pg.add_noise(pg.add_speckles(pg.add_punch_holes(
        pg.add_show_through(page_number(dpi), back_side(dpi), 0.15), dpi=dpi), 300), 8),
    "one-short-line": short_line,
    "full-text": lambda dpi: pg.render_text_page(dpi=dpi).image,
}


def colour(image: Image) -> Image:
    """The same page as an RGB scan on slightly warm paper."""
    rgb = np.dstack([image, image, image]).astype(np.int16)
    rgb[..., 2] -= 12
    return np.clip(rgb, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("is_color", [False, True])
@pytest.mark.parametrize("case", sorted(BLANK_CASES))
def test_blank_pages_are_blank(case: str, is_color: bool, dpi: int) -> None:
    image = BLANK_CASES[case](dpi)
    result = detect_blank(colour(image) if is_color else image, CFG, dpi)
    assert result.blank, result
    assert result.ink_mm2 < CFG.blank_max_ink_mm2


@pytest.mark.parametrize("dpi", [200, 300])
@pytest.mark.parametrize("is_color", [False, True])
@pytest.mark.parametrize("case", sorted(CONTENT_CASES))
def test_pages_with_content_are_not_blank(case: str, is_color: bool, dpi: int) -> None:
    image = CONTENT_CASES[case](dpi)
    result = detect_blank(colour(image) if is_color else image, CFG, dpi)
    assert not result.blank, result
    assert result.marks >= 1


def test_dust_and_holes_are_counted_not_taken_for_content() -> None:
    result = detect_blank(pg.add_punch_holes(pg.add_speckles(pg.blank_page(dpi=200), 250), dpi=200), CFG, 200)
    assert result.blank
    assert result.holes == 2
    assert result.dust >= 200


@pytest.mark.parametrize("dpi", [200, 300])
def test_blank_sheet_inside_dark_scanner_border(dpi: int) -> None:
    scan = pg.add_dark_border(pg.add_noise(pg.blank_page(dpi=dpi)), top=60, left=80, bottom=40, right=50)
    assert detect_blank(scan, CFG, dpi).blank  # even uncropped: the band touches the edges
    cropped, _ = crop_borders(scan, CFG, dpi)
    assert detect_blank(cropped, CFG, dpi).blank
    with_text = pg.add_dark_border(short_line(dpi))
    assert not detect_blank(with_text, CFG, dpi).blank


def test_ink_metric_grows_with_content() -> None:
    number = detect_blank(page_number(200), CFG, 200)
    line = detect_blank(short_line(200), CFG, 200)
    full = detect_blank(pg.render_text_page(dpi=200).image, CFG, 200)
    assert 0 < number.ink_mm2 < line.ink_mm2 < full.ink_mm2
    assert 0 < number.ink_fraction < full.ink_fraction < 0.2
