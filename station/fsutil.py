"""Writing files so that a crash, kill or power cut leaves either the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temp file beside `path`, then rename over it. `durable`: fsync the file and its folder
    first, so the new content survives a power cut once this returns (skip it for throw-away files)."""
    write_atomic_parts(path, (data,), durable=durable)


def write_atomic_parts(path: Path, parts: Iterable[bytes], *, durable: bool = True) -> None:
    """`write_atomic` for content produced piece by piece (large captures encrypted in chunks)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file 0600 and exclusively (O_EXCL), so a planted symlink is never written through;
    # the rename then replaces a link at `path` instead of following it.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            for part in parts:
                handle.write(part)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (best effort: some file systems refuse to open a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
