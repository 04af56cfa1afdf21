"""`Journal`: the station's SQLite (WAL) journal of pages, dossiers, uploads, reviews and rescan requests.

This class is the journal's one entry point; each job lives in its own module:
- schema.py: tables and migrations (opened through uploader.sqlite: private 0600 files, WAL, busy timeout);
- pages.py: :class:`~station.journal.pages.PageEntry`, the typed page record, and its row;
- dossiers.py: dossier and upload rows; reviews.py: the review policy, decisions and rescan requests;
- preview_store.py: sealed previews found by page id; retention.py: what leaves once confirmed;
- syncstate.py: what is left to report (station.journal.sync reports it).
Thread-safe (one connection, one lock); several processes may open the same file. The database, its
-wal/-shm files and its key are 0600; personal data never enters it in clear (station.journal.privacy).
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.journal import dossiers, pages, privacy, retention, reviews, syncstate
from station.journal.errors import InvalidReviewError, JournalError, UnknownPageError
from station.journal.models import DossierRow, PageFilter, PageRow, RescanRequest, ReviewDecision, ReviewRow, UploadRow
from station.journal.pages import PageEntry
from station.journal.paths import default_journal_path
from station.journal.preview import Image
from station.journal.preview_store import PreviewStore
from station.journal.schema import MIGRATIONS, SYNC_TABLES
from station.journal.stamps import new_id, stamp
from station.settings import REJECTION_REASONS
from uploader.errors import DatabaseVersionError
from uploader.review_rules import filter_sql
from uploader.sqlite import Database

if TYPE_CHECKING:
    from ocr.models import CitizenId
    from station.pipeline import PageAnalysis
    from uploader.models import QueueItem

# Names the callers import from here (station.workflow.journaling, station.batch.runner, commands, tests).
__all__ = ["SYNC_TABLES", "InvalidReviewError", "Journal", "JournalError", "PageEntry", "UnknownPageError",
           "default_journal_path"]

log = logging.getLogger(__name__)


class Journal:
    def __init__(
        self,
        path: Path,
        *,
        key: bytes | None = None,
        preview_long_side: int = 1000,
        rejection_reasons: Sequence[str] = REJECTION_REASONS,
        clock: Any = time.time,
    ) -> None:
        self.path = path
        self.previews = PreviewStore(path.parent / f"{path.stem}-previews", preview_long_side)
        self.policy = reviews.ReviewPolicy(tuple(rejection_reasons))
        self._clock = clock
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._key = key if key is not None else privacy.load_or_create_key(path.parent / f"{path.stem}.key")
            # secure_delete: a rewritten row leaves no old bytes behind
            self._database = Database(path, MIGRATIONS, synchronous="NORMAL", secure_delete=True)
        except DatabaseVersionError as err:
            raise JournalError(str(err), user_message=err.user_message) from err
        except (OSError, sqlite3.Error) as err:  # a full disk or a damaged file: say which journal, don't crash raw
            raise JournalError(f"cannot open journal {path}: {err}") from err
        self._db = self._database.connection
        self._lock = self._database.lock

    @property
    def preview_dir(self) -> Path:
        return self.previews.folder

    @property
    def preview_long_side(self) -> int:
        return self.previews.long_side

    @property
    def rejection_reasons(self) -> tuple[str, ...]:
        return self.policy.rejection_reasons

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._database.transaction()

    # -- recording: pages -------------------------------------------------------------------------------

    def record(self, entry: PageEntry, image: Image | None = None) -> str:
        """Record (or update, same page_id) one page; returns its page_id. Writes the review preview of
        `image` first (pixelated when a card was on the page)."""
        page_id = entry.page_id or new_id()
        captured_at, captured_ts = stamp(entry.at, self._clock())
        preview_path, kind = self.previews.write(page_id, image, pixelate=entry.has_card)
        values = pages.page_columns(entry, page_id=page_id, key=self._key, captured_at=captured_at,
                                    captured_ts=captured_ts, preview_path=preview_path, preview_kind=kind)
        with self._tx() as db:
            pages.upsert_page(db, values)
        log.debug("journal: page %s recorded (score %s, flags %s)", page_id, entry.quality_score, entry.issues)
        return page_id

    def record_page(
        self,
        *,
        station_id: str,
        operator_id: str,
        quality_score: int,
        quality_issues: Sequence[str] = (),
        quality_metrics: Mapping[str, float] | None = None,
        profile: str = "",
        source: str = "",
        page_index: int = 0,
        dossier_code: str | None = None,
        procedure_code: str | None = None,
        doc_type: str | None = None,
        blank: bool = False,
        separator: bool = False,
        rotation: int = 0,
        skew_deg: float = 0.0,
        dpi: int | None = None,
        width: int = 0,
        height: int = 0,
        barcodes: int = 0,
        ocr_chars: int = 0,
        ocr_confidence: float | None = None,
        cards: Sequence[CitizenId] = (),
        image: Image | None = None,
        at: datetime | None = None,
        page_id: str | None = None,
    ) -> str:
        """Compatibility form of :meth:`record` (keyword per field); new code builds a PageEntry."""
        entry = PageEntry(
            station_id=station_id, operator_id=operator_id, quality_score=quality_score,
            quality_issues=tuple(quality_issues), quality_metrics=dict(quality_metrics or {}), profile=profile,
            source=source, page_index=page_index, dossier_code=dossier_code, procedure_code=procedure_code,
            doc_type=doc_type, blank=blank, separator=separator, rotation=rotation, skew_deg=skew_deg, dpi=dpi,
            width=width, height=height, barcodes=barcodes, ocr_chars=ocr_chars, ocr_confidence=ocr_confidence,
            at=at, page_id=page_id, **PageEntry.card_fields(cards),
        )
        return self.record(entry, image)

    def record_analysis(
        self,
        analysis: PageAnalysis,
        *,
        station_id: str,
        operator_id: str,
        profile: str = "",
        dossier_code: str | None = None,
        procedure_code: str | None = None,
        doc_type: str | None = None,
        image: Image | None = None,
        at: datetime | None = None,
        page_id: str | None = None,
    ) -> str:
        """Record a page from the pipeline's PageAnalysis (the cleaned image, if kept, becomes the preview)."""
        if image is None and analysis.clean is not None:
            image = analysis.clean.image
        entry = PageEntry.from_analysis(analysis, station_id=station_id, operator_id=operator_id, profile=profile,
                                        dossier_code=dossier_code, procedure_code=procedure_code,
                                        doc_type=doc_type, at=at, page_id=page_id)
        return self.record(entry, image)

    def assign_pages(
        self, page_ids: Sequence[str], *, dossier_code: str | None = None, procedure_code: str | None = None,
        doc_type: str | None = None,
    ) -> None:
        """The counter filed pages into a dossier / document slot after capture."""
        with self._tx() as db:
            pages.assign_pages(db, page_ids, dossier_code=dossier_code, procedure_code=procedure_code,
                               doc_type=doc_type)

    # -- recording: dossiers and uploads ----------------------------------------------------------------

    def record_dossier(
        self,
        dossier_code: str | None,
        *,
        station_id: str,
        operator_id: str,
        procedure_code: str | None = None,
        profile: str = "",
        pages: int = 0,
        documents: int = 0,
        page_ids: Sequence[str] = (),
        at: datetime | None = None,
        dossier_id: str | None = None,
    ) -> str:
        """A dossier finished at the counter (or by `station process`); returns its dossier_id."""
        dossier_id = dossier_id or new_id()
        finished_at, finished_ts = stamp(at, self._clock())
        with self._tx() as db:
            dossiers.upsert_dossier(db, dossier_id=dossier_id, dossier_code=dossier_code, station_id=station_id,
                                    operator_id=operator_id, procedure_code=procedure_code, profile=profile,
                                    finished_at=finished_at, finished_ts=finished_ts, pages=pages,
                                    documents=documents, page_ids=page_ids)
        return dossier_id

    def record_upload(
        self,
        *,
        attachment_id: str,
        dossier_code: str,
        doc_type: str,
        state: str,
        station_id: str,
        operator_id: str,
        pages: int = 1,
        bytes: int = 0,
        error_code: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """An outbox state change (queued, sending, sent, failed-retrying, failed-permanent) of one attachment.
        The first `sent` is the backend's confirmation: its time is kept as confirmed_ts."""
        when, ts = stamp(at, self._clock())
        with self._tx() as db:
            dossiers.upsert_upload(db, attachment_id=attachment_id, dossier_code=dossier_code, doc_type=doc_type,
                                   state=state, station_id=station_id, operator_id=operator_id, pages=pages,
                                   size=bytes, error_code=error_code, stamp=when, ts=ts)

    def record_queue_item(self, item: QueueItem) -> None:
        """Convenience: record the outbox row's current state (uploader.models.QueueItem)."""
        job = item.job
        at = datetime.fromtimestamp(item.sent_at, UTC) if item.sent_at and item.state.value == "sent" else None
        self.record_upload(
            attachment_id=job.attachment_id, dossier_code=job.dossier_code, doc_type=job.doc_type,
            state=item.state.value, station_id=job.station_id, operator_id=job.operator_id, pages=job.pages,
            bytes=job.bytes, error_code=item.error_code, at=at,
        )

    # -- recording: reviews -----------------------------------------------------------------------------

    def record_review(
        self,
        page_id: str,
        decision: ReviewDecision | str,
        *,
        reviewer: str,
        reason: str | None = None,
        note: str = "",
        at: datetime | None = None,
        review_id: str | None = None,
        request_id: str | None = None,
    ) -> ReviewRow:
        """Approve or reject a page. A rejection opens a rescan request for the page's station; an approval
        withdraws any open one. Idempotent by review_id (a replayed review changes nothing)."""
        decision = ReviewDecision(decision)
        reason = self.policy.reason_for(decision, reason)
        reviewed_at, reviewed_ts = stamp(at, self._clock())
        entry = reviews.Decision(review_id=review_id or new_id(), page_id=page_id, decision=decision, reason=reason,
                                 note=note, reviewer=reviewer, reviewed_at=reviewed_at, reviewed_ts=reviewed_ts,
                                 request_id=request_id or new_id())
        with self._tx() as db:
            row = reviews.insert_decision(db, entry)
        log.info("journal: page %s %s (%s)", page_id, decision.value, reason or "-")
        return row

    # -- rescan requests --------------------------------------------------------------------------------

    def pending_rescan_requests(self, station_id: str) -> list[RescanRequest]:
        """Open rescan requests for the counter at `station_id`, oldest first."""
        with self._lock:
            return reviews.open_requests(self._db, station_id)

    def resolve_rescan_request(self, request_id: str, new_page_id: str | None = None) -> None:
        """The counter scanned the page again (new_page_id: the new capture)."""
        with self._tx() as db:
            done = reviews.resolve(db, request_id, new_page_id)
        if not done:
            log.info("journal: rescan request %s was not open", request_id)

    def merge_rescan_request(self, request: RescanRequest) -> None:
        """A request the backend knows (a supervisor elsewhere): keep it locally, without re-reporting it."""
        with self._tx() as db:
            reviews.merge(db, request)

    def rescan_requests(self, *, status: str | None = None) -> list[RescanRequest]:
        with self._lock:
            return reviews.requests(self._db, status)

    # -- reading ----------------------------------------------------------------------------------------

    def page(self, page_id: str) -> PageRow:
        with self._lock:
            row = self._db.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        if row is None:
            raise UnknownPageError(f"no page {page_id} in the journal")
        return pages.page_from_row(row)

    def pages(self, filters: PageFilter | None = None) -> list[PageRow]:
        """Pages in capture order (separator sheets are not pages of a document and are left out)."""
        filters = filters or PageFilter()
        where, args = filter_sql(filters, review_state=True)
        sql = f"SELECT * FROM pages WHERE separator = 0{where} ORDER BY captured_ts, page_id"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [p for p in (pages.page_from_row(r) for r in rows) if filters.matches(p)]

    def reviews(self, page_id: str | None = None) -> list[ReviewRow]:
        with self._lock:
            return reviews.reviews(self._db, page_id)

    def dossiers(self, filters: PageFilter | None = None) -> list[DossierRow]:
        where, args = filter_sql(filters or PageFilter(), review_state=False)
        with self._lock:
            return dossiers.dossier_rows(self._db, where, args)

    def uploads(self) -> list[UploadRow]:
        with self._lock:
            return dossiers.upload_rows(self._db)

    def preview_file(self, page_id: str) -> Path | None:
        """Where the page's preview is kept: always inside preview_dir, named after the page id (the path
        stored in the row is never followed)."""
        return self.previews.file(page_id)

    def preview_bytes(self, page_id: str) -> bytes | None:
        """The page's preview JPEG (unsealed), or None when it has none, it is gone or it was tampered with."""
        if not self.page(page_id).preview_path:
            return None
        return self.previews.read(page_id)

    # -- retention --------------------------------------------------------------------------------------

    def apply_retention(self, days: float, *, now: float | None = None) -> int:
        """Delete what the backend has confirmed and is older than `days`: previews (page images) and the
        rows themselves. Anything not yet reported, and pages with an open rescan request, stay. Returns the
        number of pages deleted. `days` 0 deletes every confirmed record at once."""
        cutoff = (self._clock() if now is None else now) - days * retention.DAY
        with self._tx() as db:
            gone = retention.delete_confirmed(db, cutoff)
        # The rows are gone first: a crash here leaves only orphan files, which a later pass removes.
        self.previews.remove(gone)
        with self._lock:
            known = retention.pages_with_preview(self._db)
        self.previews.remove_orphans(known)
        if gone:
            log.info("journal: retention removed %d confirmed page(s) older than %s day(s)", len(gone), days)
        return len(gone)

    # -- sync bookkeeping (station.journal.sync) --------------------------------------------------------

    def unsynced(self, table: str, limit: int = 200) -> list[dict[str, Any]]:
        with self._lock:
            return syncstate.unsynced(self._db, table, limit)

    def mark_synced(self, table: str, revisions: Mapping[str, int]) -> None:
        with self._tx() as db:
            syncstate.mark_synced(db, table, revisions)

    def request_for_review(self, review_id: str) -> str | None:
        with self._lock:
            return reviews.request_for_review(self._db, review_id)

    def previews_to_sync(self, limit: int = 50) -> list[tuple[str, str]]:
        with self._lock:
            return syncstate.previews_to_sync(self._db, limit)

    def mark_preview_synced(self, page_id: str) -> None:
        with self._tx() as db:
            syncstate.mark_preview_synced(db, page_id)
