"""Deliberate size limits for imported pages (decompression bombs, 35000 x 35000 px pages).

A page is at most MAX_PAGE_PIXELS pixels (100 Mpx: an A3 page at 600 dpi is 70 Mpx; a 300 dpi A4 page
is 8.7 Mpx). As RGB that is 300 MB, so even with the renderer's and numpy's copies an import stays
well under 2 GiB. PDFs are rendered at a lower dpi to fit the budget; raster files, whose decoders
would allocate the full image first, are refused.
"""

from __future__ import annotations

import math

from PIL import Image

MAX_PAGE_PIXELS = 100_000_000
MIN_RENDER_DPI = 20  # below this a page would be unreadable: refuse instead of rendering a thumbnail
MAX_RENDER_DPI = 600  # more than any OCR or archive needs; a 2400 dpi page image is rendered at 600
DEFAULT_PDF_DPI = 300

# Pillow refuses images above twice this limit with DecompressionBombError and warns above it; the
# importer checks the size itself first, so this only backs up the check with Pillow's own.
Image.MAX_IMAGE_PIXELS = MAX_PAGE_PIXELS


def dpi_within_budget(width_in: float, height_in: float, dpi: float) -> float:
    """`dpi`, lowered if a page of this size in inches would exceed MAX_PAGE_PIXELS."""
    pixels = width_in * dpi * height_in * dpi
    if pixels <= MAX_PAGE_PIXELS:
        return dpi
    return math.floor(math.sqrt(MAX_PAGE_PIXELS / (width_in * height_in)))
