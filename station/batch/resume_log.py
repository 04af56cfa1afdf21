"""The batch's resume log: what a `station process` run has finished, so a re-run after a crash continues there.

Not the station journal (`station.journal`, what was scanned and sent, for supervisor review): this log lives in
the run's work folder and is deleted with it once the run succeeded.

An append-only JSON Lines file, one record per finished page or document, each line flushed and fsynced
before the work it describes is considered done. A line torn by a kill, power cut or full disk is cut off on
load, and a record that does not parse is ignored (the work it described is simply redone). An input file
is recorded as read only once every one of its pages has been recorded: pages still in the worker pool when
the run dies are not done, and a re-run must read their file again. The run's identity is a hash of the
inputs (paths, sizes, mtimes) and the settings, so a re-run with the same inputs finds the same log and
anything else starts afresh.

Privacy: the work folder is 0700 and its files 0600. A page record holds only what the split and the manifest
need — the input's index in the run, never its name, and no card field and no OCR text (those stay in the
sealed page data). When the run has succeeded the work folder is deleted; a small marker listing the
finished documents (`<batch>.done.json`) lets a re-run see that there is nothing left to do.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from scanning.errors import StationError
from station.fsutil import write_atomic
from uploader.manifest import CardSummary

log = logging.getLogger(__name__)

WORK_DIR_NAME = ".station-work"
LOG_NAME = "journal.jsonl"  # the file's name predates the module's: kept, so older runs still resume
DONE_SUFFIX = ".done.json"


class UnsafeWorkDirError(StationError):
    exit_code = 2  # ExitCode.USAGE: a refused path (station/exit_codes.py)
    default_user_message = (
        "Một thư mục trong thư mục kết quả (thư mục làm việc .station-work hoặc thư mục hồ sơ) không an toàn: "
        "là liên kết hoặc không phải thư mục. Xoá nó hoặc chọn thư mục kết quả khác rồi chạy lại."
    )


def batch_identity(inputs: Iterable[Path], settings: Mapping[str, Any]) -> str:
    digest = hashlib.sha256()
    for path in inputs:
        stat_ = path.stat()
        digest.update(f"{path.resolve()}\0{stat_.st_size}\0{stat_.st_mtime_ns}\n".encode())
    digest.update(json.dumps(settings, sort_keys=True, default=str).encode())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class PageRecord:
    """One position of the page stream, as the journal keeps it."""

    position: int
    input: int  # index of the input file in the run (its name is not journalled)
    page: int  # 1-based page of that file
    blank: bool = False
    separator: bool = False
    separator_doc_type: str | None = None
    dossier_code: str | None = None
    unreadable: bool = False
    reason: str | None = None  # why it is unreadable: about the file, never page content nor the file's name
    captured_at: str | None = None
    quality_score: int = 0
    quality_issues: tuple[str, ...] = ()
    rotation_applied: int = 0
    skew_deg: float = 0.0
    text_chars: int = 0
    cards: tuple[CardSummary, ...] = ()  # card sides read: style and warnings only
    spill: str | None = None  # the page data file in the work folder's pages/ (content pages only)

    @property
    def is_content(self) -> bool:
        return not (self.blank or self.separator or self.unreadable)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["quality_issues"] = list(self.quality_issues)
        data["cards"] = [card.to_json() for card in self.cards]
        return {"kind": "page", **data}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PageRecord:
        """Raises ValueError for a record that is not exactly what this module writes."""
        cards = tuple(_card(c) for c in _typed(data, "cards", list))
        return cls(
            position=_typed(data, "position", int), input=_typed(data, "input", int), page=_typed(data, "page", int),
            blank=_typed(data, "blank", bool), separator=_typed(data, "separator", bool),
            separator_doc_type=_optional(data, "separator_doc_type", str),
            dossier_code=_optional(data, "dossier_code", str), unreadable=_typed(data, "unreadable", bool),
            reason=_optional(data, "reason", str), captured_at=_optional(data, "captured_at", str),
            quality_score=_typed(data, "quality_score", int),
            quality_issues=tuple(_strings(_typed(data, "quality_issues", list))),
            rotation_applied=_typed(data, "rotation_applied", int),
            skew_deg=float(_typed(data, "skew_deg", (int, float))), text_chars=_typed(data, "text_chars", int),
            cards=cards, spill=_optional(data, "spill", str),
        )


@dataclass(frozen=True)
class DocumentRecord:
    """A document of the run written and checked as PDF/A: what its manifest line needs, without building it again."""

    file: str  # <dossier folder>/<NN-type>.pdf, relative to the output folder
    sha256: str
    bytes: int
    pages: int

    def to_json(self) -> dict[str, Any]:
        return {"kind": "document", **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> DocumentRecord:
        """Raises ValueError for a record that is not exactly what this module writes."""
        return cls(file=_typed(data, "file", str), sha256=_typed(data, "sha256", str),
                   bytes=_typed(data, "bytes", int), pages=_typed(data, "pages", int))


def _typed(data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{key}: {type(value).__name__}")
    return value


def _optional(data: Mapping[str, Any], key: str, kind: type) -> Any:
    return None if data.get(key) is None else _typed(data, key, kind)


def _strings(values: list[Any]) -> list[str]:
    if not all(isinstance(v, str) for v in values):
        raise ValueError("not a list of strings")
    return values


def _card(data: Any) -> CardSummary:
    if not isinstance(data, dict):
        raise ValueError("card")
    return CardSummary(_optional(data, "side", str), _optional(data, "card_style", str),
                       tuple(_strings(_typed(data, "sources", list))), tuple(_strings(_typed(data, "warnings", list))))


def private_dir(path: Path) -> Path:
    """`path` as a real folder of mode 0700 (created if needed); a symlink or a file there is refused."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    mode = os.lstat(path).st_mode
    if not stat.S_ISDIR(mode):
        raise UnsafeWorkDirError(f"{path} is not a folder (a symlink or a file)")
    if stat.S_IMODE(mode) != 0o700:
        os.chmod(path, 0o700)
    return path


