"""Per-page image encoding: measure the page, choose JPEG / CCITT G4 / Flate, and encode it.

Pure functions of (image, dpi, settings): no I/O, deterministic output bytes.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image as PILImage
from PIL import TiffImagePlugin

from ocr.models import OcrResult
from scanning.models import Image
from station.pdfa.errors import InvalidPageError
from station.pdfa.models import BuildSettings, Encoding, EncodingMode

_TIFF_STRIP_OFFSETS = 273
_TIFF_ROWS_PER_STRIP = 278
_TIFF_STRIP_BYTE_COUNTS = 279
_TIFF_PHOTOMETRIC = 262


@dataclass(frozen=True)
class PageStats:
    """What the AUTO rule looks at, all as fractions of the page's pixels."""

    midtone: float  # gray 64..191
    ink: float  # gray < 128
    color: float  # 4x4-averaged pixels with chroma (max - min channel) >= settings.color_min_chroma
    threshold: int  # Otsu threshold of the gray histogram
    photo_tiles: float = 0.0  # tiles that are almost all mid-tone: photos, shaded areas


@dataclass(frozen=True)
class EncodedImage:
    """An image XObject's stream, already encoded."""

    data: bytes
    encoding: Encoding
    width: int
    height: int
    color_space: str  # "/DeviceRGB" or "/DeviceGray"
    bits_per_component: int
    filter: str  # "/DCTDecode", "/CCITTFaxDecode", "/FlateDecode"
    decode_parms: dict[str, int | bool] | None = None


@dataclass(frozen=True)
class EncodedPage:
    """What one page becomes: a base image, and for MRC a stencil mask painted in `ink_rgb` over it."""

    encoding: Encoding
    base: EncodedImage
    mask: EncodedImage | None = None
    ink_rgb: tuple[float, float, float] | None = None  # 0..1

    @property
    def size(self) -> int:
        return len(self.base.data) + (len(self.mask.data) if self.mask is not None else 0)


@dataclass(frozen=True, eq=False)
class PreEncodedPage:
    """A page whose image was already encoded (e.g. in a worker process): the builder only assembles it."""

    encoded: EncodedPage
    width: int
    height: int
    dpi: float
    ocr: OcrResult | None = None
    sha256: str = ""  # SHA-256 of the source image (required: the pixels are no longer at hand)
    quality_score: int | None = None


def validate_image(image: Image) -> None:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise InvalidPageError("page image must be a uint8 numpy array")
    if image.ndim == 3 and image.shape[2] == 3:
        pass
    elif image.ndim != 2:
        raise InvalidPageError(f"page image must be (H, W) or (H, W, 3), got shape {image.shape}")
    if image.shape[0] < 1 or image.shape[1] < 1:
        raise InvalidPageError(f"page image is empty: shape {image.shape}")


def to_gray(image: Image) -> Image:
    if image.ndim == 2:
        return image
    return np.asarray(PILImage.fromarray(image, "RGB").convert("L"), dtype=np.uint8)


def otsu_threshold(histogram: np.ndarray) -> int:
    """Otsu's threshold on a 256-bin histogram: pixels < threshold are ink."""
    hist = histogram.astype(np.float64)
    total = hist.sum()
    if total == 0:
        return 128
    levels = np.arange(256, dtype=np.float64)
    weight_bg = np.cumsum(hist)
    mean_cum = np.cumsum(hist * levels)
    mean_total = mean_cum[-1]
    weight_fg = total - weight_bg
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean_total * weight_bg - total * mean_cum) ** 2 / (weight_bg * weight_fg)
    between = np.nan_to_num(between, nan=0.0, posinf=0.0)
    return int(np.argmax(between)) + 1


def chroma(image: Image) -> Image:
    """max - min channel per pixel (0 for gray), uint8. OpenCV: ~20x faster than numpy on a 300 dpi page."""
    if image.ndim == 2:
        return np.zeros(image.shape, np.uint8)
    r, g, b = cv2.split(image)
    return np.asarray(cv2.subtract(cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)), dtype=np.uint8)


