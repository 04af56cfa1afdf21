"""Every threshold of page cleanup and quality, declared once with its default and its meaning.

Defaults are tuned for office documents scanned at 300 dpi (gray or colour) and checked on the generated
pages of tests/pagegen.py and on real scans (OCRmyPDF's test corpus). Distances are in millimetres or
degrees, never in pixels, so they hold at any resolution; gray levels are 0 (black) .. 255 (white).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scanning.models import QualityFlag


@dataclass(frozen=True)
class QualityThresholds:
    """When a quality flag fires, and how much each one costs in the 0-100 score."""

    min_dpi: int = 200
    """`low_dpi` below this. Decree 30/2020/ND-CP requires digitized copies of at least 200 dpi.
    A page whose file states no dpi is not flagged (metric ``dpi_known`` = 0)."""

    max_blur_mm: float = 0.178
    """`blur` when the estimated edge spread (sigma of a Gaussian blur in mm, see quality.py) exceeds this.
    Measured on the 150 dpi analysis copy, a sharp scan reads 0.135-0.145 mm (the copy's own pixel
    spread); a 300 dpi scan blurred by sigma 1 px reads ~0.151, 1.5 px ~0.168, 2 px ~0.185, 3 px ~0.216.
    The default flags blur from ~1.8 px (0.15 mm) on: where Tesseract's error rate starts to climb."""

    too_dark_paper: float = 165.0
    """`too_dark` when the paper (background) level is below this: a properly exposed white or cream
    sheet scans at 200-255 (pastel forms 190-230); at 150-160 the page already looks dim gray to a
    reader, and below 140 OCR loses thin strokes."""

    too_light_ink: float = 120.0
    """`too_light` when even the darkest text (ink level) is lighter than this: faded print or an
    over-exposed scan. Normal black toner/ink scans at 10-70."""

    min_contrast: float = 90.0
    """`low_contrast` when paper level minus ink level is below this (a good scan has 170-240)."""

    faint_ink_darkness: float = 45.0
    """Print fainter than the ink threshold (a faded copy, an over-exposed scan: 45-70 levels under the
    paper) is looked for at this darkness when a page shows no ink, so that its contrast is measured and
    flagged instead of the page passing as clean. Typical show-through (15-45 levels) stays below."""

    faint_min_mm2: float = 20.0
    """...and counts as print when glyph-sized marks at that darkness cover at least this area (a few
    words), so dust and specks never make a blank page "low contrast"."""

    max_skew_deg: float = 3.0
    """`skewed` when the content was rotated by more than this before correction (issue 2): deskew fixes
    it, but a skew this large usually means a badly fed sheet worth a glance."""

    cut_off_margin_mm: float = 1.0
    """`cut_off` when content (text-like ink, not border or dust) lies within this distance of an edge of
    the cleaned page: a sheet placed partly outside the scan area or folded corner."""

    cut_off_min_ink_mm2: float = 2.0
    """...and the ink touching the edges amounts to at least this area (a single speck does not count)."""

    penalties: tuple[tuple[QualityFlag, int], ...] = (
        (QualityFlag.BLUR, 35),
        (QualityFlag.LOW_DPI, 30),
        (QualityFlag.CUT_OFF, 25),
        (QualityFlag.TOO_DARK, 20),
        (QualityFlag.TOO_LIGHT, 25),
        (QualityFlag.LOW_CONTRAST, 20),
        (QualityFlag.SKEWED, 10),
        (QualityFlag.ORIENTATION_UNCERTAIN, 10),
    )
    """Points taken off 100 for each flag. OCR-breaking faults (blur, low dpi, cut-off content) cost most;
    `skewed` costs little because the station corrects it. `orientation_uncertain`: the page holds text
    but the evidence for its way up was weak, so it was left as it came: the operator should look."""

    def penalty(self, issue: str) -> int:
        penalties: dict[str, int] = dict(self.penalties)
        return penalties.get(issue, 10)


