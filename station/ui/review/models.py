"""Qt models of the review window (tested without a view): the queue, one page's metrics, per-operator stats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.journal.models import PageRow
from station.review.queue import QueueEntry, QueueReason
from station.review.stats import GroupStats
from station.ui.i18n import QT_TRANSLATE_NOOP
from station.ui.review.labels import flags_text, queue_reason_name, state_name

Index = QModelIndex | QPersistentModelIndex
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGGED_BG = QColor("#fdecea")
SAMPLE_BG = QColor("#eef4fb")


translate = QCoreApplication.translate  # lupdate finds translate("Context", "literal") calls


def _tr(text: str) -> str:
    """A source string held in a table (marked with QT_TRANSLATE_NOOP) in the UI's language."""
    return translate("ReviewModels", text)


def local_time(captured_at: str) -> str:
    try:
        return datetime.fromisoformat(captured_at).strftime("%d/%m %H:%M")
    except ValueError:
        return captured_at


def vn_number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


class ReviewQueueModel(QAbstractTableModel):
    COLUMNS = ("#", QT_TRANSLATE_NOOP("ReviewModels", "Queued as"), QT_TRANSLATE_NOOP("ReviewModels", "Score"),
               QT_TRANSLATE_NOOP("ReviewModels", "Flags"), QT_TRANSLATE_NOOP("ReviewModels", "Station"),
               QT_TRANSLATE_NOOP("ReviewModels", "Operator"), QT_TRANSLATE_NOOP("ReviewModels", "Scanned at"),
               QT_TRANSLATE_NOOP("ReviewModels", "Dossier"), QT_TRANSLATE_NOOP("ReviewModels", "Document"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[QueueEntry] = []

    def set_entries(self, entries: Sequence[QueueEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> QueueEntry:
        return self._entries[row]

    def entries(self) -> list[QueueEntry]:
        return list(self._entries)

    def remove_page(self, page_id: str) -> int:
        """Drop a decided page; returns the row it had (-1 if absent)."""
        for row, entry in enumerate(self._entries):
            if entry.page.page_id == page_id:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._entries[row]
                self.endRemoveRows()
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        page = entry.page
        col = index.column()
        if role == PAGE_ROLE:
            return page.page_id
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                str(index.row() + 1),
                queue_reason_name(entry.reason.value),
                str(page.quality_score),
                flags_text(page.flags),
                page.station_id,
                page.operator_id,
                local_time(page.captured_at),
                page.dossier_code or "",
                page.doc_type or "",
            )
            return values[col]
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(FLAGGED_BG if entry.reason is QueueReason.FLAGGED else SAMPLE_BG)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (0, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return translate("ReviewModels", "{code} · {source} · page {n}").format(
                code=page.dossier_code or "", source=page.source, n=page.page_index)
        return None


METRIC_LABELS = {
    "sharpness": QT_TRANSLATE_NOOP("ReviewModels", "Sharpness"),
    "contrast": QT_TRANSLATE_NOOP("ReviewModels", "Contrast"),
    "brightness": QT_TRANSLATE_NOOP("ReviewModels", "Brightness"),
    "skew_deg": QT_TRANSLATE_NOOP("ReviewModels", "Skew (°)"),
    "dpi": QT_TRANSLATE_NOOP("ReviewModels", "Resolution (dpi)"),
}
FLAGS_FACT = QT_TRANSLATE_NOOP("ReviewModels", "Flags")


def page_facts(page: PageRow, reason: QueueReason | None = None) -> list[tuple[str, str]]:
    """The rows of the metrics panel: the label's source string (translated when shown) and the value."""
    cards = translate("ReviewModels", "none")
    if page.cccd_read:
        cards = translate("ReviewModels", "read: {numbers}").format(numbers=", ".join(page.cccd_masked))
    elif page.preview_kind == "pixelated":
        cards = translate("ReviewModels", "card present (number not read)")
    rows = [
        (QT_TRANSLATE_NOOP("ReviewModels", "Quality score"), f"{page.quality_score}/100"),
        (FLAGS_FACT, flags_text(page.flags) or translate("ReviewModels", "none")),
        (QT_TRANSLATE_NOOP("ReviewModels", "Queued as"), queue_reason_name(reason.value) if reason else ""),
        (QT_TRANSLATE_NOOP("ReviewModels", "State"), state_name(page.review_state)),
        (QT_TRANSLATE_NOOP("ReviewModels", "Station"), page.station_id),
        (QT_TRANSLATE_NOOP("ReviewModels", "Operator"), page.operator_id),
        (QT_TRANSLATE_NOOP("ReviewModels", "Scanned at"), local_time(page.captured_at)),
        (QT_TRANSLATE_NOOP("ReviewModels", "Dossier"), page.dossier_code or "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Procedure"), page.procedure_code or "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Document"), page.doc_type or "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Page"), f"{page.page_index} ({page.source or '—'})"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Scan profile"), page.profile or "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Size"), f"{page.width} × {page.height} px"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Resolution"), f"{page.dpi} dpi" if page.dpi else "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Rotated"), f"{page.rotation}°"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Skew"), f"{vn_number(page.skew_deg, 2)}°"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Barcodes"), str(page.barcodes)),
        (QT_TRANSLATE_NOOP("ReviewModels", "Characters recognised (OCR)"), str(page.ocr_chars)),
        (QT_TRANSLATE_NOOP("ReviewModels", "OCR confidence"),
         vn_number(page.ocr_confidence) if page.ocr_confidence is not None else "—"),
        (QT_TRANSLATE_NOOP("ReviewModels", "Citizen ID card"), cards),
    ]
    for key, value in sorted(page.quality_metrics.items()):
        rows.append((METRIC_LABELS.get(key, key), vn_number(value, 2)))
    if page.review_reason:
        rows.append((QT_TRANSLATE_NOOP("ReviewModels", "Rejection reason"), page.review_reason))
    return rows


class MetricsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, str]] = []
        self._flags: set[str] = set()

    def set_page(self, page: PageRow | None, reason: QueueReason | None = None) -> None:
        self.beginResetModel()
        self._rows = page_facts(page, reason) if page is not None else []
        self._flags = set(page.flags) if page is not None else set()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (translate("ReviewModels", "Measure"), translate("ReviewModels", "Value"))[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        label, value = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(label) if index.column() == 0 else value
        if role == Qt.ItemDataRole.ForegroundRole and label == FLAGS_FACT and self._flags:
            return QBrush(QColor("#b03a2e"))
        return None

    def value(self, label: str) -> str | None:
        """The value of the row labelled `label` (its source string)."""
        return next((v for k, v in self._rows if k == label), None)


class StatsTableModel(QAbstractTableModel):
    COLUMNS = (QT_TRANSLATE_NOOP("ReviewModels", "Station"), QT_TRANSLATE_NOOP("ReviewModels", "Operator"),
               QT_TRANSLATE_NOOP("ReviewModels", "Pages"), QT_TRANSLATE_NOOP("ReviewModels", "Pages/hour"),
               QT_TRANSLATE_NOOP("ReviewModels", "Dossiers"), QT_TRANSLATE_NOOP("ReviewModels", "Dossiers/day"),
               QT_TRANSLATE_NOOP("ReviewModels", "Reviewed"), QT_TRANSLATE_NOOP("ReviewModels", "Rejected"),
               QT_TRANSLATE_NOOP("ReviewModels", "Rejection rate"), QT_TRANSLATE_NOOP("ReviewModels", "Mean score"),
               QT_TRANSLATE_NOOP("ReviewModels", "Scan→confirmation (min)"))

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[GroupStats] = []

    def set_groups(self, groups: Sequence[GroupStats]) -> None:
        self.beginResetModel()
        self._rows = list(groups)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _tr(self.COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        g = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            upload = "—" if g.median_upload_min is None else vn_number(g.median_upload_min)
            everyone = translate("ReviewModels", "(whole station)") if g.station_id else translate(
                "ReviewModels", "(every station)")
            who = g.operator_id or everyone
            values = (g.station_id or translate("ReviewModels", "All"), who, str(g.pages),
                      vn_number(g.pages_per_hour), str(g.dossiers), vn_number(g.dossiers_per_day), str(g.reviewed),
                      str(g.rejected), f"{vn_number(g.rejection_rate * 100)}%", vn_number(g.mean_quality), upload)
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


__all__ = ["MetricsModel", "ReviewQueueModel", "StatsTableModel", "page_facts"]
