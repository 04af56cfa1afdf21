"""Report the journal to the backend, and bring back rescan requests supervisors made elsewhere.

`JournalSync.push()` sends every row changed since it was last reported (pages, dossiers, uploads in
batches; then previews; then review decisions and finished rescan requests one by one, each idempotent by
its id), marking each as reported only after the backend answered. An interruption loses nothing: the rest
goes with the next push. `pull_rescan_requests(station_id)` copies the backend's requests for this station
into the journal, so `Journal.pending_rescan_requests` shows them at the counter, offline too.
After each successful run, what the backend confirmed and is older than the retention policy
(`backend.retention_days`) is deleted locally (`Journal.apply_retention`): previews first of all.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

from station.journal.api import JournalApi
from station.journal.store import Journal

log = logging.getLogger(__name__)

BATCH = 200

PAGE_KEYS = ("page_id", "station_id", "operator_id", "profile", "captured_at", "source", "page_index",
             "dossier_code", "procedure_code", "doc_type", "quality_score", "quality_metrics", "skew_deg", "dpi",
             "width", "height", "barcodes", "ocr_chars", "ocr_confidence", "preview_kind")
DOSSIER_KEYS = ("dossier_id", "dossier_code", "station_id", "operator_id", "procedure_code", "profile",
                "finished_at", "pages", "documents")
UPLOAD_KEYS = ("attachment_id", "dossier_code", "doc_type", "station_id", "operator_id", "state", "pages", "bytes",
               "queued_ts", "confirmed_ts", "error_code")


def page_json(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in PAGE_KEYS}
    out["quality_metrics"] = json.loads(row["quality_metrics"])
    out["quality_issues"] = json.loads(row["quality_issues"])
    out["cccd_masked"] = json.loads(row["cccd_masked"])
    out["cccd_hashes"] = json.loads(row["cccd_hashes"])
    for key in ("blank", "separator", "cccd_read"):
        out[key] = bool(row[key])
    out["rotation"] = int(row["rotation"]) % 360
    return out


@dataclass
class SyncReport:
    sent: dict[str, int] = field(default_factory=dict)
    pulled: int = 0
    removed: int = 0  # pages deleted by the retention policy

    @property
    def total(self) -> int:
        return sum(self.sent.values())


class JournalSync:
    def __init__(self, journal: Journal, api: JournalApi, *, retention_days: float | None = None) -> None:
        """`retention_days`: None takes the upload section's (the runtime's `backend.retention_days`)."""
        self.journal = journal
        self.api = api
        self.retention_days = api.config.retention_days if retention_days is None else retention_days

    def push(self) -> SyncReport:
        """Report everything not yet reported. Raises the uploader's typed errors on failure (retry later)."""
        report = SyncReport()
        for table, keys, convert in (("pages", "page_id", page_json),
                                     ("dossiers", "dossier_id", lambda r: {k: r[k] for k in DOSSIER_KEYS}),
                                     ("uploads", "attachment_id", lambda r: {k: r[k] for k in UPLOAD_KEYS})):
            while rows := self.journal.unsynced(table, BATCH):
                self.api.post_rows(table, [convert(r) for r in rows])
                self.journal.mark_synced(table, {r[keys]: int(r["rev"]) for r in rows})
                report.sent[table] = report.sent.get(table, 0) + len(rows)
        while previews := self.journal.previews_to_sync():
            for page_id, _stored_path in previews:  # the stored path is never followed
                data = self.journal.preview_bytes(page_id)
                if data is None:
                    log.warning("journal sync: preview of page %s is gone or unreadable; not sent", page_id)
                else:
                    self.api.put_preview(page_id, data)
                    report.sent["previews"] = report.sent.get("previews", 0) + 1
                self.journal.mark_preview_synced(page_id)
        while reviews := self.journal.unsynced("reviews", BATCH):
            for r in reviews:
                request = self.journal.request_for_review(r["review_id"])
                body = {"review_id": r["review_id"], "decision": r["decision"], "reason": r["reason"],
                        "note": r["note"], "reviewer": r["reviewer"], "reviewed_at": r["reviewed_at"]}
                if request is not None:
                    body["request_id"] = request
                self.api.post_review(r["page_id"], body)
                self.journal.mark_synced("reviews", {r["review_id"]: int(r["rev"])})
                report.sent["reviews"] = report.sent.get("reviews", 0) + 1
        while requests := self.journal.unsynced("rescan_requests", BATCH):
            for q in requests:
                if q["status"] == "done":
                    self.api.resolve_rescan_request(q["request_id"], q["resolved_page_id"])
                    report.sent["rescan_requests"] = report.sent.get("rescan_requests", 0) + 1
                self.journal.mark_synced("rescan_requests", {q["request_id"]: int(q["rev"])})
        if report.total:
            log.info("journal sync: reported %s", report.sent)
        return report

    def pull_rescan_requests(self, station_id: str) -> int:
        """Copy the backend's rescan requests for this station (open and closed) into the journal."""
        requests = self.api.rescan_requests(station_id, status="all")
        for request in requests:
            self.journal.merge_rescan_request(request)
        return len(requests)

    def run(self, station_id: str | None = None) -> SyncReport:
        report = self.push()
        if station_id:
            report.pulled = self.pull_rescan_requests(station_id)
        report.removed = self.journal.apply_retention(self.retention_days)
        return report
