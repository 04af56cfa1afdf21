"""Import pages from files: PNG, JPEG, TIFF (multi-page), BMP, WebP and PDF, one page at a time.

Every failure is one typed ImportFailedError whose message names the file and the reason; nothing
else escapes (no traceback for a broken or hostile file). Limits are in limits.py.
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from scanning.drivers.limits import DEFAULT_PDF_DPI, MAX_PAGE_PIXELS
from scanning.drivers.pdf_import import pdf_pages
from scanning.drivers.pixels import to_page_array
from scanning.errors import (
    CorruptFileError,
    FileTooLargeError,
    ImportFailedError,
    ScanCancelledError,
    UnsupportedFileError,
)
from scanning.models import Image, Page

IMAGE_FORMATS = ("PNG", "JPEG", "TIFF", "BMP", "WEBP", "MPO")  # MPO: phone JPEGs Pillow names so
SUPPORTED_SUFFIXES = (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp")
PLAUSIBLE_DPI = (20, 10_000)  # outside this the file's resolution field is junk: say "unknown"


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def import_file(
    path: Path | str, *, pdf_dpi: int = DEFAULT_PDF_DPI, cancel: threading.Event | None = None
) -> Iterator[Page]:
    """Yield the file's pages in order (streaming: one decoded page in memory at a time).

    `pdf_dpi`: render dpi for PDF pages that are not a single full-page scan (see pdf_import)."""
    path = Path(path)
    try:
        if _is_pdf(path):
            yield from pdf_pages(path, dpi=pdf_dpi, cancel=cancel)
        else:
            yield from _image_pages(path, cancel)
    except (ImportFailedError, ScanCancelledError):
        raise
    except MemoryError as err:
        raise FileTooLargeError(f"{path}: not enough memory to decode the page") from err
    except Exception as err:  # a hostile file must end in one clear line, never a traceback
        raise CorruptFileError(f"{path}: cannot be read ({type(err).__name__}: {err})") from err


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except FileNotFoundError as err:
        raise ImportFailedError(f"{path}: no such file") from err
    except OSError as err:
        raise CorruptFileError(f"{path}: cannot be opened ({err.strerror})") from err
    return b"%PDF-" in head


def _image_pages(path: Path, cancel: threading.Event | None) -> Iterator[Page]:
    with _open_image(path) as image:
        if image.format not in IMAGE_FORMATS:
            raise UnsupportedFileError(f"{path}: {image.format} files are not supported")
        dpi = _dpi(image.info)
        for number in range(1, getattr(image, "n_frames", 1) + 1):
            if cancel is not None and cancel.is_set():
                raise ScanCancelledError(f"import of {path} cancelled after {number - 1} pages")
            image.seek(number - 1)
            yield Page(image=_decode_frame(image, path, number), dpi=_dpi(image.info) or dpi,
                       source=str(path), index=number)


def _open_image(path: Path) -> PILImage.Image:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            return PILImage.open(path)
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as err:
        raise FileTooLargeError(f"{path}: over the {MAX_PAGE_PIXELS // 1_000_000} Mpx page limit ({err})") from err
    except UnidentifiedImageError as err:
        raise UnsupportedFileError(f"{path}: not an image or PDF the station can read") from err


def _decode_frame(image: PILImage.Image, path: Path, number: int) -> Image:
    width, height = image.size
    if width * height > MAX_PAGE_PIXELS:  # checked before decoding: the decoder would allocate it all
        raise FileTooLargeError(
            f"{path}: page {number} is {width} x {height} px, over the {MAX_PAGE_PIXELS // 1_000_000} Mpx page limit"
        )
    try:
        image.load()
    except OSError as err:
        raise CorruptFileError(f"{path}: page {number} is damaged or truncated ({err})") from err
    upright = ImageOps.exif_transpose(image)  # phones and some scanners store the turn in EXIF only
    return to_page_array(upright if upright is not None else image)


def _dpi(info: Mapping[Any, object]) -> int | None:
    """Horizontal dpi from the file (PNG pHYs, JFIF/EXIF, TIFF tags), None when absent or junk."""
    value = info.get("dpi")
    if not isinstance(value, tuple) or not value:
        return None
    try:
        dpi = round(float(value[0]))
    except (TypeError, ValueError):
        return None
    return dpi if PLAUSIBLE_DPI[0] <= dpi <= PLAUSIBLE_DPI[1] else None
