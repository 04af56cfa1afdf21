"""The batch journal: what a `station process` run has finished, so a re-run after a crash continues there.

An append-only JSON Lines file, one record per finished page or document, each line flushed and fsynced
before the work it describes is considered done. A line torn by a kill, power cut or full disk is cut off on
load (the work it described is simply redone). An input file is recorded as read only once every one of its
pages has been recorded: pages still in the worker pool when the run dies are not done, and a re-run must
read their file again. The run's identity is a hash of the inputs (paths, sizes, mtimes) and
the settings, so a re-run with the same inputs finds the same journal and anything else starts afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WORK_DIR_NAME = ".station-work"


def batch_identity(inputs: Iterable[Path], settings: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    for path in inputs:
        stat = path.stat()
        digest.update(f"{path.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:12]


class BatchJournal:
    def __init__(self, out_dir: Path, batch_id: str) -> None:
        self.batch_id = batch_id
        self.work_dir = out_dir / WORK_DIR_NAME / batch_id
        self.work_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.work_dir / "journal.jsonl"
        self.pages: dict[int, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}
        self.files: dict[str, int] = {}  # input files read to the end -> their number of stream slots
        self._reading: dict[str, tuple[int, int]] = {}  # read to the end, pages still in flight: (start, slots)
        self.created: str | None = None
        self.complete = False
        self._load()
        if self.created is None:
            self.created = datetime.now(UTC).replace(microsecond=0).isoformat()
            self._append({"kind": "start", "batch_id": batch_id, "created": self.created})

    @property
    def resumed(self) -> bool:
        return bool(self.pages or self.documents)

    def _load(self) -> None:
        if not self.path.exists():
            return
        data = self.path.read_bytes()
        complete_to = data.rfind(b"\n") + 1
        if complete_to < len(data):
            # The last append was torn: cut it off, or the next record would be glued onto it and lost too.
            log.warning("journal %s: cutting off a torn last line", self.path)
            with self.path.open("r+b") as handle:
                handle.truncate(complete_to)
                os.fsync(handle.fileno())
        for number, line in enumerate(data[:complete_to].split(b"\n")[:-1], 1):
            try:
                self._apply(json.loads(line))
            except (ValueError, TypeError, KeyError):  # a damaged record: the work it described is redone
                log.warning("journal %s: ignoring damaged line %d", self.path, number)

    def _apply(self, record: Any) -> None:
        kind = record.get("kind") if isinstance(record, dict) else None
        if kind == "start":
            self.created = str(record["created"])
        elif kind == "page":
            self.pages[int(record["position"])] = record
        elif kind == "file":
            self.files[str(record["source"])] = int(record["slots"])
        elif kind == "document":
            self.documents[str(record["file"])] = record
        elif kind == "complete":
            self.complete = True

    def _append(self, record: Mapping[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def record_page(self, position: int, record: Mapping[str, Any]) -> None:
        entry = {"kind": "page", "position": position, **record}
        self._append(entry)
        self.pages[position] = entry
        self._settle_files()

    def forget(self, position: int) -> None:
        """Treat a recorded page as not done (its data proved unusable); the file holding it is read again."""
        self.pages.pop(position, None)

    def file_read(self, source: str, start: int, slots: int) -> None:
        """The input file was read to the end and takes stream positions start..start+slots-1. It is recorded
        as done once every one of those positions has been recorded (now, or as its pages come back)."""
        self._reading[source] = (start, slots)
        self._settle_files()

    def file_done(self, source: str, start: int) -> int | None:
        """The slots of a file a previous run finished, if every one of its pages is recorded; else None."""
        slots = self.files.get(source)
        if slots is None or not self.has_positions(start, slots):
            return None
        return slots

    def has_positions(self, start: int, count: int) -> bool:
        return all(position in self.pages for position in range(start, start + count))

    def _settle_files(self) -> None:
        for source, (start, slots) in list(self._reading.items()):
            if self.has_positions(start, slots):
                self._append({"kind": "file", "source": source, "slots": slots})
                self.files[source] = slots
                del self._reading[source]

    def record_document(self, file: str, record: Mapping[str, Any]) -> None:
        entry = {"kind": "document", "file": file, **record}
        self._append(entry)
        self.documents[file] = entry

    def mark_complete(self) -> None:
        """Keep the journal (a re-run then has nothing to do) but drop the bulky intermediate page data."""
        self._append({"kind": "complete"})
        self.complete = True
        for child in self.work_dir.iterdir():
            if child.is_dir():
                shutil.rmtree(child, ignore_errors=True)

    def page_dir(self) -> Path:
        path = self.work_dir / "pages"
        path.mkdir(exist_ok=True)
        return path
