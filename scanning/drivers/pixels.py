"""Pillow images of any mode -> the station's page arrays: (H, W) gray or (H, W, 3) RGB, uint8."""

from __future__ import annotations

import numpy as np
from PIL import Image as PILImage

from scanning.models import Image

_ALPHA_MODES = ("RGBA", "RGBa", "LA", "La", "PA")


def to_page_array(image: PILImage.Image) -> Image:
    """Normalise: alpha on white, palette to RGB (or L if the palette is gray), 16/32-bit to 8-bit,
    1-bit to 0/255, CMYK to RGB (Pillow already un-inverts Adobe CMYK JPEGs when decoding)."""
    mode = image.mode
    if mode == "P":
        return _from_palette(image)
    if mode in _ALPHA_MODES:
        return _on_white(image)
    if mode in ("1", "L"):
        return _frozen(np.asarray(image.convert("L"), dtype=np.uint8))
    if mode.startswith("I") or mode == "F":
        return _frozen(_wide_to_8bit(np.asarray(image)))
    if mode != "RGB":
        image = image.convert("RGB")  # CMYK, YCbCr, LAB, HSV
    return _frozen(np.asarray(image, dtype=np.uint8))


def _from_palette(image: PILImage.Image) -> Image:
    if "transparency" in image.info:
        return _on_white(image.convert("RGBA"))
    palette = np.asarray(image.getpalette() or [], dtype=np.uint8).reshape(-1, 3)
    is_gray = palette.size > 0 and bool(np.all(palette == palette[:, :1]))
    return _frozen(np.asarray(image.convert("L" if is_gray else "RGB"), dtype=np.uint8))


def _on_white(image: PILImage.Image) -> Image:
    gray = image.mode in ("LA", "La")
    rgba = image.convert("LA" if gray else "RGBA")
    background = PILImage.new(rgba.mode, rgba.size, (255, 255) if gray else (255, 255, 255, 255))
    flat = PILImage.alpha_composite(background.convert("RGBA"), rgba.convert("RGBA"))
    return _frozen(np.asarray(flat.convert("L" if gray else "RGB"), dtype=np.uint8))


def _wide_to_8bit(values: np.ndarray) -> Image:
    """16-bit (or 32-bit int / float) gray: 0..65535 keeps the high byte; data that never passes 255 stays."""
    if values.size and float(values.max()) > 255:
        wide = np.clip(values, 0, 65535).astype(np.uint32) >> 8
        return np.asarray(wide, dtype=np.uint8)
    return np.asarray(np.clip(values, 0, 255), dtype=np.uint8)


def _frozen(array: np.ndarray) -> Image:
    array = np.ascontiguousarray(array, dtype=np.uint8)
    array.flags.writeable = False  # an imported page, like a capture, is never modified afterwards
    return array
