"""Reduced JPEG previews of pages for the review screen (pure image functions + one atomic write)."""

from __future__ import annotations

import os
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

Image = npt.NDArray[np.uint8]

JPEG_QUALITY = 80
MOSAIC_LONG_SIDE = 32


def reduce(image: Image, long_side: int) -> Image:
    height, width = image.shape[:2]
    scale = min(1.0, long_side / max(height, width))
    if scale >= 1.0:
        return image
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def pixelate(image: Image, long_side: int) -> Image:
    """A coarse mosaic at the preview size: layout visible, no text, face or number readable."""
    height, width = image.shape[:2]
    small = reduce(image, MOSAIC_LONG_SIDE)
    out = cv2.resize(small, (width, height), interpolation=cv2.INTER_NEAREST)
    return reduce(np.asarray(out, dtype=np.uint8), long_side)


def encode_jpeg(image: Image) -> bytes:
    if image.ndim == 3:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), dtype=np.uint8)
    ok, buf = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return bytes(buf.tobytes())


def write_sealed(path: Path, data: bytes) -> None:
    """Previews are page images: sealed at rest (station.atrest). Atomic, but without the cost of fsync (a
    preview lost in a power cut only means the supervisor sees none)."""
    from station.atrest import seal
    from station.fsutil import write_atomic

    write_atomic(path, seal(data, name=path.name), durable=False)


def read_sealed(path: Path) -> bytes:
    from station.atrest import read_sealed as read

    return read(path)


def read_legacy(path: Path) -> bytes | None:
    """A plain JPEG preview written before previews were sealed (never through a symlink)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read()
    return data if data.startswith(b"\xff\xd8") else None
