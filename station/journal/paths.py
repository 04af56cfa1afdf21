"""Where the station journal lives: the station data dir, unless the settings name another file."""

from __future__ import annotations

from pathlib import Path


def default_journal_path() -> Path:
    from station.settings import data_dir

    return data_dir() / "journal.sqlite3"


def configured_journal_path() -> Path:
    """The journal the settings name (`review.journal_path`), else the one in the station data dir."""
    from station.settings import load

    configured = load().review.journal_path
    return Path(configured) if configured else default_journal_path()
