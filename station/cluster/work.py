"""What a worker does with one page message: the same `work_on_page` as the local pool, between the shared folder's
capture (in) and result (out) files.

A message carries a path and page numbers, never pixels or text:

    {"work_dir": "<OUT>/.station-work/<batch>", "position": 12, "input": 3, "page": 2,
     "captured_at": "2025-07-02T02:30:00+00:00", "dpi": 300}

The worker reads the batch's options from `<work_dir>/cluster/batch.options` and the page from
`<work_dir>/cluster/<position>.capture` (both sealed), writes the page's data into
`<work_dir>/pages/` and its answer to `<work_dir>/cluster/<position>.result` (sealed, atomic). Doing a page twice
(a redelivery after a worker died) writes the same files again under the same names: the coordinator, which
records each position once, never sees a duplicate.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from station.atrest import AtRestError
from station.batch.resume_log import private_dir
from station.batch.runner import INPUT_NAME, work_on_page
from station.cluster.codec import (
    MessageError,
    PageFailure,
    capture_name,
    from_json,
    read_options,
    read_result,
    write_result,
)
from station.output.pagedata import PageDataError, read_capture

log = logging.getLogger(__name__)

CLUSTER_DIR = "cluster"
PAGES_DIR = "pages"
# Test-only fault: a worker process dies (SIGKILL, as a crash in native code would) on the page whose pixels
# have this SHA-256. It stands for a page that truly crashes a decoder, which cannot be made on demand.
CRASH_VARIABLE = "STATION_TEST_WORKER_CRASH_SHA256"
_DISK_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EFBIG, errno.EPERM)


def shared_folder(work_dir: Path) -> Path:
    return private_dir(work_dir / CLUSTER_DIR)


def check_work_dir(value: Any, shared_root: Path | None) -> Path:
    """The batch work folder named by a message: absolute, a real folder, inside `shared_root` if one is set
    (a worker writes only where its operator allowed)."""
    path = Path(from_json(str, value))
    if not path.is_absolute() or ".." in path.parts:
        raise MessageError("work folder: not an absolute plain path")
    if shared_root is not None and not path.resolve().is_relative_to(shared_root.resolve()):
        raise MessageError("work folder: outside the worker's shared root")
    if path.is_symlink() or not path.is_dir():
        raise MessageError("work folder: not a folder")
    return path


def do_page(message: Any, *, attempt: int, max_attempts: int, shared_root: Path | None = None) -> str:
    """Do one page message; returns the outcome ("page", "failed", "unreadable", "done-before"), for the log.
    Every outcome is an answer on the shared folder; a message naming no usable batch folder raises
    MessageError (there is nowhere to answer: a worker without the shared folder mounted, a forged message)."""
    if not isinstance(message, dict):
        raise MessageError("not an object")
    work_dir = check_work_dir(message.get("work_dir"), shared_root)
    position = from_json(int, message.get("position"))
    folder = shared_folder(work_dir)
    try:
        read_result(folder, position)
        return "done-before"  # a redelivered message whose page was finished: nothing to do twice
    except PageDataError:
        pass
    if attempt > max_attempts:  # it crashed a worker every time: reported, and the batch goes on
        log.warning("page %06d crashed a worker %d times: reported unreadable", position, attempt - 1)
        write_result(folder, position, PageFailure("crashed", f"page crashed a worker {attempt - 1} times"))
        return "unreadable"
    try:
        options = read_options(folder, work_dir)
    except PageDataError as err:  # written by the coordinator: this worker has another at-rest key (or none)
        write_result(folder, position, PageFailure("atrest", f"batch options not readable on the worker: {err}"))
        return "failed"
    captured = message.get("captured_at")
    try:
        page = replace(read_capture(folder / capture_name(position)), source=INPUT_NAME,
                       index=from_json(int, message.get("page")), dpi=from_json(int | None, message.get("dpi")),
                       captured_at=datetime.fromisoformat(captured) if isinstance(captured, str) else None)
    except (PageDataError, MessageError, ValueError, OSError) as err:  # told: the coordinator never waits
        write_result(folder, position, PageFailure("page", f"page {position:06d} not readable on the worker: {err}"))
        return "failed"
    _maybe_crash(page.image)
    try:
        result = work_on_page(position, from_json(int, message.get("input")), page, options,
                              private_dir(work_dir / PAGES_DIR))
    except Exception as err:  # told to the coordinator, which decides as the local run does
        write_result(folder, position, _failure(err))
        return "failed"
    write_result(folder, position, result)
    log.info("page %06d done (attempt %d)", position, attempt)
    return "page"


def _failure(err: Exception) -> PageFailure:
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno in _DISK_ERRNOS:
            return PageFailure("disk", str(cause.strerror or cause), cause.errno)
        cause = cause.__cause__
    if isinstance(err, AtRestError):
        return PageFailure("atrest", str(err))
    return PageFailure("page", str(err) or type(err).__name__)


def _maybe_crash(image: Any) -> None:
    wanted = os.environ.get(CRASH_VARIABLE)
    if not wanted:
        return
    from station.pdfa.models import image_sha256

    if image_sha256(image) == wanted:
        os.kill(os.getpid(), signal.SIGKILL)
