"""Border crop: dark scanner-lid bands go, the sheet and its content stay; no border, no crop."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.crop import crop_borders, detect_border
from tests import pagegen as pg

CFG = CleanupConfig()
DPI = 200
SAFETY_PX = CFG.border_safety_mm / 25.4 * DPI + 3  # detected edge + safety margin + rounding at 1/4 scale


@cache
def text_page(color: bool = False) -> np.ndarray:
    return pg.render_text_page(dpi=DPI, color=color).image


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("sides", [(60, 80, 40, 50), (0, 120, 0, 0), (25, 0, 90, 10)])
def test_dark_border_is_removed_and_the_sheet_kept(color: bool, sides: tuple[int, int, int, int]) -> None:
    top, left, bottom, right = sides
    page = text_page(color)
    scan = pg.add_dark_border(page, top=top, left=left, bottom=bottom, right=right)
    cropped, box = crop_borders(scan, CFG, DPI)
    for removed, band in zip(box.removed(scan.shape), (left, top, right, bottom), strict=True):
        assert band <= removed <= band + SAFETY_PX  # all of the band, at most the safety margin more
    # No border darkness is left along the edges of the result.
    gray = cropped if cropped.ndim == 2 else cropped.mean(axis=2)
    for edge in (gray[0], gray[-1], gray[:, 0], gray[:, -1]):
        assert float(edge.mean()) > 200
    # Every text pixel of the sheet survived (the text sits inside the 20 mm margins).
    ink_before = int((page < 128).sum())
    ink_after = int((cropped < 128).sum())
    assert ink_after == ink_before


def test_page_without_border_is_not_cropped() -> None:
    for page in (text_page(), text_page(True), pg.add_noise(text_page()), pg.blank_page(dpi=DPI)):
        box = detect_border(page, CFG, DPI)
        assert (box.left, box.top, box.right, box.bottom) == (0, 0, page.shape[1], page.shape[0])


def test_noisy_skewed_sheet_on_gray_platen() -> None:
    sheet = pg.skew(text_page(), 2.0)
    scan = pg.add_noise(pg.add_dark_border(sheet, top=70, left=0, bottom=7, right=150, value=60), 8)
    _, box = crop_borders(scan, CFG, DPI)
    left, top, right, bottom = box.removed(scan.shape)
    assert 70 <= top <= 70 + SAFETY_PX and 150 <= right <= 150 + SAFETY_PX
    assert left == 0
    assert bottom <= 7 + SAFETY_PX


def test_dark_heading_bar_inside_the_page_is_not_border() -> None:
    page = text_page().copy()
    mm = DPI / 25.4
    page[round(5 * mm) : round(15 * mm), round(5 * mm) : -round(5 * mm)] = 10  # a black banner 5 mm from the top
    box = detect_border(page, CFG, DPI)
    assert box.top == 0 and box.left == 0


def test_crop_never_eats_more_than_the_cap() -> None:
    # A page that is dark almost everywhere (a full-bleed dark photo) is not cropped into nothing.
    dark = np.full((800, 600), 30, np.uint8)
    dark[390:410, 290:310] = 250
    box = detect_border(dark, CFG, 100)
    assert box.width >= 600 * (1 - 2 * CFG.border_max_crop) - 1
    assert box.height >= 800 * (1 - 2 * CFG.border_max_crop) - 1


def test_input_untouched_and_result_is_a_copy() -> None:
    scan = pg.add_dark_border(text_page())
    before = scan.copy()
    cropped, _ = crop_borders(scan, CFG, DPI)
    assert np.array_equal(scan, before)
    assert not np.shares_memory(cropped, scan)
