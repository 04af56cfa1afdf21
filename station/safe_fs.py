"""File operations in folders the station owns that never follow a symbolic link.

A hot folder is often shared: whoever can drop a file there can also plant a link, or replace a subfolder
by one. Everything here works relative to an open folder descriptor (``dir_fd``), opens with
``O_NOFOLLOW`` and looks with ``lstat``, so a link is refused instead of followed; folders the station
creates are 0700 and must belong to the station's user; new files are created with ``O_EXCL`` (never over
an existing file or link). Linux/POSIX only, like the rest of the station.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat

from scanning.errors import StationError

NAME_MAX = 255  # bytes in one file name (ext4, xfs, btrfs, tmpfs)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


class UnsafeFolderError(StationError):
    """A folder the station must own is a link, not a folder, or belongs to another user: it is not used."""

    exit_code = 2
    default_user_message = (
        "Một thư mục của trạm là liên kết (symlink), không phải thư mục thật hoặc thuộc người dùng khác, "
        "nên trạm không dùng nó. Xoá liên kết, tạo lại thư mục thật rồi chạy lại; tệp chưa xử lý vẫn được giữ."
    )


class RefusedEntryError(Exception):
    """An entry the station was about to read is a link or not a regular file; `reason` says which."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{display_name(name)}: {reason}")
        self.reason = reason


def display_name(name: str) -> str:
    """A file name fit for messages, logs and JSON: bytes that are not UTF-8 become ``\\xNN``, control
    characters (a newline in a name) become their escape, everything else (Vietnamese) stays as it is."""
    text = os.fsencode(name).decode("utf-8", errors="backslashreplace")
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def fit_name(stem: str, suffix: str, *, reserve: int = 0) -> str:
    """`stem + suffix`, with the stem shortened so the name plus `reserve` more bytes fits NAME_MAX."""
    limit = NAME_MAX - reserve - len(os.fsencode(suffix))
    while stem and len(os.fsencode(stem)) > limit:
        stem = stem[:-1]
    return stem + suffix


def open_folder(name: str, *, dir_fd: int, create: bool = False) -> int:
    """Open the subfolder `name` of `dir_fd` (creating it 0700 when asked); a link is refused, and so is a
    folder of another user (its owner could swap what the station files there)."""
    if create:
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=dir_fd)
    try:
        fd = os.open(name, _DIR_FLAGS, dir_fd=dir_fd)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.ENOTDIR):
            shown = display_name(name)
            raise UnsafeFolderError(
                f"{shown} is a symbolic link or not a folder: refused, nothing is moved through it",
                user_message=f"Thư mục “{shown}” là liên kết (symlink) hoặc không phải thư mục thật nên trạm "
                "không dùng. Xoá nó, tạo lại thư mục thật rồi chạy lại; tệp chưa xử lý vẫn nằm trong thư mục nhận.",
            ) from err
        raise
    owner = os.fstat(fd).st_uid
    if owner != os.geteuid():
        os.close(fd)
        shown = display_name(name)
        raise UnsafeFolderError(
            f"{shown} belongs to uid {owner}, not to this station's user: refused",
            user_message=f"Thư mục “{shown}” thuộc người dùng khác nên trạm không dùng. Xoá nó để trạm tạo lại, "
            "rồi chạy lại; tệp chưa xử lý vẫn nằm trong thư mục nhận.",
        )
    return fd


def lstat_entry(name: str, *, dir_fd: int) -> os.stat_result | None:
    """The entry itself (a link is not followed); None when it is gone."""
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None


def open_regular(name: str, *, dir_fd: int) -> int:
    """Open a regular file for reading; a link (even one swapped in after a look) or a FIFO, device or
    socket raises RefusedEntryError. O_NONBLOCK: opening a FIFO must not hang the loop."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise RefusedEntryError(name, "symbolic link: not followed") from err
        raise
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise RefusedEntryError(name, "not a regular file")
    return fd


def copy_into(src_fd: int, name: str, *, dir_fd: int, mtime_ns: int) -> None:
    """Copy the open file into a new file `name` of `dir_fd` (an old file or link of that name is removed,
    never written through), with the source's modification time."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name, dir_fd=dir_fd)
    out = os.open(name, _NEW_FILE_FLAGS, 0o600, dir_fd=dir_fd)
    try:
        offset = 0
        while True:
            chunk = os.pread(src_fd, 1 << 20, offset)
            if not chunk:
                break
            view = memoryview(chunk)
            while view:
                view = view[os.write(out, view):]
            offset += len(chunk)
        os.utime(out, ns=(mtime_ns, mtime_ns))
    except BaseException:
        os.close(out)
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dir_fd)
        raise
    os.close(out)


def create_exclusive(name: str, data: bytes, *, dir_fd: int) -> None:
    """Write a new file; FileExistsError when anything (a file, a link) already has that name."""
    fd = os.open(name, _NEW_FILE_FLAGS, 0o600, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def move_entry(name: str, target: str, *, src_dir_fd: int, dst_dir_fd: int) -> None:
    """Move one entry between two open folders without replacing anything at `target` (FileExistsError).

    link(2) + unlink is the atomic no-replace move; where a hard link is not possible (file systems without
    them, a file of another user under protected_hardlinks) rename(2) after a look. Both move the entry
    itself: a link is moved as a link, never followed, and neither folder is reached through a path."""
    try:
        os.link(name, target, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if lstat_entry(target, dir_fd=dst_dir_fd) is not None:
            raise FileExistsError(errno.EEXIST, "target exists", display_name(target)) from None
        os.rename(name, target, src_dir_fd=src_dir_fd, dst_dir_fd=dst_dir_fd)
        return
    try:
        os.unlink(name, dir_fd=src_dir_fd)
    except OSError:  # e.g. a sticky inbox and another user's file: it stays where it was, and only there
        with contextlib.suppress(OSError):
            os.unlink(target, dir_fd=dst_dir_fd)
        raise
