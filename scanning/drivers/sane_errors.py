"""SANE status -> typed station error.

python-sane raises ``_sane.error`` whose text is ``sane_strstatus(status)``: the fixed English strings
of sanei/sane_strstatus.c. Matching on them is the only way python-sane lets us tell a jam from a
cover-open, so they are kept here, in one table.
"""

from __future__ import annotations

from scanning.errors import (
    CoverOpenError,
    DeviceBusyError,
    DeviceGoneError,
    DeviceNotFoundError,
    NoDocumentsError,
    PaperJamError,
    ScanCancelledError,
    ScannerError,
)

STATUS_JAMMED = "Document feeder jammed"
STATUS_NO_DOCS = "Document feeder out of documents"
STATUS_COVER_OPEN = "Scanner cover is open"
STATUS_DEVICE_BUSY = "Device busy"
STATUS_IO_ERROR = "Error during device I/O"
STATUS_CANCELLED = "Operation was cancelled"
STATUS_INVALID = "Invalid argument"
STATUS_ACCESS_DENIED = "Access to resource has been denied"

_BY_STATUS: dict[str, type[ScannerError]] = {
    STATUS_JAMMED: PaperJamError,
    STATUS_NO_DOCS: NoDocumentsError,
    STATUS_COVER_OPEN: CoverOpenError,
    STATUS_DEVICE_BUSY: DeviceBusyError,
    STATUS_IO_ERROR: DeviceGoneError,
    STATUS_CANCELLED: ScanCancelledError,
    "SaneDev object is closed": DeviceGoneError,
}


def error_for_status(status: str, *, device: str, page: int | None = None) -> ScannerError:
    """The typed error for a SANE status seen on `device` while reading `page` (None: while opening)."""
    where = f"{device}" if page is None else f"{device}, page {page}"
    error_type = _BY_STATUS.get(status, ScannerError)
    return error_type(f"scanner fault on {where}: {status}")


def error_for_open(status: str, *, device: str) -> ScannerError:
    """Opening fails with 'Invalid argument' when no such device exists (dll backend behaviour)."""
    if status in (STATUS_INVALID, STATUS_ACCESS_DENIED):
        return DeviceNotFoundError(f"cannot open scanner {device}: {status}")
    return error_for_status(status, device=device)


class DriverStoppedError(DeviceGoneError):
    """The SANE child process died or stopped answering (wedged driver, crash); it was killed."""

    default_user_message = (
        "Trình điều khiển máy quét ngừng phản hồi nên đã được khởi động lại. Các trang đã quét vẫn được giữ; "
        "kiểm tra máy quét rồi bấm Quét tiếp."
    )
