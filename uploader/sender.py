"""The background sender: worker threads that drain the outbox into the backend.

GUI and CLI use the same object: ``start()`` / ``stop()`` / ``wake()``, a status callback receiving a
:class:`SenderStatus` (called from worker threads: a GUI must hand it to its own thread), and
``run_until_done()`` for `station upload --wait`. No Qt here.

Only one sender per queue database runs at a time (a lock file beside it); that sender, at start, puts
rows a killed predecessor left in 'sending' back to 'queued'.

Health: nothing ends a worker thread silently. An outbox failure (disk full) is logged, shown
(``status().problem`` / ``last_error``), and retried with backoff, keeping the receipt in memory. A token
refused (401), a missing token, or a web page where JSON was expected (captive portal) is not one item's
fault: the item keeps its place and the whole queue pauses with backoff (``resume()`` ends the pause).
``stuck`` is true when waiting longer will not help; ``run_until_done`` then raises SenderStalledError.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from uploader.client import BackendClient
from uploader.config import UploaderConfig
from uploader.errors import (
    BackendBusyError,
    ClientRequestError,
    LocalFileError,
    QueueStorageError,
    SenderBusyError,
    SenderStalledError,
    TokenMissingError,
    TokenRefusedError,
    TransportError,
    UploadError,
    WrongNetworkError,
)
from uploader.models import QueueItem, SenderStatus
from uploader.outbox import ClaimedCorrupt, Outbox
from uploader.private import private_file
from uploader.retention import purge_confirmed

log = logging.getLogger(__name__)

StatusCallback = Callable[[SenderStatus], None]
RETENTION_EVERY = 3600.0  # seconds between retention passes while running
# Failures that are not one item's fault: the queue pauses instead of failing items one by one.
QUEUE_WIDE = (TokenRefusedError, TokenMissingError, WrongNetworkError)
STUCK_AFTER = 3  # consecutive failures of one kind (storage, token, wrong network) that mean "cannot progress"


def backoff_delay(
    attempts: int, retry_after: float | None, config: UploaderConfig, rng: random.Random | None = None
) -> float:
    """Seconds to wait before the next attempt. Retry-After is honoured (clamped to max_retry_after), plus up
    to 10 % jitter; otherwise exponential backoff with 'equal jitter': half fixed, half random."""
    rng = rng or random.Random()
    if retry_after is not None:
        wait = min(max(retry_after, 0.0), config.max_retry_after)
        return wait * (1 + 0.1 * rng.random())
    ceiling: float = min(config.backoff_cap, config.backoff_base * 2.0 ** max(0, attempts - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class _SenderLock:
    """An exclusive, process-wide lock on a file (released by the OS if the process dies)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: IO[bytes] | None = None

    def acquire(self) -> bool:
        private_file(self.path)
        fh = open(self.path, "a+b")  # noqa: SIM115 - held open while the lock is held
        try:
            if os.name == "nt":  # pragma: no cover - Windows
                import msvcrt

                msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined,unused-ignore]
            else:
                import fcntl

                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            fh.close()
            return False
        self._fh = fh
        return True

    def release(self) -> None:
        if self._fh is not None:
            self._fh.close()  # closing drops the lock
            self._fh = None


