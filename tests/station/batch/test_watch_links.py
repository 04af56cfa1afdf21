"""`station watch` in a shared, hostile inbox: no symbolic link is ever followed out of the folders it owns."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from station.batch.resume_log import WORK_DIR_NAME
from station.batch.runner import ProcessOptions
from station.batch.watch import DONE_DIR, FAILED_DIR, STAGING_PREFIX, HotFolder, WatchEvent
from station.pipeline import AnalysisOptions
from station.safe_fs import UnsafeFolderError
from tests.station.test_cli_watch import WatchProcess, page_png, watch_once

VICTIM_TEXT = "Nguyễn Văn Ánh — hồ sơ Giấy tờ đất đai, không được ghi đè\n"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("owned", [FAILED_DIR, DONE_DIR])
def test_a_linked_done_or_failed_folder_is_refused_and_nothing_moves_through_it(tmp_path: Path, owned: str) -> None:
    inbox, elsewhere = tmp_path / "inbox", tmp_path / "Khởi động tự động"  # an autostart folder, say
    inbox.mkdir()
    elsewhere.mkdir()
    (inbox / owned).symlink_to(elsewhere, target_is_directory=True)
    page_png(inbox / "Tờ khai đăng ký.png")
    (inbox / "ghi chú.txt").write_text("Giấy tờ đất đai của Nguyễn Văn Ánh", encoding="utf-8")

    run = watch_once(inbox, tmp_path / "out")

    assert run.returncode == 2, run.stderr
    assert f"{owned} is a symbolic link or not a folder: refused" in run.stderr
    assert "liên kết (symlink)" in run.stderr  # and the officer is told in Vietnamese what to do
    assert files_in(elsewhere) == []
    assert (inbox / owned).is_symlink()
    assert {"Tờ khai đăng ký.png", "ghi chú.txt"} <= set(files_in(inbox))  # nothing lost, nothing moved


def test_a_failed_folder_swapped_for_a_link_while_watching_stops_the_watch(tmp_path: Path) -> None:
    inbox, out, elsewhere = tmp_path / "inbox", tmp_path / "out", tmp_path / "nơi khác"
    inbox.mkdir()
    elsewhere.mkdir()
    with WatchProcess(inbox, out, "--settle", "0.2") as watch:
        (inbox / "Phiếu.txt").write_text("Nguyễn Văn Ánh", encoding="utf-8")
        watch.wait_for(lambda: (inbox / FAILED_DIR / "Phiếu.txt.error.txt").exists(), "the first file filed")
        (inbox / FAILED_DIR).rename(inbox / "failed-cũ")
        (inbox / FAILED_DIR).symlink_to(elsewhere, target_is_directory=True)
        (inbox / "ghi chú.txt").write_text("Giấy tờ đất đai", encoding="utf-8")
        watch.wait_for(lambda: watch.child.poll() is not None, "the watch to stop on its own", timeout=60)
    assert watch.child.returncode == 2
    assert "failed is a symbolic link or not a folder: refused" in watch.stderr
    assert files_in(elsewhere) == []
    assert (inbox / "ghi chú.txt").read_text(encoding="utf-8") == "Giấy tờ đất đai"


def test_a_planted_error_file_link_is_never_written_through(tmp_path: Path) -> None:
    inbox, victim = tmp_path / "inbox", tmp_path / "hồ sơ quan trọng.txt"
    victim.write_text(VICTIM_TEXT, encoding="utf-8")
    (inbox / FAILED_DIR).mkdir(parents=True, mode=0o700)
    planted = inbox / FAILED_DIR / "ghi chú.txt.error.txt"
    planted.symlink_to(victim)
    (inbox / "ghi chú.txt").write_text("không phải ảnh", encoding="utf-8")

    run = watch_once(inbox, tmp_path / "out")

    assert run.returncode == 1, run.stderr
    assert victim.read_text(encoding="utf-8") == VICTIM_TEXT
    assert planted.is_symlink() and planted.readlink() == victim
    assert files_in(inbox / FAILED_DIR) == ["ghi chú-1.txt", "ghi chú-1.txt.error.txt", "ghi chú.txt.error.txt"]
    error_file = inbox / FAILED_DIR / "ghi chú-1.txt.error.txt"
    assert stat.S_ISREG(error_file.lstat().st_mode)
    assert "ghi chú.txt: unsupported file type" in error_file.read_text(encoding="utf-8")


def test_links_and_special_files_in_the_inbox_are_reported_and_never_read(tmp_path: Path) -> None:
    inbox, out, elsewhere = tmp_path / "inbox", tmp_path / "out", tmp_path / "nơi khác"
    inbox.mkdir()
    elsewhere.mkdir()
    secret = page_png(elsewhere / "Giấy tờ đất đai của Nguyễn Văn Ánh.png")
    secret_bytes = secret.read_bytes()
    (inbox / "link.png").symlink_to(secret)
    (inbox / "mất.png").symlink_to(tmp_path / "không có")  # dangling
    os.mkfifo(inbox / "ống.png")  # opening a FIFO would hang a loop that does not look first
    page_png(inbox / "Tờ khai đăng ký.png")

    run = watch_once(inbox, out)

    assert run.returncode == 1, run.stderr
    assert "SKIPPED link.png: symbolic link: not followed, left in the inbox" in run.stdout
    assert "SKIPPED mất.png: symbolic link" in run.stdout
    assert "SKIPPED ống.png: not a regular file" in run.stdout
    assert "done   Tờ khai đăng ký.png: 1 document(s)" in run.stdout
    assert files_in(inbox / DONE_DIR) == ["Tờ khai đăng ký.png"]
    assert files_in(inbox / FAILED_DIR) == []
    assert (inbox / "link.png").is_symlink() and (inbox / "mất.png").is_symlink()
    assert secret.read_bytes() == secret_bytes and files_in(elsewhere) == [secret.name]
    assert len(list(out.glob("batch-*/*.pdf"))) == 1  # only the real file became a PDF


def test_the_folders_the_station_creates_are_private(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    page_png(inbox / "Tờ khai đăng ký.png")
    run = watch_once(inbox, out)
    assert run.returncode == 0, run.stderr
    [staging] = (out / WORK_DIR_NAME).glob(f"{STAGING_PREFIX}*")
    for folder in (inbox / DONE_DIR, inbox / FAILED_DIR, out / WORK_DIR_NAME, staging):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert list(staging.iterdir()) == []  # the snapshot is gone once filed


def options(out: Path) -> ProcessOptions:
    return ProcessOptions(out_dir=out, jobs=1, analysis=AnalysisOptions(ocr=False, keep_image=True))


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_done_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    (inbox / DONE_DIR).mkdir(parents=True)
    os.chown(inbox / DONE_DIR, 4321, 4321)  # its owner could swap what the station files there
    with pytest.raises(UnsafeFolderError, match="done belongs to uid 4321") as raised:
        HotFolder(inbox, options(tmp_path / "out"))
    assert "thuộc người dùng khác" in raised.value.user_message and raised.value.exit_code == 2


def test_a_file_that_cannot_be_moved_is_reported_once_and_not_processed_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page_png(inbox / "Tờ khai đăng ký.png")
    events: list[WatchEvent] = []

    def refuse(*_: object, **__: object) -> None:
        # A sticky shared inbox and another user's file; cannot be made for real when the tests run as root.
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr("station.batch.watch.move_entry", refuse)
    with HotFolder(inbox, options(tmp_path / "out"), settle_s=0.0, on_event=events.append) as folder:
        for now in (1.0, 2.0, 3.0, 4.0):
            for path in folder.ready(now):
                folder.process(path, now=now)
    assert len(events) == 1
    [event] = events
    assert event.outcome == "done" and event.moved_to is None and event.summary is not None
    assert event.reasons == ("Tờ khai đăng ký.png: could not be moved to done/ (Operation not permitted); "
                             "left in the inbox",)
    assert (inbox / "Tờ khai đăng ký.png").exists()
    assert len(list((tmp_path / "out").glob("batch-*/01-tai-lieu.pdf"))) == 1


def test_snapshots_left_by_a_killed_watch_are_removed_at_start(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    with HotFolder(inbox, options(out)) as folder:
        folder.staging.mkdir(parents=True)
        (folder.staging / "CCCD Nguyễn Văn Ánh.png").write_bytes(b"\x89PNG a citizen's card")
    with HotFolder(inbox, options(out)) as folder:
        assert list(folder.staging.iterdir()) == []
