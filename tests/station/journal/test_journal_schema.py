"""The station journal's schema migrations (uploader.sqlite): a journal written by the previous release
(tables of schema 1, a meta row, no user_version) opens, migrates and keeps everything."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station.journal import Journal, JournalError
from station.journal.schema import SCHEMA_V1, SCHEMA_VERSION


def _as_previous_release(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA_V1)  # meta comes back, as the previous release kept it
    conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', '1')")
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()


def test_a_journal_of_the_previous_release_opens_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as journal:
        page_id = journal.record_page(station_id="quầy-01", operator_id="Nguyễn Văn Ánh", quality_score=41,
                                      quality_issues=("blur",), doc_type="Giấy tờ đất đai")
        journal.record_review(page_id, "reject", reviewer="Trần Thị Bích", reason="mờ", note="chữ nhoè")
    _as_previous_release(path)
    with Journal(path) as journal:
        page = journal.page(page_id)
        assert (page.operator_id, page.review_state, page.doc_type) == ("Nguyễn Văn Ánh", "rejected",
                                                                       "Giấy tờ đất đai")
        (request,) = journal.pending_rescan_requests("quầy-01")
        assert request.note == "chữ nhoè"
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchall() == []
    conn.close()


def test_a_journal_from_a_newer_program_is_refused_in_vietnamese(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert "phiên bản" in caught.value.user_message and caught.value.exit_code == 2
