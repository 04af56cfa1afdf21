"""The batch journal: what a `station process` run has finished, so a re-run after a crash continues there.

An append-only JSON Lines file, one record per finished page or document, each line flushed and fsynced
before the work it describes is considered done. A line torn by a kill or power cut is ignored on load (the
work it described is simply redone). The run's identity is a hash of the inputs (paths, sizes, mtimes) and
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
        with self.path.open("r", encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError:
                    log.warning("journal %s: ignoring torn line %d", self.path, number)
                    continue
                if not isinstance(record, dict):
                    continue
                kind = record.get("kind")
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

    def record_file(self, source: str, slots: int) -> None:
        self._append({"kind": "file", "source": source, "slots": slots})
        self.files[source] = slots

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
