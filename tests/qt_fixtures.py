"""Qt for the test session: its one QApplication is created when the session starts, while the process has a
single thread (pytest-qt's `qapp` fixture then reuses it).

Why: QApplication() calls setlocale(LC_ALL, ""), which needs glibc's process-wide locale lock. SANE's `test`
backend (sanei_thread) runs its reader as a thread it cancels *asynchronously* in sane_cancel; a cancellation
that lands while the reader is inside strerror() (its write just failed with EPIPE because sane_cancel closed
the pipe first) leaves that lock held for good. The suite runs the SANE tests in-process before the first Qt
test, so at ~87 % the first QApplication waited for ever in __libc_setlocale_lock. Created first, it takes
the lock before any scanner thread exists. (The app does the same: station/ui/app.py creates QApplication
before anything else.)
"""

from __future__ import annotations

import locale
import os

import pytest

# The native threads of this process when the QApplication was created (1: nothing else was running).
THREADS_AT_QAPPLICATION: list[int] = []


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        THREADS_AT_QAPPLICATION.append(len(os.listdir("/proc/self/task")))
        config.stash[_APP] = QApplication(["pytest"])
        # Qt adopted the environment's locale for every category; C libraries used in-process (Tesseract,
        # qpdf) parse and print numbers with LC_NUMERIC, so keep that one as Python left it.
        locale.setlocale(locale.LC_NUMERIC, "C")


_APP = pytest.StashKey[object]()
