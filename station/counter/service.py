"""The counter service: the dossier workflow of one counter, without Qt.

It owns the outbox, the sender and the station journal for as long as it lives, and answers the window's
questions (which driver and options for a scan, what the backend knows of a dossier, whether the ID card
matches the applicant) and requests (finish a dossier, retry an upload, sync the journal). Its methods block:
the window calls the slow ones on a worker thread. What happens on its own (the sender's progress, a dossier
queued) goes out as events (station.counter.events) to every subscriber, on the thread it happened on.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from ocr.models import CitizenId
from scanning.models import Image, ScanDevice, ScanOptions
from station import settings as st
from station.counter.crosscheck import CardCheck, check_cards
from station.counter.drivers import DriverRegistry, ScanJob
from station.counter.events import CounterEvent, DossierQueued, Listener, SenderBusy, SenderStatusChanged
from station.counter.journal_recorder import CounterJournal
from station.counter.lookup import DossierLookup, lookup_dossier
from station.counter.profiles import scan_options
from station.journal.models import RescanRequest
from station.pipeline import AnalysisOptions, PageAnalysis
from station.runtime import JournalConfig, ReviewConfig
from station.workflow.draft import Draft
from station.workflow.finish import FinishRequest, FinishResult, finish_session, hand_over, pending_handovers
from uploader.config import UploaderConfig
from uploader.errors import SenderBusyError
from uploader.models import Dossier, QueueItem
from uploader.outbox import Outbox
from uploader.sender import Sender

log = logging.getLogger(__name__)

JOURNAL_WRITER_NICENESS = 10  # below the window's thread, like the app's other background threads


def _journal_writer_priority() -> None:
    """The journal writer thread yields the CPU to the window (a per-thread niceness on Linux)."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: written all the same
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), JOURNAL_WRITER_NICENESS)

SET_ASIDE_DIR = "set-aside"


