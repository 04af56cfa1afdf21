"""Line and symbol OCR on small crops for card and MRZ reading, on long-lived engines.

The engines are opened by the one Tesseract wrapper (`ocr.tesseract.open_api`: same tessdata folder, same
errors); card reading keeps two of its own so that its settings (the MRZ character whitelist) never leak
into page OCR.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import tesserocr
from PIL import Image as PILImage

from ocr.tesseract import open_api
from scanning.models import Image

MRZ_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"

_lock = threading.Lock()
_engines: dict[str, Any] = {}


def _engine(kind: str) -> Any:
    api = _engines.get(kind)
    if api is None:
        if kind == "mrz":
            api = open_api("eng", psm=tesserocr.PSM.SINGLE_BLOCK, variables={
                "tessedit_char_whitelist": MRZ_WHITELIST, "load_system_dawg": "0", "load_freq_dawg": "0"})
        else:
            api = open_api("vie", psm=tesserocr.PSM.SINGLE_BLOCK)
        _engines[kind] = api
    return api


@contextmanager
def _locked(kind: str) -> Iterator[Any]:
    with _lock:
        yield _engine(kind)


def _text_of(it: Any, level: Any) -> str:
    try:
        return str(it.GetUTF8Text(level))
    except RuntimeError:  # tesserocr: "No text returned" for an empty element
        return ""


def ocr_lines(image: Image, *, kind: str = "vie", psm: int | None = None, timeout_ms: int = 2000
              ) -> list[tuple[str, float]]:
    """Text lines of a gray or RGB image with each line's mean confidence (0..100).

    Recognition stops after `timeout_ms` (a noisy, unreadable image can otherwise take seconds); what was
    recognised by then is returned, possibly nothing.
    """
    return [(text, conf) for text, conf, _ in ocr_line_boxes(image, kind=kind, psm=psm, timeout_ms=timeout_ms)]


def ocr_line_boxes(image: Image, *, kind: str = "vie", psm: int | None = None, timeout_ms: int = 2000
                   ) -> list[tuple[str, float, tuple[int, int, int, int]]]:
    """Text lines with confidence and box (x0, y0, x1, y1); nothing when recognition timed out."""
    pil = PILImage.fromarray(image)
    with _locked(kind) as api:
        api.SetPageSegMode(psm if psm is not None else tesserocr.PSM.SINGLE_BLOCK)
        api.SetImage(pil)
        if not api.Recognize(timeout=timeout_ms):
            api.Clear()
            return []
        lines: list[tuple[str, float, tuple[int, int, int, int]]] = []
        it = api.GetIterator()
        level = tesserocr.RIL.TEXTLINE
        if it is not None:
            while True:
                text = _text_of(it, level)
                box = it.BoundingBox(level)
                if text and text.strip() and box is not None:
                    x0, y0, x1, y1 = (int(v) for v in box)
                    lines.append((text.strip(), float(it.Confidence(level)), (x0, y0, x1, y1)))
                if not it.Next(level):
                    break
        api.Clear()
    return lines


PSM_SINGLE_LINE = int(tesserocr.PSM.SINGLE_LINE)
PSM_SINGLE_BLOCK = int(tesserocr.PSM.SINGLE_BLOCK)


Symbol = tuple[str, float, int, int]  # character, confidence, left x, right x


def ocr_symbols(image: Image, *, kind: str = "mrz", psm: int | None = None, timeout_ms: int = 1000
                ) -> list[list[Symbol]]:
    """Recognised characters with their horizontal extent, grouped by text line (nothing on timeout)."""
    pil = PILImage.fromarray(image)
    out: list[list[Symbol]] = []
    with _locked(kind) as api:
        api.SetPageSegMode(psm if psm is not None else tesserocr.PSM.SINGLE_BLOCK)
        api.SetImage(pil)
        if not api.Recognize(timeout=timeout_ms):
            api.Clear()
            return []
        it = api.GetIterator()
        if it is not None:
            while True:
                if it.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                    out.append([])
                text = _text_of(it, tesserocr.RIL.SYMBOL)
                box = it.BoundingBox(tesserocr.RIL.SYMBOL)
                if text and box is not None and out:
                    out[-1].append((text, float(it.Confidence(tesserocr.RIL.SYMBOL)), int(box[0]), int(box[2])))
                if not it.Next(tesserocr.RIL.SYMBOL):
                    break
        api.Clear()
    return [line for line in out if line]
