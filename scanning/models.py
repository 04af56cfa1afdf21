"""The nouns of scanning: devices, their capabilities, scan options, captured and cleaned pages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]
"""A page image: (H, W) gray or (H, W, 3) RGB, uint8. Lineart is gray with only 0 and 255."""


class Source(StrEnum):
    FLATBED = "flatbed"
    ADF = "adf"
    DUPLEX = "duplex"


class ColorMode(StrEnum):
    COLOR = "color"
    GRAY = "gray"
    LINEART = "lineart"


class QualityFlag(StrEnum):
    """What the scan-time quality check can find wrong with a page (`CleanPage.quality.issues`)."""

    BLUR = "blur"
    LOW_DPI = "low_dpi"
    TOO_DARK = "too_dark"
    TOO_LIGHT = "too_light"
    LOW_CONTRAST = "low_contrast"
    SKEWED = "skewed"
    CUT_OFF = "cut_off"
    ORIENTATION_UNCERTAIN = "orientation_uncertain"


class PageSize(StrEnum):
    A4 = "a4"
    A5 = "a5"
    LETTER = "letter"
    ID_CARD = "id-card"
    AUTO = "auto"

    @property
    def size_mm(self) -> tuple[float, float] | None:
        """Width and height in millimetres; None for AUTO (the scanner's detected or maximum area)."""
        return _PAGE_SIZES_MM.get(self)


_PAGE_SIZES_MM: dict[PageSize, tuple[float, float]] = {
    PageSize.A4: (210.0, 297.0),
    PageSize.A5: (148.0, 210.0),
    PageSize.LETTER: (215.9, 279.4),
    PageSize.ID_CARD: (85.6, 53.98),  # ISO/IEC 7810 ID-1, the CCCD / Căn cước format
}


@dataclass(frozen=True)
class ScanDevice:
    name: str  # the driver's device id, e.g. "test:0" or "epson2:libusb:001:004"
    vendor: str
    model: str
    kind: str  # "flatbed scanner", "sheetfed scanner", "virtual device", ...
    driver: str = "sane"

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.model} ({self.name})"


@dataclass(frozen=True)
class DeviceCapabilities:
    sources: tuple[Source, ...]
    resolutions: tuple[int, ...]  # the offered values; for a range, a useful subset incl. 150..600
    modes: tuple[ColorMode, ...]
    page_sizes: tuple[PageSize, ...]
    max_width_mm: float
    max_height_mm: float


@dataclass(frozen=True)
class ScanOptions:
    source: Source = Source.FLATBED
    resolution: int = 300
    mode: ColorMode = ColorMode.GRAY
    page_size: PageSize = PageSize.A4
    max_pages: int | None = None  # None: until the feeder is empty (one page on a flatbed)


@dataclass(frozen=True, eq=False)
class Page:
    """One captured page, exactly as the scanner or file delivered it. Never modified afterwards."""

    image: Image
    dpi: int | None  # None when the file does not say
    source: str  # file path or device name
    index: int  # 1-based page number within the source (scan job or file)
    side: str | None = None  # "front" / "back" on duplex scans
    captured_at: datetime | None = None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def is_color(self) -> bool:
        return self.image.ndim == 3


@dataclass(frozen=True)
class Quality:
    score: int  # 0..100, 100 = nothing to fault
    issues: tuple[str, ...]  # flags: blur, low_dpi, too_dark, too_light, low_contrast, skewed, cut_off
    metrics: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class CleanPage:
    """A page after cleanup: upright, deskewed, cropped, with its quality verdict."""

    page: Page
    image: Image
    rotation_applied: int  # clockwise degrees turned to make the input upright: 0, 90, 180 or 270
    skew_deg: float  # skew of the content after that turn; positive = counter-clockwise
    blank: bool
    quality: Quality
