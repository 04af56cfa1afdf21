"""The SQLite helper the outbox and the station journal share: private files, transactions, and schema
migrations by PRAGMA user_version — including files written by the previous release (no user_version)."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.backend_fixtures import make_pdf
from uploader.errors import DatabaseVersionError
from uploader.models import UploadJob
from uploader.outbox import SCHEMA_V1, SCHEMA_VERSION, Outbox
from uploader.sqlite import Database, Migration, statements

CODE = "000.00.01.H22-250702-0101"
STEPS = (
    Migration("notes", "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);"),
    Migration("authors", "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT '';"),
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _released_outbox(path: Path) -> None:
    """An outbox exactly as the previous release left it: its schema, its meta row, user_version 0."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.executescript(SCHEMA_V1)
    conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    conn.commit()
    conn.close()


def test_a_queue_file_of_the_previous_release_opens_migrates_and_keeps_its_items(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    _released_outbox(path)
    pdf = make_pdf(tmp_path / "Giấy tờ đất đai.pdf")
    digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
    job = UploadJob(CODE, "01-to-khai", "to-khai", pdf, digest, pdf.stat().st_size, 1, "quầy-01", "Nguyễn Văn Ánh")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO items (attachment_id, dossier_code, slot, doc_type, file_path, sha256, bytes, pages,"
                 " station_id, operator_id, state, enqueued_at) VALUES (?,?,?,?,?,?,?,?,?,?, 'queued', 1.0)",
                 (job.attachment_id, CODE, job.slot, job.doc_type, str(pdf), digest, job.bytes, 1, job.station_id,
                  job.operator_id))
    conn.commit()
    conn.close()
    with Outbox(path) as outbox:
        (item,) = outbox.items()
        assert item.job == job and outbox.enqueue(job) == (item.id, False)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchall() == []
    conn.close()
    with Outbox(path) as again:  # opening a current file changes nothing
        assert len(again.items()) == 1


def test_steps_run_in_order_once_and_a_failing_step_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    db = Database(path, STEPS[:1])
    with db.transaction() as conn:
        conn.execute("INSERT INTO notes (text) VALUES ('Hồ sơ của Trần Thị Bích')")
    db.close()
    def fail(conn: sqlite3.Connection) -> None:
        conn.execute("SELECT nope")

    broken = (*STEPS, Migration("bad", "CREATE TABLE extra (x);", run=fail))
    with pytest.raises(sqlite3.OperationalError):
        Database(path, broken)
    db = Database(path, STEPS[:1])  # still version 1: neither step 2 nor 3 left anything behind
    assert db.connection.execute("PRAGMA user_version").fetchone()[0] == 1
    assert db.connection.execute("SELECT name FROM sqlite_master WHERE name = 'extra'").fetchall() == []
    db.close()
    db = Database(path, STEPS)
    assert db.version_found == 1
    assert [tuple(r) for r in db.connection.execute("SELECT text, author FROM notes")] == [
        ("Hồ sơ của Trần Thị Bích", "")]
    db.close()


def test_a_file_from_a_newer_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    Database(path, (*STEPS, Migration("tags", "CREATE TABLE tags (name TEXT);"))).close()
    with pytest.raises(DatabaseVersionError) as caught:
        Outbox(path)
    assert "phiên bản" in caught.value.user_message and caught.value.exit_code == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'items'").fetchall() == []
    conn.close()


def test_transactions_roll_back_on_error(tmp_path: Path) -> None:
    db = Database(tmp_path / "notes.sqlite3", STEPS)
    with pytest.raises(RuntimeError), db.transaction() as conn:
        conn.execute("INSERT INTO notes (text) VALUES ('Nguyễn Văn Ánh')")
        raise RuntimeError("disk gone")
    assert db.connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 0
    db.close()


def test_database_and_its_wal_and_shm_are_private_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "q" / "outbox.sqlite3"
    old = os.umask(0o022)
    try:
        path.parent.mkdir()
        for suffix in ("-wal", "-shm"):  # left world-readable by an older version
            side = path.with_name(path.name + suffix)
            side.write_bytes(b"")
            side.chmod(0o644)
        db = Database(path, STEPS)
        with db.transaction() as conn:
            conn.execute("INSERT INTO notes (text) VALUES ('Phạm Thu Hà')")
        assert [_mode(p) for p in sorted(path.parent.iterdir())] == [0o600, 0o600, 0o600]
        db.close()
    finally:
        os.umask(old)


def test_a_planted_symlink_for_the_wal_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite3"
    target = tmp_path / "elsewhere"
    target.write_bytes(b"")
    path.with_name(path.name + "-wal").symlink_to(target)
    with pytest.raises(OSError):
        Database(path, STEPS)
    assert target.read_bytes() == b""


def test_statements_split_a_script_with_comments_and_semicolons_in_strings() -> None:
    script = "CREATE TABLE t (a TEXT); -- a comment; still a comment\nINSERT INTO t VALUES ('x;y');\n"
    assert len(statements(script)) == 2
    with pytest.raises(ValueError):
        statements("CREATE TABLE t (a TEXT")


def test_the_reference_backend_opens_the_databases_of_the_previous_release(tmp_path: Path) -> None:
    from uploader.backend import review, store

    data = tmp_path / "backend"
    data.mkdir()
    for name, schema in (("backend.sqlite3", store.SCHEMA), ("review.sqlite3", review.SCHEMA)):
        conn = sqlite3.connect(data / name)
        conn.executescript(schema)
        conn.commit()
        conn.close()
    conn = sqlite3.connect(data / "backend.sqlite3")
    conn.execute("INSERT INTO procedures VALUES ('9.999999', 'Đăng ký đất đai')")
    conn.commit()
    conn.close()
    backend = store.Store(data)  # not seeded again: the file already has procedures
    reviews = review.ReviewStore(data)
    try:
        assert backend._db.execute("SELECT name FROM procedures").fetchall()[0][0] == "Đăng ký đất đai"
        assert reviews.rescan_requests(None, "all") == []
    finally:
        backend.close()
        reviews.close()
    for name in ("backend.sqlite3", "review.sqlite3"):
        conn = sqlite3.connect(data / name)
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        conn.close()
        assert _mode(data / name) == 0o600


def test_several_openers_at_once_migrate_the_file_once(tmp_path: Path) -> None:
    """The counter app and a CLI command may open a new queue at the same moment (separate connections)."""
    import threading

    path = tmp_path / "notes.sqlite3"
    counted = {"runs": 0}

    def count(conn: sqlite3.Connection) -> None:
        counted["runs"] += 1
        conn.execute("INSERT INTO notes (text) VALUES ('Giấy tờ đất đai')")

    steps = (*STEPS, Migration("first note", run=count))
    opened: list[Database] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(Database(path, steps))
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=open_one) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == [] and len(opened) == 6 and counted["runs"] == 1
    assert sorted(db.version_found for db in opened) == [0, 3, 3, 3, 3, 3]
    assert opened[0].connection.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 1
    for db in opened:
        db.close()
