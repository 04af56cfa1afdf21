"""`station watch` in a shared, hostile inbox: no symbolic link is ever followed out of the folders it owns."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from station.batch.journal import WORK_DIR_NAME
from station.batch.watch import DONE_DIR, FAILED_DIR, STAGING_DIR
from tests.test_cli_watch import WatchProcess, page_png, watch_once

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
    for folder in (inbox / DONE_DIR, inbox / FAILED_DIR, out / WORK_DIR_NAME / STAGING_DIR):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert list((out / WORK_DIR_NAME / STAGING_DIR).iterdir()) == []  # the snapshot is gone once filed
