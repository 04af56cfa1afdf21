"""Per-page image encoding: measure the page, choose JPEG / CCITT G4 / Flate, and encode it.

Pure functions of (image, dpi, settings): no I/O, deterministic output bytes.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt
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
Floats = npt.NDArray[np.float32]
_MIN_INK_WEIGHT = 0.02  # mean weight per pixel for a foreground cell to have a colour of its own


@dataclass(frozen=True)
class PageStats:
    """What the AUTO rule looks at, all as fractions of the page's pixels."""

    midtone: float  # darkest channel 64..191
    ink: float  # darkest channel < 128
    threshold: int  # Otsu threshold of the darkest channel's histogram (gray pages: G4 threshold)
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
    """What one page becomes: a base image, and for MRC the ink's colours (`foreground`) painted over it
    through a full-resolution 1-bit `mask`."""

    encoding: Encoding
    base: EncodedImage
    mask: EncodedImage | None = None
    foreground: EncodedImage | None = None

    def __post_init__(self) -> None:
        if (self.mask is None) != (self.foreground is None):
            raise InvalidPageError("an MRC page needs both its mask and its foreground layer")

    @property
    def size(self) -> int:
        return sum(len(layer.data) for layer in (self.base, self.mask, self.foreground) if layer is not None)


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


def darkest_channel(image: Image) -> Image:
    """The darkest channel per pixel: ink of any colour is dark in at least one channel, paper in none."""
    if image.ndim == 2:
        return image
    r, g, b = cv2.split(image)
    return np.asarray(cv2.min(cv2.min(r, g), b), dtype=np.uint8)


def measure(image: Image, settings: BuildSettings) -> PageStats:
    """On the darkest channel: a solid red star or a blue signature is ink, not a mid-tone photo area, while
    a colour photo stays mid-tone there too (for a gray image it is the image itself)."""
    gray = darkest_channel(image)
    hist = np.bincount(gray.ravel(), minlength=256)
    total = max(1, gray.size)
    return PageStats(
        midtone=float(hist[64:192].sum()) / total,
        ink=float(hist[:128].sum()) / total,
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
    """The encoding for one page. A colour image stays a colour image in every mode but BITONAL (Decree
    30/2020: a colour copy); a gray one stays gray (nothing invents colour)."""
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
    if looks_text(stats, dpi, settings):
        return (Encoding.MRC if color else Encoding.CCITT_G4), stats
    if image.shape[0] * image.shape[1] <= settings.lossless_max_pixels:
        jpeg = encode_jpeg(image, _quality(settings, color))
        flate = encode_flate(image)
        if len(flate.data) <= settings.lossless_max_ratio * len(jpeg.data):
            return flate.encoding, stats
    return (Encoding.JPEG_RGB if color else Encoding.JPEG_GRAY), stats


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


def encode_mrc(image: Image, dpi: float, settings: BuildSettings) -> EncodedPage:
    """Mixed raster content for colour pages with text, line art, seals and signatures.

    Three layers, as DjVu and archive-pdf-tools do, without transparency (PDF/A-2b check: no soft masks):
    - the mask: every pixel of ink (text, lines, seal, signature, whatever its colour) at full resolution, G4;
    - the foreground: the ink's own colour, JPEG at `mrc_foreground_dpi`, painted only through the mask
      (an explicit /Mask), so a red seal stays red and a blue signature blue at full sharpness;
    - the background: the paper without the ink (coloured fields, shading, photos), JPEG at
      `mrc_background_dpi`.
    """
    ink, threshold = mrc_mask(image, settings.mrc_ink_bias)
    mask = _g4(np.where(ink, 0, 255).astype(np.uint8))
    pixels = image.astype(np.float32)
    # The colour of a stroke is its core, not its blurred rim: weight (depth below the threshold)^2, so a cell
    # holding only rim pixels counts as empty and takes its colour from the strokes around it.
    depth = np.clip((threshold - darkest_channel(image).astype(np.float32)) / max(threshold, 1), 0.0, 1.0)
    weight = np.asarray(cv2.multiply(depth, depth), dtype=np.float32)
    foreground = weighted_downsample(pixels, weight, _layer_size(image, dpi, settings.mrc_foreground_dpi),
                                     min_weight=_MIN_INK_WEIGHT)
    # The paper is what is left once the ink and its rim are taken away.
    rim = cv2.dilate(ink.view(np.uint8), np.ones((5, 5), np.uint8))
    paper = np.asarray(rim == 0, dtype=np.float32)
    background = weighted_downsample(pixels, paper, _layer_size(image, dpi, settings.mrc_background_dpi))
    return EncodedPage(
        Encoding.MRC,
        encode_jpeg(background, settings.mrc_background_quality),
        mask,
        foreground=encode_jpeg(foreground, settings.mrc_foreground_quality),
    )


def mrc_mask(image: Image, bias: float) -> tuple[npt.NDArray[np.bool_], int]:
    """Ink pixels: darkest channel below a threshold `bias` of the way from Otsu's threshold to the paper's
    level (paper, pale fields and light shading stay out); and that threshold."""
    # A light blur first: scanner noise would fray the mask's edges, and frayed edges cost G4 bytes.
    darkest = cv2.GaussianBlur(darkest_channel(image), (3, 3), 0)
    histogram = np.bincount(darkest.ravel(), minlength=256)
    otsu = otsu_threshold(histogram)
    above = np.cumsum(histogram[otsu:])
    paper = otsu + int(np.searchsorted(above, above[-1] / 2)) if above[-1] > 0 else otsu
    threshold = otsu + round(bias * (paper - otsu))
    return np.asarray(darkest < threshold, dtype=bool), threshold


def _layer_size(image: Image, dpi: float, layer_dpi: float) -> tuple[int, int]:
    """(width, height) of a layer at `layer_dpi` (never larger than the image)."""
    scale = min(1.0, layer_dpi / dpi) if dpi > 0 else 1.0
    return max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale))


