"""Barcodes and QR codes on whole pages, with zxing-cpp.

Choice (measured by ``python -m tests.benchmarks.bench_recognition`` on ../shared/corpora/zxing/ and on
generated A4 pages): **zxing-cpp** rather than pyzbar.

- Exact text: zxing-cpp honours ECI and detects UTF-8, so Vietnamese QR payloads come back exact;
  zbar guesses Shift-JIS for non-ASCII bytes and garbles them ("Đặng" -> "ﾄ雪ｺｷng").
- Every format zxing-cpp reads on paper is looked for (ITF, Codabar, Code 93, Aztec, rMQR, Micro QR,
  DataBar, MaxiCode ... beside QR, Data Matrix, PDF417 and the retail/industrial 1D codes).
- `read_page_barcodes` reads the cleaned page and the page as captured and merges the two: cleanup's
  resampling loses small codes (22-25 of 216 corpus images that plain zxing-cpp reads were lost after it).
- Linear codes at any slant: regions whose gradients all point one way are cut out, levelled and read
  (zxing-cpp itself reads them within ~15 degrees of level or upright); ~30-80 ms per page.
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
    any_angle: bool = True  # linear codes at any angle (zxing-cpp reads them within ~15 degrees of level)


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
    if cfg.any_angle:
        barcodes = merge_barcodes(barcodes, _codes_at_any_angle(gray, formats, text_mode))
    if cfg.patch_codes:
        from ocr.patchcode import find_patch_codes

        barcodes += [Barcode(PATCH_FORMAT, p.text, p.bbox) for p in find_patch_codes(gray)]
    barcodes = _without_partial_reads(barcodes)
    barcodes.sort(key=lambda b: (b.bbox[1], b.bbox[0]))
    log.debug("barcodes: %d found (%s)", len(barcodes), ", ".join(b.format for b in barcodes))
    return barcodes


_ANGLE_WORK_SIDE = 800  # the search for slanted linear codes runs on the page scaled to this longer side
_COHERENCE = 0.8  # bars: gradients all one way (text strokes point every way)


def _codes_at_any_angle(gray: Image, formats: zxingcpp.BarcodeFormats, text_mode: zxingcpp.TextMode
                        ) -> list[Barcode]:
    """Linear codes printed or stuck at a slant: regions whose gradients all point one way (the bars),
    each cut out, turned level by that direction and decoded on its own (a few ms per region)."""
    h, w = gray.shape
    scale = min(1.0, _ANGLE_WORK_SIDE / max(h, w))
    small = np.asarray(cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA),
                       np.float32)
    gx, gy = cv2.Scharr(small, cv2.CV_32F, 1, 0), cv2.Scharr(small, cv2.CV_32F, 0, 1)
    jxx, jyy, jxy = (cv2.GaussianBlur(g, (0, 0), 3) for g in (gx * gx, gy * gy, gx * gy))
    energy = jxx + jyy
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy**2) / (energy + 1e-6)
    strong = energy > 0.2 * float(np.percentile(energy, 99))
    mask = np.asarray(((coherence > _COHERENCE) & strong) * 255, np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8)), np.uint8)
    mask = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8)), np.uint8)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    found: list[Barcode] = []
    for contour in contours:
        if cv2.contourArea(contour) < 150:
            continue
        region = np.zeros_like(mask)
        cv2.drawContours(region, [contour], -1, 255, cv2.FILLED)
        inside = region > 0
        # The bars' gradient direction; level when it is horizontal (zxing-cpp's own passes cover 0/90).
        angle = 0.5 * float(np.degrees(np.arctan2(2 * jxy[inside].sum(), (jxx - jyy)[inside].sum())))
        if min(abs(angle) % 90, 90 - abs(angle) % 90) < 10:
            continue
        x, y, bw, bh = cv2.boundingRect(contour)
        pad = max(bw, bh) // 3
        x0, y0 = max(0, round((x - pad) / scale)), max(0, round((y - pad) / scale))
        x1, y1 = min(w, round((x + bw + pad) / scale)), min(h, round((y + bh + pad) / scale))
        crop = gray[y0:y1, x0:x1]
        m = cv2.getRotationMatrix2D(((x1 - x0) / 2, (y1 - y0) / 2), angle, 1.0)
        side = round(np.hypot(x1 - x0, y1 - y0))
        m[0, 2] += side / 2 - (x1 - x0) / 2
        m[1, 2] += side / 2 - (y1 - y0) / 2
        level = np.asarray(cv2.warpAffine(crop, m, (side, side), flags=cv2.INTER_LINEAR, borderValue=255), np.uint8)
        results = [r for r in zxingcpp.read_barcodes(level, formats=formats, try_rotate=True, text_mode=text_mode)
                   if r.valid]
        # One code per region: a partial read of the same bars (ITF reads a shorter valid run) is dropped.
        for result in sorted(results, key=lambda r: -len(bytes(r.bytes)))[:1]:
            found.append(Barcode(_format_name(result.format), str(result.text), (x0, y0, x1 - x0, y1 - y0),
                                 bytes(result.bytes)))
    return found


_LINEAR = {"Code128", "Code39", "Code93", "Codabar", "ITF"}


def _without_partial_reads(barcodes: list[Barcode]) -> list[Barcode]:
    """A slanted linear code (ITF above all) can also yield a shorter valid read of part of its bars: a
    linear code whose text lies inside a longer code of the same format on the page is dropped."""
    return [b for b in barcodes
            if b.format not in _LINEAR
            or not any(o.format == b.format and len(o.text) > len(b.text) and b.text in o.text for o in barcodes)]


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
