"""The nouns of PDF/A building: input pages, document metadata, settings, and the reports."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path

from ocr.models import OcrResult
from scanning.models import Image

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
SRGB_ICC_PATH = Path("/usr/share/color/icc/sRGB.icc")


class EncodingMode(StrEnum):
    """What the builder may do with a page image (a setting; AUTO decides per page by measurement)."""

    AUTO = "auto"  # colour stays colour (text: MRC, else JPEG), gray stays gray (pure text: bitonal G4)
    JPEG = "jpeg"  # always JPEG (colour or gray as the image is)
    BITONAL = "bitonal"  # always CCITT G4 (threshold), whatever the content
    LOSSLESS = "lossless"  # always Flate, pixel for pixel
    MRC = "mrc"  # colour pages: ink mask (G4) + ink colours + paper, both downsampled JPEG (gray pages: G4)


class Encoding(StrEnum):
    """How one page image was stored."""

    JPEG_RGB = "jpeg-rgb"
    JPEG_GRAY = "jpeg-gray"
    CCITT_G4 = "ccitt-g4"
    FLATE_RGB = "flate-rgb"
    FLATE_GRAY = "flate-gray"
    MRC = "mrc-g4-jpeg"  # ink as a full-resolution G4 mask over JPEGs of its colours and of the paper


def image_sha256(image: Image) -> str:
    """SHA-256 over an image array (shape + pixels), for callers that do not have the source file bytes."""
    digest = hashlib.sha256(repr(tuple(image.shape)).encode("ascii"))
    digest.update(memoryview(image.tobytes()))
    return digest.hexdigest()


@dataclass(frozen=True, eq=False)
class PdfPage:
    """One page to put into a PDF: the cleaned image at its scanned resolution, and what was read on it.

    `ocr` boxes are in pixels of an image of size (ocr.width, ocr.height); they are scaled to the page.
    """

    image: Image  # (H, W) gray or (H, W, 3) RGB, uint8
    dpi: float
    ocr: OcrResult | None = None
    source_sha256: str = ""  # SHA-256 of the source image file; "" -> computed from the pixels
    quality_score: int | None = None  # scanning.models.Quality.score, 0..100

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    @property
    def sha256(self) -> str:
        return self.source_sha256 or image_sha256(self.image)


@dataclass(frozen=True)
class DocumentInfo:
    """Who, what and when: written into both XMP and the Info dictionary.

    `captured_at` is the only date used (creation and modification): the same capture gives the same file.
    A naive datetime is taken as Vietnam time (UTC+7, no daylight saving).
    """

    title: str
    doc_type: str  # e.g. "don-de-nghi", "cccd", "tai-lieu"
    station_id: str
    operator: str
    captured_at: datetime
    dossier_code: str | None = None
    language: str = "vi"

    @property
    def capture_time(self) -> datetime:
        if self.captured_at.tzinfo is None:
            return self.captured_at.replace(tzinfo=VIETNAM_TZ)
        return self.captured_at


@dataclass(frozen=True)
class BuildSettings:
    mode: EncodingMode = EncodingMode.AUTO
    # JPEG qualities: measured with tests/benchmarks/bench_pdfa_size.py (bytes/page vs OCR CER).
    jpeg_quality: int = 50  # colour pages stored as plain JPEG (photos, colour forms)
    gray_jpeg_quality: int = 50  # gray pages that are not pure text
    mrc_background_quality: int = 50  # the paper layer of MRC pages (smooth once the ink is taken out)
    mrc_foreground_quality: int = 50  # the ink-colour layer of MRC pages (seals, signatures, coloured text)
    # AUTO rule for "pure text, store bitonal": measured on the gray histogram (fractions of all pixels).
    # Thresholds measured on pagegen pages (6-12 pt, blur up to 1.8 px, noise up to 10, Tesseract vie): pages
    # that pass lose <= 0.2 pp CER as G4; 7 pt text blurred 1.3 px with noise 10 (ratio 2.6) would lose 0.9 pp
    # and stays JPEG; a 1 cm x 1 cm photo on the page also keeps it JPEG (see bench_pdfa_size).
    bitonal_max_midtone: float = 0.06  # pixels in 64..191: anti-aliased / blurred glyph edges, no shading
    bitonal_max_midtone_per_ink: float = 2.5  # edges grow with ink; blur and shading add mid-tone beyond that
    bitonal_max_ink: float = 0.30  # dark pixels (< 128): more than this is a photo or a dark background
    bitonal_max_photo_tiles: float = 0.0005  # share of 32 px tiles that are >= 80 % mid-tone (photo areas)
    photo_tile_px: int = 32
    photo_tile_midtone: float = 0.8
    bitonal_min_dpi: float = 200.0  # below this, thresholding thin strokes hurts reading
    # MRC layers' resolutions (the ink mask keeps the scan's): measured with tests/benchmarks/mrc_compare.py.
    mrc_background_dpi: float = 100.0
    mrc_foreground_dpi: float = 100.0
    # Ink threshold: this far from Otsu's threshold towards the paper's level. Binarised small print reads
    # better with slightly fuller strokes: on 9 pt pages the OCR loss went from 0.48 to 0.04 pp (mrc_compare).
    mrc_ink_bias: float = 0.3
    lossless_max_pixels: int = 250_000  # small images: Flate when it is not much larger than JPEG
    lossless_max_ratio: float = 1.25
    creator_tool: str = "Digitization Station"
    icc_profile: Path = SRGB_ICC_PATH
    check: bool = True  # run the built-in PDF/A check on every file built (never disable in production)
    qpdf_timeout_s: float = 60.0


@dataclass(frozen=True)
class PageReport:
    number: int  # 1-based
    encoding: Encoding
    image_bytes: int
    width_px: int
    height_px: int
    dpi: float
    words: int  # words placed in the text layer


@dataclass(frozen=True)
class BuildReport:
    path: Path | None  # None for build_pdfa_bytes
    size: int
    sha256: str
    page_count: int
    pages: tuple[PageReport, ...]


@dataclass(frozen=True)
class CheckFailure:
    name: str  # stable check name, e.g. "output-intent", "xmp-pdfaid", "font-embedded"
    detail: str


@dataclass(frozen=True)
class CheckReport:
    failures: tuple[CheckFailure, ...] = ()
    checks_run: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failed_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.name for f in self.failures))
