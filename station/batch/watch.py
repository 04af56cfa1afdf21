"""A hot folder: every file dropped into INBOX is processed once it has stopped growing, then moved to
`done/` or to `failed/` with a `<name>.error.txt` beside it.

State lives in the file system only: a file still in INBOX has not been finished, so after a restart it is
simply processed again (the batch journal lets that run continue where the killed one stopped).
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from scanning.drivers.files import SUPPORTED_SUFFIXES
from station.batch.runner import OutputNotWritableError, ProcessOptions, ProcessSummary, run_batch

log = logging.getLogger(__name__)

DONE_DIR = "done"
FAILED_DIR = "failed"


@dataclass(frozen=True)
class WatchEvent:
    file: Path
    outcome: str  # "done" | "failed"
    moved_to: Path
    summary: ProcessSummary | None
    reasons: tuple[str, ...] = ()


@dataclass
class _Seen:
    size: int
    mtime_ns: int
    stable_since: float


class HotFolder:
    def __init__(self, inbox: Path, options: ProcessOptions, *, settle_s: float = 2.0,
                 on_event: Callable[[WatchEvent], None] | None = None) -> None:
        self.inbox = inbox
        self.options = options
        self.settle_s = settle_s
        self.on_event = on_event
        self._seen: dict[Path, _Seen] = {}
        for name in (DONE_DIR, FAILED_DIR):
            (inbox / name).mkdir(parents=True, exist_ok=True)

    def candidates(self) -> list[Path]:
        return sorted(p for p in self.inbox.iterdir() if p.is_file() and not p.name.startswith("."))

    def ready(self, now: float) -> list[Path]:
        """Files whose size and mtime have not changed for `settle_s` seconds (a copy in progress is not)."""
        ready: list[Path] = []
        current = set()
        for path in self.candidates():
            current.add(path)
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            seen = self._seen.get(path)
            if seen is None or (seen.size, seen.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
                self._seen[path] = _Seen(stat.st_size, stat.st_mtime_ns, now)
            elif now - seen.stable_since >= self.settle_s:
                ready.append(path)
        for gone in set(self._seen) - current:
            del self._seen[gone]
        return ready

    def process(self, path: Path) -> WatchEvent:
        self._seen.pop(path, None)
        reasons: tuple[str, ...]
        summary: ProcessSummary | None = None
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            reasons = (f"{path.name}: unsupported file type (use PDF, PNG, JPEG, TIFF, BMP or WebP)",)
        else:
            try:
                summary = run_batch([path], replace(self.options, jobs=self.options.jobs))
                reasons = tuple(summary.failures)
            except OutputNotWritableError:
                raise  # nothing in the inbox can succeed now: stop and leave the file where it is
            except Exception as err:  # one bad file must not stop the hot folder
                log.exception("processing %s failed", path.name)
                reasons = (f"{path.name}: {err}",)
        if reasons:
            moved = _move(path, self.inbox / FAILED_DIR)
            error_file = moved.with_name(moved.name + ".error.txt")
            error_file.write_text("\n".join(reasons) + "\n", encoding="utf-8")
            event = WatchEvent(path, "failed", moved, summary, reasons)
        else:
            event = WatchEvent(path, "done", _move(path, self.inbox / DONE_DIR), summary)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def run(self, stop: threading.Event, *, interval_s: float = 1.0, once: bool = False) -> list[WatchEvent]:
        """Poll until `stop` is set; with `once`, process what is in the inbox now and return."""
        events: list[WatchEvent] = []
        if once:
            for path in self.candidates():
                events.append(self.process(path))
            return events
        while not stop.is_set():
            for path in self.ready(time.monotonic()):
                if stop.is_set():
                    break
                events.append(self.process(path))
            stop.wait(interval_s)
        return events


def _move(path: Path, folder: Path) -> Path:
    """Move without overwriting an earlier file of the same name."""
    target = folder / path.name
    counter = 1
    while target.exists():
        target = folder / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    try:
        os.replace(path, target)
    except OSError:
        shutil.move(str(path), str(target))
    return target
