"""Background calls owned by a window: run on the app's thread pool, results back on the GUI thread — or
dropped, safely, once the window closed or was deleted (its widgets may be gone by then)."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


def pool() -> QThreadPool:
    """The app's own thread pool (scans are long: they must not starve short jobs)."""
    instance = QThreadPool.globalInstance()
    instance.setMaxThreadCount(max(instance.maxThreadCount(), 6))
    return instance


class _Gate:
    """What the pool threads and the GUI thread share about one owner: open or not, and jobs still running.

    Every hand-over to the GUI thread happens under `lock` after checking `open`; closing takes the same lock,
    so once `close()` returned no result of this owner is ever posted again."""

    def __init__(self) -> None:
        self.lock = threading.Condition()
        self.open = True
        self.running = 0


class _ResultSignals(QObject):
    result = Signal(int, bool, object)  # job id, succeeded, result or exception


class _Job(QRunnable):
    def __init__(self, job_id: int, fn: Callable[[], Any], gate: _Gate, signals: _ResultSignals) -> None:
        super().__init__()
        self.job_id = job_id
        self.fn = fn
        self.gate = gate
        self.signals = signals

    def run(self) -> None:
        ok = True
        try:
            value: Any = self.fn()
        except BaseException as err:  # reported to the GUI, never lost in a thread
            log.warning("background job failed: %s", type(err).__name__)
            ok, value = False, err
        with self.gate.lock:
            self.gate.running -= 1
            self.gate.lock.notify_all()
            if self.gate.open:
                self.signals.result.emit(self.job_id, ok, value)


class Calls(QObject):
    """Background calls owned by one window. `run(fn, done, failed)` runs `fn` on a pool thread and calls
    `done(result)` or `failed(error)` on the GUI thread — unless the owner was closed or deleted meanwhile: then
    the result is dropped (the window's widgets may be gone; whatever the job wrote to disk stays).

    The results travel through a signal into this object's own slot (a queued connection): Qt discards events
    for a deleted receiver, and `close()` shuts the gate before the owner tears anything down."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._gate = gate = _Gate()
        self._callbacks: dict[int, tuple[Callable[[Any], None] | None, Callable[[Any], None] | None]] = {}
        self._ids = itertools.count(1)
        self._signals = _ResultSignals(self)
        self._signals.result.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        self.destroyed.connect(lambda _obj=None: _shut(gate))  # deleted without close(): drop from now on

    @property
    def is_open(self) -> bool:
        return self._gate.open

    @property
    def running(self) -> int:
        with self._gate.lock:
            return self._gate.running

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[Any], None] | None = None) -> None:
        """From the GUI thread. After close() nothing is started."""
        with self._gate.lock:
            if not self._gate.open:
                return
            self._gate.running += 1
        job_id = next(self._ids)
        self._callbacks[job_id] = (done, failed)
        pool().start(_Job(job_id, fn, self._gate, self._signals))

    def post(self, fn: Callable[[], None]) -> None:
        """From any thread: call `fn()` on the GUI thread, unless the owner is closed by then."""
        with self._gate.lock:
            if self._gate.open:
                self._signals.result.emit(0, True, fn)

    @Slot(int, bool, object)
    def _deliver(self, job_id: int, ok: bool, value: Any) -> None:
        if job_id == 0:
            if self._gate.open:
                value()
            return
        done, failed = self._callbacks.pop(job_id, (None, None))
        if not self._gate.open:
            return
        callback = done if ok else failed
        if callback is not None:
            callback(value)

    def close(self, timeout: float = 10.0) -> bool:
        """Drop every later result, then wait (bounded) until the jobs already running have ended, so that
        what they write (journal, outbox) is complete before the owner closes those. True when drained."""
        _shut(self._gate)
        self._callbacks.clear()
        deadline = time.monotonic() + timeout
        with self._gate.lock:
            while self._gate.running > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    log.warning("%d background job(s) still running at close; their results are dropped",
                                self._gate.running)
                    return False
                self._gate.lock.wait(left)
        return True


def _shut(gate: _Gate) -> None:
    with gate.lock:
        gate.open = False
