"""Page records: what the station knows of one page (:class:`PageEntry`), how it becomes a `pages` row
(personal data reduced to masked and keyed-hash card numbers, a file name to its kind) and back (PageRow)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from station.journal import privacy
from station.journal.models import PageRow, PreviewKind

if TYPE_CHECKING:
    from ocr.models import CitizenId
    from station.pipeline import PageAnalysis

CARD_DOC_TYPES = ("cccd", "can-cuoc", "cmnd")


@dataclass(frozen=True)
class PageEntry:
    """One page to record (or to update: same page_id). The preview image goes beside it, not in it."""

    station_id: str
    operator_id: str
    quality_score: int
    quality_issues: tuple[str, ...] = ()
    quality_metrics: Mapping[str, float] = field(default_factory=dict)
    profile: str = ""
    source: str = ""  # a scanner's device name, or an input file (only its kind is kept: privacy.source_label)
    page_index: int = 0
    dossier_code: str | None = None
    procedure_code: str | None = None
    doc_type: str | None = None
    blank: bool = False
    separator: bool = False
    rotation: int = 0
    skew_deg: float = 0.0
    dpi: int | None = None
    width: int = 0
    height: int = 0
    barcodes: int = 0
    ocr_chars: int = 0
    ocr_confidence: float | None = None
    card_numbers: tuple[str, ...] = field(default=(), repr=False)  # only masked and hashed in the journal
    card_detected: bool = False  # a citizen ID card was on the page (read or not): the preview is pixelated
    at: datetime | None = None  # capture time; None: now
    page_id: str | None = None  # None: a new id

    @staticmethod
    def card_fields(cards: Sequence[CitizenId]) -> dict[str, Any]:
        """`card_numbers` and `card_detected` from the cards read on the page."""
        return {"card_numbers": tuple(c.id_number for c in cards if c.id_number), "card_detected": bool(cards)}

    @classmethod
    def from_analysis(cls, analysis: PageAnalysis, *, station_id: str, operator_id: str, profile: str = "",
                      dossier_code: str | None = None, procedure_code: str | None = None,
                      doc_type: str | None = None, at: datetime | None = None,
                      page_id: str | None = None) -> PageEntry:
        """The entry for the pipeline's PageAnalysis."""
        ocr = analysis.ocr
        return cls(
            station_id=station_id, operator_id=operator_id, profile=profile, source=analysis.source,
            page_index=analysis.index, dossier_code=dossier_code or analysis.dossier_code,
            procedure_code=procedure_code, doc_type=doc_type or analysis.separator_doc_type,
            quality_score=analysis.quality_score, quality_issues=tuple(analysis.quality_issues),
            quality_metrics=dict(analysis.quality_metrics), blank=analysis.blank, separator=analysis.separator,
            rotation=analysis.rotation_applied, skew_deg=analysis.skew_deg, dpi=analysis.dpi,
            width=analysis.width, height=analysis.height, barcodes=len(analysis.barcodes),
            ocr_chars=len(ocr.text) if ocr is not None else 0,
            ocr_confidence=ocr.mean_confidence if ocr is not None else None,
            at=at, page_id=page_id, **cls.card_fields(analysis.cards),
        )

    @property
    def has_card(self) -> bool:
        return self.card_detected or bool(self.card_numbers) or (self.doc_type or "") in CARD_DOC_TYPES

    @property
    def issues(self) -> list[str]:
        return list(dict.fromkeys(self.quality_issues))


