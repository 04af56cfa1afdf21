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
MIN_SIZE = 16  # below this not even a format's header is there; no page file is that small
TAIL = 1024  # PDF: "%%EOF" must be within the last 1024 bytes (as readers look for it)


def incomplete_reason(fd: int) -> str | None:
    size = os.fstat(fd).st_size
    if size < MIN_SIZE:
        return "too short to be a page (a copy may still be starting)"
    head = os.pread(fd, 16, 0)
    tail = os.pread(fd, TAIL, max(0, size - TAIL))
    if head.startswith(PNG_MAGIC):
        return None if PNG_END in tail[-64:] else "no PNG end chunk (IEND): the file is cut short"
    if head.startswith(JPEG_MAGIC):
        # Some writers pad after the end marker; inside the compressed data FF D9 cannot occur.
        return None if tail.rstrip(b"\x00\r\n\t ").endswith(JPEG_EOI) else "no JPEG end marker: the file is cut short"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return _tiff_reason(fd, size, head)
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


def _tiff_reason(fd: int, size: int, head: bytes) -> str | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a torn TIFF makes Pillow warn as well as fail: the reason says it
            return _tiff_pages_reason(fd, size, head)
    except Exception as err:  # Pillow's parser gave up: a directory is missing or torn
        return f"the TIFF does not parse ({type(err).__name__})"


def _tiff_pages_reason(fd: int, size: int, head: bytes) -> str | None:
    """Every page's directory (and what it points to) and every strip or tile must lie inside the file."""
    from PIL import Image, TiffImagePlugin

    with _reader(fd) as stream, Image.open(stream) as image:
        if not isinstance(image, TiffImagePlugin.TiffImageFile):
            return None
        for number in range(getattr(image, "n_frames", 1)):
            image.seek(number)
            if _ifd_end(fd, head, image.tag_v2.offset) > size:
                return f"TIFF page {number + 1} has a torn directory"
            offsets = image.tag_v2.get(273) or image.tag_v2.get(324)  # StripOffsets / TileOffsets
            counts = image.tag_v2.get(279) or image.tag_v2.get(325)  # StripByteCounts / TileByteCounts
            if not offsets or not counts:
                return f"TIFF page {number + 1} has no image data table"
            offsets = offsets if isinstance(offsets, tuple) else (offsets,)
            counts = counts if isinstance(counts, tuple) else (counts,)
            if max(int(o) + int(c) for o, c in zip(offsets, counts, strict=False)) > size:
                return f"TIFF page {number + 1} is cut short"
    return None


_TIFF_TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
                    16: 8, 17: 8, 18: 8}


def _ifd_end(fd: int, head: bytes, offset: int | None) -> int:
    """Where a TIFF directory and the values it points to end (Pillow reads a torn last value silently)."""
    if offset is None:
        return 0
    endian = "<" if head[:2] == b"II" else ">"
    big = struct.unpack(f"{endian}H", head[2:4])[0] == 43
    count_size, entry_size, inline, pointer = (8, 20, 8, "Q") if big else (2, 12, 4, "I")
    raw = os.pread(fd, count_size, offset)
    if len(raw) < count_size:
        return offset + count_size + 1
    count = int(struct.unpack(f"{endian}{'Q' if big else 'H'}", raw)[0])
    entries = os.pread(fd, count * entry_size, offset + count_size)
    end = offset + count_size + count * entry_size + inline  # + the next directory's offset
    for start in range(0, len(entries) - entry_size + 1, entry_size):
        kind = struct.unpack(f"{endian}H", entries[start + 2:start + 4])[0]
        number, where = struct.unpack(f"{endian}{pointer}{pointer}", entries[start + 4:start + 4 + 2 * inline])
        length = _TIFF_TYPE_SIZES.get(kind, 1) * int(number)
        if length > inline:
            end = max(end, int(where) + length)
    return end


def _reader(fd: int) -> io.BufferedReader:
    """A file object on its own descriptor, for the parsers (the caller's descriptor stays open)."""
    return os.fdopen(os.dup(fd), "rb")
