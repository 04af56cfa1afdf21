"""Work that never runs on the GUI thread: device listing, scanning, analysis, backend calls, PDF building.

Threads (QThreadPool + QRunnable) for I/O-bound work — SANE releases the interpreter lock while a page is
read, PNG encoding and fsync happen in C — and a process pool for page analysis (CPU-bound Python and
Tesseract). Results reach the GUI through Qt signals (queued connections into the GUI thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from scanning.drivers.base import ScanDriver
from scanning.errors import ScanCancelledError, ScannerError
from scanning.models import Page, ScanOptions
from station.counter.capture import ScanTarget
from station.errors import USER_FACING_ERRORS
from station.pipeline import AnalysisOptions
from station.ui.analysis_worker import (
    PREVIEW_HEIGHT,
    THUMB_HEIGHT,
    CounterAnalysis,
    analyze_capture,
    analyze_for_counter,
    init_worker,
)
from station.ui.analysis_worker import shrink as shrink_image
from station.ui.calls import Calls, pool
from station.ui.controller import PageInfo
from station.workflow.finish import analysis_dir
from station.workflow.session import SessionStore

log = logging.getLogger(__name__)

__all__ = ["AnalysisService", "Calls", "ScanWorker", "pool"]


class ScanSignals(QObject):
    pageCaptured = Signal(str, object, object)  # page id, PageInfo, ScanTarget
    finished = Signal(int)  # pages captured
    failed = Signal(object, int)  # the typed error (Vietnamese user_message), pages captured before it


class ScanWorker(QRunnable):
    """One scan job: every page is journalled (fsynced PNG) before the GUI hears of it."""

    def __init__(
        self,
        driver: ScanDriver,
        device: str,
        options: ScanOptions,
        store: SessionStore,
        target: ScanTarget,
        on_page: Callable[[str, SessionStore, Path | None], None] | None = None,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the window holds it while the job runs
        self.driver = driver
        self.device = device
        self.options = options
        self.store = store
        self.target = target
        self.on_page = on_page  # e.g. hand the page to the analysis pool (thread-safe)
        self.cancel = threading.Event()
        self.ended = threading.Event()  # run() returned: the window may let go of this job
        self.signals = ScanSignals()

    def run(self) -> None:
        try:
            self._scan()
        finally:
            self.ended.set()

    def _scan(self) -> None:
        count = 0
        try:
            for page in self.driver.scan(self.device, self.options, self.cancel):
                page_id = self.store.save_capture(page)
                preview = shrink_image(page.image, PREVIEW_HEIGHT)
                info = PageInfo(shrink_image(preview, THUMB_HEIGHT), preview, page.dpi)  # one full-size pass
                count += 1
                self.signals.pageCaptured.emit(page_id, info, self.target)
                if self.on_page is not None:  # the worker reads the capture back: no 8.7 MB pickle in this process
                    self.on_page(page_id, self.store, analysis_dir(self.store))
        except ScanCancelledError:
            pass
        except USER_FACING_ERRORS as err:  # any library's typed error: its user_message is shown
            self.signals.failed.emit(err, count)
            return
        except Exception as err:  # an unexpected fault still ends the job cleanly, pages kept
            log.exception("scan job failed")
            self.signals.failed.emit(ScannerError(f"unexpected scan failure: {type(err).__name__}"), count)
            return
        self.signals.finished.emit(count)


class AnalysisService(QObject):
    """Page analysis in a process pool; results come back as signals on the GUI thread."""

    analyzed = Signal(str, object)  # page id, CounterAnalysis
    failed = Signal(str, str)  # page id, technical reason
    idle = Signal()

    def __init__(self, options: AnalysisOptions, workers: int = 1, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self._executor = ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                                             initializer=init_worker)
        self._lock = threading.Lock()
        self._in_flight = 0
        self._closed = False

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._in_flight > 0

    def warm_up(self) -> None:
        """Start the worker process now (imports and engine load take a second or two)."""
        self._executor.submit(_warm_up)

    def submit(self, page_id: str, page: Page, cache_dir: Path | None = None) -> None:
        """Thread-safe: analyse a page held in memory (it is pickled to the worker)."""
        self._submit(page_id, analyze_for_counter, page, self.options, cache_dir, page_id)

    def submit_capture(self, page_id: str, store: SessionStore, cache_dir: Path | None = None) -> None:
        """Thread-safe: analyse a capture saved in `store`; the worker reads it back from disk. Sending the
        full-resolution page instead meant copying and pickling ~9 MB per page in this process, holding the
        interpreter lock the GUI thread needs."""
        self._submit(page_id, analyze_capture, store, page_id, self.options, cache_dir)

    def _submit(self, page_id: str, fn: Callable[..., CounterAnalysis], *args: object) -> None:
        with self._lock:  # submitted under the lock: never into an executor shut down meanwhile
            if self._closed:
                return
            self._in_flight += 1
            future = self._executor.submit(fn, *args)
        future.add_done_callback(lambda f: self._done(page_id, f))

    def _done(self, page_id: str, future: Future[CounterAnalysis]) -> None:
        """On the executor's thread. Emits under the lock, after checking `_closed`: once shutdown() returned,
        nothing is emitted any more (the window and this object may be deleted). A page whose result is
        dropped is safe on disk and analysed again when its session is restored."""
        try:
            result: CounterAnalysis | None = future.result()
            reason = ""
        except BaseException as err:
            result, reason = None, f"{type(err).__name__}: {err}"
        with self._lock:
            self._in_flight -= 1
            if self._closed:
                log.debug("analysis result for %s arrived after the window closed", page_id)
                return
            if result is not None:
                self.analyzed.emit(page_id, result)
            else:
                self.failed.emit(page_id, reason)
            if self._in_flight == 0:
                self.idle.emit()

    def shutdown(self) -> None:
        with self._lock:
            self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    import station.pipeline  # noqa: F401 - the imports are the point
    from ocr.tesseract import engine_for

    engine_for()