def page_columns(entry: PageEntry, *, page_id: str, key: bytes, captured_at: str, captured_ts: float,
                 preview_path: str | None, preview_kind: PreviewKind) -> dict[str, Any]:
    """The `pages` row of an entry: nothing personal in clear (station.journal.privacy)."""
    issues = entry.issues
    numbers = entry.card_numbers
    return {
        "page_id": page_id, "station_id": entry.station_id, "operator_id": entry.operator_id,
        "profile": entry.profile, "captured_at": captured_at, "captured_ts": captured_ts,
        "local_date": captured_at[:10], "source": privacy.source_label(entry.source), "page_index": entry.page_index,
        "dossier_code": entry.dossier_code, "procedure_code": entry.procedure_code, "doc_type": entry.doc_type,
        "quality_score": int(entry.quality_score), "quality_issues": json.dumps(issues),
        "quality_metrics": json.dumps({k: round(float(v), 4) for k, v in entry.quality_metrics.items()}),
        "flagged": int(bool(issues) or entry.blank), "blank": int(entry.blank), "separator": int(entry.separator),
        "rotation": int(entry.rotation), "skew_deg": round(float(entry.skew_deg), 3), "dpi": entry.dpi,
        "width": entry.width, "height": entry.height, "barcodes": entry.barcodes, "ocr_chars": entry.ocr_chars,
        "ocr_confidence": None if entry.ocr_confidence is None else round(float(entry.ocr_confidence), 2),
        "cccd_read": int(bool(numbers)),
        "cccd_masked": json.dumps([privacy.masked(n) for n in numbers]),
        "cccd_hashes": json.dumps([privacy.id_hash(key, n) for n in numbers]),
        "preview_path": preview_path, "preview_kind": preview_kind.value,
    }


def upsert_page(db: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    """Insert the row, or update it (same page_id): a new revision to report, its preview to send again."""
    columns = ", ".join(values)
    placeholders = ", ".join(f":{k}" for k in values)
    updates = ", ".join(f"{k} = excluded.{k}" for k in values if k != "page_id")
    db.execute(
        f"INSERT INTO pages ({columns}) VALUES ({placeholders}) ON CONFLICT(page_id) DO UPDATE SET {updates},"
        " rev = pages.rev + 1, preview_synced = 0",
        dict(values),
    )


def assign_pages(db: sqlite3.Connection, page_ids: Iterable[str], *, dossier_code: str | None,
                 procedure_code: str | None, doc_type: str | None) -> None:
    """File pages into a dossier / document slot after capture (a None keeps what the row has)."""
    for page_id in page_ids:
        db.execute(
            "UPDATE pages SET dossier_code = COALESCE(?, dossier_code),"
            " procedure_code = COALESCE(?, procedure_code), doc_type = COALESCE(?, doc_type),"
            " rev = rev + 1 WHERE page_id = ?",
            (dossier_code, procedure_code, doc_type, page_id),
        )


def _tuple(raw: str) -> tuple[str, ...]:
    value = json.loads(raw)
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def page_from_row(row: Mapping[str, Any]) -> PageRow:
    metrics = json.loads(row["quality_metrics"])
    return PageRow(
        page_id=row["page_id"],
        station_id=row["station_id"],
        operator_id=row["operator_id"],
        profile=row["profile"],
        captured_at=row["captured_at"],
        captured_ts=float(row["captured_ts"]),
        source=row["source"],
        page_index=int(row["page_index"]),
        dossier_code=row["dossier_code"],
        procedure_code=row["procedure_code"],
        doc_type=row["doc_type"],
        quality_score=int(row["quality_score"]),
        quality_issues=_tuple(row["quality_issues"]),
        quality_metrics={str(k): float(v) for k, v in metrics.items()} if isinstance(metrics, dict) else {},
        blank=bool(row["blank"]),
        separator=bool(row["separator"]),
        rotation=int(row["rotation"]),
        skew_deg=float(row["skew_deg"]),
        dpi=None if row["dpi"] is None else int(row["dpi"]),
        width=int(row["width"]),
        height=int(row["height"]),
        barcodes=int(row["barcodes"]),
        ocr_chars=int(row["ocr_chars"]),
        ocr_confidence=None if row["ocr_confidence"] is None else float(row["ocr_confidence"]),
        cccd_read=bool(row["cccd_read"]),
        cccd_masked=_tuple(row["cccd_masked"]),
        cccd_hashes=_tuple(row["cccd_hashes"]),
        preview_path=row["preview_path"],
        preview_kind=row["preview_kind"],
        review_state=row["review_state"],
        review_reason=row["review_reason"],
        review_note=row["review_note"],
    )