def color_fraction(image: Image, min_chroma: int) -> float:
    """Share of 4x4 blocks whose averaged colour has chroma >= min_chroma (scanner noise averages out)."""
    if image.ndim == 2:
        return 0.0
    h, w = image.shape[:2]
    small = cv2.resize(image, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    values = chroma(np.asarray(small, dtype=np.uint8))
    return float(np.count_nonzero(values >= min_chroma)) / max(1, int(values.size))


def measure(image: Image, settings: BuildSettings) -> PageStats:
    gray = to_gray(image)
    hist = np.bincount(gray.ravel(), minlength=256)
    total = max(1, gray.size)
    return PageStats(
        midtone=float(hist[64:192].sum()) / total,
        ink=float(hist[:128].sum()) / total,
        color=color_fraction(image, settings.color_min_chroma),
        threshold=otsu_threshold(hist),
        photo_tiles=photo_tile_fraction(gray, settings.photo_tile_px, settings.photo_tile_midtone),
    )


def photo_tile_fraction(gray: Image, tile: int, min_midtone: float) -> float:
    """Share of tile x tile blocks that are mostly mid-tone. Text, even blurred, stays below ~65 % per tile."""
    h, w = gray.shape[:2]
    if h < tile or w < tile:
        return 0.0
    midtone = cv2.inRange(gray, 64, 191)  # 255 inside, 0 outside
    means = cv2.resize(midtone, (w // tile, h // tile), interpolation=cv2.INTER_AREA)
    return float(np.count_nonzero(means >= round(255 * min_midtone))) / max(1, int(means.size))


def looks_bitonal(stats: PageStats, dpi: float, settings: BuildSettings) -> bool:
    """The measured rule for "pure text page": thresholding keeps it readable and loses nothing else."""
    return stats.color < settings.color_min_fraction and looks_text(stats, dpi, settings)


def looks_text(stats: PageStats, dpi: float, settings: BuildSettings) -> bool:
    """Ink on paper: little mid-tone beyond the anti-aliased edges of the ink, no photo, no dark background."""
    return (
        dpi >= settings.bitonal_min_dpi
        and stats.midtone <= settings.bitonal_max_midtone
        and stats.midtone <= settings.bitonal_max_midtone_per_ink * max(stats.ink, 1e-6)
        and stats.ink <= settings.bitonal_max_ink
        and stats.photo_tiles <= settings.bitonal_max_photo_tiles
    )


def choose_encoding(image: Image, dpi: float, settings: BuildSettings) -> tuple[Encoding, PageStats | None]:
    """The encoding for one page. Colour stays colour in every mode but BITONAL."""
    color = image.ndim == 3
    mode = settings.mode
    if mode is EncodingMode.BITONAL:
        return Encoding.CCITT_G4, None
    if mode is EncodingMode.LOSSLESS:
        return (Encoding.FLATE_RGB if color else Encoding.FLATE_GRAY), None
    if mode is EncodingMode.JPEG:
        return (Encoding.JPEG_RGB if color else Encoding.JPEG_GRAY), None
    if mode is EncodingMode.MRC:
        return (Encoding.MRC if color else Encoding.CCITT_G4), None
    stats = measure(image, settings)
    if looks_bitonal(stats, dpi, settings):
        return Encoding.CCITT_G4, stats
    really_color = color and stats.color >= settings.color_min_fraction
    if really_color and looks_text(stats, dpi, settings):
        return Encoding.MRC, stats
    if image.shape[0] * image.shape[1] <= settings.lossless_max_pixels:
        jpeg = encode_jpeg(image if really_color else to_gray(image), _quality(settings, really_color))
        flate = encode_flate(image if really_color else to_gray(image))
        if len(flate.data) <= settings.lossless_max_ratio * len(jpeg.data):
            return flate.encoding, stats
    if really_color:
        return Encoding.JPEG_RGB, stats
    return Encoding.JPEG_GRAY, stats


def _quality(settings: BuildSettings, color: bool) -> int:
    return settings.jpeg_quality if color else settings.gray_jpeg_quality


def encode_jpeg(image: Image, quality: int) -> EncodedImage:
    if not 1 <= quality <= 100:
        raise ValueError(f"JPEG quality must be 1..100, got {quality}")
    color = image.ndim == 3
    pil = PILImage.fromarray(image, "RGB" if color else "L")
    buf = io.BytesIO()
    pil.save(buf, format="JPEG", quality=quality, optimize=True)
    return EncodedImage(
        data=buf.getvalue(),
        encoding=Encoding.JPEG_RGB if color else Encoding.JPEG_GRAY,
        width=pil.width,
        height=pil.height,
        color_space="/DeviceRGB" if color else "/DeviceGray",
        bits_per_component=8,
        filter="/DCTDecode",
    )


def encode_flate(image: Image) -> EncodedImage:
    color = image.ndim == 3
    data = zlib.compress(np.ascontiguousarray(image).tobytes(), 6)  # 9 is 10x slower on noisy scans, ~2 % smaller
    return EncodedImage(
        data=data,
        encoding=Encoding.FLATE_RGB if color else Encoding.FLATE_GRAY,
        width=int(image.shape[1]),
        height=int(image.shape[0]),
        color_space="/DeviceRGB" if color else "/DeviceGray",
        bits_per_component=8,
        filter="/FlateDecode",
    )


def binarize(image: Image, threshold: int | None = None) -> Image:
    """Gray 0/255 image: ink (< threshold, Otsu when None) black, the rest white."""
    gray = to_gray(image)
    if threshold is None:
        threshold = otsu_threshold(np.bincount(gray.ravel(), minlength=256))
    return np.where(gray < threshold, 0, 255).astype(np.uint8)


def encode_g4(image: Image, threshold: int | None = None) -> EncodedImage:
    """CCITT Group 4, through Pillow's libtiff writer; the single strip becomes a CCITTFaxDecode stream."""
    return _g4(binarize(image, threshold))


def _g4(black_white: Image) -> EncodedImage:
    """G4 of a 0/255 image; decodes to 0 (black) where the image is 0."""
    bitonal = PILImage.fromarray(black_white, "L").convert("1", dither=PILImage.Dither.NONE)
    buf = io.BytesIO()
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[_TIFF_ROWS_PER_STRIP] = bitonal.height
    bitonal.save(buf, format="TIFF", compression="group4", tiffinfo=info)
    raw = buf.getvalue()
    with PILImage.open(io.BytesIO(raw)) as tiff:
        tags = tiff.tag_v2  # type: ignore[attr-defined]
        offsets = tags[_TIFF_STRIP_OFFSETS]
        counts = tags[_TIFF_STRIP_BYTE_COUNTS]
        photometric = int(tags.get(_TIFF_PHOTOMETRIC, 0))
    if len(offsets) != 1:
        raise InvalidPageError(f"G4 encoder wrote {len(offsets)} strips, expected one")
    data = raw[int(offsets[0]) : int(offsets[0]) + int(counts[0])]
    return EncodedImage(
        data=data,
        encoding=Encoding.CCITT_G4,
        width=bitonal.width,
        height=bitonal.height,
        color_space="/DeviceGray",
        bits_per_component=1,
        filter="/CCITTFaxDecode",
        # libtiff codes 0-bits as fax "white" runs; with BlackIsZero (photometric 1) 0-bits are black.
        decode_parms={"K": -1, "Columns": bitonal.width, "Rows": bitonal.height, "BlackIs1": photometric == 1},
    )


def encode_mrc(image: Image, settings: BuildSettings, threshold: int | None = None) -> EncodedPage:
    """Mixed raster content for colour text pages, without transparency.

    Neutral dark ink (gray below the Otsu threshold, little chroma) becomes a full-resolution G4 stencil mask
    painted in the measured ink colour; the ink is then painted over with the surrounding paper (a local max
    filter) and the rest (paper, stamps, coloured ink, photos) is a JPEG at the same resolution, which is now
    smooth and small.
    """
    gray = to_gray(image)
    if threshold is None:
        threshold = otsu_threshold(np.bincount(gray.ravel(), minlength=256))
    ink = (gray < threshold) & (chroma(np.asarray(cv2.blur(image, (3, 3)), np.uint8)) <= settings.mrc_max_ink_chroma)
    mask = _g4(np.where(ink, 0, 255).astype(np.uint8))
    median = np.median(image[ink], axis=0) if ink.any() else np.zeros(3)
    ink_rgb = (float(median[0]) / 255.0, float(median[1]) / 255.0, float(median[2]) / 255.0)
    grown = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    kernel = np.ones((settings.mrc_fill_px, settings.mrc_fill_px), np.uint8)
    paper = cv2.dilate(image, kernel)
    background = image.copy()
    background[grown] = paper[grown]
    base = encode_jpeg(background, settings.mrc_background_quality)
    return EncodedPage(Encoding.MRC, base, mask, ink_rgb)


def encode_page(image: Image, dpi: float, settings: BuildSettings) -> tuple[EncodedPage, PageStats | None]:
    validate_image(image)
    encoding, stats = choose_encoding(image, dpi, settings)
    threshold = stats.threshold if stats is not None else None
    if encoding is Encoding.MRC:
        return encode_mrc(image, settings, threshold), stats
    if encoding is Encoding.CCITT_G4:
        base = encode_g4(image, threshold)
    elif encoding in (Encoding.FLATE_RGB, Encoding.FLATE_GRAY):
        base = encode_flate(image if encoding is Encoding.FLATE_RGB else to_gray(image))
    elif encoding is Encoding.JPEG_RGB:
        base = encode_jpeg(image, settings.jpeg_quality)
    else:
        base = encode_jpeg(to_gray(image), settings.gray_jpeg_quality)
    return EncodedPage(encoding, base), stats
