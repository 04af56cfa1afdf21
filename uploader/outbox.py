"""The durable outbox: a SQLite (WAL) queue of attachments to deliver, one row per attachment.

Row life: queued -> sending -> sent, or -> failed-retrying (next attempt time) -> sending ..., or
-> failed-permanent (reason; an operator retries it after a fix). A row left in *sending* by a killed
process goes back to *queued* when the next sender starts (:meth:`Outbox.recover_interrupted`).

Order per dossier: only the oldest unfinished row of a dossier (queued, sending, failed-retrying or
failed-permanent) may be sent, so the backend receives each dossier's attachments in the order they were
queued and never a later document without an earlier one. The rows behind a permanent failure are
*blocked*: they wait (counted apart, not as pending) until the operator fixed and retried the failed one.

The file itself is never touched here; :mod:`uploader.retention` deletes it, only after the backend
confirmed its SHA-256.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3
import time
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uploader.errors import CorruptQueueItemError, QueueItemNotFoundError, UploadError
from uploader.models import (
    DOC_TYPE_PATTERN,
    SHA256_PATTERN,
    Attachment,
    ItemState,
    QueueItem,
    UploadJob,
    attachment_id_for,
    is_valid_dossier_code,
)
from uploader.private import private_dir
from uploader.sqlite import Database, Migration

log = logging.getLogger(__name__)

# The schema as first released (version 1; IF NOT EXISTS: files made before versions were kept run it too).
SCHEMA_V1 = """
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    attachment_id TEXT NOT NULL UNIQUE,  -- idempotency key: hash of dossier + slot + content SHA-256
    dossier_code TEXT NOT NULL,
    slot TEXT NOT NULL,
    doc_type TEXT NOT NULL,
    file_path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    pages INTEGER NOT NULL,
    station_id TEXT NOT NULL,
    operator_id TEXT NOT NULL,
    batch_id TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    enqueued_at REAL NOT NULL,
    next_attempt_at REAL,
    error_code TEXT,
    error TEXT,
    user_error TEXT,
    sent_at REAL,
    confirmed_sha256 TEXT,
    received_at TEXT,
    purged_at REAL
);
CREATE INDEX IF NOT EXISTS items_dossier ON items (dossier_code, id);
CREATE INDEX IF NOT EXISTS items_state ON items (state, next_attempt_at);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Append, never edit: each step brings an existing queue file one version further (uploader.sqlite).
MIGRATIONS = (
    Migration("items, their indexes, meta", SCHEMA_V1),
    Migration("the schema version lives in PRAGMA user_version: meta dropped", "DROP TABLE IF EXISTS meta;"),
)
SCHEMA_VERSION = len(MIGRATIONS)

_SHA_RE = re.compile(SHA256_PATTERN)
_DOC_TYPE_RE = re.compile(DOC_TYPE_PATTERN)
_OPEN = (ItemState.QUEUED.value, ItemState.SENDING.value, ItemState.FAILED_RETRYING.value)
_STATES = {s.value for s in ItemState}

# The next row to send: due, and the oldest unfinished row of its dossier.
_CLAIM_SQL = """
SELECT * FROM items AS i
WHERE i.state IN ('queued', 'failed-retrying') AND COALESCE(i.next_attempt_at, 0) <= ?
  AND NOT EXISTS (SELECT 1 FROM items AS j WHERE j.dossier_code = i.dossier_code AND j.id < i.id
                  AND j.state IN ('queued', 'sending', 'failed-retrying', 'failed-permanent'))
ORDER BY COALESCE(i.next_attempt_at, 0), i.id
LIMIT 1
"""
# Unfinished rows that wait behind a permanent failure of an earlier row of their dossier.
_BLOCKED_WHERE = """
i.state IN ('queued', 'sending', 'failed-retrying')
  AND EXISTS (SELECT 1 FROM items AS j WHERE j.dossier_code = i.dossier_code AND j.id < i.id
              AND j.state = 'failed-permanent')
"""


@dataclass(frozen=True)
class ClaimedCorrupt:
    """A row that could not be read; it was marked failed-permanent, the queue goes on."""

    id: int
    error: CorruptQueueItemError


