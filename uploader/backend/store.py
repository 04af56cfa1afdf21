"""The reference backend's storage: SQLite (WAL) for records, one file per attachment on disk.

Files are written atomically (temp file in the same folder, fsync, rename, fsync of the folder) and the
record is inserted only after the rename, so a killed backend never keeps a half file under a real name;
leftover temp files are removed at start.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from uploader.backend import seed
from uploader.private import private_dir, write_private
from uploader.sqlite import Database, Migration

SCHEMA = """
CREATE TABLE IF NOT EXISTS procedures (code TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS procedure_documents (
    procedure_code TEXT NOT NULL REFERENCES procedures(code), position INTEGER NOT NULL,
    code TEXT NOT NULL, name TEXT NOT NULL, required INTEGER NOT NULL,
    PRIMARY KEY (procedure_code, code));
CREATE TABLE IF NOT EXISTS dossiers (
    code TEXT PRIMARY KEY, procedure_code TEXT NOT NULL REFERENCES procedures(code),
    status TEXT NOT NULL DEFAULT 'open', applicant_name TEXT, applicant_id_number TEXT, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attachments (
    dossier_code TEXT NOT NULL REFERENCES dossiers(code), id TEXT NOT NULL, doc_type TEXT NOT NULL,
    sha256 TEXT NOT NULL, bytes INTEGER NOT NULL, pages INTEGER NOT NULL, station_id TEXT NOT NULL,
    operator_id TEXT NOT NULL, received_at TEXT NOT NULL, path TEXT NOT NULL,
    PRIMARY KEY (dossier_code, id));
"""
MIGRATIONS = (Migration("procedures, dossiers, attachments", SCHEMA),)  # append, never edit (uploader.sqlite)


class StoreError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass(frozen=True)
class AttachmentMeta:
    doc_type: str
    pages: int
    sha256: str
    station_id: str
    operator_id: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    def __init__(self, data_dir: Path, *, seed_data: bool = True) -> None:
        self.data_dir = private_dir(data_dir)  # applicants' documents: the backend's user only (0700 / 0600)
        self.files_dir = private_dir(data_dir / "files")
        self._lock = threading.Lock()
        self._database = Database(data_dir / "backend.sqlite3", MIGRATIONS, synchronous="FULL")
        self._db = self._database.connection
        self.counters = {"created": 0, "replayed": 0, "conflicts": 0}
        self._remove_temp_files()
        if seed_data:
            self._seed()

    def close(self) -> None:
        self._database.close()

    def _remove_temp_files(self) -> None:
        for tmp in self.files_dir.rglob("*.tmp"):
            tmp.unlink(missing_ok=True)

    def _seed(self) -> None:
        with self._lock:
            if self._db.execute("SELECT COUNT(*) FROM procedures").fetchone()[0]:
                return
            self._db.execute("BEGIN")
            for code, name, docs in seed.PROCEDURES:
                self._db.execute("INSERT INTO procedures VALUES (?, ?)", (code, name))
                for pos, (doc_code, doc_name, required) in enumerate(docs):
                    self._db.execute(
                        "INSERT INTO procedure_documents VALUES (?, ?, ?, ?, ?)",
                        (code, pos, doc_code, doc_name, int(required)),
                    )
            for dcode, proc, name, id_number, status in seed.DOSSIERS:
                self._db.execute(
                    "INSERT INTO dossiers VALUES (?, ?, ?, ?, ?, ?)", (dcode, proc, status, name, id_number, _now())
                )
            self._db.execute("COMMIT")

    # -- dossiers ---------------------------------------------------------------------------------

    def create_dossier(self, code: str, procedure_code: str, applicant: dict[str, Any] | None) -> dict[str, Any]:
        with self._lock:
            if not self._db.execute("SELECT 1 FROM procedures WHERE code = ?", (procedure_code,)).fetchone():
                raise StoreError(422, "unknown_procedure", "unknown procedure code")
            if self._db.execute("SELECT 1 FROM dossiers WHERE code = ?", (code,)).fetchone():
                raise StoreError(409, "dossier_exists", "a dossier with this code exists already")
            name = applicant.get("name") if applicant else None
            id_number = applicant.get("id_number") if applicant else None
            self._db.execute(
                "INSERT INTO dossiers VALUES (?, ?, 'open', ?, ?, ?)", (code, procedure_code, name, id_number, _now())
            )
        dossier = self.get_dossier(code)
        assert dossier is not None
        return dossier

    def dossier_status(self, code: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT status FROM dossiers WHERE code = ?", (code,)).fetchone()
        return None if row is None else str(row["status"])

    def get_dossier(self, code: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT d.*, p.name AS procedure_name FROM dossiers d JOIN procedures p ON p.code = d.procedure_code "
                "WHERE d.code = ?",
                (code,),
            ).fetchone()
            if row is None:
                return None
            docs = self._db.execute(
                "SELECT code, name, required FROM procedure_documents WHERE procedure_code = ? ORDER BY position",
                (row["procedure_code"],),
            ).fetchall()
            atts = self._db.execute(
                "SELECT * FROM attachments WHERE dossier_code = ? ORDER BY received_at, id", (code,)
            ).fetchall()
        applicant = None
        if row["applicant_name"]:
            applicant = {"name": row["applicant_name"], "id_number": row["applicant_id_number"]}
        return {
            "code": row["code"],
            "procedure_code": row["procedure_code"],
            "procedure_name": row["procedure_name"],
            "status": row["status"],
            "applicant": applicant,
            "required_documents": [
                {"code": d["code"], "name": d["name"], "required": bool(d["required"])} for d in docs
            ],
            "attachments": [self._receipt(a) for a in atts],
        }

    # -- attachments ------------------------------------------------------------------------------

    @staticmethod
    def _receipt(row: sqlite3.Row) -> dict[str, Any]:
        return {
            "id": row["id"],
            "doc_type": row["doc_type"],
            "sha256": row["sha256"],
            "bytes": row["bytes"],
            "pages": row["pages"],
            "received_at": row["received_at"],
            "station_id": row["station_id"],
            "operator_id": row["operator_id"],
        }

    def get_attachment(self, code: str, attachment_id: str) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute(
                "SELECT * FROM attachments WHERE dossier_code = ? AND id = ?", (code, attachment_id)
            ).fetchone()
        return None if row is None else self._receipt(row)

    def _existing(self, code: str, attachment_id: str, sha256: str) -> dict[str, Any] | None:
        row = self._db.execute(
            "SELECT * FROM attachments WHERE dossier_code = ? AND id = ?", (code, attachment_id)
        ).fetchone()
        if row is None:
            return None
        if row["sha256"] != sha256:
            self.counters["conflicts"] += 1
            raise StoreError(
                409, "attachment_conflict", "a different file was already received under this attachment id"
            )
        self.counters["replayed"] += 1
        return self._receipt(row)

    def put_attachment(
        self, code: str, attachment_id: str, meta: AttachmentMeta, body: bytes
    ) -> tuple[dict[str, Any], bool]:
        """Store the file and its record; returns (receipt, created). Blocking: run it in a thread."""
        sha = hashlib.sha256(body).hexdigest()
        if sha != meta.sha256:
            raise StoreError(422, "sha256_mismatch", "X-Content-SHA256 does not match the SHA-256 of the body")
        with self._lock:
            existing = self._existing(code, attachment_id, sha)
            if existing is not None:
                return existing, False
        folder = private_dir(self.files_dir / code)
        final = folder / f"{attachment_id}.pdf"
        tmp = folder / f".{attachment_id}.{uuid.uuid4().hex}.tmp"
        write_private(tmp, body)
        with self._lock:
            try:
                existing = self._existing(code, attachment_id, sha)  # a concurrent twin may have won
            except StoreError:
                tmp.unlink(missing_ok=True)
                raise
            if existing is not None:
                tmp.unlink(missing_ok=True)
                return existing, False
            os.replace(tmp, final)
            _fsync_dir(folder)
            received_at = _now()
            self._db.execute(
                "INSERT INTO attachments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    attachment_id,
                    meta.doc_type,
                    sha,
                    len(body),
                    meta.pages,
                    meta.station_id,
                    meta.operator_id,
                    received_at,
                    str(final.relative_to(self.data_dir)),
                ),
            )
            self.counters["created"] += 1
            row = self._db.execute(
                "SELECT * FROM attachments WHERE dossier_code = ? AND id = ?", (code, attachment_id)
            ).fetchone()
            return self._receipt(row), True

    def stats(self) -> dict[str, int]:
        with self._lock:
            n = int(self._db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0])
            return {"attachments": n, **self.counters}
