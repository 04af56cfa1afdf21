"""The manifest of a dossier output folder (`manifest.json`): its typed model, its JSON Schema, and reading an
output folder into UploadJobs.

Layout: ``DIR/<dossier code or batch id>/NN-<doctype>.pdf`` plus ``manifest.json``; ``DIR`` is either one
dossier folder or a folder of dossier folders. The format is fixed by ``uploader/schemas/manifest.schema.json``
(JSON Schema 2020-12, shipped as package data): the station validates what it writes against it
(`station.output.manifest`, counter and batch alike) and this module validates what it reads, before any
field is used. The models below are the only way either side turns a manifest into data and back.

``doc_type`` is the code the backend accepts (``DOC_TYPE_PATTERN``); the human name of the type stays in
``doc_title``, which the upload contract has no field for (it travels inside the PDF's title). Version 2
names no input file (file names are often the citizen's name): a page is its input's index in the run, its
page number and the input file's SHA-256. Version 1 (older stations) is still read for upload; its operator
facts (which named input files) are not carried into the model. Each file is checked against its manifest
line (size, SHA-256) before it is queued.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from uploader.config import UploaderConfig
from uploader.errors import ManifestError
from uploader.models import DOC_TYPE_PATTERN, UploadJob, is_valid_dossier_code

MANIFEST = "manifest.json"
SCHEMA_FILE = "manifest.schema.json"  # in the package uploader.schemas
SCHEMA_VERSION = 2  # what the station writes
SIGNATURE_LEVELS = ("B-B", "B-T", "B-LT")  # PAdES baseline levels a document's signature reached
MAX_MANIFEST_BYTES = 16 << 20  # far above any real dossier; a bigger file is not a manifest

_BAD_DOSSIER_CODE = "Thư mục chưa có mã hồ sơ hợp lệ nên không gửi được. Gán mã hồ sơ (mã biên nhận) rồi gửi lại."
_BAD_DOC_TYPE = ("Loại tài liệu trong manifest.json không phải mã hợp lệ (chữ thường không dấu, số, '-'). Xử lý lại "
                 "bằng phiên bản trạm hiện tại, hoặc sửa loại tài liệu thành mã rồi gửi lại.")


# --- the model ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PageRef:
    """A page of the run's inputs, without the input's name: its index in the run, its 1-based page, and the
    input file's SHA-256 (None: the file could not be read)."""

    input: int
    page: int
    input_sha256: str | None

    def to_json(self) -> dict[str, Any]:
        return {"input": self.input, "page": self.page, "input_sha256": self.input_sha256}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageRef:
        return cls(data["input"], data["page"], data["input_sha256"])


@dataclass(frozen=True)
class SourcePage:
    ref: PageRef
    quality_score: int
    quality_issues: tuple[str, ...] = ()
    rotation_applied: int = 0
    skew_deg: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {**self.ref.to_json(), "quality": {"score": self.quality_score, "issues": list(self.quality_issues)},
                "rotation_applied": self.rotation_applied, "skew_deg": self.skew_deg}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SourcePage:
        quality = data["quality"]
        return cls(PageRef.from_json(data), quality["score"], tuple(quality["issues"]), data["rotation_applied"],
                   float(data["skew_deg"]))


@dataclass(frozen=True)
class ManifestDocument:
    file: str  # a plain file name inside the dossier folder: NN-<doc type code>.pdf
    doc_type: str  # the code the backend accepts
    pages: int
    bytes: int
    sha256: str
    doc_title: str | None = None  # the human name of the type ("Giấy tờ đất đai") when it is not the code
    text_chars: int | None = None
    source_pages: tuple[SourcePage, ...] = ()
    signed: bool = False  # the scanning officer's PAdES signature is in the file (issue 11)
    signature_level: str | None = None  # "B-B" | "B-T" | "B-LT" (SIGNATURE_LEVELS); None when unsigned

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "doc_type": self.doc_type, "doc_title": self.doc_title, "pages": self.pages,
                "bytes": self.bytes, "sha256": self.sha256, "text_chars": self.text_chars,
                "source_pages": [p.to_json() for p in self.source_pages], "signed": self.signed,
                "signature_level": self.signature_level}

    @classmethod
    def from_json(cls, data: dict[str, Any], version: int) -> ManifestDocument:
        facts = version >= 2  # version 1's source pages name input files: not carried over
        return cls(data["file"], data["doc_type"], data["pages"], data["bytes"], data.get("sha256", ""),
                   data.get("doc_title"), data.get("text_chars") if facts else None,
                   tuple(SourcePage.from_json(p) for p in data["source_pages"]) if facts else (),
                   bool(data.get("signed", False)), data.get("signature_level"))


