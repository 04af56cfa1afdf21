"""Review decisions and rescan requests in the journal: the policy (a rejection names one of the configured
reasons; an approval has none) and the rows (a rejection opens a rescan request for the station that
scanned the page; any new decision withdraws the open one)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from station.journal.errors import InvalidReviewError, UnknownPageError
from station.journal.models import RescanRequest, ReviewDecision, ReviewRow
from uploader.review_rules import state_after


@dataclass(frozen=True)
class ReviewPolicy:
    rejection_reasons: tuple[str, ...]

    def reason_for(self, decision: ReviewDecision, reason: str | None) -> str | None:
        """The reason to keep with the decision; raises InvalidReviewError for a rejection without a listed one."""
        if decision is ReviewDecision.APPROVE:
            return None
        if reason not in self.rejection_reasons:
            raise InvalidReviewError(f"rejection reason must be one of {list(self.rejection_reasons)}")
        return reason


@dataclass(frozen=True)
class Decision:
    review_id: str
    page_id: str
    decision: ReviewDecision
    reason: str | None
    note: str
    reviewer: str
    reviewed_at: str
    reviewed_ts: float
    request_id: str  # the rescan request a rejection opens


def review_from_row(row: Mapping[str, Any]) -> ReviewRow:
    return ReviewRow(review_id=row["review_id"], page_id=row["page_id"], decision=row["decision"],
                     reason=row["reason"], note=row["note"], reviewer=row["reviewer"],
                     reviewed_at=row["reviewed_at"], reviewed_ts=float(row["reviewed_ts"]))


def rescan_from_row(row: Mapping[str, Any]) -> RescanRequest:
    return RescanRequest(
        request_id=row["request_id"], page_id=row["page_id"], review_id=row["review_id"],
        station_id=row["station_id"], operator_id=row["operator_id"], dossier_code=row["dossier_code"],
        doc_type=row["doc_type"], page_index=int(row["page_index"]), reason=row["reason"], note=row["note"],
        created_at=row["created_at"], status=row["status"], resolved_page_id=row["resolved_page_id"],
    )


def insert_decision(db: sqlite3.Connection, d: Decision) -> ReviewRow:
    """Record the decision (inside the caller's transaction). Idempotent by review_id."""
    existing = db.execute("SELECT * FROM reviews WHERE review_id = ?", (d.review_id,)).fetchone()
    if existing is not None:
        return review_from_row(existing)
    page = db.execute("SELECT * FROM pages WHERE page_id = ?", (d.page_id,)).fetchone()
    if page is None:
        raise UnknownPageError(f"no page {d.page_id} in the journal")
    db.execute(
        "INSERT INTO reviews (review_id, page_id, decision, reason, note, reviewer, reviewed_at, reviewed_ts)"
        " VALUES (?,?,?,?,?,?,?,?)",
        (d.review_id, d.page_id, d.decision.value, d.reason, d.note, d.reviewer, d.reviewed_at, d.reviewed_ts),
    )
    db.execute(
        "UPDATE pages SET review_state = ?, review_reason = ?, review_note = ?, rev = rev + 1"
        " WHERE page_id = ?", (state_after(d.decision).value, d.reason, d.note, d.page_id))
    db.execute(
        "UPDATE rescan_requests SET status = 'withdrawn', rev = rev + 1 WHERE page_id = ? AND status = 'open'",
        (d.page_id,))
    if d.decision is ReviewDecision.REJECT:
        assert d.reason is not None
        db.execute(
            "INSERT INTO rescan_requests (request_id, page_id, review_id, station_id, operator_id,"
            " dossier_code, doc_type, page_index, reason, note, created_at, status)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?, 'open')",
            (d.request_id, d.page_id, d.review_id, page["station_id"], page["operator_id"],
             page["dossier_code"], page["doc_type"], page["page_index"], d.reason, d.note, d.reviewed_at),
        )
    row = db.execute("SELECT * FROM reviews WHERE review_id = ?", (d.review_id,)).fetchone()
    return review_from_row(row)


def reviews(db: sqlite3.Connection, page_id: str | None) -> list[ReviewRow]:
    sql = "SELECT * FROM reviews" + (" WHERE page_id = ?" if page_id else "") + " ORDER BY reviewed_ts"
    return [review_from_row(r) for r in db.execute(sql, (page_id,) if page_id else ()).fetchall()]


def open_requests(db: sqlite3.Connection, station_id: str) -> list[RescanRequest]:
    rows = db.execute("SELECT * FROM rescan_requests WHERE station_id = ? AND status = 'open' ORDER BY created_at,"
                      " request_id", (station_id,)).fetchall()
    return [rescan_from_row(r) for r in rows]


def requests(db: sqlite3.Connection, status: str | None) -> list[RescanRequest]:
    sql = "SELECT * FROM rescan_requests" + (" WHERE status = ?" if status else "") + " ORDER BY created_at"
    return [rescan_from_row(r) for r in db.execute(sql, (status,) if status else ()).fetchall()]


def resolve(db: sqlite3.Connection, request_id: str, new_page_id: str | None) -> bool:
    """Mark an open request done; False if it was not open."""
    return bool(db.execute(
        "UPDATE rescan_requests SET status = 'done', resolved_page_id = ?, rev = rev + 1"
        " WHERE request_id = ? AND status = 'open'", (new_page_id, request_id)).rowcount)


def merge(db: sqlite3.Connection, request: RescanRequest) -> None:
    """A request the backend knows (a supervisor elsewhere): kept locally as reported (synced_rev = rev), and
    an open local one takes the backend's status."""
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


def request_for_review(db: sqlite3.Connection, review_id: str) -> str | None:
    row = db.execute("SELECT request_id FROM rescan_requests WHERE review_id = ?", (review_id,)).fetchone()
    return None if row is None else str(row["request_id"])

