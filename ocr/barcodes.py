"""Barcodes and QR codes on whole pages, with zxing-cpp.

Choice (measured by ``python -m tests.benchmarks.bench_recognition`` on ../shared/corpora/zxing/ and on
generated A4 pages): **zxing-cpp** rather than pyzbar.

- Exact text: zxing-cpp honours ECI and detects UTF-8, so Vietnamese QR payloads come back exact;
  zbar guesses Shift-JIS for non-ASCII bytes and garbles them ("Đặng" -> "ﾄ雪ｺｷng").
- Every format zxing-cpp reads on paper is looked for (ITF, Codabar, Code 93, Aztec, rMQR, Micro QR,
  DataBar, MaxiCode ... beside QR, Data Matrix, PDF417 and the retail/industrial 1D codes).
- `read_page_barcodes` reads the cleaned page and the page as captured and merges the two: cleanup's
  resampling loses small codes (22 of 216 corpus images that plain zxing-cpp reads were lost after it).
- More codes read on the peer corpus: 219 of 233 images with this module's settings (zxing-cpp's own
  suite expects e.g. qrcode-2 50/53: here 53/56), pyzbar 135 (qrcode-2 29/56; it has no Data Matrix
  or PDF417 reader at all); zero hits on the 46 false-positive images for both.
- Speed on a 300 dpi A4 page is within budget in one full-resolution pass: 57-98 CPU-ms per page with
  the format list restricted (60-77 without the inverted-code search; 66-115 with zxing-cpp's
  defaults, which look for every format).
  A downscaled first pass would not save anything where it matters: most pages carry no code, and
  "nothing found" would still need the full-resolution pass for small codes.

Options, all in `BarcodeConfig`: the formats looked for (fewer formats = faster and fewer false hits),
``try_rotate`` (1D codes at 90/270 degrees; 2D codes are found at any angle anyway), ``try_downscale``
(big or blurred codes), ``try_invert`` (light-on-dark codes: rare on paper, but on by default since it
reads three more of qrcode-2 for about 15 ms per page).

Decoded text is personal data on many pages (CCCD QR): this module never logs it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace

import cv2
import numpy as np
import zxingcpp

from ocr.errors import BarcodeReaderError, InvalidImageError
from ocr.models import Barcode, BBox
from scanning.models import CleanPage, Image

log = logging.getLogger(__name__)

# Every symbology zxing-cpp reads that a paper document may carry. Left out: DX film edge, Telepen, the EAN
# 2/5-digit add-ons and the pharmacy variants of Code 39 (Code 32, PZN), which would rename Code 39 codes.
# None of these added formats reported anything on the corpus's false-positive images or on text pages.
DEFAULT_FORMATS: tuple[str, ...] = (
    "QRCode",
    "MicroQRCode",
    "RMQRCode",
    "Aztec",
    "DataMatrix",
    "PDF417",
    "MicroPDF417",
    "MaxiCode",
    "Code128",
    "Code39",
    "Code93",
    "Codabar",
    "ITF",
    "EAN13",
    "EAN8",
    "UPCA",
    "UPCE",
    "DataBar",
    "DataBarExpanded",
    "DataBarLimited",
)

_MIN_SIDE = 8
PATCH_FORMAT = "PatchCode"

# zxing-cpp 3 reports some symbologies by variant; the station speaks of the family.
_FAMILY = {
    "Code39Std": "Code39",
    "Code39Ext": "Code39",
    "QRCodeModel1": "QRCode",
    "QRCodeModel2": "QRCode",
    "CompactPDF417": "PDF417",
    "AztecCode": "Aztec",
    "AztecRune": "Aztec",
    "ITF14": "ITF",
    "DataBarOmni": "DataBar",
    "DataBarStk": "DataBar",
    "DataBarStkOmni": "DataBar",
    "DataBarExp": "DataBarExpanded",
    "DataBarExpStk": "DataBarExpanded",
    "DataBarLtd": "DataBarLimited",
}


@dataclass(frozen=True)
class BarcodeConfig:
    formats: tuple[str, ...] = DEFAULT_FORMATS
    try_rotate: bool = True
    try_downscale: bool = True
    try_invert: bool = True
    text_mode: str = "Plain"  # zxing-cpp TextMode name: "Plain" keeps GS1 data as encoded, "HRI" adds (AI)s
    patch_codes: bool = True  # Kodak patch codes (separator sheets), reported as format "PatchCode"


def read_barcodes(image: Image, config: BarcodeConfig | None = None) -> list[Barcode]:
    """Every barcode on a page image (gray or RGB uint8), any rotation; empty list when there is none.

    Boxes are axis-aligned (x, y, w, h) in the image's pixels; results are sorted top-to-bottom,
    left-to-right. Raises InvalidImageError for an unusable array, BarcodeReaderError if zxing fails.
    """
    cfg = config or BarcodeConfig()
    gray = _as_gray(image)
    if min(gray.shape) < _MIN_SIDE:
        return []  # nothing that small can hold a code
    try:
        formats = zxingcpp.barcode_formats_from_str(",".join(cfg.formats))
        text_mode = getattr(zxingcpp.TextMode, cfg.text_mode)
    except (AttributeError, ValueError) as err:
        raise BarcodeReaderError(f"bad barcode configuration: {err}") from err
    try:
        found = zxingcpp.read_barcodes(
            gray,
            formats=formats,
            try_rotate=cfg.try_rotate,
            try_downscale=cfg.try_downscale,
            try_invert=cfg.try_invert,
            text_mode=text_mode,
        )
    except Exception as err:  # the extension raises plain RuntimeError/ValueError
        size = f"{gray.shape[1]}x{gray.shape[0]}"
        raise BarcodeReaderError(f"zxing-cpp failed on a {size} image: {type(err).__name__}") from err
    height, width = gray.shape
    barcodes = [
        Barcode(
            _format_name(result.format), str(result.text), _bbox(result.position, width, height), bytes(result.bytes)
        )
        for result in found
        if result.valid
    ]
    if cfg.patch_codes:
        from ocr.patchcode import find_patch_codes

        barcodes += [Barcode(PATCH_FORMAT, p.text, p.bbox) for p in find_patch_codes(gray)]
    barcodes.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    log.debug("barcodes: %d found (%s)", len(barcodes), ", ".join(b.format for b in barcodes))
    return barcodes


def read_page_barcodes(clean: CleanPage, config: BarcodeConfig | None = None) -> list[Barcode]:
    """Every code on a cleaned page: read on the cleaned image and on the page as captured, merged.

    Cleanup resamples the page (turn, deskew), which can blur a small code below what a reader resolves;
    the captured image still holds it. A code found on both is reported once, with its box on the cleaned
    image; a code found only on the captured image keeps its box there (`Barcode.on_original`).
    """
    cfg = config or BarcodeConfig()
    if clean.page.image is clean.image:
        return read_barcodes(clean.image, cfg)
    # Patch codes are read on the page as captured only: their meaning depends on the leading edge, which is
    # the top of the captured image, whatever turn cleanup gave the page.
    found = read_barcodes(clean.image, replace(cfg, patch_codes=False))
    return merge_barcodes(found, read_barcodes(clean.page.image, cfg), original=True)


def merge_barcodes(first: list[Barcode], second: list[Barcode], *, original: bool = False) -> list[Barcode]:
    """`first`, then the codes of `second` it does not already hold (same format and content)."""
    seen = {(b.format, b.text, b.raw) for b in first}
    merged = list(first)
    for barcode in second:
        key = (barcode.format, barcode.text, barcode.raw)
        if key not in seen:
            seen.add(key)
            merged.append(replace(barcode, on_original=original))
    return merged


def _as_gray(image: Image) -> Image:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise InvalidImageError("barcode input must be a uint8 numpy array")
    if image.ndim == 2:
        gray = image
    elif image.ndim == 3 and image.shape[2] == 3:
        gray = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    elif image.ndim == 3 and image.shape[2] == 1:
        gray = image[:, :, 0]
    else:
        raise InvalidImageError(f"barcode input has unsupported shape {image.shape}")
    return np.ascontiguousarray(gray)


def _format_name(fmt: object) -> str:
    name = str(getattr(fmt, "name", fmt))
    return _FAMILY.get(name, name)


def _bbox(position: object, width: int, height: int) -> BBox:
    corners = [getattr(position, corner) for corner in ("top_left", "top_right", "bottom_right", "bottom_left")]
    xs = [int(p.x) for p in corners]
    ys = [int(p.y) for p in corners]
    x0, y0 = max(0, min(xs)), max(0, min(ys))
    x1, y1 = min(width - 1, max(xs)), min(height - 1, max(ys))
    return (x0, y0, max(1, x1 - x0 + 1), max(1, y1 - y0 + 1))
