"""The background sender: worker threads that drain the outbox into the backend.

GUI and CLI use the same object: ``start()`` / ``stop()`` / ``wake()``, a status callback receiving a
:class:`SenderStatus` (called from worker threads: a GUI must hand it to its own thread), and
``run_until_done()`` for `station upload --wait`. No Qt here.

Only one sender per queue database runs at a time (a lock file beside it); that sender, at start, puts
rows a killed predecessor left in 'sending' back to 'queued'.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
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
    SenderBusyError,
    TransportError,
    UploadError,
)
from uploader.models import QueueItem, SenderStatus
from uploader.outbox import ClaimedCorrupt, Outbox
from uploader.retention import purge_confirmed

log = logging.getLogger(__name__)

StatusCallback = Callable[[SenderStatus], None]
RETENTION_EVERY = 3600.0  # seconds between retention passes while running


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
        self.recovered = 0

    # -- control ----------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def start(self) -> None:
        if self.running:
            return
        if not self._lock.acquire():
            raise SenderBusyError(f"another sender holds {self._lock.path}")
        self.recovered = self.outbox.recover_interrupted()
        if self.recovered:
            log.info("requeued %d item(s) left in 'sending' by an interrupted sender", self.recovered)
        self._stop.clear()
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

    def run_until_done(self, timeout: float | None = None, poll: float = 0.2) -> dict[str, int]:
        """Start, wait until no row is queued, sending or failed-retrying, stop. Returns the state counts."""
        self.start()
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            while self.outbox.pending() > 0:
                if deadline is not None and time.monotonic() > deadline:
                    break
                self._stop.wait(poll)
        finally:
            self.stop()
        return self.outbox.counts()

    def status(self) -> SenderStatus:
        with self._state_lock:
            return SenderStatus(
                running=self.running and not self._stop.is_set(),
                counts=self.outbox.counts(),
                online=self._online,
                last_error=self._last_error,
                last_user_error=self._last_user_error,
                last_item_id=self._last_item,
            )

    def _emit(self) -> None:
        if self._on_status is None:
            return
        try:
            self._on_status(self.status())
        except Exception:  # a broken callback must not stop the uploads
            log.exception("status callback failed")

    # -- work -------------------------------------------------------------------------------------

    def _worker(self) -> None:
        client = self._client_factory()
        try:
            while not self._stop.is_set():
                self._maybe_purge()
                claimed = self.outbox.claim()
                if claimed is None:
                    self._idle()
                    continue
                if isinstance(claimed, ClaimedCorrupt):
                    self._note(claimed.id, claimed.error, online=None)
                    log.warning("%s", claimed.error)
                    self._emit()
                    continue
                self._send(client, claimed)
                self._emit()
        finally:
            client.close()

    def _idle(self) -> None:
        wait = self.config.poll_interval
        due = self.outbox.next_due()
        if due is not None:
            wait = min(wait, max(0.01, due - time.time()))
        with self._wake:
            if not self._stop.is_set():
                self._wake.wait(wait)

    def _maybe_purge(self) -> None:
        now = time.monotonic()
        with self._state_lock:
            if self._last_purge and now - self._last_purge < RETENTION_EVERY:
                return
            self._last_purge = now
        try:
            report = purge_confirmed(self.outbox, self.config.retention_days)
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
                content = job.file_path.read_bytes()
            except FileNotFoundError:
                raise LocalFileError(f"queue item {item.id}: {job.file_path} has vanished") from None
            except OSError as err:
                raise LocalFileError(f"queue item {item.id}: cannot read {job.file_path} ({err.strerror})") from None
            if len(content) > self.config.max_upload_bytes:
                raise LocalFileError(
                    f"queue item {item.id}: {job.file_path.name} is larger than {self.config.max_upload_bytes} bytes",
                    user_message="Tệp quá lớn để gửi. Quét lại ở độ phân giải thấp hơn rồi gửi lại.",
                )
            if hashlib.sha256(content).hexdigest() != job.sha256:
                raise LocalFileError(f"queue item {item.id}: {job.file_path} changed after it was queued")
            receipt, created = client.put_attachment(job, content)
        except UploadError as err:
            online = None if isinstance(err, LocalFileError) else not isinstance(err, TransportError)
            self._note(item.id, err, online)
            if err.retryable:
                retry_after = err.retry_after if isinstance(err, BackendBusyError) else None
                delay = backoff_delay(item.attempts, retry_after, self.config, self._rng)
                self.outbox.mark_retry(item.id, err, time.time() + delay)
                log.info("queue item %d: %s; retry in %.1f s", item.id, err, delay)
            else:
                self.outbox.mark_failed(item.id, err)
                log.warning("queue item %d failed permanently: %s", item.id, err)
            return
        except Exception as err:  # a bug of ours (never "check the connection"): keep the row, show it, go on
            wrapped = ClientRequestError(f"queue item {item.id}: unexpected {type(err).__name__}")
            log.exception("queue item %d: unexpected error", item.id)
            self._note(item.id, wrapped, None)
            self.outbox.mark_failed(item.id, wrapped)
            return
        self.outbox.mark_sent(item.id, receipt)
        self._note(item.id, None, True)
        log.info("queue item %d sent (%s)", item.id, "stored" if created else "already there")