@dataclass(frozen=True)
class ExcludedPage:
    ref: PageRef
    reason: str  # blank | separator | unreadable

    def to_json(self) -> dict[str, Any]:
        return {**self.ref.to_json(), "reason": self.reason}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExcludedPage:
        return cls(PageRef.from_json(data), data["reason"])


@dataclass(frozen=True)
class CardSummary:
    """That a citizen ID card side was read, never what it says."""

    side: str | None
    card_style: str | None
    sources: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"side": self.side, "card_style": self.card_style, "sources": list(self.sources),
                "warnings": list(self.warnings)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CardSummary:
        return cls(data["side"], data["card_style"], tuple(data["sources"]), tuple(data["warnings"]))


@dataclass(frozen=True)
class Manifest:
    """What the backend needs to file each document, plus the operator's facts about the run (pages left out,
    card sides read, warnings). No personal data: no card field, no input file name."""

    dossier_code: str | None  # None: no code seen (a batch-<id> folder, which cannot be uploaded)
    batch_id: str
    station_id: str
    created: str  # ISO 8601: when the dossier's pages were captured
    documents: tuple[ManifestDocument, ...]
    operator_id: str | None = None
    excluded_pages: tuple[ExcludedPage, ...] = ()
    cards: tuple[CardSummary, ...] = ()
    warnings: tuple[str, ...] = ()
    version: int = SCHEMA_VERSION  # as read; the station always writes SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "dossier_code": self.dossier_code,
            "batch_id": self.batch_id,
            "station_id": self.station_id,
            "operator_id": self.operator_id,
            "created": self.created,
            "documents": [d.to_json() for d in self.documents],
            "excluded_pages": [e.to_json() for e in self.excluded_pages],
            "cccd": [c.to_json() for c in self.cards],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_json(cls, data: Any, where: str = MANIFEST) -> Manifest:
        """The manifest `data` holds; raises ManifestError (naming the field, never quoting it) unless `data` is
        valid against the schema."""
        check_schema(data, where)
        version: int = data["schema"]
        facts = version >= 2
        return cls(
            dossier_code=data["dossier_code"], batch_id=data.get("batch_id", ""),
            station_id=data.get("station_id", ""), created=data.get("created", ""),
            documents=tuple(ManifestDocument.from_json(d, version) for d in data["documents"]),
            operator_id=data.get("operator_id"),
            excluded_pages=tuple(ExcludedPage.from_json(e) for e in data["excluded_pages"]) if facts else (),
            cards=tuple(CardSummary.from_json(c) for c in data["cccd"]) if facts else (),
            warnings=tuple(data["warnings"]) if facts else (),
            version=version,
        )


# --- the schema --------------------------------------------------------------------------------------------

def schema_text() -> str:
    """The JSON Schema, read from the package data (the same file in a checkout, an editable install, a wheel)."""
    return resources.files("uploader.schemas").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


@functools.cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator  # type: ignore[import-untyped]  # 0.15 s: only when used

    schema = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def check_schema(data: Any, where: str = MANIFEST) -> None:
    """Raises ManifestError unless `data` is valid against the manifest's JSON Schema. The message names the
    field and the rule, never the value (a hostile or personal value stays out of logs)."""
    from jsonschema.exceptions import best_match  # type: ignore[import-untyped]

    error = best_match(_validator().iter_errors(data))
    if error is None:
        return
    field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
    rule = error.validator_value if error.validator in ("required", "enum", "const", "type") else None
    message = f"{where}: {field or 'top level'}: fails the schema's {error.validator!r} rule"
    if rule is not None:
        message += f" ({str(rule)[:120]})"
    if field == "dossier_code":
        raise ManifestError(message, user_message=_BAD_DOSSIER_CODE)
    if field.endswith(".doc_type"):
        raise ManifestError(f"{message}: not a code matching {DOC_TYPE_PATTERN}", user_message=_BAD_DOC_TYPE)
    if field == "schema":
        raise ManifestError(f"{message}: a manifest version this station does not know",
                            user_message="manifest.json được tạo bởi phiên bản phần mềm trạm mới hơn hoặc không "
                            "phải của trạm. Cập nhật phần mềm hoặc xử lý lại hồ sơ rồi gửi.")
    raise ManifestError(message)


