"""The journal's retention policy: what the backend has confirmed and is older than the policy leaves the
station. Anything not yet reported, and pages with an open (or unreported) rescan request or an unreported
review, stay."""

from __future__ import annotations

import sqlite3

DAY = 86400.0


def delete_confirmed(db: sqlite3.Connection, cutoff: float) -> list[str]:
    """Delete (inside the caller's transaction) the confirmed rows captured / finished before `cutoff`;
    returns the ids of the pages deleted, whose previews the caller removes after the commit."""
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
    return pages


def pages_with_preview(db: sqlite3.Connection) -> set[str]:
    return {r["page_id"] for r in db.execute("SELECT page_id FROM pages WHERE preview_path IS NOT NULL").fetchall()}
