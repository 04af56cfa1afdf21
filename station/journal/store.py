"""`Journal`: the station's SQLite (WAL) journal of pages, dossiers, uploads, reviews and rescan requests.

Every row carries a revision (`rev`, bumped on each change) and the revision last reported to the backend
(`synced_rev`), so :mod:`station.journal.sync` sends each change once and again only after it changed.
Thread-safe (one connection, one lock); several processes may open the same file (WAL, busy timeout).
The database, its -wal/-shm files and its key are 0600; page previews are sealed at rest
(`<stem>-previews/<page_id>.jpg.sealed`, station.atrest) and found by page id, never by a stored path;
`apply_retention` deletes what the backend confirmed once the retention policy has passed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scanning.errors import StationError
from station.atrest import AtRestError
from station.journal import preview, privacy
from station.journal.models import (
    DossierRow,
    PageFilter,
    PageRow,
    PreviewKind,
    RescanRequest,
    ReviewDecision,
    ReviewRow,
    UploadRow,
)
from station.journal.schema import MIGRATIONS, SYNC_TABLES
from station.settings import REJECTION_REASONS
from uploader.errors import DatabaseVersionError
from uploader.review_rules import filter_sql, state_after
from uploader.sqlite import Database

if TYPE_CHECKING:
    from ocr.models import CitizenId
    from station.pipeline import PageAnalysis
    from uploader.models import QueueItem

log = logging.getLogger(__name__)

CARD_DOC_TYPES = ("cccd", "can-cuoc", "cmnd")

# A page id becomes a preview file name: only ids of this shape ever do (uuid hex, batch and counter ids).
SAFE_PAGE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$")
PREVIEW_SUFFIX = ".jpg.sealed"
DAY = 86400.0


class JournalError(StationError):
    exit_code = 2
    default_user_message = "Không ghi/đọc được nhật ký trạm. Kiểm tra đường dẫn và quyền ghi rồi thử lại."


class UnknownPageError(JournalError):
    default_user_message = "Không tìm thấy trang này trong nhật ký."


class InvalidReviewError(JournalError):
    default_user_message = "Quyết định duyệt không hợp lệ: khi từ chối phải chọn một lý do trong danh sách."


def default_journal_path() -> Path:
    from station.settings import data_dir

    return data_dir() / "journal.sqlite3"


def configured_journal_path() -> Path:
    """The journal the settings name (`review.journal_path`), else the one in the station data dir."""
    from station.settings import load

    configured = load().review.journal_path
    return Path(configured) if configured else default_journal_path()


def _stamp(at: datetime | None, clock: float) -> tuple[str, float]:
    """(ISO 8601 with the local UTC offset, epoch seconds)."""
    moment = at if at is not None else datetime.fromtimestamp(clock, UTC).astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the station's local time
    return moment.isoformat(timespec="seconds"), moment.timestamp()


def _new_id() -> str:
    return uuid.uuid4().hex


def _tuple(raw: str) -> tuple[str, ...]:
    value = json.loads(raw)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def page_from_row(row: Mapping[str, Any]) -> PageRow:
    metrics = json.loads(row["quality_metrics"])
    return PageRow(
        page_id=row["page_id"],
        station_id=row["station_id"],
        operator_id=row["operator_id"],
        profile=row["profile"],
        captured_at=row["captured_at"],
        captured_ts=float(row["captured_ts"]),
        source=row["source"],
        page_index=int(row["page_index"]),
        dossier_code=row["dossier_code"],
        procedure_code=row["procedure_code"],
        doc_type=row["doc_type"],
        quality_score=int(row["quality_score"]),
        quality_issues=_tuple(row["quality_issues"]),
        quality_metrics={str(k): float(v) for k, v in metrics.items()} if isinstance(metrics, dict) else {},
        blank=bool(row["blank"]),
        separator=bool(row["separator"]),
        rotation=int(row["rotation"]),
        skew_deg=float(row["skew_deg"]),
        dpi=None if row["dpi"] is None else int(row["dpi"]),
        width=int(row["width"]),
        height=int(row["height"]),
        barcodes=int(row["barcodes"]),
        ocr_chars=int(row["ocr_chars"]),
        ocr_confidence=None if row["ocr_confidence"] is None else float(row["ocr_confidence"]),
        cccd_read=bool(row["cccd_read"]),
        cccd_masked=_tuple(row["cccd_masked"]),
        cccd_hashes=_tuple(row["cccd_hashes"]),
        preview_path=row["preview_path"],
        preview_kind=row["preview_kind"],
        review_state=row["review_state"],
        review_reason=row["review_reason"],
        review_note=row["review_note"],
    )


def _rescan(row: Mapping[str, Any]) -> RescanRequest:
    return RescanRequest(
        request_id=row["request_id"], page_id=row["page_id"], review_id=row["review_id"],
        station_id=row["station_id"], operator_id=row["operator_id"], dossier_code=row["dossier_code"],
        doc_type=row["doc_type"], page_index=int(row["page_index"]), reason=row["reason"], note=row["note"],
        created_at=row["created_at"], status=row["status"], resolved_page_id=row["resolved_page_id"],
    )


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
        self.preview_dir = path.parent / f"{path.stem}-previews"
        self.preview_long_side = preview_long_side
        self.rejection_reasons = tuple(rejection_reasons)
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

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._database.transaction()

    # -- recording: pages -------------------------------------------------------------------------------

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
        image: preview.Image | None = None,
        at: datetime | None = None,
        page_id: str | None = None,
    ) -> str:
        """Record (or update, same page_id) one page; returns its page_id. Writes the review preview."""
        page_id = page_id or _new_id()
        captured_at, captured_ts = _stamp(at, self._clock())
        numbers = [c.id_number for c in cards if c.id_number]
        has_card = bool(cards) or (doc_type or "") in CARD_DOC_TYPES
        preview_path, kind = self._write_preview(page_id, image, pixelate=has_card)
        issues = list(dict.fromkeys(quality_issues))
        values = {
            "page_id": page_id, "station_id": station_id, "operator_id": operator_id, "profile": profile,
            "captured_at": captured_at, "captured_ts": captured_ts, "local_date": captured_at[:10],
            "source": privacy.source_label(source), "page_index": page_index,
            "dossier_code": dossier_code, "procedure_code": procedure_code, "doc_type": doc_type,
            "quality_score": int(quality_score), "quality_issues": json.dumps(issues),
            "quality_metrics": json.dumps({k: round(float(v), 4) for k, v in (quality_metrics or {}).items()}),
            "flagged": int(bool(issues) or blank), "blank": int(blank), "separator": int(separator),
            "rotation": int(rotation), "skew_deg": round(float(skew_deg), 3), "dpi": dpi, "width": width,
            "height": height, "barcodes": barcodes, "ocr_chars": ocr_chars,
            "ocr_confidence": None if ocr_confidence is None else round(float(ocr_confidence), 2),
            "cccd_read": int(bool(numbers)),
            "cccd_masked": json.dumps([privacy.masked(n) for n in numbers]),
            "cccd_hashes": json.dumps([privacy.id_hash(self._key, n) for n in numbers]),
            "preview_path": preview_path, "preview_kind": kind.value,
        }
        columns = ", ".join(values)
        placeholders = ", ".join(f":{k}" for k in values)
        updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "page_id")
        with self._tx() as db:
            db.execute(
                f"INSERT INTO pages ({columns}) VALUES ({placeholders}) ON CONFLICT(page_id) DO UPDATE SET {updates},"
                " rev = pages.rev + 1, preview_synced = 0",
                values,
            )
        log.debug("journal: page %s recorded (score %s, flags %s)", page_id, quality_score, issues)
        return page_id

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
        image: preview.Image | None = None,
        at: datetime | None = None,
        page_id: str | None = None,
    ) -> str:
        """Record a page from the pipeline's PageAnalysis (the cleaned image, if kept, becomes the preview)."""
        if image is None and analysis.clean is not None:
            image = analysis.clean.image
        ocr = analysis.ocr
        return self.record_page(
            station_id=station_id, operator_id=operator_id, profile=profile, source=analysis.source,
            page_index=analysis.index, dossier_code=dossier_code or analysis.dossier_code,
            procedure_code=procedure_code, doc_type=doc_type or analysis.separator_doc_type,
            quality_score=analysis.quality_score, quality_issues=analysis.quality_issues,
            quality_metrics=analysis.quality_metrics, blank=analysis.blank, separator=analysis.separator,
            rotation=analysis.rotation_applied, skew_deg=analysis.skew_deg, dpi=analysis.dpi,
            width=analysis.width, height=analysis.height, barcodes=len(analysis.barcodes),
            ocr_chars=len(ocr.text) if ocr is not None else 0,
            ocr_confidence=ocr.mean_confidence if ocr is not None else None,
            cards=analysis.cards, image=image, at=at, page_id=page_id,
        )

    def assign_pages(
        self, page_ids: Sequence[str], *, dossier_code: str | None = None, procedure_code: str | None = None,
        doc_type: str | None = None,
    ) -> None:
        """The counter filed pages into a dossier / document slot after capture."""
        with self._tx() as db:
            for page_id in page_ids:
                db.execute(
                    "UPDATE pages SET dossier_code = COALESCE(?, dossier_code),"
                    " procedure_code = COALESCE(?, procedure_code), doc_type = COALESCE(?, doc_type),"
                    " rev = rev + 1 WHERE page_id = ?",
                    (dossier_code, procedure_code, doc_type, page_id),
                )

    def _write_preview(self, page_id: str, image: preview.Image | None, *, pixelate: bool) -> tuple[str | None,
                                                                                                     PreviewKind]:
        if image is None:
            return None, PreviewKind.NONE
        reduced = (preview.pixelate(image, self.preview_long_side) if pixelate
                   else preview.reduce(image, self.preview_long_side))
        path = self.preview_file(page_id)
        if path is None:
            log.warning("journal: page id %r cannot name a preview file; no preview kept", page_id[:40])
            return None, PreviewKind.NONE
        try:
            preview.write_sealed(path, preview.encode_jpeg(reduced))
        except (OSError, AtRestError) as err:  # a missing preview must not lose the journal row
            log.warning("journal: cannot write preview for page %s: %s", page_id, getattr(err, "strerror", None)
                        or err)
            return None, PreviewKind.NONE
        return str(path), PreviewKind.PIXELATED if pixelate else PreviewKind.FULL

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
        dossier_id = dossier_id or _new_id()
        finished_at, finished_ts = _stamp(at, self._clock())
        with self._tx() as db:
            db.execute(
                "INSERT INTO dossiers (dossier_id, dossier_code, station_id, operator_id, procedure_code, profile,"
                " finished_at, finished_ts, local_date, pages, documents) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(dossier_id) DO UPDATE SET dossier_code = excluded.dossier_code,"
                " procedure_code = excluded.procedure_code, finished_at = excluded.finished_at,"
                " finished_ts = excluded.finished_ts, local_date = excluded.local_date, pages = excluded.pages,"
                " documents = excluded.documents, rev = dossiers.rev + 1",
                (dossier_id, dossier_code, station_id, operator_id, procedure_code, profile, finished_at,
                 finished_ts, finished_at[:10], pages, documents),
            )
            if dossier_code and procedure_code:
                db.execute(
                    "UPDATE pages SET procedure_code = ?, rev = rev + 1 WHERE dossier_code = ?"
                    " AND procedure_code IS NULL", (procedure_code, dossier_code))
            for page_id in page_ids:
                db.execute(
                    "UPDATE pages SET dossier_code = COALESCE(dossier_code, ?), procedure_code = COALESCE(?,"
                    " procedure_code), rev = rev + 1 WHERE page_id = ?", (dossier_code, procedure_code, page_id))
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
        stamp, ts = _stamp(at, self._clock())
        with self._tx() as db:
            db.execute(
                "INSERT INTO uploads (attachment_id, dossier_code, doc_type, station_id, operator_id, state, pages,"
                " bytes, queued_ts, confirmed_ts, error_code, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(attachment_id) DO UPDATE SET state = excluded.state, error_code = excluded.error_code,"
                " updated_at = excluded.updated_at, confirmed_ts = COALESCE(uploads.confirmed_ts,"
                " excluded.confirmed_ts), rev = uploads.rev + 1",
                (attachment_id, dossier_code, doc_type, station_id, operator_id, state, pages, bytes, ts,
                 ts if state == "sent" else None, error_code, stamp),
            )

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
        if decision is ReviewDecision.REJECT and reason not in self.rejection_reasons:
            raise InvalidReviewError(f"rejection reason must be one of {list(self.rejection_reasons)}")
        if decision is ReviewDecision.APPROVE:
            reason = None
        review_id = review_id or _new_id()
        reviewed_at, reviewed_ts = _stamp(at, self._clock())
        with self._tx() as db:
            existing = db.execute("SELECT * FROM reviews WHERE review_id = ?", (review_id,)).fetchone()
            if existing is not None:
                return _review(existing)
            page = db.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone()
            if page is None:
                raise UnknownPageError(f"no page {page_id} in the journal")
            db.execute(
                "INSERT INTO reviews (review_id, page_id, decision, reason, note, reviewer, reviewed_at, reviewed_ts)"
                " VALUES (?,?,?,?,?,?,?,?)",
                (review_id, page_id, decision.value, reason, note, reviewer, reviewed_at, reviewed_ts),
            )
            state = state_after(decision)
            db.execute(
                "UPDATE pages SET review_state = ?, review_reason = ?, review_note = ?, rev = rev + 1"
                " WHERE page_id = ?", (state.value, reason, note, page_id))
            db.execute(
                "UPDATE rescan_requests SET status = 'withdrawn', rev = rev + 1 WHERE page_id = ? AND status = 'open'",
                (page_id,))
            if decision is ReviewDecision.REJECT:
                assert reason is not None
                db.execute(
                    "INSERT INTO rescan_requests (request_id, page_id, review_id, station_id, operator_id,"
                    " dossier_code, doc_type, page_index, reason, note, created_at, status)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?, 'open')",
                    (request_id or _new_id(), page_id, review_id, page["station_id"], page["operator_id"],
                     page["dossier_code"], page["doc_type"], page["page_index"], reason, note, reviewed_at),
                )
            row = db.execute("SELECT * FROM reviews WHERE review_id = ?", (review_id,)).fetchone()
        log.info("journal: page %s %s (%s)", page_id, decision.value, reason or "-")
        return _review(row)

    # -- rescan requests --------------------------------------------------------------------------------

    def pending_rescan_requests(self, station_id: str) -> list[RescanRequest]:
        """Open rescan requests for the counter at `station_id`, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM rescan_requests WHERE station_id = ? AND status = 'open' ORDER BY created_at,"
                " request_id", (station_id,)).fetchall()
        return [_rescan(r) for r in rows]

    def resolve_rescan_request(self, request_id: str, new_page_id: str | None = None) -> None:
        """The counter scanned the page again (new_page_id: the new capture)."""
        with self._tx() as db:
            n = db.execute(
                "UPDATE rescan_requests SET status = 'done', resolved_page_id = ?, rev = rev + 1"
                " WHERE request_id = ? AND status = 'open'", (new_page_id, request_id)).rowcount
        if not n:
            log.info("journal: rescan request %s was not open", request_id)

    def merge_rescan_request(self, request: RescanRequest) -> None:
        """A request the backend knows (a supervisor elsewhere): keep it locally, without re-reporting it."""
        with self._tx() as db:
            db.execute(
                "INSERT INTO rescan_requests (request_id, page_id, review_id, station_id, operator_id, dossier_code,"
                " doc_type, page_index, reason, note, created_at, status, resolved_page_id, rev, synced_rev)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,1,1) ON CONFLICT(request_id) DO UPDATE SET"
                " status = CASE WHEN rescan_requests.status = 'open' THEN excluded.status"
                " ELSE rescan_requests.status END",
                (request.request_id, request.page_id, request.review_id, request.station_id, request.operator_id,
                 request.dossier_code, request.doc_type, request.page_index, request.reason, request.note,
                 request.created_at, request.status, request.resolved_page_id),
            )

    def rescan_requests(self, *, status: str | None = None) -> list[RescanRequest]:
        sql = "SELECT * FROM rescan_requests" + (" WHERE status = ?" if status else "") + " ORDER BY created_at"
        with self._lock:
            rows = self._db.execute(sql, (status,) if status else ()).fetchall()
        return [_rescan(r) for r in rows]

    # -- reading ----------------------------------------------------------------------------------------

    def page(self, page_id: str) -> PageRow:
        with self._lock:
            row = self._db.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        if row is None:
            raise UnknownPageError(f"no page {page_id} in the journal")
        return page_from_row(row)

    def pages(self, filters: PageFilter | None = None) -> list[PageRow]:
        """Pages in capture order (separator sheets are not pages of a document and are left out)."""
        filters = filters or PageFilter()
        where, args = filter_sql(filters, review_state=True)
        sql = f"SELECT * FROM pages WHERE separator = 0{where} ORDER BY captured_ts, page_id"
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [p for p in (page_from_row(r) for r in rows) if filters.matches(p)]

    def reviews(self, page_id: str | None = None) -> list[ReviewRow]:
        sql = "SELECT * FROM reviews" + (" WHERE page_id = ?" if page_id else "") + " ORDER BY reviewed_ts"
        with self._lock:
            rows = self._db.execute(sql, (page_id,) if page_id else ()).fetchall()
        return [_review(r) for r in rows]

    def dossiers(self, filters: PageFilter | None = None) -> list[DossierRow]:
        filters = filters or PageFilter()
        where, args = filter_sql(filters, review_state=False)
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM dossiers WHERE 1 = 1{where} ORDER BY finished_ts", args).fetchall()
        return [
            DossierRow(dossier_id=r["dossier_id"], dossier_code=r["dossier_code"], station_id=r["station_id"],
                       operator_id=r["operator_id"], procedure_code=r["procedure_code"], profile=r["profile"],
                       finished_at=r["finished_at"], finished_ts=float(r["finished_ts"]), pages=int(r["pages"]),
                       documents=int(r["documents"]))
            for r in rows
        ]

    def uploads(self) -> list[UploadRow]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM uploads ORDER BY queued_ts, attachment_id").fetchall()
        return [
            UploadRow(attachment_id=r["attachment_id"], dossier_code=r["dossier_code"], doc_type=r["doc_type"],
                      station_id=r["station_id"], operator_id=r["operator_id"], state=r["state"],
                      pages=int(r["pages"]), bytes=int(r["bytes"]), queued_ts=r["queued_ts"],
                      confirmed_ts=r["confirmed_ts"], error_code=r["error_code"], updated_at=r["updated_at"])
            for r in rows
        ]

    def preview_file(self, page_id: str) -> Path | None:
        """Where the page's preview is kept: always inside preview_dir, named after the page id (the path
        stored in the row is never followed)."""
        if not SAFE_PAGE_ID.fullmatch(page_id):
            return None
        return self.preview_dir / f"{page_id}{PREVIEW_SUFFIX}"

    def preview_bytes(self, page_id: str) -> bytes | None:
        """The page's preview JPEG (unsealed), or None when it has none, it is gone or it was tampered with."""
        if not self.page(page_id).preview_path:
            return None
        path = self.preview_file(page_id)
        if path is None:
            return None
        try:
            return preview.read_sealed(path)
        except FileNotFoundError:
            return preview.read_legacy(self.preview_dir / f"{page_id}.jpg")
        except (OSError, AtRestError) as err:
            log.warning("journal: preview of page %s unreadable: %s", page_id, err)
            return None

    # -- retention --------------------------------------------------------------------------------------

    def apply_retention(self, days: float, *, now: float | None = None) -> int:
        """Delete what the backend has confirmed and is older than `days`: previews (page images) and the
        rows themselves. Anything not yet reported, and pages with an open rescan request, stay. Returns the
        number of pages deleted. `days` 0 deletes every confirmed record at once."""
        cutoff = (self._clock() if now is None else now) - days * DAY
        with self._tx() as db:
            pages = [r["page_id"] for r in db.execute(
                "SELECT page_id FROM pages p WHERE captured_ts < ? AND synced_rev >= rev"
                " AND (preview_path IS NULL OR preview_synced = 1)"
                " AND NOT EXISTS (SELECT 1 FROM rescan_requests q WHERE q.page_id = p.page_id AND"
                " (q.status = 'open' OR q.synced_rev < q.rev))"
                " AND NOT EXISTS (SELECT 1 FROM reviews v WHERE v.page_id = p.page_id AND v.synced_rev < v.rev)",
                (cutoff,)).fetchall()]
            for page_id in pages:
                db.execute("DELETE FROM rescan_requests WHERE page_id = ?", (page_id,))
                db.execute("DELETE FROM reviews WHERE page_id = ?", (page_id,))
                db.execute("DELETE FROM pages WHERE page_id = ?", (page_id,))
            db.execute("DELETE FROM dossiers WHERE finished_ts < ? AND synced_rev >= rev", (cutoff,))
            db.execute("DELETE FROM uploads WHERE state = 'sent' AND COALESCE(confirmed_ts, queued_ts) < ?"
                       " AND synced_rev >= rev", (cutoff,))
        # The rows are gone first: a crash here leaves only orphan files, which a later pass removes.
        for page_id in pages:
            for path in (self.preview_file(page_id), self.preview_dir / f"{page_id}.jpg"):
                if path is not None:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
        self._remove_orphan_previews()
        if pages:
            log.info("journal: retention removed %d confirmed page(s) older than %s day(s)", len(pages), days)
        return len(pages)

    def _remove_orphan_previews(self, min_age: float = 3600.0) -> None:
        """Preview files no row names. Young ones are left alone: record_page writes the preview just before
        its row, possibly in another process."""
        if not self.preview_dir.is_dir():
            return
        young = time.time() - min_age
        with self._lock:
            known = {r["page_id"] for r in self._db.execute(
                "SELECT page_id FROM pages WHERE preview_path IS NOT NULL").fetchall()}
        for entry in os.scandir(self.preview_dir):
            page_id = entry.name.removesuffix(PREVIEW_SUFFIX).removesuffix(".jpg")
            if entry.name.startswith(".") or page_id in known or not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime > young:
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)

    # -- sync bookkeeping (station.journal.sync) --------------------------------------------------------

    def unsynced(self, table: str, limit: int = 200) -> list[dict[str, Any]]:
        if table not in SYNC_TABLES:
            raise ValueError(table)
        with self._lock:
            rows = self._db.execute(
                f"SELECT * FROM {table} WHERE rev > synced_rev ORDER BY rowid LIMIT ?", (limit,)).fetchall()
        return [dict(r) for r in rows]

    def mark_synced(self, table: str, revisions: Mapping[str, int]) -> None:
        key = SYNC_TABLES[table]
        with self._tx() as db:
            for row_id, rev in revisions.items():
                db.execute(f"UPDATE {table} SET synced_rev = MAX(synced_rev, ?) WHERE {key} = ?", (rev, row_id))

    def request_for_review(self, review_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT request_id FROM rescan_requests WHERE review_id = ?",
                                   (review_id,)).fetchone()
        return None if row is None else str(row["request_id"])

    def previews_to_sync(self, limit: int = 50) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT page_id, preview_path FROM pages WHERE preview_synced = 0 AND preview_path IS NOT NULL"
                " AND synced_rev > 0 ORDER BY rowid LIMIT ?", (limit,)).fetchall()
        return [(r["page_id"], r["preview_path"]) for r in rows]

    def mark_preview_synced(self, page_id: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE pages SET preview_synced = 1 WHERE page_id = ?", (page_id,))


def _review(row: Mapping[str, Any]) -> ReviewRow:
    return ReviewRow(review_id=row["review_id"], page_id=row["page_id"], decision=row["decision"],
                     reason=row["reason"], note=row["note"], reviewer=row["reviewer"],
                     reviewed_at=row["reviewed_at"], reviewed_ts=float(row["reviewed_ts"]))
