"""The journal's nouns: rows as frozen dataclasses (what the review queue, statistics and UI read)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ReviewState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


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
        return (*self.quality_issues, *(("blank",) if self.blank else ()))

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


@dataclass(frozen=True)
class PageFilter:
    """Which pages a query returns. Dates are the station's local dates, inclusive ("2025-07-02")."""

    station_id: str | None = None
    operator_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    flag: str | None = None  # a quality issue ("blur", ...), "blank", or "*" = any flag
    procedure_code: str | None = None
    review_state: str | None = None  # pending | approved | rejected

    def matches(self, row: PageRow) -> bool:
        if self.station_id and row.station_id != self.station_id:
            return False
        if self.operator_id and row.operator_id != self.operator_id:
            return False
        if self.date_from and row.local_date < self.date_from:
            return False
        if self.date_to and row.local_date > self.date_to:
            return False
        if self.procedure_code and row.procedure_code != self.procedure_code:
            return False
        if self.review_state and row.review_state != self.review_state:
            return False
        if self.flag == "*":
            return row.flagged
        return not (self.flag and self.flag not in row.flags)