def read_manifest(folder: Path) -> Manifest:
    """The manifest of a dossier folder; raises ManifestError. A symlink, a foreign file or one larger than
    MAX_MANIFEST_BYTES is refused unread."""
    where = str(folder / MANIFEST)
    try:
        fd = os.open(folder / MANIFEST, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ManifestError(f"{where}: not a regular file")
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
        if len(raw) > MAX_MANIFEST_BYTES:
            raise ManifestError(f"{where}: larger than {MAX_MANIFEST_BYTES} bytes")
        data = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as err:
        raise ManifestError(f"{where}: unreadable ({type(err).__name__})") from None
    return Manifest.from_json(data, where)


# --- an output folder into upload jobs ---------------------------------------------------------------------

@dataclass(frozen=True)
class FolderResult:
    folder: Path
    jobs: tuple[UploadJob, ...] = ()
    error: ManifestError | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dossier_folders(root: Path) -> list[Path]:
    if (root / MANIFEST).is_file():
        return [root]
    if not root.is_dir():
        raise ManifestError(f"{root}: not a folder")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).is_file())
    if not folders:
        raise ManifestError(f"{root}: no manifest.json here nor in its subfolders (not a `station process` output)")
    return folders


def read_folder(folder: Path, config: UploaderConfig) -> list[UploadJob]:
    """Jobs for one dossier folder, in manifest order; raises ManifestError."""
    where = str(folder / MANIFEST)
    manifest = read_manifest(folder)
    code = manifest.dossier_code
    if code is None or not is_valid_dossier_code(code):
        raise ManifestError(
            f"{where}: no valid dossier_code (batch-only output cannot be attached to a dossier)",
            user_message=_BAD_DOSSIER_CODE,
        )
    if not manifest.documents:
        raise ManifestError(f"{where}: no documents (every page was left out)")
    jobs: list[UploadJob] = []
    base = folder.resolve()
    for n, doc in enumerate(manifest.documents, 1):
        dwhere = f"{where} document {n}"
        path = (folder / doc.file).resolve()  # a plain name by the schema; a symlink out of the folder fails here
        if path.parent != base:
            raise ManifestError(f"{dwhere}: 'file' must name a PDF inside the dossier folder")
        if not path.is_file():
            raise ManifestError(f"{dwhere}: {path.name} is missing")
        try:
            content = config.read_file(path)  # a counter's outgoing PDF is sealed at rest: its content is what counts
        except Exception as err:
            raise ManifestError(f"{dwhere}: {path.name} cannot be read ({type(err).__name__})") from None
        if len(content) != doc.bytes:
            raise ManifestError(f"{dwhere}: {path.name} has {len(content)} bytes, manifest says {doc.bytes}")
        sha = hashlib.sha256(content).hexdigest()
        if doc.sha256 and doc.sha256 != sha:
            raise ManifestError(f"{dwhere}: {path.name} does not match its SHA-256 in the manifest")
        jobs.append(
            UploadJob(
                dossier_code=code,
                slot=path.stem,
                doc_type=doc.doc_type,
                file_path=path,
                sha256=sha,
                bytes=doc.bytes,
                pages=doc.pages,
                station_id=manifest.station_id or config.station_id,
                operator_id=manifest.operator_id or config.operator_id,
                batch_id=manifest.batch_id,
            )
        )
    return jobs


def read_output(root: Path, config: UploaderConfig) -> list[FolderResult]:
    """Every dossier folder under root; a bad folder is reported, the others still yield jobs."""
    results: list[FolderResult] = []
    for folder in dossier_folders(root):
        try:
            results.append(FolderResult(folder, tuple(read_folder(folder, config))))
        except ManifestError as err:
            results.append(FolderResult(folder, error=err))
    return results
