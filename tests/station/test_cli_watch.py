"""`station watch`: a hot folder that waits for files to stop growing, then files them under done/ or failed/."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from PIL import Image as PILImage

from station.batch.runner import ProcessOptions
from station.batch.watch import DONE_DIR, FAILED_DIR, HotFolder
from station.cli import main
from station.pipeline import AnalysisOptions
from tests import pagegen
from tests.paths import ROOT
from tests.waiting import wait_until


def page_png(path: Path, lines: slice = slice(0, 4)) -> Path:
    image = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[lines], dpi=150).image
    PILImage.fromarray(image).save(path, dpi=(150, 150))
    return path


def test_a_growing_file_is_not_ready_until_it_settles(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    folder = HotFolder(inbox, ProcessOptions(out_dir=tmp_path / "out"), settle_s=2.0)
    growing = inbox / "scan.pdf"
    growing.write_bytes(b"%PDF-1.7\n" + b"0" * 1000)
    assert folder.ready(now=100.0) == []
    with growing.open("ab") as handle:
        handle.write(b"1" * 1000)  # the copy goes on
    assert folder.ready(now=101.5) == []
    assert folder.ready(now=103.0) == []  # unchanged for 1.5 s only
    assert folder.ready(now=103.6) == [growing]
    assert (inbox / DONE_DIR).is_dir() and (inbox / FAILED_DIR).is_dir()


def test_once_files_good_and_bad_inputs(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    page_png(inbox / "don.png")
    (inbox / "hong.tif").write_bytes(b"II*\x00" + "rác, không phải ảnh TIFF".encode())
    os.utime(inbox / "hong.tif", (time.time() - 600, time.time() - 600))  # broken for 10 min: not a copy
    (inbox / "notes.txt").write_text("không phải ảnh")
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["watch", str(inbox), "--out", str(tmp_path / "out"), "--once", "--jobs", "1"])
    assert status == 1
    assert sorted(p.name for p in (inbox / DONE_DIR).iterdir()) == ["don.png"]
    failed = sorted(p.name for p in (inbox / FAILED_DIR).iterdir())
    assert failed == ["hong.tif", "hong.tif.error.txt", "notes.txt", "notes.txt.error.txt"]
    broken = (inbox / FAILED_DIR / "hong.tif.error.txt").read_text(encoding="utf-8")
    assert "hong.tif: the TIFF does not parse" in broken
    assert "unsupported" in (inbox / FAILED_DIR / "notes.txt.error.txt").read_text(encoding="utf-8")
    assert len(list((tmp_path / "out").glob("batch-*/01-tai-lieu.pdf"))) == 1
    assert not [p for p in inbox.iterdir() if p.is_file()]


def test_same_name_twice_does_not_overwrite_done_file(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    options = ProcessOptions(out_dir=tmp_path / "out", jobs=1, analysis=AnalysisOptions(ocr=False, keep_image=True))
    folder = HotFolder(inbox, options)
    page_png(inbox / "a.png", slice(0, 3))
    first = folder.process(inbox / "a.png")
    page_png(inbox / "a.png", slice(3, 6))
    second = folder.process(inbox / "a.png")
    assert first.outcome == second.outcome == "done"
    assert first.moved_to == inbox / DONE_DIR / "a.png" and second.moved_to == inbox / DONE_DIR / "a-1.png"
    folder.close()


def test_polling_service_processes_a_dropped_file_and_stops_on_sigterm(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    data = page_png(tmp_path / "staged.png").read_bytes()
    target = inbox / "ho-so.png"
    with WatchProcess(inbox, out, "--settle", "0.5") as watch:
        with target.open("wb") as handle:  # a slow copy: half now, the rest once the watch has looked at the half
            handle.write(data[: len(data) // 2])
            handle.flush()
            watch.wait_for(lambda: watch.saw("WAITING ho-so.png: "), "the half copy seen and left for now")
            handle.write(data[len(data) // 2:])
        watch.wait_for(lambda: (inbox / DONE_DIR / "ho-so.png").exists(), "the whole copy done")
        assert (inbox / DONE_DIR / "ho-so.png").read_bytes() == data
        assert len(list(out.glob("batch-*/01-tai-lieu.pdf"))) == 1
        assert watch.stop() == 0  # SIGTERM: a clean stop
    assert watch.saw("done   ho-so.png: 1 document(s)")


# --- driving the real `station watch` process (shared with tests/station/batch/test_watch_*.py) ---------------

def watch_once(inbox: Path, out: Path, *extra: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    """`station watch INBOX --out OUT --once` in its own process; output decoded as UTF-8."""
    return subprocess.run(
        [sys.executable, "-m", "station", "watch", str(inbox), "--out", str(out), "--once", "--jobs", "1", *extra],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=timeout,
    )


class WatchProcess:
    """A polling `station watch` whose output lines are collected as they come, so tests wait for a line or a
    file instead of sleeping; stopped with SIGTERM like a service manager would."""

    def __init__(self, inbox: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        import threading

        self.child = subprocess.Popen(
            [sys.executable, "-m", "station", "watch", str(inbox), "--out", str(out), "--interval", "0.1",
             "--jobs", "1", *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env,
        )
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._readers = [threading.Thread(target=self._read, args=(stream, into), daemon=True)
                         for stream, into in ((self.child.stdout, self.lines), (self.child.stderr, self.errors))]
        for reader in self._readers:
            reader.start()

    @staticmethod
    def _read(stream: IO[str] | None, into: list[str]) -> None:
        assert stream is not None
        for line in stream:
            into.append(line.rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.errors)

    def wait_for(self, condition: Callable[[], bool], what: str, timeout: float = 120) -> None:
        def reached() -> bool:
            if condition():
                return True
            if self.child.poll() is not None:
                raise AssertionError(f"station watch exited ({self.child.returncode}) before {what}: "
                                     f"{self.lines} {self.stderr}")
            return False

        wait_until(reached, timeout, what, seen=lambda: self.lines)

    def saw(self, prefix: str) -> bool:
        return any(line.startswith(prefix) for line in self.lines)

    def stop(self) -> int:
        if self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)
        self.child.wait(timeout=60)
        for reader in self._readers:
            reader.join(10)
        for stream in (self.child.stdout, self.child.stderr):
            if stream is not None:
                stream.close()
        return self.child.returncode

    def __enter__(self) -> WatchProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