class ResumeLog:
    def __init__(self, out_dir: Path, batch_id: str) -> None:
        self.batch_id = batch_id
        self.work_dir = private_dir(private_dir(out_dir / WORK_DIR_NAME) / batch_id)
        self.path = self.work_dir / LOG_NAME
        self.pages: dict[int, PageRecord] = {}
        self.documents: dict[str, DocumentRecord] = {}
        self.dossier_folders: dict[int, str] = {}  # dossier index in the plan -> the folder it was given
        self.files: dict[int, int] = {}  # input files read to the end -> their number of stream slots
        self._reading: dict[int, tuple[int, int]] = {}  # read to the end, pages still in flight: (start, slots)
        self.created: str | None = None
        self._load()
        if self.created is None:
            self.created = datetime.now(UTC).replace(microsecond=0).isoformat()
            self._append({"kind": "start", "batch_id": batch_id, "created": self.created})

    @property
    def resumed(self) -> bool:
        return bool(self.pages or self.documents)

    def _load(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            return
        with os.fdopen(fd, "r+b") as handle:
            data = handle.read()
            complete_to = data.rfind(b"\n") + 1
            if complete_to < len(data):
                # The last append was torn: cut it off, or the next record would be glued onto it and lost too.
                log.warning("journal %s: cutting off a torn last line", self.path)
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
            self.created = _typed(record, "created", str)
        elif kind == "page":
            page = PageRecord.from_json(record)
            self.pages[page.position] = page
        elif kind == "file":
            self.files[_typed(record, "input", int)] = _typed(record, "slots", int)
        elif kind == "document":
            document = DocumentRecord.from_json(record)
            self.documents[document.file] = document
        elif kind == "dossier":
            folder = _typed(record, "folder", str)
            if folder in ("", ".", "..") or "/" in folder or "\\" in folder or "\0" in folder:
                raise ValueError(f"not a folder name: {folder!r}")
            self.dossier_folders[_typed(record, "index", int)] = folder

    def _append(self, record: Mapping[str, Any]) -> None:
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        with os.fdopen(fd, "ab") as handle:
            handle.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())

    def record_page(self, record: PageRecord) -> None:
        self._append(record.to_json())
        self.pages[record.position] = record
        self._settle_files()

    def forget(self, position: int) -> None:
        """Treat a recorded page as not done (its data proved unusable); the file holding it is read again."""
        self.pages.pop(position, None)

    def file_read(self, input_index: int, start: int, slots: int) -> None:
        """The input file was read to the end and takes stream positions start..start+slots-1. It is recorded
        as done once every one of those positions has been recorded (now, or as its pages come back)."""
        self._reading[input_index] = (start, slots)
        self._settle_files()

    def file_done(self, input_index: int, start: int) -> int | None:
        """The slots of a file a previous run finished, if every one of its pages is recorded; else None."""
        slots = self.files.get(input_index)
        if slots is None or not self.has_positions(start, slots):
            return None
        return slots

    def has_positions(self, start: int, count: int) -> bool:
        return all(position in self.pages for position in range(start, start + count))

    def _settle_files(self) -> None:
        for input_index, (start, slots) in list(self._reading.items()):
            if self.has_positions(start, slots):
                self._append({"kind": "file", "input": input_index, "slots": slots})
                self.files[input_index] = slots
                del self._reading[input_index]

    def record_document(self, document: DocumentRecord) -> None:
        self._append(document.to_json())
        self.documents[document.file] = document

    def record_dossier_folder(self, index: int, folder: str) -> None:
        """The output folder given to the plan's dossier `index`: decided once, before anything is written there,
        so a resumed run writes into the same one."""
        self._append({"kind": "dossier", "index": index, "folder": folder})
        self.dossier_folders[index] = folder

    def page_dir(self) -> Path:
        return private_dir(self.work_dir / "pages")

    def finish(self, out_dir: Path, documents: Sequence[Path]) -> None:
        """The run succeeded: leave the marker, then delete the work folder (journal, page data, all of it)."""
        listed = [{"file": str(PurePosixPath(*d.relative_to(out_dir).parts)), "bytes": d.stat().st_size,
                   "sha256": _sha256(d)} for d in documents]
        marker = self.work_dir.parent / f"{self.batch_id}{DONE_SUFFIX}"
        write_atomic(marker, (json.dumps({"batch_id": self.batch_id, "documents": listed}) + "\n").encode())
        shutil.rmtree(self.work_dir, ignore_errors=True)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def finished_documents(out_dir: Path, batch_id: str) -> list[Path] | None:
    """The documents of a batch that already succeeded, if they are all still there unchanged; else None (and
    a marker that no longer holds is removed, so the batch is simply made again)."""
    work_root = out_dir / WORK_DIR_NAME
    marker = work_root / f"{batch_id}{DONE_SUFFIX}"
    try:
        fd = os.open(marker, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        with os.fdopen(fd, "rb") as handle:
            listed = json.loads(handle.read(1 << 24))["documents"]
        documents = [_finished(out_dir, entry) for entry in listed]
    except (OSError, ValueError, TypeError, KeyError) as err:
        log.info("batch %s made again: %s", batch_id, err)
        marker.unlink(missing_ok=True)
        return None
    shutil.rmtree(work_root / batch_id, ignore_errors=True)  # the run died between the marker and this
    return documents


def _finished(out_dir: Path, entry: Any) -> Path:
    parts = PurePosixPath(_typed(entry, "file", str)).parts
    if len(parts) != 2 or any(p in (".", "..") or "\\" in p or "\0" in p for p in parts) or parts[0] == "/":
        raise ValueError(f"not a dossier document: {parts}")
    if not stat.S_ISDIR(os.lstat(out_dir / parts[0]).st_mode):
        raise ValueError(f"{parts[0]} is not a folder")
    path = out_dir / parts[0] / parts[1]
    info = os.lstat(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size != _typed(entry, "bytes", int) \
            or _sha256(path) != _typed(entry, "sha256", str):
        raise ValueError(f"{parts[1]} changed since the batch was made")
    return path