def weighted_downsample(pixels: Floats, weight: Floats, size: tuple[int, int], *, smooth: int = 1,
                        min_weight: float = 1e-6) -> Image:
    """Per cell of the smaller image, the weighted mean colour over (2 * smooth + 1)^2 cells around it;
    cells without weight take the colour of a coarser level of the pyramid, so the layer is smooth where it
    is never shown and compresses to almost nothing."""
    channels = pixels.shape[2] if pixels.ndim == 3 else 1
    weighted = cv2.multiply(pixels, cv2.merge([weight] * channels) if channels > 1 else weight)
    total = _floats(cv2.resize(weighted, size, interpolation=cv2.INTER_AREA), size, channels)
    count = _floats(cv2.resize(weight, size, interpolation=cv2.INTER_AREA), size, 1)
    if smooth > 0:
        window = (2 * smooth + 1, 2 * smooth + 1)
        total = _floats(cv2.blur(total, window), size, channels)
        count = _floats(cv2.blur(count, window), size, 1)
    result = np.clip(_fill(total, count, min_weight) + 0.5, 0, 255).astype(np.uint8)
    return np.ascontiguousarray(result if channels > 1 else result[..., 0])


def _floats(array: np.ndarray, size: tuple[int, int], channels: int) -> Floats:
    """An OpenCV result as (height, width, channels) float32 (OpenCV drops a last axis of length 1)."""
    return np.asarray(array, dtype=np.float32).reshape(size[1], size[0], channels)


def _fill(total: Floats, count: Floats, min_weight: float) -> Floats:
    """total / count where count > 0; elsewhere the same ratio one pyramid level up (recursively), white when
    there is no weight at all."""
    known = count > min_weight
    mean: Floats = np.asarray(total / np.maximum(count, 1e-9), dtype=np.float32)
    if known.all():
        return mean
    height, width, channels = total.shape
    if not known.any() or max(height, width) <= 1:
        return np.asarray(np.where(known, mean, 255.0), dtype=np.float32)
    half = (max(1, (width + 1) // 2), max(1, (height + 1) // 2))
    coarse = _fill(_floats(cv2.resize(total, half, interpolation=cv2.INTER_AREA), half, channels),
                   _floats(cv2.resize(count, half, interpolation=cv2.INTER_AREA), half, 1), min_weight)
    up = _floats(cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR), (width, height), channels)
    return np.asarray(np.where(known, mean, up), dtype=np.float32)


def encode_page(image: Image, dpi: float, settings: BuildSettings) -> tuple[EncodedPage, PageStats | None]:
    validate_image(image)
    encoding, stats = choose_encoding(image, dpi, settings)
    if encoding is Encoding.MRC:
        return encode_mrc(image, dpi, settings), stats
    if encoding is Encoding.CCITT_G4:
        base = encode_g4(image, stats.threshold if stats is not None else None)
    elif encoding in (Encoding.FLATE_RGB, Encoding.FLATE_GRAY):
        base = encode_flate(image)
    elif encoding is Encoding.JPEG_RGB:
        base = encode_jpeg(image, settings.jpeg_quality)
    else:
        base = encode_jpeg(to_gray(image), settings.gray_jpeg_quality)
    return EncodedPage(encoding, base), stats
