"""The journal's SQLite schema and its migrations (applied by uploader.sqlite on open).

Every row carries a revision (`rev`, bumped on each change) and the revision last reported to the backend
(`synced_rev`), so station.journal.sync sends each change once and again only after it changed.
"""

from __future__ import annotations

from uploader.sqlite import Migration

# The schema as first released (version 1; IF NOT EXISTS: files made before versions were kept run it too).
SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    page_id TEXT PRIMARY KEY, station_id TEXT NOT NULL, operator_id TEXT NOT NULL, profile TEXT NOT NULL,
    captured_at TEXT NOT NULL, captured_ts REAL NOT NULL, local_date TEXT NOT NULL,
    source TEXT NOT NULL, page_index INTEGER NOT NULL,
    dossier_code TEXT, procedure_code TEXT, doc_type TEXT,
    quality_score INTEGER NOT NULL, quality_issues TEXT NOT NULL, quality_metrics TEXT NOT NULL,
    flagged INTEGER NOT NULL, blank INTEGER NOT NULL, separator INTEGER NOT NULL,
    rotation INTEGER NOT NULL, skew_deg REAL NOT NULL, dpi INTEGER, width INTEGER NOT NULL, height INTEGER NOT NULL,
    barcodes INTEGER NOT NULL, ocr_chars INTEGER NOT NULL, ocr_confidence REAL,
    cccd_read INTEGER NOT NULL, cccd_masked TEXT NOT NULL, cccd_hashes TEXT NOT NULL,
    preview_path TEXT, preview_kind TEXT NOT NULL,
    review_state TEXT NOT NULL DEFAULT 'pending', review_reason TEXT, review_note TEXT,
    rev INTEGER NOT NULL DEFAULT 1, synced_rev INTEGER NOT NULL DEFAULT 0, preview_synced INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS pages_date ON pages (local_date, station_id, operator_id);
CREATE INDEX IF NOT EXISTS pages_dossier ON pages (dossier_code, doc_type);
CREATE TABLE IF NOT EXISTS dossiers (
    dossier_id TEXT PRIMARY KEY, dossier_code TEXT, station_id TEXT NOT NULL, operator_id TEXT NOT NULL,
    procedure_code TEXT, profile TEXT NOT NULL, finished_at TEXT NOT NULL, finished_ts REAL NOT NULL,
    local_date TEXT NOT NULL, pages INTEGER NOT NULL, documents INTEGER NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1, synced_rev INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS uploads (
    attachment_id TEXT PRIMARY KEY, dossier_code TEXT NOT NULL, doc_type TEXT NOT NULL,
    station_id TEXT NOT NULL, operator_id TEXT NOT NULL, state TEXT NOT NULL, pages INTEGER NOT NULL,
    bytes INTEGER NOT NULL, queued_ts REAL, confirmed_ts REAL, error_code TEXT, updated_at TEXT NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1, synced_rev INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS reviews (
    review_id TEXT PRIMARY KEY, page_id TEXT NOT NULL REFERENCES pages(page_id), decision TEXT NOT NULL,
    reason TEXT, note TEXT NOT NULL, reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL, reviewed_ts REAL NOT NULL,
    rev INTEGER NOT NULL DEFAULT 1, synced_rev INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS reviews_page ON reviews (page_id, reviewed_ts);
CREATE TABLE IF NOT EXISTS rescan_requests (
    request_id TEXT PRIMARY KEY, page_id TEXT NOT NULL, review_id TEXT NOT NULL, station_id TEXT NOT NULL,
    operator_id TEXT NOT NULL, dossier_code TEXT, doc_type TEXT, page_index INTEGER NOT NULL,
    reason TEXT NOT NULL, note TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL,
    resolved_page_id TEXT, rev INTEGER NOT NULL DEFAULT 1, synced_rev INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS rescan_station ON rescan_requests (station_id, status);
"""

# Append, never edit: each step brings an existing journal one version further.
MIGRATIONS = (
    Migration("pages, dossiers, uploads, reviews, rescan requests, meta", SCHEMA_V1),
    Migration("the schema version lives in PRAGMA user_version: meta dropped", "DROP TABLE IF EXISTS meta;"),
)
SCHEMA_VERSION = len(MIGRATIONS)

# The tables reported to the backend, and each one's key.
SYNC_TABLES = {"pages": "page_id", "dossiers": "dossier_id", "uploads": "attachment_id", "reviews": "review_id",
               "rescan_requests": "request_id"}
