"""Is a dropped file whole? A copy that pauses longer than the hot folder's settle time looks stable while
it is still half-written; these checks see that from the file itself, by its format's end marker or by
parsing its structure (the pixels are not decoded here).

`incomplete_reason(fd)` is None for a complete file and for formats it does not know (the importer then
judges them), else a short English reason. The file is read through the open descriptor with pread, so the
bytes checked are the bytes the hot folder then copies.
"""

from __future__ import annotations

import io
import os
import struct
import warnings

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the IEND chunk: zero length, type, CRC
JPEG_MAGIC = b"\xff\xd8\xff"
JPEG_EOI = b"\xff\xd9"
TAIL = 1024  # PDF: "%%EOF" must be within the last 1024 bytes (as readers look for it)


def incomplete_reason(fd: int) -> str | None:
    size = os.fstat(fd).st_size
    if size == 0:
        return "empty file (a copy may still be starting)"
    head = os.pread(fd, 16, 0)
    tail = os.pread(fd, TAIL, max(0, size - TAIL))
    if head.startswith(PNG_MAGIC):
        return None if PNG_END in tail[-64:] else "no PNG end chunk (IEND): the file is cut short"
    if head.startswith(JPEG_MAGIC):
        # Some writers pad after the end marker; inside the compressed data FF D9 cannot occur.
        return None if tail.rstrip(b"\x00\r\n\t ").endswith(JPEG_EOI) else "no JPEG end marker: the file is cut short"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff_reason(fd, size)
    if b"%PDF-" in os.pread(fd, 1024, 0):
        return _pdf_reason(fd, tail)
    if head[:2] == b"BM" and len(head) >= 6:
        declared = struct.unpack("<I", head[2:6])[0]
        return "BMP shorter than its header says: the file is cut short" if declared > size else None
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        declared = struct.unpack("<I", head[4:8])[0] + 8
        return "WebP shorter than its header says: the file is cut short" if declared > size else None
    return None


def _pdf_reason(fd: int, tail: bytes) -> str | None:
    import pikepdf

    if b"%%EOF" not in tail:
        return "no PDF end marker (%%EOF): the file is cut short"
    try:
        with _reader(fd) as stream, pikepdf.open(stream):
            return None
    except Exception as err:  # qpdf's own words for a PDF it cannot load
        return f"the PDF does not load ({type(err).__name__})"


def _tiff_reason(fd: int, size: int) -> str | None:
    """Every page's directory must parse and every strip or tile must lie inside the file."""
    from PIL import Image, TiffImagePlugin

    try:
        with warnings.catch_warnings(), _reader(fd) as stream, Image.open(stream) as image:
            warnings.simplefilter("ignore")  # a torn TIFF makes Pillow warn as well as fail: the reason says it
            if not isinstance(image, TiffImagePlugin.TiffImageFile):
                return None
            for number in range(getattr(image, "n_frames", 1)):
                image.seek(number)
                offsets = image.tag_v2.get(273) or image.tag_v2.get(324)  # StripOffsets / TileOffsets
                counts = image.tag_v2.get(279) or image.tag_v2.get(325)  # StripByteCounts / TileByteCounts
                if not offsets or not counts:
                    return f"TIFF page {number + 1} has no image data table"
                offsets = offsets if isinstance(offsets, tuple) else (offsets,)
                counts = counts if isinstance(counts, tuple) else (counts,)
                if max(int(o) + int(c) for o, c in zip(offsets, counts, strict=False)) > size:
                    return f"TIFF page {number + 1} is cut short"
    except Exception as err:  # Pillow's parser gave up: a directory is missing or torn
        return f"the TIFF does not parse ({type(err).__name__})"
    return None


def _reader(fd: int) -> io.BufferedReader:
    """A file object on its own descriptor, for the parsers (the caller's descriptor stays open)."""
    return os.fdopen(os.dup(fd), "rb")
