"""What is left to report to the backend: rows whose revision (`rev`) is beyond the one last reported
(`synced_rev`), and previews not yet sent (station.journal.sync does the reporting)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from station.journal.schema import SYNC_TABLES


def unsynced(db: sqlite3.Connection, table: str, limit: int) -> list[dict[str, Any]]:
    if table not in SYNC_TABLES:
        raise ValueError(table)
    rows = db.execute(f"SELECT * FROM {table} WHERE rev > synced_rev ORDER BY rowid LIMIT ?", (limit,)).fetchall()
    return [dict(r) for r in rows]


def mark_synced(db: sqlite3.Connection, table: str, revisions: Mapping[str, int]) -> None:
    key = SYNC_TABLES[table]  # table and column names come from this map, never from input
    for row_id, rev in revisions.items():
        db.execute(f"UPDATE {table} SET synced_rev = MAX(synced_rev, ?) WHERE {key} = ?", (rev, row_id))


def previews_to_sync(db: sqlite3.Connection, limit: int) -> list[tuple[str, str]]:
    rows = db.execute(
        "SELECT page_id, preview_path FROM pages WHERE preview_synced = 0 AND preview_path IS NOT NULL"
        " AND synced_rev > 0 ORDER BY rowid LIMIT ?", (limit,)).fetchall()
    return [(r["page_id"], r["preview_path"]) for r in rows]


def mark_preview_synced(db: sqlite3.Connection, page_id: str) -> None:
    db.execute("UPDATE pages SET preview_synced = 1 WHERE page_id = ?", (page_id,))