def parse_row(row: sqlite3.Row) -> QueueItem:
    """Validate one row into a QueueItem; raises CorruptQueueItemError naming the bad column."""

    def bad(column: str) -> CorruptQueueItemError:
        return CorruptQueueItemError(f"queue item {row['id']}: column {column} is corrupted")

    def text(column: str) -> str:
        value = row[column]
        if not isinstance(value, str) or not value:
            raise bad(column)
        return value

    def integer(column: str, minimum: int) -> int:
        value = row[column]
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise bad(column)
        return value

    def real(column: str) -> float | None:
        value = row[column]
        if value is None:
            return None
        if not isinstance(value, int | float):
            raise bad(column)
        return float(value)

    code = text("dossier_code")
    if not is_valid_dossier_code(code):
        raise bad("dossier_code")
    sha = text("sha256")
    if not _SHA_RE.fullmatch(sha):
        raise bad("sha256")
    doc_type = text("doc_type")
    if not _DOC_TYPE_RE.fullmatch(doc_type):
        raise bad("doc_type")
    slot = text("slot")
    job = UploadJob(
        dossier_code=code,
        slot=slot,
        doc_type=doc_type,
        file_path=Path(text("file_path")),
        sha256=sha,
        bytes=integer("bytes", 0),
        pages=integer("pages", 1),
        station_id=text("station_id"),
        operator_id=text("operator_id"),
        batch_id=row["batch_id"] if isinstance(row["batch_id"], str) else "",
    )
    if row["attachment_id"] != attachment_id_for(code, slot, sha):
        raise bad("attachment_id")
    state = row["state"]
    if state not in _STATES:
        raise bad("state")
    enqueued_at = real("enqueued_at")
    if enqueued_at is None:
        raise bad("enqueued_at")
    return QueueItem(
        id=int(row["id"]),
        job=job,
        state=ItemState(state),
        attempts=integer("attempts", 0),
        enqueued_at=enqueued_at,
        next_attempt_at=real("next_attempt_at"),
        error_code=row["error_code"],
        error=row["error"],
        user_error=row["user_error"],
        sent_at=real("sent_at"),
        confirmed_sha256=row["confirmed_sha256"],
        purged_at=real("purged_at"),
    )


