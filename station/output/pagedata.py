"""Page data kept on disk between two steps of making the output (the batch's spilled pages, the counter's
cleaned-page cache, a feeder's captures kept until their batch succeeded): data only, never code, and never
trusted as a path.

A file is ``MAGIC | header length (4 bytes, big-endian) | header (JSON) | blobs back to back``, sealed with
`station.atrest` (it holds page images and their OCR text: personal data). Nothing is unpickled: the header
is JSON checked field by field, images are raw bytes with their shape. A file name read back from a journal
is used only if it is a plain name of a regular file inside the folder it must be in (`confined_file`).
Whatever fails these checks raises `PageDataError`, and the caller redoes the page.
"""

from __future__ import annotations

import io
import json
import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ocr.models import OcrResult, OcrWord
from scanning.errors import StationError
from scanning.models import Image, Page
from station.atrest import AtRestError, read_sealed, write_sealed
from station.pdfa.encode import EncodedImage, EncodedPage, PreEncodedPage
from station.pdfa.models import Encoding

MAGIC = b"STPAGE\x01"
_LENGTH_BYTES = 4
MAX_HEADER_BYTES = 64 << 20
_COLOR_SPACES = ("/DeviceRGB", "/DeviceGray")
_FILTERS = ("/DCTDecode", "/CCITTFaxDecode", "/FlateDecode")


class PageDataError(StationError):
    """A page data file is missing, damaged, foreign or not where it must be: the page is done again."""

    exit_code = 1
    default_user_message = "Dữ liệu tạm của một trang bị hỏng hoặc không hợp lệ; trang đó sẽ được xử lý lại."


def plain_name(name: object) -> str:
    """`name` if it is a plain file name: no separator, not `.` or `..`, not absolute, no NUL."""
    if (not isinstance(name, str) or name in ("", ".", "..") or "/" in name or "\\" in name or "\0" in name
            or (os.altsep is not None and os.altsep in name)):
        raise PageDataError(f"not a plain file name: {name!r}")
    return name


def confined_file(folder: Path, name: object) -> Path:
    """`folder/name` if `name` is a plain file name of a regular file there (lstat: a symlink is refused,
    whatever it points at)."""
    path = folder / plain_name(name)
    try:
        mode = os.lstat(path).st_mode
    except OSError as err:
        raise PageDataError(f"{name}: {err.strerror or err}") from None
    if not stat.S_ISREG(mode):
        raise PageDataError(f"{name}: not a regular file")
    return path


def pack(kind: str, header: Mapping[str, Any], blobs: Sequence[bytes]) -> bytes:
    head = json.dumps({**header, "kind": kind, "blobs": [len(b) for b in blobs]}, ensure_ascii=False).encode()
    return b"".join((MAGIC, len(head).to_bytes(_LENGTH_BYTES, "big"), head, *blobs))


def unpack(data: bytes, kind: str) -> tuple[dict[str, Any], list[bytes]]:
    if not data.startswith(MAGIC):
        raise PageDataError("not a page data file")
    start = len(MAGIC) + _LENGTH_BYTES
    length = int.from_bytes(data[len(MAGIC):start], "big")
    if length > MAX_HEADER_BYTES or start + length > len(data):
        raise PageDataError("page data header is damaged")
    try:
        header = json.loads(data[start:start + length])
    except ValueError:
        raise PageDataError("page data header is not JSON") from None
    if not isinstance(header, dict) or header.get("kind") != kind:
        raise PageDataError(f"not a {kind} page data file")
    sizes = header.get("blobs")
    if not isinstance(sizes, list) or not all(isinstance(s, int) and s >= 0 for s in sizes):
        raise PageDataError("page data blob sizes are damaged")
    blobs: list[bytes] = []
    offset = start + length
    for size in sizes:
        blobs.append(data[offset:offset + size])
        offset += size
    if offset != len(data):
        raise PageDataError("page data is truncated or has trailing bytes")
    return header, blobs


def write_page_data(path: Path, kind: str, header: Mapping[str, Any], blobs: Sequence[bytes]) -> None:
    write_sealed(path, pack(kind, header, blobs))  # atomic, 0600, fsynced


def read_page_data(folder: Path, name: object, kind: str) -> tuple[dict[str, Any], list[bytes]]:
    path = confined_file(folder, name)
    try:
        return unpack(read_sealed(path), kind)
    except AtRestError as err:
        raise PageDataError(f"{path.name}: {err}") from None


# --- typed fields -------------------------------------------------------------------------------------------

