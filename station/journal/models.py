"""The journal's nouns: rows as frozen dataclasses (what the review queue, statistics and UI read)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# The review states, decisions and page filters are the contract's, shared with the reference backend.
from uploader.review_rules import PageFilter, ReviewDecision, ReviewState, page_flags

__all__ = ["DossierRow", "PageFilter", "PageRow", "PreviewKind", "RescanRequest", "ReviewDecision", "ReviewRow",
           "ReviewState", "UploadRow"]


class PreviewKind(StrEnum):
    FULL = "full"  # a reduced JPEG of the cleaned page
    PIXELATED = "pixelated"  # a citizen ID card was on the page: only a coarse mosaic is kept (layout, not data)
    NONE = "none"  # no image was given


@dataclass(frozen=True)
class PageRow:
    page_id: str
    station_id: str
    operator_id: str
    profile: str
    captured_at: str  # ISO 8601 with the station's UTC offset; its first 10 characters are the local date
    captured_ts: float  # epoch seconds
    source: str
    page_index: int  # page number within its source (scan job or file), 1-based as in scanning.models.Page
    dossier_code: str | None
    procedure_code: str | None
    doc_type: str | None
    quality_score: int
    quality_issues: tuple[str, ...]
    quality_metrics: dict[str, float]
    blank: bool
    separator: bool
    rotation: int
    skew_deg: float
    dpi: int | None
    width: int
    height: int
    barcodes: int
    ocr_chars: int
    ocr_confidence: float | None
    cccd_read: bool
    cccd_masked: tuple[str, ...]  # e.g. "001*******45"
    cccd_hashes: tuple[str, ...]  # keyed hashes (HMAC-SHA256) of the id numbers, for matching, not reading
    preview_path: str | None
    preview_kind: str
    review_state: str
    review_reason: str | None
    review_note: str | None

    @property
    def flags(self) -> tuple[str, ...]:
        """Why a supervisor should look: the quality issues, plus "blank"."""
        return page_flags(self.quality_issues, self.blank)

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def local_date(self) -> str:
        return self.captured_at[:10]

    def to_json(self) -> dict[str, Any]:
        """The row as the backend contract's JournalPage (no preview path: that is local)."""
        return {
            "page_id": self.page_id,
            "station_id": self.station_id,
            "operator_id": self.operator_id,
            "profile": self.profile,
            "captured_at": self.captured_at,
            "source": self.source,
            "page_index": self.page_index,
            "dossier_code": self.dossier_code,
            "procedure_code": self.procedure_code,
            "doc_type": self.doc_type,
            "quality_score": self.quality_score,
            "quality_issues": list(self.quality_issues),
            "quality_metrics": dict(self.quality_metrics),
            "blank": self.blank,
            "separator": self.separator,
            "rotation": self.rotation,
            "skew_deg": self.skew_deg,
            "dpi": self.dpi,
            "width": self.width,
            "height": self.height,
            "barcodes": self.barcodes,
            "ocr_chars": self.ocr_chars,
            "ocr_confidence": self.ocr_confidence,
            "cccd_read": self.cccd_read,
            "cccd_masked": list(self.cccd_masked),
            "cccd_hashes": list(self.cccd_hashes),
            "preview_kind": self.preview_kind,
        }


@dataclass(frozen=True)
class ReviewRow:
    review_id: str
    page_id: str
    decision: str
    reason: str | None
    note: str
    reviewer: str
    reviewed_at: str
    reviewed_ts: float


@dataclass(frozen=True)
class RescanRequest:
    """A rejected page the counter must scan again."""

    request_id: str
    page_id: str
    review_id: str
    station_id: str
    operator_id: str
    dossier_code: str | None
    doc_type: str | None
    page_index: int
    reason: str
    note: str
    created_at: str
    status: str  # open | done
    resolved_page_id: str | None = None


@dataclass(frozen=True)
class DossierRow:
    dossier_id: str
    dossier_code: str | None
    station_id: str
    operator_id: str
    procedure_code: str | None
    profile: str
    finished_at: str
    finished_ts: float
    pages: int
    documents: int


@dataclass(frozen=True)
class UploadRow:
    attachment_id: str
    dossier_code: str
    doc_type: str
    station_id: str
    operator_id: str
    state: str
    pages: int
    bytes: int
    queued_ts: float | None
    confirmed_ts: float | None
    error_code: str | None
    updated_at: str
