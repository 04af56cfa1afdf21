"""Private files and folders: 0700 folders, 0600 files, whatever the process umask (queue, backend store).

Applicant documents and the queue that names them are personal data (Decree 356/2025): nobody but the
station's own user may read them. Symlinks are not followed when a file is created.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create path (and missing parents) as 0700; an existing folder is narrowed to 0700 too."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if path.is_symlink() or not path.is_dir():
        raise NotADirectoryError(f"{path} is not a folder")
    os.chmod(path, DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create path empty if missing (never through a symlink) and make it 0600."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(f"{path} is not a regular file")
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write a new file as 0600 (exclusive create: never over an existing file or a planted symlink), fsync'd."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)
