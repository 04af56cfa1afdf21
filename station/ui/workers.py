"""Work that never runs on the GUI thread: device listing, scanning, analysis, backend calls, PDF building.

Threads (QThreadPool + QRunnable) for I/O-bound work — SANE releases the interpreter lock while a page is
read, PNG encoding and fsync happen in C — and a process pool for page analysis (CPU-bound Python and
Tesseract). Results reach the GUI through Qt signals (queued connections into the GUI thread).
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from scanning.drivers.base import ScanDriver
from scanning.errors import ScanCancelledError, ScannerError, StationError
from scanning.models import Page, ScanOptions
from station.pipeline import AnalysisOptions
from station.ui.analysis_worker import PREVIEW_HEIGHT, THUMB_HEIGHT, CounterAnalysis, analyze_for_counter, init_worker
from station.ui.analysis_worker import shrink as shrink_image
from station.ui.controller import PageInfo, ScanTarget
from station.workflow.finish import analysis_dir
from station.workflow.session import SessionStore

log = logging.getLogger(__name__)


def pool() -> QThreadPool:
    """The app's own thread pool (scans are long: they must not starve short jobs)."""
    instance = QThreadPool.globalInstance()
    instance.setMaxThreadCount(max(instance.maxThreadCount(), 6))
    return instance


class CallSignals(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception


class CallWorker(QRunnable):
    """Run one function on a pool thread; `done(result)` or `failed(exception)` on the GUI thread."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it until its result reached the GUI thread (see run_in_pool)
        self.fn = fn
        self.signals = CallSignals()

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as err:  # reported to the GUI, never lost in a thread
            log.warning("background job failed: %s", type(err).__name__)
            self.signals.failed.emit(err)
            return
        self.signals.done.emit(result)


_running: set[CallWorker] = set()  # kept alive until the queued result signal was delivered


def run_in_pool(fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
                failed: Callable[[Any], None] | None = None) -> CallWorker:
    """Run `fn` on a pool thread; `done(result)` / `failed(error)` are called on the GUI thread."""
    worker = CallWorker(fn)
    if done is not None:
        worker.signals.done.connect(done)
    if failed is not None:
        worker.signals.failed.connect(failed)
    worker.signals.done.connect(lambda _r: _running.discard(worker))
    worker.signals.failed.connect(lambda _e: _running.discard(worker))
    _running.add(worker)
    pool().start(worker)
    return worker


class ScanSignals(QObject):
    pageCaptured = Signal(str, object, object)  # page id, PageInfo, ScanTarget
    finished = Signal(int)  # pages captured
    failed = Signal(object, int)  # the ScannerError (user_message in Vietnamese), pages captured before it


class ScanWorker(QRunnable):
    """One scan job: every page is journalled (fsynced PNG) before the GUI hears of it."""

    def __init__(
        self,
        driver: ScanDriver,
        device: str,
        options: ScanOptions,
        store: SessionStore,
        target: ScanTarget,
        on_page: Callable[[str, Page, Path | None], None] | None = None,
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
        self.signals = ScanSignals()

    def run(self) -> None:
        count = 0
        try:
            for page in self.driver.scan(self.device, self.options, self.cancel):
                page_id = self.store.save_capture(page)
                info = PageInfo(shrink_image(page.image, THUMB_HEIGHT), shrink_image(page.image, PREVIEW_HEIGHT),
                                page.dpi)
                count += 1
                self.signals.pageCaptured.emit(page_id, info, self.target)
                if self.on_page is not None:
                    self.on_page(page_id, page, analysis_dir(self.store))
        except ScanCancelledError:
            pass
        except StationError as err:
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

    @property
    def busy(self) -> bool:
        with self._lock:
            return self._in_flight > 0

    def warm_up(self) -> None:
        """Start the worker process now (imports and engine load take a second or two)."""
        self._executor.submit(_warm_up)

    def submit(self, page_id: str, page: Page, cache_dir: Path | None = None) -> None:
        """Thread-safe: called from the scan worker as each page arrives."""
        with self._lock:
            self._in_flight += 1
        future = self._executor.submit(analyze_for_counter, page, self.options, cache_dir, page_id)
        future.add_done_callback(lambda f: self._done(page_id, f))

    def _done(self, page_id: str, future: Future[CounterAnalysis]) -> None:
        try:
            try:
                result = future.result()
            except BaseException as err:
                self.failed.emit(page_id, f"{type(err).__name__}: {err}")
            else:
                self.analyzed.emit(page_id, result)
        except RuntimeError:
            # The window closed while this page was being analysed: its capture is safe on disk and is
            # analysed again when the session is restored.
            log.debug("analysis result for %s arrived after the window closed", page_id)
        with self._lock:
            self._in_flight -= 1
            idle = self._in_flight == 0
        if idle:
            with contextlib.suppress(RuntimeError):  # same: the window may be gone
                self.idle.emit()

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)


def _warm_up() -> None:
    import station.pipeline  # noqa: F401 - the imports are the point
    from ocr.tesseract import engine_for

    engine_for()
