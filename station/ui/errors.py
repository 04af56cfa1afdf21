"""The last resort for errors nobody caught: logged with their traceback, and told to the officer in Vietnamese.

An exception escaping a slot (PySide prints it through ``sys.excepthook``) or ending a thread
(``threading.excepthook``) would otherwise leave its only trace on stderr, which nobody at the counter
reads. The app goes on: what was captured is on disk and the officer is told what to do.
"""

from __future__ import annotations

import errno
import logging
import sys
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from station.errors import user_facing

log = logging.getLogger(__name__)

TITLE = "Lỗi không mong muốn"


_OS_ERRORS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã hết hạn mức dung lượng",
    errno.EROFS: "ổ đĩa chỉ cho phép đọc",
    errno.EACCES: "không có quyền ghi vào thư mục",
    errno.EPERM: "không có quyền ghi vào thư mục",
    errno.EIO: "lỗi đọc/ghi ổ đĩa",
    errno.EISDIR: "tên tệp cần ghi đang bị một thư mục chiếm",
    errno.ENOTDIR: "tên thư mục cần tạo đang bị một tệp chiếm",
}


def describe_error(err: BaseException) -> str:
    """One Vietnamese line for an error (no file names: they may carry personal data)."""
    typed = user_facing(err)  # any library's typed error: scanning, ocr, uploader
    if typed is not None:
        return typed.user_message
    if isinstance(err, OSError):
        reason = _OS_ERRORS.get(err.errno or 0, f"lỗi hệ thống tệp {type(err).__name__}")
        return f"Không ghi được tệp trên máy trạm: {reason}."
    return f"Lỗi nội bộ của chương trình ({type(err).__name__})."


def user_text(err: BaseException | None) -> str:
    """What the officer reads: what happened, that nothing captured is lost, what to do."""
    what = describe_error(err) if err is not None else "Lỗi nội bộ của chương trình."
    return (f"{what}\nCác trang đã quét vẫn được lưu trên máy và sẽ được khôi phục khi mở lại chương trình. "
            "Hãy thử lại; nếu lỗi lặp lại, hãy báo bộ phận kỹ thuật (chi tiết đã ghi vào nhật ký chương trình).")


class ErrorReporter(QObject):
    """Install with `install()`; `reported(text)` is emitted on the GUI thread for every error shown."""

    reported = Signal(str)
    _arrived = Signal(str)

    def __init__(self, window: QWidget | None = None, *, show_dialog: bool = True) -> None:
        super().__init__(window)
        self.window = window
        self.show_dialog = show_dialog
        self._previous: tuple[Callable[..., Any], Callable[..., Any]] | None = None
        self._arrived.connect(self._show, Qt.ConnectionType.QueuedConnection)  # from any thread to the GUI

    def install(self) -> None:
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook, threading.excepthook = self._previous
            self._previous = None

    def handle(self, kind: type[BaseException], err: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, err, tb)
            return
        log.error("uncaught %s", kind.__name__, exc_info=(kind, err, tb))
        self._arrived.emit(user_text(err))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        log.error("thread %s ended by %s", name, args.exc_type.__name__,
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        self._arrived.emit(user_text(args.exc_value))

    @Slot(str)
    def _show(self, text: str) -> None:
        if self.show_dialog:
            box = QMessageBox(QMessageBox.Icon.Critical, TITLE, text, QMessageBox.StandardButton.Ok, self.window)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()  # not exec(): a second error must not nest event loops
        self.reported.emit(text)
