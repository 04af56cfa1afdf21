"""The reference backend's central journal and review store: journal rows reported by every station of a
service center, supervisors' review decisions, rescan requests, and statistics.

SQLite (WAL) in ``review.sqlite3`` beside the attachments database; previews as files under ``previews/``.
Rows are upserted by their station-chosen id, so re-sending a batch changes nothing (idempotent).

The review rules (filters, the queue and its sampling, the statistics) are not here: they are the contract's,
shared with the station (uploader/review_rules.py, uploader/review_stats.py). This module stores rows and
hands them to those rules (tests/uploader/test_backend_review.py checks the station and the backend agree).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from uploader.backend.store import StoreError
from uploader.private import private_dir, write_private
from uploader.review_rules import (
    DEFAULT_REJECTION_REASONS,
    PageFilter,
    ReviewDecision,
    build_queue,
    filter_sql,
    page_flags,
    state_after,
)
from uploader.review_stats import compute
from uploader.sqlite import Database, Migration

ROW_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
_ROW_ID_RE = re.compile(ROW_ID_PATTERN)
MAX_ROWS = 500

SCHEMA = """
CREATE TABLE IF NOT EXISTS pages (
    page_id TEXT PRIMARY KEY, station_id TEXT NOT NULL, operator_id TEXT NOT NULL, local_date TEXT NOT NULL,
    captured_ts REAL NOT NULL, procedure_code TEXT, data TEXT NOT NULL, has_preview INTEGER NOT NULL DEFAULT 0,
    review_state TEXT NOT NULL DEFAULT 'pending', review_reason TEXT, review_note TEXT, received_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS dossiers (
    dossier_id TEXT PRIMARY KEY, station_id TEXT NOT NULL, operator_id TEXT NOT NULL, local_date TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS uploads (
    attachment_id TEXT PRIMARY KEY, station_id TEXT NOT NULL, operator_id TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, page_id TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT, note TEXT NOT NULL,
    reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS rescan_requests (
    request_id TEXT PRIMARY KEY, page_id TEXT NOT NULL, review_id TEXT NOT NULL, station_id TEXT NOT NULL,
    operator_id TEXT NOT NULL, dossier_code TEXT, doc_type TEXT, page_index INTEGER NOT NULL, reason TEXT NOT NULL,
    note TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL, resolved_page_id TEXT);
CREATE INDEX IF NOT EXISTS rescan_station ON rescan_requests (station_id, status);
"""
MIGRATIONS = (Migration("pages, dossiers, uploads, reviews, rescan requests", SCHEMA),)  # append, never edit

# -- validation of reported rows -------------------------------------------------------------------------

Check = Callable[[Any], bool]


def _str(max_len: int) -> Check:
    return lambda v: isinstance(v, str) and len(v) <= max_len


def _nstr(max_len: int) -> Check:
    return lambda v: v is None or (isinstance(v, str) and len(v) <= max_len)


def _int(low: int, high: int) -> Check:
    return lambda v: isinstance(v, int) and not isinstance(v, bool) and low <= v <= high


def _nint(low: int, high: int) -> Check:
    return lambda v: v is None or _int(low, high)(v)


def _num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and v == v and abs(v) < 1e15


def _nnum(v: Any) -> bool:
    return v is None or _num(v)


def _bool(v: Any) -> bool:
    return isinstance(v, bool)


def _strlist(v: Any) -> bool:
    return isinstance(v, list) and len(v) <= 64 and all(isinstance(s, str) and len(s) <= 64 for s in v)


def _metrics(v: Any) -> bool:
    return isinstance(v, dict) and len(v) <= 64 and all(isinstance(k, str) and _num(x) for k, x in v.items())


def _row_id(v: Any) -> bool:
    return isinstance(v, str) and bool(_ROW_ID_RE.fullmatch(v))


def _timestamp(v: Any) -> bool:
    if not isinstance(v, str) or len(v) > 40:
        return False
    try:
        return datetime.fromisoformat(v.replace("Z", "+00:00").replace("z", "+00:00")).tzinfo is not None
    except ValueError:
        return False


PAGE_FIELDS: dict[str, Check] = {
    "page_id": _row_id, "station_id": _str(128), "operator_id": _str(128), "profile": _str(200),
    "captured_at": _timestamp, "source": _str(255), "page_index": _int(0, 1_000_000), "dossier_code": _nstr(64),
    "procedure_code": _nstr(32), "doc_type": _nstr(64), "quality_score": _int(0, 100), "quality_issues": _strlist,
    "quality_metrics": _metrics, "blank": _bool, "separator": _bool, "rotation": _int(0, 359), "skew_deg": _num,
    "dpi": _nint(1, 10000), "width": _int(0, 1_000_000), "height": _int(0, 1_000_000),
    "barcodes": _int(0, 10000), "ocr_chars": _int(0, 10_000_000), "ocr_confidence": _nnum, "cccd_read": _bool,
    "cccd_masked": _strlist, "cccd_hashes": _strlist, "preview_kind": lambda v: v in ("full", "pixelated", "none"),
}
DOSSIER_FIELDS: dict[str, Check] = {
    "dossier_id": _row_id, "dossier_code": _nstr(64), "station_id": _str(128), "operator_id": _str(128),
    "procedure_code": _nstr(32), "profile": _str(200), "finished_at": _timestamp, "pages": _int(0, 1_000_000),
    "documents": _int(0, 100_000),
}
UPLOAD_FIELDS: dict[str, Check] = {
    "attachment_id": _row_id, "dossier_code": _str(64), "doc_type": _str(64), "station_id": _str(128),
    "operator_id": _str(128), "state": lambda v: v in ("queued", "sending", "sent", "failed-retrying",
                                                        "failed-permanent"),
    "pages": _int(0, 1_000_000), "bytes": _int(0, 2**53), "queued_ts": _nnum, "confirmed_ts": _nnum,
    "error_code": _nstr(200),
}


def validate_rows(rows: Any, fields: Mapping[str, Check], what: str) -> list[dict[str, Any]]:
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_ROWS:
        raise StoreError(422, "validation_error", f"{what} must be a list of 1 to {MAX_ROWS} rows")
    out = []
    for n, row in enumerate(rows):
        if not isinstance(row, dict):
            raise StoreError(422, "validation_error", f"{what}[{n}] must be an object")
        for name, check in fields.items():
            if name not in row or not check(row[name]):
                raise StoreError(422, "validation_error", f"{what}[{n}].{name} is missing or invalid")
        out.append({k: row[k] for k in fields})
    return out


# -- stored rows as the shared review rules read them ----------------------------------------------------

def _ts(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00")).timestamp()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class ReportedPage:
    """A page row as a station reported it (`data`, the contract's JournalPage, plus its review state), with
    the fields the shared review rules read."""

    page_id: str
    station_id: str
    operator_id: str
    captured_at: str
    captured_ts: float
    dossier_code: str | None
    procedure_code: str | None
    doc_type: str | None
    quality_score: int
    separator: bool
    flags: tuple[str, ...]
    review_state: str
    review_reason: str | None
    data: dict[str, Any] = field(compare=False, repr=False)

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> ReportedPage:
        return cls(
            page_id=d["page_id"], station_id=d["station_id"], operator_id=d["operator_id"],
            captured_at=d["captured_at"], captured_ts=_ts(d["captured_at"]), dossier_code=d["dossier_code"],
            procedure_code=d["procedure_code"], doc_type=d["doc_type"], quality_score=d["quality_score"],
            separator=d["separator"], flags=page_flags(d["quality_issues"], d["blank"]),
            review_state=d["review_state"], review_reason=d["review_reason"], data=d,
        )

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def local_date(self) -> str:
        return self.captured_at[:10]


@dataclass(frozen=True)
class ReportedDossier:
    station_id: str
    operator_id: str
    finished_at: str
    procedure_code: str | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReportedDossier:
        return cls(d["station_id"], d["operator_id"], d["finished_at"], d["procedure_code"])


@dataclass(frozen=True)
class ReportedUpload:
    attachment_id: str
    dossier_code: str
    doc_type: str
    station_id: str
    operator_id: str
    confirmed_ts: float | None

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> ReportedUpload:
        return cls(d["attachment_id"], d["dossier_code"], d["doc_type"], d["station_id"], d["operator_id"],
                   d["confirmed_ts"])


# -- the store --------------------------------------------------------------------------------------------

class ReviewStore:
    def __init__(self, data_dir: Path) -> None:
        self.previews_dir = private_dir(data_dir / "previews")
        self._lock = threading.Lock()
        self._database = Database(data_dir / "review.sqlite3", MIGRATIONS)
        self._db = self._database.connection

    def close(self) -> None:
        self._database.close()

    def _tx_rows(self, sql: str, rows: Iterable[tuple[Any, ...]], owner: str | None = None) -> tuple[int, int]:
        """Run an upsert per row in one transaction; returns (created, updated). With an owner (a station
        token's station), a row stored under another station is never replaced: 403, nothing written."""
        created = updated = 0
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                for key_sql, key, params in rows:
                    found = self._db.execute(key_sql, (key,)).fetchone()
                    exists = found is not None
                    if exists and owner is not None and found[0] != owner:
                        raise StoreError(403, "forbidden", "a row with this id belongs to another station")
                    self._db.execute(sql, params)
                    created += not exists
                    updated += exists
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        return created, updated

    # reported rows

    def put_pages(self, rows: Sequence[dict[str, Any]], owner: str | None = None) -> dict[str, int]:
        now = _now()
        created, updated = self._tx_rows(
            "INSERT INTO pages (page_id, station_id, operator_id, local_date, captured_ts, procedure_code, data,"
            " received_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(page_id) DO UPDATE SET"
            " station_id = excluded.station_id, operator_id = excluded.operator_id,"
            " local_date = excluded.local_date, captured_ts = excluded.captured_ts,"
            " procedure_code = excluded.procedure_code, data = excluded.data",
            (("SELECT station_id FROM pages WHERE page_id = ?", r["page_id"],
              (r["page_id"], r["station_id"], r["operator_id"], r["captured_at"][:10], _ts(r["captured_at"]),
               r["procedure_code"], json.dumps(r, ensure_ascii=False), now)) for r in rows),
            owner,
        )
        return {"received": len(rows), "created": created, "updated": updated}

    def put_dossiers(self, rows: Sequence[dict[str, Any]], owner: str | None = None) -> dict[str, int]:
        created, updated = self._tx_rows(
            "INSERT INTO dossiers VALUES (?,?,?,?,?) ON CONFLICT(dossier_id) DO UPDATE SET data = excluded.data,"
            " local_date = excluded.local_date",
            (("SELECT station_id FROM dossiers WHERE dossier_id = ?", r["dossier_id"],
              (r["dossier_id"], r["station_id"], r["operator_id"], r["finished_at"][:10],
               json.dumps(r, ensure_ascii=False))) for r in rows),
            owner,
        )
        return {"received": len(rows), "created": created, "updated": updated}

    def put_uploads(self, rows: Sequence[dict[str, Any]], owner: str | None = None) -> dict[str, int]:
        created, updated = self._tx_rows(
            "INSERT INTO uploads VALUES (?,?,?,?) ON CONFLICT(attachment_id) DO UPDATE SET data = excluded.data",
            (("SELECT station_id FROM uploads WHERE attachment_id = ?", r["attachment_id"],
              (r["attachment_id"], r["station_id"], r["operator_id"], json.dumps(r, ensure_ascii=False)))
             for r in rows),
            owner,
        )
        return {"received": len(rows), "created": created, "updated": updated}

    def _page_exists(self, page_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM pages WHERE page_id = ?", (page_id,)).fetchone() is not None

    def page_station(self, page_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT station_id FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        return None if row is None else str(row[0])

    def rescan_station(self, request_id: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT station_id FROM rescan_requests WHERE request_id = ?",
                                   (request_id,)).fetchone()
        return None if row is None else str(row[0])

    def put_preview(self, page_id: str, data: bytes, owner: str | None = None) -> None:
        with self._lock:
            row = self._db.execute("SELECT station_id FROM pages WHERE page_id = ?", (page_id,)).fetchone()
            if row is None:
                raise StoreError(404, "page_not_found", "no journal page with this id")
            if owner is not None and row[0] != owner:
                raise StoreError(403, "forbidden", "this page belongs to another station")
        final = self.previews_dir / f"{page_id}.jpg"
        tmp = self.previews_dir / f".{page_id}.{uuid.uuid4().hex}.tmp"
        write_private(tmp, data)
        os.replace(tmp, final)
        with self._lock:
            self._db.execute("UPDATE pages SET has_preview = 1 WHERE page_id = ?", (page_id,))

    def get_preview(self, page_id: str) -> bytes:
        with self._lock:
            row = self._db.execute("SELECT has_preview FROM pages WHERE page_id = ?", (page_id,)).fetchone()
        if row is None:
            raise StoreError(404, "page_not_found", "no journal page with this id")
        if not row["has_preview"]:
            raise StoreError(404, "preview_not_found", "no preview was reported for this page")
        return (self.previews_dir / f"{page_id}.jpg").read_bytes()

    # reading

    def _page(self, row: sqlite3.Row) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(row["data"])
        data.update(review_state=row["review_state"], review_reason=row["review_reason"],
                    review_note=row["review_note"], has_preview=bool(row["has_preview"]))
        return data

    def _reported(self, filters: PageFilter) -> list[ReportedPage]:
        where, args = filter_sql(filters, review_state=True)
        with self._lock:
            rows = self._db.execute(f"SELECT * FROM pages WHERE 1 = 1{where} ORDER BY captured_ts, page_id",
                                    args).fetchall()
        pages = (ReportedPage.from_json(self._page(r)) for r in rows)
        return [p for p in pages if not p.separator and filters.matches(p)]

    def pages(self, filters: PageFilter) -> list[dict[str, Any]]:
        """Pages in capture order, as reported plus their review state (separator sheets left out)."""
        return [p.data for p in self._reported(filters)]

    def queue(self, filters: PageFilter, sample_rate: float, seed: int,
              include_reviewed: bool) -> list[dict[str, Any]]:
        queue = build_queue(self._reported(filters), sample_rate=sample_rate, seed=seed,
                            include_reviewed=include_reviewed)
        return [{"page": page.data, "reason": reason.value} for page, reason in queue]

    def stats(self, filters: PageFilter) -> dict[str, Any]:
        pages = self._reported(dataclasses.replace(filters, flag=None))
        where, args = filter_sql(filters, review_state=False, procedure=False)  # procedure: in the data
        with self._lock:
            dossiers = [ReportedDossier.from_json(json.loads(r["data"]))
                        for r in self._db.execute(f"SELECT data FROM dossiers WHERE 1 = 1{where}", args)]
            uploads = [ReportedUpload.from_json(json.loads(r["data"]))
                       for r in self._db.execute("SELECT data FROM uploads")]
        if filters.procedure_code:
            dossiers = [d for d in dossiers if d.procedure_code == filters.procedure_code]
        return compute(pages, dossiers, uploads, reasons=DEFAULT_REJECTION_REASONS, date_from=filters.date_from,
                       date_to=filters.date_to).to_json()

    # decisions

    def _rescan(self, row: sqlite3.Row | None) -> dict[str, Any] | None:
        return None if row is None else dict(row)

    def review(self, page_id: str, body: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """Record a decision; returns ({"review", "rescan_request"}, created). Replaying a review_id is a no-op."""
        review_id = body.get("review_id") or uuid.uuid4().hex
        with self._lock:
            existing = self._db.execute("SELECT * FROM reviews WHERE review_id = ?", (review_id,)).fetchone()
            if existing is not None:
                if existing["page_id"] != page_id:
                    raise StoreError(409, "review_conflict", "this review id belongs to another page")
                req = self._db.execute("SELECT * FROM rescan_requests WHERE review_id = ?", (review_id,)).fetchone()
                return {"review": dict(existing), "rescan_request": self._rescan(req)}, False
            page = self._db.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone()
            if page is None:
                raise StoreError(404, "page_not_found", "no journal page with this id")
            data = json.loads(page["data"])
            decision, reason, note = body["decision"], body.get("reason"), body.get("note") or ""
            reviewed_at = body.get("reviewed_at") or _now()
            if decision == ReviewDecision.APPROVE.value:
                reason = None
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute("INSERT INTO reviews VALUES (?,?,?,?,?,?,?)",
                                 (review_id, page_id, decision, reason, note, body["reviewer"], reviewed_at))
                self._db.execute(
                    "UPDATE pages SET review_state = ?, review_reason = ?, review_note = ? WHERE page_id = ?",
                    (state_after(ReviewDecision(decision)).value, reason, note, page_id))
                self._db.execute(
                    "UPDATE rescan_requests SET status = 'withdrawn' WHERE page_id = ? AND status = 'open'",
                    (page_id,))
                req = None
                if decision == ReviewDecision.REJECT.value:
                    request_id = body.get("request_id") or uuid.uuid4().hex
                    self._db.execute(
                        "INSERT INTO rescan_requests VALUES (?,?,?,?,?,?,?,?,?,?,?, 'open', NULL)",
                        (request_id, page_id, review_id, data["station_id"], data["operator_id"],
                         data["dossier_code"], data["doc_type"], data["page_index"], reason, note, reviewed_at))
                    req = self._db.execute(
                        "SELECT * FROM rescan_requests WHERE request_id = ?", (request_id,)).fetchone()
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            row = self._db.execute("SELECT * FROM reviews WHERE review_id = ?", (review_id,)).fetchone()
        return {"review": dict(row), "rescan_request": self._rescan(req)}, True

    def rescan_requests(self, station: str | None, status: str) -> list[dict[str, Any]]:
        sql, args = "SELECT * FROM rescan_requests WHERE 1 = 1", []
        if station:
            sql += " AND station_id = ?"
            args.append(station)
        if status != "all":
            sql += " AND status = ?"
            args.append(status)
        with self._lock:
            return [dict(r) for r in self._db.execute(sql + " ORDER BY created_at, request_id", args)]

    def resolve(self, request_id: str, new_page_id: str | None) -> dict[str, Any]:
        with self._lock:
            row = self._db.execute("SELECT * FROM rescan_requests WHERE request_id = ?", (request_id,)).fetchone()
            if row is None:
                raise StoreError(404, "rescan_request_not_found", "no rescan request with this id")
            if row["status"] == "open":
                self._db.execute(
                    "UPDATE rescan_requests SET status = 'done', resolved_page_id = ? WHERE request_id = ?",
                    (new_page_id, request_id))
            row = self._db.execute("SELECT * FROM rescan_requests WHERE request_id = ?", (request_id,)).fetchone()
        return dict(row)
