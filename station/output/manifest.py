"""The manifest of a dossier folder (`manifest.json`), typed, and its one writer.

Both the counter and `station process` write it; `station upload` reads it (`uploader/manifest.py`). It holds
what the backend needs to file each document (dossier code, per document: file, type code, pages, size,
SHA-256) plus the operator's facts about the run (the document type's human name, source pages, pages left
out, warnings). It holds no personal data: no card field (ID number, name, dates, sex, address) is written,
only which card sides were read and the checks' warnings, which never quote a value.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station.fsutil import write_atomic

MANIFEST_NAME = "manifest.json"
MANIFEST_SCHEMA = 1


@dataclass(frozen=True)
class SourcePage:
    source: str
    page: int
    quality_score: int
    quality_issues: tuple[str, ...] = ()
    rotation_applied: int = 0
    skew_deg: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "page": self.page,
                "quality": {"score": self.quality_score, "issues": list(self.quality_issues)},
                "rotation_applied": self.rotation_applied, "skew_deg": self.skew_deg}


@dataclass(frozen=True)
class ManifestDocument:
    file: str  # a file name inside the dossier folder: NN-<doc type code>.pdf
    doc_type: str  # the code the backend accepts (station.output.doctype)
    pages: int
    bytes: int
    sha256: str
    doc_title: str | None = None  # the human name of the type ("Giấy tờ đất đai") when it is not the code
    text_chars: int | None = None
    source_pages: tuple[SourcePage, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "doc_type": self.doc_type, "doc_title": self.doc_title, "pages": self.pages,
                "bytes": self.bytes, "sha256": self.sha256, "text_chars": self.text_chars,
                "source_pages": [p.to_json() for p in self.source_pages]}


@dataclass(frozen=True)
class ExcludedPage:
    source: str
    page: int
    reason: str  # blank | separator | unreadable

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "page": self.page, "reason": self.reason}


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


@dataclass(frozen=True)
class Manifest:
    dossier_code: str | None  # None: no code seen (a batch-<id> folder, which cannot be uploaded)
    batch_id: str
    station_id: str
    created: str  # ISO 8601: when the dossier's pages were captured
    documents: tuple[ManifestDocument, ...]
    operator_id: str | None = None
    excluded_pages: tuple[ExcludedPage, ...] = ()
    cards: tuple[CardSummary, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": MANIFEST_SCHEMA,
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


def manifest_bytes(manifest: Manifest) -> bytes:
    return (json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Atomic and durable (fsynced file and folder, mode 0600): after a crash the folder holds either the old
    manifest or the new one, never half of one."""
    path = folder / MANIFEST_NAME
    for stale in folder.glob(f".{MANIFEST_NAME}.*.tmp"):  # left by a writer killed mid-way
        stale.unlink(missing_ok=True)
    write_atomic(path, manifest_bytes(manifest))
    return path
