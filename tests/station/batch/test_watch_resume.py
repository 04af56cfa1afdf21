"""A `station watch` killed with SIGKILL mid-file resumes that file's batch after a restart: the private
snapshot is made again with the same name, size and mtime, so the batch journal is found again."""

from __future__ import annotations

import signal
from pathlib import Path

import pikepdf
import pytest

from station.batch.resume_log import DONE_SUFFIX, WORK_DIR_NAME
from station.batch.watch import DONE_DIR, STAGING_PREFIX
from tests.batch_inputs import save_tiff, text_page
from tests.station.test_cli_watch import WatchProcess, watch_once

NAME = "Hồ sơ ba trang của Nguyễn Văn Ánh.tif"


def batch_dirs(out: Path) -> list[Path]:
    work = out / WORK_DIR_NAME
    return sorted(p for p in work.iterdir() if p.is_dir() and not p.name.startswith(STAGING_PREFIX)) \
        if work.is_dir() else []


def journal_lines(out: Path) -> int:
    return sum(len((d / "journal.jsonl").read_bytes().splitlines()) for d in batch_dirs(out)
               if (d / "journal.jsonl").exists())


@pytest.mark.timeout(600)
def test_a_watch_killed_mid_file_resumes_the_same_batch(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    save_tiff([text_page(slice(k * 4, k * 4 + 4)) for k in range(4)], inbox / NAME)
    with WatchProcess(inbox, out, "--settle", "0.1") as watch:
        watch.wait_for(lambda: journal_lines(out) >= 2, "the first page journalled", timeout=300)
        watch.child.send_signal(signal.SIGKILL)
        watch.child.wait(30)
    assert (inbox / NAME).exists() and not (inbox / DONE_DIR / NAME).exists()  # killed before it was filed
    [staging] = (out / WORK_DIR_NAME).glob(f"{STAGING_PREFIX}*")
    assert list(staging.iterdir())  # the killed watch's snapshot is still there

    run = watch_once(inbox, out)

    assert run.returncode == 0, run.stdout + run.stderr
    assert (inbox / DONE_DIR / NAME).exists()
    # The restart found the killed run's batch and finished it; a new batch would have left the killed one behind.
    assert batch_dirs(out) == []
    assert len(list((out / WORK_DIR_NAME).glob(f"*{DONE_SUFFIX}"))) == 1
    [pdf] = out.glob("batch-*/01-tai-lieu.pdf")
    with pikepdf.open(pdf) as document:
        assert len(document.pages) == 4
    assert list(staging.iterdir()) == []
