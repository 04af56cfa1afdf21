"""Dossier and upload rows of the journal: a finished dossier, and each outbox state of its attachments."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from station.journal.models import DossierRow, UploadRow


def upsert_dossier(db: sqlite3.Connection, *, dossier_id: str, dossier_code: str | None, station_id: str,
                   operator_id: str, procedure_code: str | None, profile: str, finished_at: str, finished_ts: float,
                   pages: int, documents: int, page_ids: Sequence[str]) -> None:
    """Record the dossier, and file its pages under it (a page keeps a dossier code it already has)."""
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


def upsert_upload(db: sqlite3.Connection, *, attachment_id: str, dossier_code: str, doc_type: str, state: str,
                  station_id: str, operator_id: str, pages: int, size: int, error_code: str | None, stamp: str,
                  ts: float) -> None:
    """The first `sent` is the backend's confirmation: its time is kept as confirmed_ts."""
    db.execute(
        "INSERT INTO uploads (attachment_id, dossier_code, doc_type, station_id, operator_id, state, pages,"
        " bytes, queued_ts, confirmed_ts, error_code, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT(attachment_id) DO UPDATE SET state = excluded.state, error_code = excluded.error_code,"
        " updated_at = excluded.updated_at, confirmed_ts = COALESCE(uploads.confirmed_ts,"
        " excluded.confirmed_ts), rev = uploads.rev + 1",
        (attachment_id, dossier_code, doc_type, station_id, operator_id, state, pages, size, ts,
         ts if state == "sent" else None, error_code, stamp),
    )


def dossier_rows(db: sqlite3.Connection, where: str, args: Sequence[object]) -> list[DossierRow]:
    rows = db.execute(f"SELECT * FROM dossiers WHERE 1 = 1{where} ORDER BY finished_ts", list(args)).fetchall()
    return [
        DossierRow(dossier_id=r["dossier_id"], dossier_code=r["dossier_code"], station_id=r["station_id"],
                   operator_id=r["operator_id"], procedure_code=r["procedure_code"], profile=r["profile"],
                   finished_at=r["finished_at"], finished_ts=float(r["finished_ts"]), pages=int(r["pages"]),
                   documents=int(r["documents"]))
        for r in rows
    ]


def upload_rows(db: sqlite3.Connection) -> list[UploadRow]:
    rows = db.execute("SELECT * FROM uploads ORDER BY queued_ts, attachment_id").fetchall()
    return [
        UploadRow(attachment_id=r["attachment_id"], dossier_code=r["dossier_code"], doc_type=r["doc_type"],
                  station_id=r["station_id"], operator_id=r["operator_id"], state=r["state"],
                  pages=int(r["pages"]), bytes=int(r["bytes"]), queued_ts=r["queued_ts"],
                  confirmed_ts=r["confirmed_ts"], error_code=r["error_code"], updated_at=r["updated_at"])
        for r in rows
    ]
