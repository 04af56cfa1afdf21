"""One SQLite helper for the station's local databases (the uploader's outbox, the station journal).

- Private files: the database and its -wal/-shm files are 0600 whatever the umask (they name applicants'
  documents), created without following a symlink; a planted symlink or non-regular file is refused.
- One connection per :class:`Database`, shared by threads behind one lock; WAL and a busy timeout so several
  processes may open the same file.
- :meth:`Database.transaction`: ``BEGIN IMMEDIATE`` … ``COMMIT``, ``ROLLBACK`` on any exception.
- Schema migrations: an ordered list of :class:`Migration` steps; step *n* (1-based) brings the file to
  ``PRAGMA user_version`` *n*. Opening runs the missing steps in one transaction, so a crash or a failing step
  leaves the file as it was, and two processes opening at once migrate it once. A file from a newer program
  (a version beyond the list) is refused rather than written by code that does not know its schema.
  Never edit a released step; append a new one.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from uploader.errors import DatabaseVersionError
from uploader.private import FILE_MODE, private_file

SIDE_FILES = ("-wal", "-shm")


@dataclass(frozen=True)
class Migration:
    """One schema step: `sql` (statements separated by ";"), then `run` for what SQL alone cannot do."""

    description: str
    sql: str = ""
    run: Callable[[sqlite3.Connection], None] | None = None


def statements(script: str) -> list[str]:
    """The complete statements of a script, in order (comments and ";" inside strings are handled by SQLite's
    own test for a complete statement). Needed because executescript() commits the open transaction."""
    out: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            out.append(pending.strip())
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement: {pending.strip()[:60]!r}")
    return out


def make_private(path: Path) -> None:
    """Create the database file 0600 if missing, and narrow its existing -wal/-shm files to 0600 (SQLite creates
    them with the database's mode; a file an older version left 0644 is tightened). Refuses symlinks."""
    private_file(path)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        try:
            fd = os.open(side, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise IsADirectoryError(f"{side} is not a regular file")
            os.fchmod(fd, FILE_MODE)
        finally:
            os.close(fd)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, migrations: Sequence[Migration], *, name: str = "database") -> int:
    """Bring the schema to len(migrations); returns the version found before. The connection must be in
    autocommit mode (isolation_level=None)."""
    target = len(migrations)
    conn.execute("BEGIN IMMEDIATE")  # one writer migrates; the others then find the new version
    try:
        found = schema_version(conn)
        if found > target:
            raise DatabaseVersionError(f"{name}: schema version {found} is newer than this program's {target}")
        for step in migrations[found:]:
            for sql in statements(step.sql):
                conn.execute(sql)
            if step.run is not None:
                step.run(conn)
        if found != target:
            conn.execute(f"PRAGMA user_version = {int(target)}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return found


class Database:
    """A private SQLite file in WAL mode with its schema migrated, one connection shared by threads."""

    def __init__(
        self,
        path: Path,
        migrations: Sequence[Migration],
        *,
        synchronous: str = "NORMAL",
        secure_delete: bool = False,
        busy_timeout: float = 30.0,
    ) -> None:
        """`synchronous`: FULL where a committed row must survive a power cut (the outbox's 'sent'), NORMAL
        otherwise. `secure_delete`: a rewritten or deleted row leaves no old bytes in the file."""
        if synchronous not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"synchronous={synchronous!r}")
        self.path = path
        self.lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        make_private(path)
        self.connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None,
                                          timeout=busy_timeout)
        try:
            conn = self.connection
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={synchronous}")
            conn.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
            if secure_delete:
                conn.execute("PRAGMA secure_delete=ON")
            with self.lock:
                self.version_found = migrate(conn, migrations, name=path.name)
        except BaseException:
            self.connection.close()
            raise

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.lock:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                yield self.connection
            except BaseException:
                self.connection.execute("ROLLBACK")
                raise
            self.connection.execute("COMMIT")