@dataclass(frozen=True)
class CleanupConfig:
    """Page cleanup: orientation, deskew, border crop, blank detection, and the quality thresholds."""

    analysis_dpi: float = 150.0
    """Analyses run on a copy reduced to this resolution (never above the page's own): 150 dpi keeps
    ascenders/diacritics (orientation) and edge sharpness (blur) measurable at 1/4 of 300 dpi's pixels."""

    assumed_dpi: float = 300.0
    """Resolution assumed for a page that states none when its size is not at hand either. With the image
    at hand the dpi is estimated from its long side as if the page were A4 (clamped to 100..600)."""

    ink_min_darkness: float = 60.0
    """A pixel is ink when it is at least this much darker than the local paper level...  Show-through
    from the back of thin paper is 15-45 levels dark; scanner noise (sigma ~8 at 300 dpi) far less."""

    ink_relative_darkness: float = 0.3
    """...and at least this fraction of the paper level (so that a dark-gray, under-exposed page still
    tells ink from paper)."""

    # --- orientation ---------------------------------------------------------------------------------
    orientation: bool = True
    """Detect and undo 90/180/270 turns."""

    orientation_min_lines: int = 3
    """Fewer text lines than this: the turn is reported as 0 with confidence 0 (unknown), not guessed."""

    orientation_min_confidence: float = 0.25
    """Below this confidence (0..1) the page is left as it is (rotation 0). The up/down vote of a
    clean text page scores 0.5-0.9; pages of pictures, tables or a few words score near 0."""

    # --- deskew ------------------------------------------------------------------------------------
    deskew: bool = True
    """Measure and correct small rotations of the content."""

    max_skew_deg: float = 20.0
    """Largest skew searched for (either direction): a sheet fed crooked through an ADF reaches 15-20
    degrees. A skew found at this bound is not trusted for the orientation: the page is not turned."""

    min_correction_deg: float = 0.05
    """Skews smaller than this are left uncorrected (saves a full-page warp; invisible to OCR)."""

    # --- border crop -------------------------------------------------------------------------------
    crop: bool = True
    """Remove dark scanner-lid borders and background around the sheet."""

    border_max_level: float = 100.0
    """Border pixels are darker than this and than half the paper level (scanner lids and platen
    backgrounds scan at 0-80; paper at 180-255)."""

    border_min_fraction: float = 0.6
    """A row/column at the edge is border while at least this fraction of it is border-dark. Text rows
    are at most ~35% ink, so content is never taken for border."""

    border_max_crop: float = 0.3
    """Never remove more than this fraction of the width or height from one side (guards against a
    full-bleed dark photo being "cropped" away)."""

    border_safety_mm: float = 0.3
    """Extra margin removed past the detected border edge (the blurred transition band of the lid)."""

    platen_edge_fraction: float = 0.1
    """After the border crop, when more than this fraction of the image's outermost pixels is still
    border-dark, the sheet lay askew on the platen: the deskew then fills with the platen's colour and
    the border crop runs again on the straightened page, which removes the dark wedges cleanly.
    Otherwise the deskew fills the rotated-in corners with the paper colour."""

    # --- blank detection ---------------------------------------------------------------------------
    blank_max_ink_mm2: float = 0.8
    """A page is blank when its content ink covers less than this area. The smallest real content, a
    one-digit page number in 9 pt type, is ~1.5 mm2 of ink (a two-digit one in 10 pt ~3 mm2); dust
    specks, filing holes and edge marks are removed first, so noisy blank sheets measure 0 mm2."""

    blank_min_mark_mm: float = 0.8
    """Ink marks whose bounding box is smaller than this in both directions are dust, not content."""

    blank_guard_dark_fraction: float = 0.02
    """Safety net: a page is never blank when more than this share of the central 70 % of the *captured*
    image (before crop, turn and deskew) is dark (< 128). Blank sheets with noise, dust, show-through or
    punch holes stay far below (< 0.1 %); any page the steps above misjudged (large dark areas taken for a
    scanner border, a pattern that defeats the crop) keeps its content instead of being excluded."""

    blank_edge_mm: float = 3.0
    """Marks touching a band this wide along the edges (leftover scanner borders, sheet edges) are not
    content for the blank test."""

    streak_max_width_mm: float = 0.8
    """Scanner streaks (dirt on the feeder glass or the sensor) are thin lines along the feed direction,
    vertical in the image, often broken into pieces: a vertical mark at most this wide..."""

    streak_min_length_mm: float = 6.0
    """...and at least this long (and 8 times longer than wide) is a streak, not content. Letters (an "l"
    or a "1" is ~2-4 mm tall) and short hand-drawn ticks stay content; horizontal rules stay content."""

    punch_hole_mm: tuple[float, float] = (4.0, 9.0)
    """Round dark marks of this diameter range within `punch_hole_edge_mm` of an edge are filing holes."""

    punch_hole_edge_mm: float = 30.0
    """How far from an edge filing holes are looked for (ISO 838: hole centres 12 mm from the edge)."""

    quality: QualityThresholds = field(default_factory=QualityThresholds)