def _get(mapping: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(mapping, dict):
        raise PageDataError("page data field group is not an object")
    value = mapping.get(key)
    if isinstance(value, bool) or not isinstance(value, kind):  # no field of a page file is a boolean
        raise PageDataError(f"page data field {key!r} is missing or of the wrong type")
    return value


def ocr_to_json(ocr: OcrResult | None) -> dict[str, Any] | None:
    if ocr is None:
        return None
    return {"text": ocr.text, "lang": ocr.lang, "width": ocr.width, "height": ocr.height,
            "mean_confidence": ocr.mean_confidence,
            "words": [[w.text, list(w.bbox), w.confidence, w.block, w.line] for w in ocr.words]}


def ocr_from_json(data: Any) -> OcrResult | None:
    if data is None:
        return None
    words: list[OcrWord] = []
    for item in _get(data, "words", list):
        if not (isinstance(item, list) and len(item) == 5 and isinstance(item[0], str) and isinstance(item[1], list)
                and len(item[1]) == 4 and all(isinstance(v, int) for v in item[1])
                and isinstance(item[2], int | float) and isinstance(item[3], int) and isinstance(item[4], int)):
            raise PageDataError("page data OCR word is damaged")
        x, y, w, h = item[1]
        words.append(OcrWord(item[0], (x, y, w, h), float(item[2]), item[3], item[4]))
    return OcrResult(text=_get(data, "text", str), words=tuple(words), lang=_get(data, "lang", str),
                     width=_get(data, "width", int), height=_get(data, "height", int),
                     mean_confidence=float(_get(data, "mean_confidence", (int, float))))


def image_to_blob(image: Image) -> tuple[list[int], bytes]:
    return list(image.shape), np.ascontiguousarray(image, dtype=np.uint8).tobytes()


def image_from_blob(shape: Any, blob: bytes) -> Image:
    if not (isinstance(shape, list) and len(shape) in (2, 3) and all(isinstance(v, int) and v > 0 for v in shape)
            and (len(shape) == 2 or shape[2] in (3, 4))):
        raise PageDataError("page data image shape is damaged")
    if int(np.prod(shape)) != len(blob):
        raise PageDataError("page data image size does not match its shape")
    return np.frombuffer(blob, dtype=np.uint8).reshape(shape).copy()


# --- a page whose image was already encoded (the batch's spill) --------------------------------------------

SPILL_KIND = "pre-encoded-page"


def _encoded_image_json(image: EncodedImage) -> dict[str, Any]:
    return {"encoding": image.encoding.value, "width": image.width, "height": image.height,
            "color_space": image.color_space, "bits_per_component": image.bits_per_component,
            "filter": image.filter, "decode_parms": image.decode_parms}


def _encoded_image(data: Any, blob: bytes) -> EncodedImage:
    color_space, filter_ = _get(data, "color_space", str), _get(data, "filter", str)
    parms = data.get("decode_parms") if isinstance(data, dict) else None
    if color_space not in _COLOR_SPACES or filter_ not in _FILTERS:
        raise PageDataError("page data image stream is not one the station writes")
    if parms is not None and not (isinstance(parms, dict) and all(isinstance(k, str) and isinstance(v, int | bool)
                                                                 for k, v in parms.items())):
        raise PageDataError("page data decode parameters are damaged")
    try:
        encoding = Encoding(_get(data, "encoding", str))
    except ValueError:
        raise PageDataError("page data encoding is unknown") from None
    return EncodedImage(blob, encoding, _get(data, "width", int), _get(data, "height", int), color_space,
                        _get(data, "bits_per_component", int), filter_, parms)


def write_spill(path: Path, page: PreEncodedPage) -> None:
    encoded = page.encoded
    layers = [layer for layer in (encoded.mask, encoded.foreground) if layer is not None]
    blobs = [encoded.base.data] + [layer.data for layer in layers]
    header = {
        "encoding": encoded.encoding.value,
        "base": _encoded_image_json(encoded.base),
        "mask": _encoded_image_json(encoded.mask) if encoded.mask is not None else None,
        "foreground": _encoded_image_json(encoded.foreground) if encoded.foreground is not None else None,
        "width": page.width, "height": page.height, "dpi": page.dpi, "sha256": page.sha256,
        "quality_score": page.quality_score, "ocr": ocr_to_json(page.ocr),
    }
    write_page_data(path, SPILL_KIND, header, blobs)


def read_spill(folder: Path, name: object) -> PreEncodedPage:
    header, blobs = read_page_data(folder, name, SPILL_KIND)
    has_mask = header.get("mask") is not None
    if has_mask != (header.get("foreground") is not None):
        raise PageDataError("page data has a mask without its foreground layer, or the reverse")
    if len(blobs) != (3 if has_mask else 1):
        raise PageDataError("page data has the wrong number of image streams")
    quality = header.get("quality_score")
    if quality is not None and not isinstance(quality, int):
        raise PageDataError("page data quality score is damaged")
    try:
        encoding = Encoding(_get(header, "encoding", str))
    except ValueError:
        raise PageDataError("page data encoding is unknown") from None
    encoded = EncodedPage(encoding, _encoded_image(header.get("base"), blobs[0]),
                          _encoded_image(header.get("mask"), blobs[1]) if has_mask else None,
                          _encoded_image(header.get("foreground"), blobs[2]) if has_mask else None)
    return PreEncodedPage(encoded, _get(header, "width", int), _get(header, "height", int),
                          float(_get(header, "dpi", (int, float))), ocr_from_json(header.get("ocr")),
                          _get(header, "sha256", str), quality)


# --- a scanner capture kept until its batch succeeded -------------------------------------------------------

CAPTURE_KIND = "capture"


def write_capture(path: Path, page: Page) -> None:
    """A captured page, losslessly (PNG inside), sealed: a card image never lies on disk in clear."""
    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.fromarray(page.image).save(buffer, format="PNG", compress_level=1)
    write_page_data(path, CAPTURE_KIND, {"dpi": page.dpi}, [buffer.getvalue()])


def read_capture(path: Path) -> Page:
    """The page `write_capture` kept in `path` (a symlink is refused; a foreign or damaged file raises)."""
    import warnings

    from PIL import Image as PILImage

    from scanning.drivers.pixels import to_page_array

    try:
        header, blobs = unpack(read_sealed(path), CAPTURE_KIND)
    except AtRestError as err:
        raise PageDataError(f"{path.name}: {err}") from None
    dpi = header.get("dpi")
    if len(blobs) != 1 or not (dpi is None or (isinstance(dpi, int) and not isinstance(dpi, bool) and dpi > 0)):
        raise PageDataError(f"{path.name}: not a capture")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(io.BytesIO(blobs[0]), formats=["PNG"]) as image:
                pixels = to_page_array(image)
    except (OSError, ValueError, PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as err:
        raise PageDataError(f"{path.name}: the captured image is damaged ({err})") from None
    return Page(image=pixels, dpi=dpi, source=str(path), index=1)
