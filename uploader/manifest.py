"""Read a `station process` output folder into UploadJobs.

Layout: ``DIR/<dossier code or batch id>/NN-<doctype>.pdf`` plus ``manifest.json``::

    {"schema": 1, "dossier_code": "...", "batch_id": "...", "station_id": "...", "operator_id": "...",
     "created": "...", "documents": [{"file": "02-giay-to-dat-dai.pdf", "doc_type": "giay-to-dat-dai",
     "doc_title": "Giấy tờ đất đai", "pages": 2, "bytes": 123, "sha256": "..."}]}

The station writes it with `station.output.manifest` (counter and batch alike). ``doc_type`` is the code the
backend accepts (``DOC_TYPE_PATTERN``); the human name of the type stays in ``doc_title``, which the upload
contract has no field for (it travels inside the PDF's title). ``DIR`` is either one dossier folder or a
folder of dossier folders. Each file is checked against its manifest line (size, SHA-256) before it is
queued.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uploader.config import UploaderConfig
from uploader.errors import ManifestError
from uploader.models import DOC_TYPE_PATTERN, UploadJob, is_valid_dossier_code

MANIFEST = "manifest.json"
_DOC_TYPE_RE = re.compile(DOC_TYPE_PATTERN)


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


def _int(doc: dict[str, Any], key: str, where: str, minimum: int) -> int:
    value = doc.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ManifestError(f"{where}: '{key}' must be an integer >= {minimum}")
    return value


def read_folder(folder: Path, config: UploaderConfig) -> list[UploadJob]:
    """Jobs for one dossier folder, in manifest order; raises ManifestError."""
    where = str(folder / MANIFEST)
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ManifestError(f"{where}: unreadable ({type(err).__name__})") from None
    if not isinstance(data, dict) or data.get("schema") != 1:
        raise ManifestError(f"{where}: not a schema 1 manifest")
    code = data.get("dossier_code")
    if not isinstance(code, str) or not is_valid_dossier_code(code):
        raise ManifestError(
            f"{where}: no valid dossier_code (batch-only output cannot be attached to a dossier)",
            user_message="Thư mục chưa có mã hồ sơ hợp lệ nên không gửi được. Gán mã hồ sơ (mã biên nhận) rồi gửi lại.",
        )
    documents = data.get("documents")
    if not isinstance(documents, list) or not documents:
        raise ManifestError(f"{where}: no documents")
    station = data.get("station_id") if isinstance(data.get("station_id"), str) and data["station_id"] else None
    operator = data.get("operator_id") if isinstance(data.get("operator_id"), str) and data["operator_id"] else None
    batch = str(data["batch_id"]) if isinstance(data.get("batch_id"), str) else ""
    jobs: list[UploadJob] = []
    base = folder.resolve()
    for n, doc in enumerate(documents, 1):
        dwhere = f"{where} document {n}"
        if not isinstance(doc, dict) or not isinstance(doc.get("file"), str):
            raise ManifestError(f"{dwhere}: missing 'file'")
        path = (folder / doc["file"]).resolve()
        if path.parent != base or path.suffix.lower() != ".pdf":
            raise ManifestError(f"{dwhere}: 'file' must name a PDF inside the dossier folder")
        doc_type = str(doc.get("doc_type", "")).strip().lower()
        if not _DOC_TYPE_RE.fullmatch(doc_type):
            raise ManifestError(
                f"{dwhere}: invalid doc_type {doc.get('doc_type')!r} (not a code matching {DOC_TYPE_PATTERN})",
                user_message="Loại tài liệu trong manifest.json không phải mã hợp lệ (chữ thường không dấu, số, "
                "'-'). Xử lý lại bằng phiên bản trạm hiện tại, hoặc sửa loại tài liệu thành mã rồi gửi lại.",
            )
        pages = _int(doc, "pages", dwhere, 1)
        size = _int(doc, "bytes", dwhere, 1)
        if not path.is_file():
            raise ManifestError(f"{dwhere}: {path.name} is missing")
        if path.stat().st_size != size:
            raise ManifestError(f"{dwhere}: {path.name} has {path.stat().st_size} bytes, manifest says {size}")
        sha = file_sha256(path)
        if isinstance(doc.get("sha256"), str) and doc["sha256"].lower() != sha:
            raise ManifestError(f"{dwhere}: {path.name} does not match its SHA-256 in the manifest")
        jobs.append(
            UploadJob(
                dossier_code=code,
                slot=path.stem,
                doc_type=doc_type,
                file_path=path,
                sha256=sha,
                bytes=size,
                pages=pages,
                station_id=station or config.station_id,
                operator_id=operator or config.operator_id,
                batch_id=batch,
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
