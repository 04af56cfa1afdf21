"""Quality flags: each fires on a page degraded that way and not on a clean page; the score follows."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from scanning.cleanup.config import CleanupConfig, QualityThresholds
from scanning.cleanup.quality import assess_quality
from tests import pagegen as pg

CFG = CleanupConfig()
DPI = 200
ALL_FLAGS = {"blur", "low_dpi", "too_dark", "too_light", "low_contrast", "skewed", "cut_off", "orientation_uncertain"}


@cache
def clean(color: bool) -> np.ndarray:
    return pg.render_text_page(dpi=DPI, color=color).image


def darken(image: np.ndarray) -> np.ndarray:
    return (image.astype(np.float32) * 0.45).astype(np.uint8)  # under-exposed: paper ~115


def lighten(image: np.ndarray) -> np.ndarray:
    return (255 - (255 - image.astype(np.float32)) * 0.4).astype(np.uint8)  # over-exposed: ink ~160


def flatten(image: np.ndarray) -> np.ndarray:
    flat = np.clip(150 + (image.astype(np.float32) - 150) * 0.3, 0, 255)
    return np.asarray(flat, dtype=np.uint8)  # gray on gray


def cut(image: np.ndarray) -> np.ndarray:
    h, w = image.shape[:2]
    return image[h // 3 :, w // 3 :].copy()  # sheet half outside the scan area: text runs off the edges


DEGRADED = {
    "blur": lambda im: pg.blur(im, 3.0 * DPI / 300),  # sigma 3 px at 300 dpi
    "too_dark": darken,
    "too_light": lighten,
    "low_contrast": flatten,
    "cut_off": cut,
}


@pytest.mark.parametrize("color", [False, True])
def test_clean_page_has_no_issue_and_full_score(color: bool) -> None:
    q = assess_quality(clean(color), CFG, DPI, skew_deg=0.4)
    assert q.issues == ()
    assert q.score == 100
    assert q.metrics["blur_mm"] < CFG.quality.max_blur_mm
    assert q.metrics["contrast"] > 200
    assert all(isinstance(v, float) for v in q.metrics.values())


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("flag", sorted(DEGRADED))
def test_each_flag_fires_on_its_degradation_only(flag: str, color: bool) -> None:
    q = assess_quality(DEGRADED[flag](clean(color)), CFG, DPI)
    assert flag in q.issues, q
    # The other image flags stay quiet (a too-light page also has low contrast by nature: allowed).
    allowed = {flag} | ({"low_contrast"} if flag == "too_light" else set())
    assert set(q.issues) <= allowed, q
    assert q.score <= 100 - CFG.quality.penalty(flag)


def test_mild_blur_and_noise_do_not_fire() -> None:
    q = assess_quality(pg.add_noise(pg.blur(clean(False), 1.0 * DPI / 300), 8), CFG, DPI)
    assert "blur" not in q.issues, q.metrics
    assert q.score == 100


def test_blur_metric_grows_with_blur_and_is_normalised_for_dpi() -> None:
    values = [assess_quality(pg.blur(clean(False), s), CFG, DPI).metrics["blur_mm"] for s in (0.3, 1.0, 2.0, 3.0)]
    assert values == sorted(values) and values[-1] > values[0] + 0.05
    # The same physical blur (sigma 0.17 mm) measures alike at 200 and 300 dpi.
    at300 = assess_quality(pg.blur(pg.render_text_page(dpi=300).image, 2.0), CFG, 300).metrics["blur_mm"]
    at200 = assess_quality(pg.blur(clean(False), 2.0 * 200 / 300), CFG, 200).metrics["blur_mm"]
    assert abs(at300 - at200) < 0.015


def test_low_dpi_fires_below_200_and_unknown_dpi_is_not_flagged() -> None:
    page = pg.render_text_page(dpi=150).image
    low = assess_quality(page, CFG, 150)
    assert "low_dpi" in low.issues and low.metrics["dpi"] == 150.0
    assert "low_dpi" not in assess_quality(clean(False), CFG, 200).issues
    unknown = assess_quality(page, CFG, None)
    assert "low_dpi" not in unknown.issues
    assert unknown.metrics["dpi_known"] == 0.0 and unknown.metrics["dpi"] == 0.0
    stricter = CleanupConfig(quality=QualityThresholds(min_dpi=300))
    assert "low_dpi" in assess_quality(clean(False), stricter, DPI).issues


def test_skewed_fires_beyond_3_degrees_before_correction() -> None:
    assert "skewed" in assess_quality(clean(False), CFG, DPI, skew_deg=-4.2).issues
    assert "skewed" not in assess_quality(clean(False), CFG, DPI, skew_deg=2.5).issues
    assert assess_quality(clean(False), CFG, DPI, skew_deg=-4.2).metrics["skew_deg"] == 4.2


def test_score_drops_with_each_added_issue() -> None:
    one = assess_quality(darken(clean(False)), CFG, DPI)
    two = assess_quality(darken(pg.blur(clean(False), 2.0)), CFG, DPI, skew_deg=5.0)
    assert set(two.issues) >= {"too_dark", "blur", "skewed"}
    assert 0 <= two.score < one.score < 100


def test_blank_page_raises_no_text_flags() -> None:
    q = assess_quality(pg.add_noise(pg.blank_page(dpi=DPI)), CFG, DPI)
    assert not set(q.issues) & {"blur", "too_light", "low_contrast", "cut_off"}
    assert q.metrics["ink_mm2"] == 0.0


def test_punch_holes_and_dust_do_not_count_as_cut_off_or_ink() -> None:
    q = assess_quality(pg.add_speckles(pg.add_punch_holes(clean(False), dpi=DPI), 200), CFG, DPI)
    assert "cut_off" not in q.issues and q.metrics["ink_level"] < 60


def test_thresholds_are_configurable() -> None:
    lenient = CleanupConfig(quality=QualityThresholds(too_dark_paper=100.0, max_blur_mm=0.5))
    assert "too_dark" not in assess_quality(darken(clean(False)), lenient, DPI).issues
    assert "blur" not in assess_quality(pg.blur(clean(False), 2.0), lenient, DPI).issues
    assert set(dict(CFG.quality.penalties)) == ALL_FLAGS


def test_sharp_page_scanned_at_100_dpi_is_low_dpi_not_blur() -> None:
    q = assess_quality(pg.render_text_page(dpi=100).image, CFG, 100)
    assert "low_dpi" in q.issues and "blur" not in q.issues
    assert q.metrics["blur_limit_mm"] > CFG.quality.max_blur_mm
    blurred = assess_quality(pg.blur(pg.render_text_page(dpi=100).image, 1.5), CFG, 100)
    assert "blur" in blurred.issues


def _remap(image: np.ndarray, paper: float, ink: float) -> np.ndarray:
    """The page with white mapped to `paper` and black to `ink` (exposure and contrast of a poor scan)."""
    return np.asarray(np.clip(ink + (paper - ink) * image.astype(np.float32) / 255.0, 0, 255), dtype=np.uint8)


@pytest.mark.parametrize(
    ("paper", "ink", "expected"),
    [
        (160, 15, {"too_dark"}),  # dim gray page, black text: a reader squints
        (150, 25, {"too_dark"}),
        (130, 70, {"too_dark", "low_contrast"}),
        (180, 100, {"low_contrast"}),
        (220, 150, {"too_light", "low_contrast"}),  # a faded copy: its print is too faint to pass as ink
        (240, 170, {"too_light", "low_contrast"}),
    ],
)
def test_dark_and_low_contrast_pages_are_flagged(paper: float, ink: float, expected: set[str]) -> None:
    q = assess_quality(_remap(clean(False), paper, ink), CFG, DPI)
    assert set(q.issues) == expected, q.metrics


@pytest.mark.parametrize(("paper", "ink"), [(235, 20), (200, 30), (172, 45)])
def test_cream_pastel_and_gray_paper_with_dark_print_are_not_flagged(paper: float, ink: float) -> None:
    assert assess_quality(_remap(clean(True), paper, ink), CFG, DPI).issues == ()
