"""The journal at rest: private file modes, sealed previews, file names not kept, retention once confirmed."""

from __future__ import annotations

import os
import stat
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from station.atrest import HEADER
from station.journal import Journal
from station.journal.api import JournalApi
from station.journal.store import JournalError
from station.journal.sync import JournalSync
from tests.backend_fixtures import BackendProcess
from tests.journal_fixtures import VN, page_image
from uploader.config import UploaderConfig
from uploader.errors import UploadError

DAY = 86400.0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def test_journal_files_are_private_even_under_a_permissive_umask(tmp_path: Path) -> None:
    folder = tmp_path / "nhật ký"
    previous = os.umask(0o022)
    try:
        journal = Journal(folder / "journal.sqlite3")
        journal.record_page(station_id="quầy-01", operator_id="Nguyễn Văn Ánh", quality_score=90,
                            image=page_image(1))
        names = {p.name: mode(p) for p in folder.iterdir()}
        assert {"journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", "journal.key"} <= set(names)
        assert {n: m for n, m in names.items() if m != (0o700 if (folder / n).is_dir() else 0o600)} == {}
        previews = list((folder / "journal-previews").iterdir())
        assert len(previews) == 1 and mode(previews[0]) == 0o600
        journal.close()
    finally:
        os.umask(previous)
    assert mode(folder) == 0o700


def test_a_journal_left_world_readable_by_an_older_version_is_tightened(tmp_path: Path) -> None:
    Journal(tmp_path / "journal.sqlite3").close()
    os.chmod(tmp_path / "journal.sqlite3", 0o644)
    os.chmod(tmp_path / "journal.key", 0o644)
    Journal(tmp_path / "journal.sqlite3").close()
    assert mode(tmp_path / "journal.sqlite3") == 0o600 and mode(tmp_path / "journal.key") == 0o600


def test_planted_symlinks_for_the_journal_or_its_key_are_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"untouched")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "journal.sqlite3").symlink_to(victim)
    with pytest.raises(JournalError):
        Journal(tmp_path / "a" / "journal.sqlite3")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "journal.key").symlink_to(victim)
    with pytest.raises(JournalError):
        Journal(tmp_path / "b" / "journal.sqlite3")
    assert victim.read_bytes() == b"untouched"


def test_previews_are_sealed_and_the_stored_path_is_never_followed(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    page_id = journal.record_page(station_id="s", operator_id="o", quality_score=80, image=page_image(2))
    stored = Path(journal.page(page_id).preview_path or "")
    assert stored.read_bytes().startswith(HEADER)
    jpeg = journal.preview_bytes(page_id)
    assert jpeg is not None and jpeg.startswith(b"\xff\xd8")
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"\xff\xd8 not the station's")
    with journal._tx() as db:  # a tampered row pointing elsewhere
        db.execute("UPDATE pages SET preview_path = ? WHERE page_id = ?", (str(secret), page_id))
    assert journal.preview_bytes(page_id) == jpeg
    stored.write_bytes(stored.read_bytes()[:-1] + b"\0")  # a tampered preview: none shown, no crash
    assert journal.preview_bytes(page_id) is None


