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


def scanner_streaks(image: Image, dpi: int, *, count: int = 3, broken: bool = True, seed: int = 5) -> Image:
    """Thin vertical lines along the feed, as dirt on an ADF's glass leaves them: 1-3 px wide at 300 dpi,
    light to mid gray, whole or broken into pieces 8-75 mm long."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    h, w = out.shape[:2]
    scale = dpi / 300
    for _ in range(count):
        x = int(rng.integers(w // 10, w - w // 10))
        width = max(1, round(int(rng.integers(1, 4)) * scale))
        level = int(rng.integers(90, 190))
        y = 0
        while y < h:
            length = h if not broken else round(int(rng.integers(100, 900)) * scale)
            out[y : y + length, x : x + width] = np.minimum(out[y : y + length, x : x + width], level)
            y += length + round(int(rng.integers(20, 300)) * scale)
    return out


@cache
def tiny_lines(dpi: int) -> Image:
    """A few tiny hand-drawn lines on an empty page: a 15 mm signature rule and two 4 mm ticks."""
    page = pg.blank_page(dpi=dpi)
    px = dpi / 25.4
    y, x = round(150 * px), round(60 * px)
    page[y : y + max(1, round(0.3 * px)), x : x + round(15 * px)] = 40
    page[y - round(20 * px) : y - round(16 * px), x : x + max(1, round(0.35 * px))] = 40
    page[y - round(20 * px) : y - round(16 * px), x + round(8 * px) : x + round(8 * px) + max(1, round(0.35 * px))] = 40
    return page


BLANK_CASES: dict[str, Callable[[int], Image]] = {
    "scanner-streaks": lambda dpi: scanner_streaks(pg.add_noise(pg.blank_page(dpi=dpi), 4), dpi),
    "scanner-streaks-whole": lambda dpi: scanner_streaks(pg.blank_page(dpi=dpi), dpi, broken=False),
    "scanner-streaks-dust-blur": lambda dpi: pg.blur(pg.add_speckles(scanner_streaks(
        pg.add_noise(pg.blank_page(dpi=dpi), 6), dpi, count=5, seed=9), 300), 0.8),
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
    "tiny-lines": tiny_lines,
    "page-number-with-streaks": lambda dpi: scanner_streaks(page_number(dpi), dpi, count=4, seed=2),
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
