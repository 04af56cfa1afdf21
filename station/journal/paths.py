"""Where the station journal lives by default. The configured path (`--journal`, `review.journal_path`) is
decided in one place, `station.runtime` (`load_runtime(args).journal.path`)."""

from __future__ import annotations

from pathlib import Path


def default_journal_path() -> Path:
    from station.settings import data_dir

    return data_dir() / "journal.sqlite3"