class Sender:
    def __init__(
        self,
        outbox: Outbox,
        config: UploaderConfig,
        *,
        client_factory: Callable[[], BackendClient] | None = None,
        on_status: StatusCallback | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.outbox = outbox
        self.config = config
        self._client_factory = client_factory or (lambda: BackendClient(config))
        self._on_status = on_status
        self._rng = rng or random.Random()
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._threads: list[threading.Thread] = []
        self._lock = _SenderLock(outbox.path.with_name(outbox.path.name + ".sender.lock"))
        self._state_lock = threading.Lock()
        self._online: bool | None = None
        self._last_error: str | None = None
        self._last_user_error: str | None = None
        self._last_item: int | None = None
        self._last_purge = 0.0
        # health: the kind of the current run of failures that are not one item's fault, and its length
        self._problem: str | None = None
        self._problem_count = 0
        self._problem_error: UploadError | None = None
        self._paused_until = 0.0  # monotonic; the whole queue waits (token refused, wrong network) until then
        self.recovered = 0

    # -- control ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    @property
    def alive(self) -> bool:
        """Started, every worker thread still running, and not stopping."""
        return bool(self._threads) and all(t.is_alive() for t in self._threads) and not self._stop.is_set()

    @property
    def last_error(self) -> str | None:
        with self._state_lock:
            return self._last_error

    @property
    def problem(self) -> str | None:
        """The kind of failure holding the whole queue (queue_storage, rejected:unauthorized, ...), or None."""
        with self._state_lock:
            return self._problem

    @property
    def stuck(self) -> bool:
        """True when waiting longer will not help: a worker ended, or the same queue-wide failure repeated."""
        if self._threads and not self._stop.is_set() and not all(t.is_alive() for t in self._threads):
            return True
        with self._state_lock:
            return self._problem is not None and self._problem_count >= STUCK_AFTER

    def start(self) -> None:
        if self.running:
            return
        if not self._lock.acquire():
            raise SenderBusyError(f"another sender holds {self._lock.path}")
        try:
            self.recovered = self.outbox.recover_interrupted()
        except sqlite3.Error as err:
            self._lock.release()
            raise QueueStorageError(f"cannot recover the outbox: {type(err).__name__}: {err}") from None
        if self.recovered:
            log.info("requeued %d item(s) left in 'sending' by an interrupted sender", self.recovered)
        self._stop.clear()
        with self._state_lock:
            self._problem, self._problem_count, self._problem_error = None, 0, None
        self._threads = [
            threading.Thread(target=self._worker, name=f"uploader-sender-{n}", daemon=True)
            for n in range(max(1, self.config.workers))
        ]
        for t in self._threads:
            t.start()
        self._emit()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the uploads in flight finish (or at the timeout; a cut upload is resent later)."""
        self._stop.set()
        self.wake()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        if not self.running:
            self._threads = []
            self._lock.release()
        self._emit()

    def wake(self) -> None:
        """Look at the queue now (call after enqueueing)."""
        with self._wake:
            self._wake.notify_all()

    def resume(self) -> None:
        """End a pause at once (call after the token or the network was fixed)."""
        with self._state_lock:
            self._paused_until = 0.0
        self.wake()

    def run_until_done(self, timeout: float | None = None, poll: float = 0.2) -> dict[str, int]:
        """Start, wait until no row is queued, sending or failed-retrying, stop. Returns the state counts.
        Raises SenderStalledError (after stopping) when the sender cannot progress, instead of waiting forever."""
        self.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        stalled: SenderStalledError | None = None
        try:
            while self._pending_or_none() != 0:
                if deadline is not None and time.monotonic() > deadline:
                    break
                if self.stuck:
                    stalled = self._stalled()
                    break
                self._stop.wait(poll)
        finally:
            self.stop()
        if stalled is not None:
            raise stalled
        self._maybe_purge(force=True)  # what was just confirmed goes now if the retention period is zero
        return self.outbox.counts()

    def _pending_or_none(self) -> int | None:
        try:
            return self.outbox.pending()
        except sqlite3.Error as err:
            self._trouble(QueueStorageError(f"cannot read the outbox: {type(err).__name__}: {err}"))
            return None

    def _stalled(self) -> SenderStalledError:
        with self._state_lock:
            cause = self._problem_error
            last = self._last_error
        if cause is None:
            return SenderStalledError(f"the sender stopped unexpectedly (last error: {last or 'none'})")
        return SenderStalledError(f"the sender cannot progress: {cause}", user_message=cause.user_message)

    def status(self) -> SenderStatus:
        try:
            counts = self.outbox.counts()
        except sqlite3.Error:
            counts = {}
        with self._state_lock:
            return SenderStatus(
                running=self.running and not self._stop.is_set(),
                counts=counts,
                online=self._online,
                last_error=self._last_error,
                last_user_error=self._last_user_error,
                last_item_id=self._last_item,
                alive=self.alive,
                problem=self._problem,
            )

    def _emit(self) -> None:
        if self._on_status is None:
            return
        try:
            self._on_status(self.status())
        except Exception:  # a broken callback must not stop the uploads
            log.exception("status callback failed")

    # -- health -----------------------------------------------------------------------------------

    def _trouble(self, err: UploadError) -> None:
        """A failure that holds the whole queue (not one item's fault): count it, show it."""
        kind = _kind(err)
        with self._state_lock:
            self._problem_count = self._problem_count + 1 if self._problem == kind else 1
            self._problem, self._problem_error = kind, err
            self._last_error, self._last_user_error = str(err), err.user_message

    def _healthy(self) -> None:
        with self._state_lock:
            self._problem, self._problem_count, self._problem_error = None, 0, None

    def _pause(self, attempt: int) -> None:
        delay = backoff_delay(attempt, None, self.config, self._rng)
        self._stop.wait(delay)

    def _persist(self, what: str, write: Callable[[], object]) -> bool:
        """Run an outbox write until it succeeds (with backoff) or the sender stops (False then: the row stays
        'sending' and the next start puts it back in the queue; the backend replays an upload idempotently)."""
        attempt = 0
        while True:
            try:
                write()
            except sqlite3.Error as err:
                attempt += 1
                self._trouble(QueueStorageError(f"{what}: {type(err).__name__}: {err}"))
                log.error("outbox write failed (%s, attempt %d): %s", what, attempt, err)
                self._emit()
                if self._stop.is_set():
                    return False
                self._pause(attempt)
                continue
            return True

    # -- work -------------------------------------------------------------------------------------

    def _worker(self) -> None:
        try:
            client = self._client_factory()
        except UploadError as err:
            self._trouble(err)
            log.error("sender cannot start: %s", err)
            self._emit()
            return
        failures = 0
        try:
            while not self._stop.is_set():
                try:
                    self._step(client)
                    failures = 0
                except Exception as err:  # never die silently: log, show, back off, go on
                    failures += 1
                    wrapped = (
                        QueueStorageError(f"outbox: {type(err).__name__}: {err}")
                        if isinstance(err, sqlite3.Error)
                        else UploadError(f"sender loop: unexpected {type(err).__name__}")
                    )
                    self._trouble(wrapped)
                    log.exception("sender loop failed (%d in a row); the queue is kept", failures)
                    self._emit()
                    self._pause(failures)
        finally:
            client.close()

    def _step(self, client: BackendClient) -> None:
        self._maybe_purge()
        with self._state_lock:
            paused = self._paused_until - time.monotonic()
        if paused > 0:
            with self._wake:
                if not self._stop.is_set():
                    self._wake.wait(paused)
            with self._state_lock:
                if self._paused_until and self._paused_until <= time.monotonic():
                    self._paused_until = 0.0
            client.tokens.invalidate()  # read the token again: it may have been updated meanwhile
            return
        claimed = self.outbox.claim()
        if claimed is None:
            self._idle()
            return
        if isinstance(claimed, ClaimedCorrupt):
            self._note(claimed.id, claimed.error, online=None)
            log.warning("%s", claimed.error)
            self._emit()
            return
        self._healthy_if_storage()
        self._send(client, claimed)
        self._emit()

    def _healthy_if_storage(self) -> None:
        with self._state_lock:
            storage = self._problem == QueueStorageError.code
        if storage:
            self._healthy()

    def _idle(self) -> None:
        wait = self.config.poll_interval
        due = self.outbox.next_due()
        if due is not None:
            wait = min(wait, max(0.01, due - time.time()))
        with self._wake:
            if not self._stop.is_set():
                self._wake.wait(wait)

    def _maybe_purge(self, force: bool = False) -> None:
        now = time.monotonic()
        with self._state_lock:
            if not force and self._last_purge and now - self._last_purge < RETENTION_EVERY:
                return
            self._last_purge = now
        try:
            report = purge_confirmed(self.outbox, self.config.retention_days, read_file=self.config.read_file)
            if report.deleted:
                log.info("retention: deleted %d confirmed local file(s)", report.deleted)
        except Exception:
            log.exception("retention pass failed")

    def _note(self, item_id: int, err: UploadError | None, online: bool | None) -> None:
        with self._state_lock:
            self._last_item = item_id
            if online is not None:
                self._online = online
            if err is not None:
                self._last_error, self._last_user_error = str(err), err.user_message

    def _send(self, client: BackendClient, item: QueueItem) -> None:
        job = item.job
        try:
            try:
                content = self.config.read_file(job.file_path)
            except FileNotFoundError:
                raise LocalFileError(f"queue item {item.id}: {job.file_path} has vanished") from None
            except OSError as err:
                raise LocalFileError(f"queue item {item.id}: cannot read {job.file_path} ({err.strerror})") from None
            except Exception as err:  # the station's reader refused a sealed file (altered, other key)
                raise LocalFileError(f"queue item {item.id}: {job.file_path.name} cannot be opened "
                                     f"({type(err).__name__})") from None
            if len(content) > self.config.max_upload_bytes:
                raise LocalFileError(
                    f"queue item {item.id}: {job.file_path.name} is larger than {self.config.max_upload_bytes} bytes",
                    user_message="Tệp quá lớn để gửi. Quét lại ở độ phân giải thấp hơn rồi gửi lại.",
                )
            if hashlib.sha256(content).hexdigest() != job.sha256:
                raise LocalFileError(f"queue item {item.id}: {job.file_path} changed after it was queued")
            receipt, created = client.put_attachment(job, content)
        except UploadError as err:
            self._failed(item, err)
            return
        except Exception as err:  # a bug of ours (never "check the connection"): keep the row, show it, go on
            log.exception("queue item %d: unexpected error", item.id)
            self._failed(item, ClientRequestError(f"queue item {item.id}: unexpected {type(err).__name__}"))
            return
        if not self._persist("mark_sent", lambda: self.outbox.mark_sent(item.id, receipt)):
            return  # stopped while the disk was failing: recovered and replayed at the next start
        self._healthy()
        self._note(item.id, None, True)
        log.info("queue item %d sent (%s)", item.id, "stored" if created else "already there")

    def _failed(self, item: QueueItem, err: UploadError) -> None:
        online = None if isinstance(err, LocalFileError | ClientRequestError) else not isinstance(err, TransportError)
        self._note(item.id, err, online)
        if isinstance(err, QUEUE_WIDE):
            # not this item's fault: it keeps its place (and its dossier's order), the whole queue pauses
            self._trouble(err)
            with self._state_lock:
                count = self._problem_count
            delay = backoff_delay(count, None, self.config, self._rng)
            with self._state_lock:
                self._paused_until = max(self._paused_until, time.monotonic() + delay)
            self._persist("mark_retry", lambda: self.outbox.mark_retry(item.id, err, time.time() + delay))
            log.warning("queue paused for %.1f s: %s", delay, err)
            return
        if err.retryable:
            retry_after = err.retry_after if isinstance(err, BackendBusyError) else None
            delay = backoff_delay(item.attempts, retry_after, self.config, self._rng)
            self._persist("mark_retry", lambda: self.outbox.mark_retry(item.id, err, time.time() + delay))
            log.info("queue item %d: %s; retry in %.1f s", item.id, err, delay)
        else:
            self._persist("mark_failed", lambda: self.outbox.mark_failed(item.id, err))
            log.warning("queue item %d failed permanently: %s", item.id, err)


def _kind(err: UploadError) -> str:
    sub = getattr(err, "error_code", None)
    return f"{err.code}:{sub}" if sub else err.code
