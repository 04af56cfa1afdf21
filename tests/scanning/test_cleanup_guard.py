"""The blank safety net: a capture that holds real ink is never called blank, whatever the steps concluded
(a blank page is excluded from the dossier, so a false "blank" would lose a page)."""

from __future__ import annotations

import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import clean_page
from scanning.models import Page
from tests import pagegen

DPI = 200


def checkerboard(square_px: int = 79) -> np.ndarray:
    page = pagegen.blank_page(dpi=DPI, value=255)
    yy, xx = np.mgrid[0 : page.shape[0], 0 : page.shape[1]]
    page[((yy // square_px + xx // square_px) % 2) == 0] = 0
    return page


def test_a_half_black_pattern_is_not_blank() -> None:
    """A full-page pattern defeats the border and mark analysis (found with SANE's Grid test picture)."""
    cleaned = clean_page(Page(checkerboard(), DPI, "grid", 1), CleanupConfig())
    assert cleaned.blank is False
    assert cleaned.quality.metrics["central_dark_fraction"] == pytest.approx(0.5, abs=0.05)
    assert float(np.std(cleaned.image)) > 100  # and the pattern is still in the cleaned image


@pytest.mark.parametrize("variant", ["noise", "show-through", "punch-holes"])
def test_the_guard_leaves_true_blank_pages_blank(variant: str) -> None:
    page = pagegen.add_noise(pagegen.blank_page(dpi=DPI), 8.0, seed=3)
    if variant == "show-through":
        back = pagegen.render_text_page(pagegen.VIETNAMESE_LINES, dpi=DPI).image
        page = pagegen.add_show_through(page, back, 0.12)
    elif variant == "punch-holes":
        page = pagegen.add_punch_holes(page, dpi=DPI)
    cleaned = clean_page(Page(page, DPI, variant, 1), CleanupConfig())
    assert cleaned.blank is True
    assert cleaned.quality.metrics["central_dark_fraction"] < CleanupConfig().blank_guard_dark_fraction