class CounterService:
    """Configured with the typed sections of the runtime (station.runtime), built once by the front end.
    Fits station.counter.port.Counter, what the window is typed against."""

    def __init__(self, *, settings: st.Settings, analysis: AnalysisOptions, upload: UploaderConfig,
                 journal: JournalConfig, review: ReviewConfig, sessions_root: Path, out_root: Path,
                 drivers: DriverRegistry | None = None) -> None:
        """`settings`: the scanner, profile and UI sections as the officer set them; `sessions_root`: the
        session in progress (current/), hand-overs and sessions set aside; `out_root`: the finished dossiers'
        PDF/A files."""
        self.settings = settings
        self.analysis = analysis
        self.upload = upload
        self.review = review
        self.sessions_root = sessions_root
        self.out_root = out_root
        self.drivers = drivers or DriverRegistry()
        self._listeners: list[Listener] = []
        self._listeners_lock = threading.Lock()
        self._outbox = Outbox(upload.queue_db)  # the window's reads and retries
        self._outbox_lock = threading.Lock()
        self._sender: Sender | None = None
        # Journal writes in the order they were asked for: a page's record must land before its dossier files
        # it under a document (on a pool, the last page's record could come after and miss its document).
        self._journal_writes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="counter-journal",
                                                  initializer=_journal_writer_priority)
        self.journal: CounterJournal | None = CounterJournal.open(
            journal.path, station_id=upload.station_id, operator_id=upload.operator_id,
            profile=settings.profiles.selected, preview_long_side=journal.preview_long_side, uploader=upload,
            rejection_reasons=journal.rejection_reasons)

    # --- events ---------------------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        with self._listeners_lock:
            self._listeners.append(listener)

    def _emit(self, event: CounterEvent) -> None:
        with self._listeners_lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(event)

    # --- scanning -------------------------------------------------------------------------------------------
    def list_devices(self) -> list[ScanDevice]:
        return self.drivers.list_devices()

    def scan_options(self, profile: str = "") -> ScanOptions:
        return scan_options(self.settings, profile)

    def scan_job(self, device: str, profile: str = "", *, single: bool = False) -> ScanJob:
        """The driver, device and options of a scan on `device` with `profile` (`single`: one page only)."""
        return self.drivers.job(device, self.scan_options(profile), single=single)

    # --- the dossier ----------------------------------------------------------------------------------------
    def lookup(self, code: str) -> DossierLookup:
        return lookup_dossier(self.upload, code)

    @staticmethod
    def check_cards(cards: Sequence[CitizenId], dossier: Dossier | None) -> CardCheck:
        return check_cards(cards, dossier.applicant if dossier is not None else None)

    # --- finishing ------------------------------------------------------------------------------------------
    def hand_over(self) -> Path:
        """Move the session in progress aside for finishing (one rename); the next citizen starts afresh.
        Raises OSError / StationError when the disk refuses: the session then stays where it was."""
        return hand_over(self.sessions_root)

    def pending_handovers(self) -> list[Path]:
        return pending_handovers(self.sessions_root)

    def finish(self, root: Path, code: str | None) -> FinishResult:
        """Build the handed-over session's PDF/A files and queue them (blocking), then wake the sender.
        On failure the session stays handed over and is finished again at the next start."""
        request = FinishRequest(
            dossier_code=code or "", station_id=self.upload.station_id, operator_id=self.upload.operator_id,
            out_root=self.out_root, outbox_path=self.upload.queue_db, analysis=self.analysis,
            captured_at=datetime.now(UTC))
        result = finish_session(root, request)
        self.wake_sender()
        self._emit(DossierQueued(result))
        return result

    def set_aside(self, current: Path) -> Path:
        """An unfinished session the officer did not restore: kept under set-aside/<time>/, never destroyed."""
        aside = self.sessions_root / SET_ASIDE_DIR / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside.mkdir(parents=True, exist_ok=True)
        shutil.move(str(current), str(aside / "current"))
        return aside

    # --- uploads --------------------------------------------------------------------------------------------
    def start_sender(self) -> bool:
        """Start sending the outbox; False when another station program already sends it."""
        if self._sender is not None:
            return True
        sender = Sender(Outbox(self.upload.queue_db), self.upload,
                        on_status=lambda status: self._emit(SenderStatusChanged(status)))
        try:
            sender.start()
        except SenderBusyError:
            sender.outbox.close()
            self._emit(SenderBusy())
            return False
        self._sender = sender
        return True

    def wake_sender(self) -> None:
        if self._sender is not None:
            self._sender.wake()

    def outbox_items(self) -> list[QueueItem]:
        """The outbox as it is now; state changes are recorded in the journal on the way."""
        with self._outbox_lock:
            items = self._outbox.items()
        if self.journal is not None:
            self.journal.outbox_changed(items)
        return items

    def retry(self, item_id: int) -> None:
        with self._outbox_lock:
            self._outbox.retry(item_id)
        self.wake_sender()

    def retry_all(self) -> int:
        with self._outbox_lock:
            count = self._outbox.retry_all_failed()
        self.wake_sender()
        return count

    # --- the station journal --------------------------------------------------------------------------------
    def page_analyzed(self, page_id: str, analysis: PageAnalysis, preview: Image | None,
                      dossier_code: str | None) -> Future[None]:
        """Queued for the journal writer (returns at once); done when recorded."""
        return self._journal_writes.submit(self._record_page, page_id, analysis, preview, dossier_code)

    def dossier_finished(self, draft: Draft, procedure_code: str | None) -> Future[None]:
        """Queued after every page record asked for before it (returns at once); done when recorded."""
        return self._journal_writes.submit(self._record_dossier, draft, procedure_code)

    def _record_page(self, page_id: str, analysis: PageAnalysis, preview: Image | None,
                     dossier_code: str | None) -> None:
        if self.journal is not None:
            self.journal.page_analyzed(page_id, analysis, preview, dossier_code)

    def _record_dossier(self, draft: Draft, procedure_code: str | None) -> None:
        if self.journal is not None:
            self.journal.dossier_finished(draft, procedure_code=procedure_code)

    def sync_journal(self) -> list[RescanRequest]:
        """Report to the backend, then the open rescan requests for this station."""
        return self.journal.sync_now() if self.journal is not None else []

    def resolve_rescan(self, request_id: str) -> list[RescanRequest]:
        if self.journal is None:
            return []
        self.journal.resolve(request_id)
        return self.journal.sync_now()

    # --- settings and lifetime ------------------------------------------------------------------------------
    def save_settings(self, settings: st.Settings, path: Path | None) -> Path:
        """Saved for the next start (the analysis, upload and journal keep what they started with)."""
        written = st.save(settings, path)
        self.settings = settings
        return written

    def close(self) -> None:
        """Stop the sender (bounded), close the outbox and the journal. Call once nothing runs on them."""
        if self._sender is not None:
            self._sender.stop(timeout=5)
            self._sender.outbox.close()
            self._sender = None
        with self._outbox_lock:
            self._outbox.close()
        self._journal_writes.shutdown(wait=True)  # what was asked for is recorded before the journal closes
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        with self._listeners_lock:
            self._listeners.clear()