def test_input_file_names_are_not_kept_device_names_are(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    named = journal.record_page(station_id="s", operator_id="o", quality_score=80,
                                source="/hồ sơ/Nguyễn Văn Ánh - CCCD.JPG")
    scanned = journal.record_page(station_id="s", operator_id="o", quality_score=80, source="pnm:0")
    assert journal.page(named).source == "tệp .jpg" and journal.page(scanned).source == "pnm:0"
    journal.close()
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert "Nguyễn".encode() not in data and b"CCCD" not in data


def confirmed_journal(tmp_path: Path, clock: list[float]) -> tuple[Journal, str, str]:
    journal = Journal(tmp_path / "journal.sqlite3", clock=lambda: clock[0])
    old = journal.record_page(station_id="quầy-01", operator_id="Trần Thị Bích", quality_score=70,
                              image=page_image(3), at=datetime(2025, 7, 1, 9, 0, tzinfo=VN))
    new = journal.record_page(station_id="quầy-01", operator_id="Trần Thị Bích", quality_score=70,
                              image=page_image(4), at=datetime.fromtimestamp(clock[0], VN))
    return journal, old, new


def confirm_everything(journal: Journal) -> None:
    for table in ("pages", "dossiers", "uploads", "reviews", "rescan_requests"):
        journal.mark_synced(table, {r[next(iter(r))]: int(r["rev"]) for r in journal.unsynced(table)})
    for page_id, _ in journal.previews_to_sync():
        journal.mark_preview_synced(page_id)


def test_retention_deletes_only_what_the_backend_confirmed_and_is_old(tmp_path: Path) -> None:
    clock = [datetime(2025, 7, 20, 9, 0, tzinfo=VN).timestamp()]
    journal, old, new = confirmed_journal(tmp_path, clock)
    old_preview = journal.preview_file(old)
    assert old_preview is not None and old_preview.exists()
    assert journal.apply_retention(7) == 0  # nothing reported yet: everything stays
    confirm_everything(journal)
    assert journal.apply_retention(7) == 1
    assert [p.page_id for p in journal.pages()] == [new]
    assert not old_preview.exists()
    new_preview = journal.preview_file(new)
    assert new_preview is not None and new_preview.exists()


def test_retention_keeps_pages_with_an_open_rescan_request_or_an_unreported_change(tmp_path: Path) -> None:
    clock = [datetime(2025, 7, 20, 9, 0, tzinfo=VN).timestamp()]
    journal, old, _new = confirmed_journal(tmp_path, clock)
    confirm_everything(journal)
    journal.record_review(old, "reject", reason=journal.rejection_reasons[0], reviewer="Lê Văn Giám Sát")
    confirm_everything(journal)
    clock[0] += 60
    assert journal.apply_retention(0) == 1  # `new` goes, `old` waits for its rescan
    assert [p.page_id for p in journal.pages()] == [old]
    journal.record_review(old, "approve", reviewer="Lê Văn Giám Sát")  # request withdrawn, not yet reported
    assert journal.apply_retention(0) == 0
    confirm_everything(journal)
    assert journal.apply_retention(0) == 1 and journal.pages() == [] and journal.reviews() == []


def test_orphan_previews_are_removed_but_not_one_being_written(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    journal.preview_dir.mkdir(parents=True)
    stale, fresh = journal.preview_dir / "gone.jpg.sealed", journal.preview_dir / "coming.jpg.sealed"
    stale.write_bytes(b"x")
    fresh.write_bytes(b"x")
    hour_ago = time.time() - 7200
    os.utime(stale, (hour_ago, hour_ago))
    journal.apply_retention(7)
    assert not stale.exists() and fresh.exists()


def test_a_sync_reports_then_applies_the_retention_policy(own_backend: BackendProcess, tmp_path: Path) -> None:
    """Real HTTP: after the backend confirmed them, old pages and their previews leave the station; the
    backend still serves them. Pages captured today stay until the policy has passed."""
    clock = [time.time()]
    journal, old, new = confirmed_journal(tmp_path, clock)
    cfg = UploaderConfig(backend_url=own_backend.url, token=own_backend.token, station_id="quầy-01",
                         data_dir=tmp_path)
    api = JournalApi(cfg)
    offline = JournalSync(journal, JournalApi(replace(cfg, backend_url="http://127.0.0.1:9")), retention_days=7)
    with pytest.raises(UploadError):
        offline.run("quầy-01")
    assert {p.page_id for p in journal.pages()} == {old, new}  # not confirmed: nothing deleted
    report = JournalSync(journal, api, retention_days=7).run("quầy-01")
    assert report.sent["previews"] == 2 and report.removed == 1
    assert [p.page_id for p in journal.pages()] == [new]
    assert sorted(p.name for p in journal.preview_dir.iterdir()) == [f"{new}.jpg.sealed"]
    preview = api.get_preview(old)
    assert preview is not None and preview.startswith(b"\xff\xd8")


def test_a_plain_preview_from_before_sealing_is_still_shown_but_not_through_a_link(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    page_id = journal.record_page(station_id="s", operator_id="Phạm Thu Hà", quality_score=80, image=page_image(5))
    sealed = journal.preview_file(page_id)
    assert sealed is not None
    jpeg = journal.preview_bytes(page_id)
    assert jpeg is not None
    sealed.unlink()
    legacy = journal.preview_dir / f"{page_id}.jpg"
    legacy.write_bytes(jpeg)
    assert journal.preview_bytes(page_id) == jpeg
    legacy.unlink()
    outside = tmp_path / "outside.jpg"
    outside.write_bytes(jpeg)
    legacy.symlink_to(outside)
    assert journal.preview_bytes(page_id) is None