class Outbox:
    """Thread-safe (one connection, one lock); several processes may open the same file (WAL)."""

    def __init__(self, path: Path, *, clock: Any = time.time) -> None:
        self.path = path
        private_dir(path.parent)
        self._clock = clock
        # names applicants' documents: 0600 files; FULL sync: a confirmed 'sent' survives a power cut
        self._database = Database(path, MIGRATIONS, synchronous="FULL")
        self._db = self._database.connection
        self._lock = self._database.lock

    def close(self) -> None:
        self._database.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _tx(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._database.transaction()

    # -- producing --------------------------------------------------------------------------------

    def enqueue(self, job: UploadJob) -> tuple[int, bool]:
        """Add a job; returns (item id, created). Re-enqueueing the same attachment never duplicates it;
        if it had failed permanently, it is queued again (re-running `station upload` is a retry)."""
        now = self._clock()
        with self._tx() as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO items (attachment_id, dossier_code, slot, doc_type, file_path, sha256, bytes,"
                " pages, station_id, operator_id, batch_id, state, enqueued_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    job.attachment_id,
                    job.dossier_code,
                    job.slot,
                    job.doc_type,
                    str(job.file_path),
                    job.sha256,
                    job.bytes,
                    job.pages,
                    job.station_id,
                    job.operator_id,
                    job.batch_id,
                    ItemState.QUEUED.value,
                    now,
                ),
            )
            created = cur.rowcount == 1
            row = db.execute("SELECT id, state FROM items WHERE attachment_id = ?", (job.attachment_id,)).fetchone()
            if not created and row["state"] == ItemState.FAILED_PERMANENT.value:
                # a retry takes the job as it is now (fixed operator id, moved file, repaired row), so
                # nothing frozen at the first enqueue keeps an item failing after the cause was fixed
                db.execute(
                    "UPDATE items SET state = 'queued', next_attempt_at = NULL, dossier_code = ?, slot = ?,"
                    " doc_type = ?, file_path = ?, sha256 = ?, bytes = ?, pages = ?, station_id = ?, operator_id = ?,"
                    " batch_id = ? WHERE id = ?",
                    (
                        job.dossier_code,
                        job.slot,
                        job.doc_type,
                        str(job.file_path),
                        job.sha256,
                        job.bytes,
                        job.pages,
                        job.station_id,
                        job.operator_id,
                        job.batch_id,
                        row["id"],
                    ),
                )
            return int(row["id"]), created

    # -- the sender's side ------------------------------------------------------------------------

    def recover_interrupted(self) -> int:
        """Rows a killed sender left in 'sending' go back to 'queued'; rows with an unknown state are
        marked corrupt. Call only while holding the sender lock. Returns the number of rows requeued."""
        with self._tx() as db:
            n = db.execute("UPDATE items SET state = 'queued' WHERE state = 'sending'").rowcount
            placeholders = ",".join("?" * len(_STATES))
            for row in db.execute(f"SELECT id FROM items WHERE state NOT IN ({placeholders})", tuple(_STATES)):
                err = CorruptQueueItemError(f"queue item {row['id']}: column state is corrupted")
                self._set_failed(db, int(row["id"]), err)
            return int(n)

    def claim(self) -> QueueItem | ClaimedCorrupt | None:
        """Take the next due row and mark it 'sending' (attempts + 1)."""
        now = self._clock()
        with self._tx() as db:
            row = db.execute(_CLAIM_SQL, (now,)).fetchone()
            if row is None:
                return None
            try:
                item = parse_row(row)
            except CorruptQueueItemError as err:
                self._set_failed(db, int(row["id"]), err)
                return ClaimedCorrupt(int(row["id"]), err)
            db.execute(
                "UPDATE items SET state = 'sending', attempts = attempts + 1, next_attempt_at = NULL WHERE id = ?",
                (item.id,),
            )
            return dataclasses.replace(item, state=ItemState.SENDING, attempts=item.attempts + 1)

    def mark_sent(self, item_id: int, receipt: Attachment) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE items SET state = 'sent', sent_at = ?, confirmed_sha256 = ?, received_at = ?,"
                " error_code = NULL, error = NULL, user_error = NULL, next_attempt_at = NULL WHERE id = ?",
                (self._clock(), receipt.sha256, receipt.received_at, item_id),
            )

    def mark_retry(self, item_id: int, err: UploadError, next_attempt_at: float) -> None:
        with self._tx() as db:
            db.execute(
                "UPDATE items SET state = 'failed-retrying', next_attempt_at = ?, error_code = ?, error = ?,"
                " user_error = ? WHERE id = ?",
                (next_attempt_at, _error_code(err), str(err), err.user_message, item_id),
            )

    def mark_failed(self, item_id: int, err: UploadError) -> None:
        with self._tx() as db:
            self._set_failed(db, item_id, err)

    @staticmethod
    def _set_failed(db: sqlite3.Connection, item_id: int, err: UploadError) -> None:
        db.execute(
            "UPDATE items SET state = 'failed-permanent', next_attempt_at = NULL, error_code = ?, error = ?,"
            " user_error = ? WHERE id = ?",
            (_error_code(err), str(err), err.user_message, item_id),
        )

    def mark_purged(self, item_id: int) -> None:
        with self._tx() as db:
            db.execute("UPDATE items SET purged_at = ? WHERE id = ?", (self._clock(), item_id))

    # -- the operator's side ----------------------------------------------------------------------

    def retry(self, item_id: int) -> None:
        """Queue a failed row again, now (after the operator fixed the cause)."""
        with self._tx() as db:
            row = db.execute("SELECT state FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise QueueItemNotFoundError(f"no queue item {item_id}")
            if row["state"] in (ItemState.FAILED_PERMANENT.value, ItemState.FAILED_RETRYING.value):
                db.execute("UPDATE items SET state = 'queued', next_attempt_at = NULL WHERE id = ?", (item_id,))

    def retry_all_failed(self) -> int:
        with self._tx() as db:
            return int(
                db.execute(
                    "UPDATE items SET state = 'queued', next_attempt_at = NULL"
                    " WHERE state IN ('failed-permanent', 'failed-retrying')"
                ).rowcount
            )

    # -- reading ----------------------------------------------------------------------------------

    def get(self, item_id: int) -> QueueItem:
        with self._lock:
            row = self._db.execute("SELECT * FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise QueueItemNotFoundError(f"no queue item {item_id}")
        return parse_row(row)

    def rows(self, *, include_purged: bool = True) -> list[dict[str, Any]]:
        """Raw rows for status displays (a corrupted row still shows up)."""
        sql = "SELECT * FROM items" + ("" if include_purged else " WHERE purged_at IS NULL") + " ORDER BY id"
        with self._lock:
            return [dict(r) for r in self._db.execute(sql)]

    def items(self) -> list[QueueItem]:
        """Every readable row. Corrupted rows are not returned but logged; :meth:`corrupt_rows` lists them."""
        out: list[QueueItem] = []
        bad = 0
        for row in self._raw_rows():
            try:
                out.append(parse_row(row))
            except CorruptQueueItemError:
                bad += 1
        if bad:
            log.warning("outbox %s: %d corrupted row(s) left out (see `station queue`)", self.path.name, bad)
        return out

    def corrupt_rows(self) -> list[ClaimedCorrupt]:
        """Every row that cannot be read back, whatever its state, with the column at fault."""
        out: list[ClaimedCorrupt] = []
        for row in self._raw_rows():
            try:
                parse_row(row)
            except CorruptQueueItemError as err:
                out.append(ClaimedCorrupt(int(row["id"]), err))
        return out

    def _raw_rows(self) -> list[sqlite3.Row]:
        with self._lock:
            return list(self._db.execute("SELECT * FROM items ORDER BY id"))

    def counts(self) -> dict[str, int]:
        """Rows per state, plus "blocked": how many of the unfinished ones wait behind a permanent failure."""
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) AS n FROM items GROUP BY state").fetchall()
            blocked = self._db.execute(f"SELECT COUNT(*) FROM items AS i WHERE {_BLOCKED_WHERE}").fetchone()[0]
        counts = {s.value: 0 for s in ItemState}
        for r in rows:
            counts[str(r["state"])] = int(r["n"])
        counts["blocked"] = int(blocked)
        return counts

    def pending(self) -> int:
        """Unfinished rows the sender can still deliver by itself (not blocked behind a permanent failure)."""
        placeholders = ",".join("?" * len(_OPEN))
        with self._lock:
            total = self._db.execute(f"SELECT COUNT(*) FROM items WHERE state IN ({placeholders})", _OPEN).fetchone()
            blocked = self._db.execute(f"SELECT COUNT(*) FROM items AS i WHERE {_BLOCKED_WHERE}").fetchone()
        return int(total[0]) - int(blocked[0])

    def blocked_ids(self) -> list[int]:
        with self._lock:
            rows = self._db.execute(f"SELECT i.id FROM items AS i WHERE {_BLOCKED_WHERE} ORDER BY i.id").fetchall()
        return [int(r[0]) for r in rows]

    def next_due(self) -> float | None:
        """When the earliest failed-retrying row becomes due (None if none waits)."""
        with self._lock:
            row = self._db.execute("SELECT MIN(next_attempt_at) FROM items WHERE state = 'failed-retrying'").fetchone()
        value = row[0]
        return float(value) if isinstance(value, int | float) else None

    def unpurged_in_folder(self, folder: Path) -> int:
        """Rows whose file lives in folder and that are not yet both sent and purged."""
        prefix = str(folder).rstrip("/") + "/"
        with self._lock:
            row = self._db.execute(
                "SELECT COUNT(*) FROM items WHERE substr(file_path, 1, ?) = ?"
                " AND (state != 'sent' OR purged_at IS NULL)",
                (len(prefix), prefix),
            ).fetchone()
        return int(row[0])

    def purge_candidates(self, confirmed_before: float) -> list[QueueItem]:
        with self._lock:
            rows = self._db.execute(
                "SELECT * FROM items WHERE state = 'sent' AND purged_at IS NULL AND sent_at <= ?"
                " AND confirmed_sha256 = sha256 ORDER BY id",
                (confirmed_before,),
            ).fetchall()
        out: list[QueueItem] = []
        for row in rows:
            try:
                out.append(parse_row(row))
            except CorruptQueueItemError:
                continue  # never delete a file on the word of a corrupted row
        return out


def _error_code(err: UploadError) -> str:
    sub = getattr(err, "error_code", None)
    return f"{err.code}:{sub}" if sub else err.code
