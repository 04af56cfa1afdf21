"""PDF pages -> Page, one at a time, rendered with PDFium (pypdfium2).

Why render rather than extract embedded images: PDFium decodes every filter a scanner writes
(JBIG2, CCITT, JPEG, JPEG 2000, Flate) and applies what a viewer applies (page rotation, image
placement, masks, vector and text content), with one code path and one set of limits. Losslessness
is kept where it matters: a page that is one full-page raster image (what scanners produce) is
rendered at that image's own dpi with image smoothing off, so every image pixel lands on exactly one
page pixel (a CCITT/JBIG2 page comes back as exact 0/255 pixels, identical to the embedded image).
Other pages are rendered at the caller's dpi (300 by default). Page.dpi is the render dpi.
Limits (limits.py): at most 600 dpi, and a page never exceeds MAX_PAGE_PIXELS: larger pages are
rendered at a lower dpi (logged), pages that would fall below MIN_RENDER_DPI are refused.

PDFium is not thread-safe: every call goes through PDFIUM_LOCK.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from scanning.drivers.limits import MAX_PAGE_PIXELS, MAX_RENDER_DPI, MIN_RENDER_DPI, dpi_within_budget
from scanning.errors import CorruptFileError, EncryptedFileError, FileTooLargeError, ScanCancelledError
from scanning.models import Image, Page

log = logging.getLogger(__name__)

PDFIUM_LOCK = threading.RLock()
"""Hold this around any pypdfium2 call anywhere in the process: PDFium has global state."""

FULL_PAGE_SHARE = 0.9  # an image covering 90 % of the page is "the page" (scanners leave tiny margins)
_SCALE_EPSILON = 1e-7  # PDFium sizes bitmaps with ceil(): keep 792 pt x 300/72 at 3300 px, not 3301


@dataclass(frozen=True)
class _PagePlan:
    dpi: float
    exact_image: bool  # one full-page raster: render 1:1 without smoothing


def pdf_pages(path: Path, *, dpi: int, cancel: threading.Event | None = None) -> Iterator[Page]:
    document = _open(path)
    try:
        with PDFIUM_LOCK:
            count = len(document)
        if count == 0:
            raise CorruptFileError(f"{path}: the PDF has no pages")
        for number in range(1, count + 1):
            if cancel is not None and cancel.is_set():
                raise ScanCancelledError(f"import of {path} cancelled after {number - 1} pages")
            image, used_dpi = _render_page(document, path, number, dpi)
            yield Page(image=image, dpi=round(used_dpi), source=str(path), index=number)
    finally:
        with PDFIUM_LOCK:
            document.close()


def _open(path: Path) -> Any:
    try:
        with PDFIUM_LOCK:
            return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as err:
        if "password" in str(err).lower():
            raise EncryptedFileError(f"{path}: the PDF is password-protected") from err
        raise CorruptFileError(f"{path}: not a readable PDF ({err})") from err


def _render_page(document: Any, path: Path, number: int, dpi: int) -> tuple[Image, float]:
    with PDFIUM_LOCK:
        page = document[number - 1]
        try:
            plan = _plan(page, path, number, dpi)
            bitmap = page.render(
                scale=plan.dpi / 72 * (1 - _SCALE_EPSILON),
                rev_byteorder=True,  # RGB, not PDFium's native BGR
                no_smoothimage=plan.exact_image,
                may_draw_forms=True,
            )
            try:
                pixels = _owned_page_array(bitmap.to_numpy())  # a copy: the bitmap is freed next
            finally:
                bitmap.close()
        except pdfium.PdfiumError as err:
            raise CorruptFileError(f"{path}: page {number} cannot be rendered ({err})") from err
        finally:
            page.close()
    return pixels, plan.dpi


def _plan(page: Any, path: Path, number: int, wanted_dpi: int) -> _PagePlan:
    width_pt, height_pt = page.get_size()
    if not (width_pt > 0 and height_pt > 0):
        raise CorruptFileError(f"{path}: page {number} has no size")
    native = _full_page_image(page, width_pt * height_pt)
    dpi = float(wanted_dpi) if native is None else min(max(native.dpi, 72.0), float(MAX_RENDER_DPI))
    budget_dpi = dpi_within_budget(width_pt / 72, height_pt / 72, dpi)
    if budget_dpi < MIN_RENDER_DPI:
        raise FileTooLargeError(
            f"{path}: page {number} is {width_pt / 72:.0f} x {height_pt / 72:.0f} in; even at {MIN_RENDER_DPI} dpi "
            f"it exceeds the {MAX_PAGE_PIXELS // 1_000_000} Mpx page limit"
        )
    if budget_dpi < dpi:
        log.warning("PDF page %d rendered at %s dpi instead of %.0f dpi: page limit %d Mpx",
                    number, budget_dpi, dpi, MAX_PAGE_PIXELS // 1_000_000)
    exact = native is not None and native.one_to_one and budget_dpi == dpi == native.dpi
    return _PagePlan(dpi=budget_dpi, exact_image=exact)


@dataclass(frozen=True)
class _NativeImage:
    dpi: float  # the finer of the two axes (aspect.pdf is 200 x 100 dpi: render at 200)
    one_to_one: bool  # axis-aligned and square pixels: rendering at `dpi` maps pixel to pixel


def _full_page_image(page: Any, page_area: float) -> _NativeImage | None:
    """The page's only image when it covers the page (a scan), else None."""
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2))
    if len(images) != 1:
        return None
    image = images[0]
    left, bottom, right, top = image.get_bounds()
    if (right - left) * (top - bottom) < FULL_PAGE_SHARE * page_area:
        return None
    # The image matrix maps the unit square to the page, so its column lengths are the image's
    # width and height in points, whatever rotation or skew the PDF applies.
    a, b, c, d, _e, _f = image.get_matrix().get()
    width_px, height_px = image.get_px_size()
    width_pt, height_pt = math.hypot(a, b), math.hypot(c, d)
    if width_pt <= 0 or height_pt <= 0:
        return None
    dpi_x, dpi_y = width_px / width_pt * 72, height_px / height_pt * 72
    axis_aligned = (b == 0 and c == 0) or (a == 0 and d == 0)
    one_to_one = axis_aligned and abs(dpi_x - dpi_y) < 0.01 * dpi_x
    dpi = max(dpi_x, dpi_y)
    # resampled anyway: drop float noise (300.0004 dpi would add a row of pixels)
    return _NativeImage(dpi if one_to_one else round(dpi, 1), one_to_one)


def _owned_page_array(view: np.ndarray) -> Image:
    """Copy the render out of PDFium's buffer: gray when all channels are equal (a third of the memory).

    PDFium renders RGB; checking and converting here is twice as fast as its own grayscale rendering
    (measured: 90 vs 180 ms for an A4 page at 300 dpi)."""
    if view.ndim == 3 and view.shape[2] == 1:
        return _frozen(view[:, :, 0])
    if view.ndim == 3 and view.shape[2] == 4:
        view = view[:, :, :3]  # RGBx/RGBA: PDFium's fill colour already made the page opaque
    if view.ndim == 3 and np.array_equal(view[:, :, 0], view[:, :, 1]) and np.array_equal(view[:, :, 1], view[:, :, 2]):
        return _frozen(view[:, :, 0])
    return _frozen(view)


def _frozen(array: np.ndarray) -> Image:
    array = np.array(array, dtype=np.uint8, order="C", copy=True)
    array.flags.writeable = False
    return array
