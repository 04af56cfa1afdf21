"""Qt models of the review window (tested without a view): the queue, one page's metrics, per-operator stats."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from station.journal.models import PageRow
from station.review.labels import FLAG_LABELS, QUEUE_REASON_LABELS, STATE_LABELS, flags_text
from station.review.queue import QueueEntry, QueueReason
from station.review.stats import GroupStats

Index = QModelIndex | QPersistentModelIndex
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGGED_BG = QColor("#fdecea")
SAMPLE_BG = QColor("#eef4fb")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReviewModels", text)


def local_time(captured_at: str) -> str:
    try:
        return datetime.fromisoformat(captured_at).strftime("%d/%m %H:%M")
    except ValueError:
        return captured_at


def vn_number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}".replace(",", "\0").replace(".", ",").replace("\0", ".")


class ReviewQueueModel(QAbstractTableModel):
    COLUMNS = ("#", "Vào hàng vì", "Điểm", "Cờ", "Trạm", "Nhân viên", "Lúc quét", "Hồ sơ", "Giấy tờ")

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
                _tr(QUEUE_REASON_LABELS[entry.reason.value]),
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
            return f"{page.dossier_code or ''} · {page.source} · trang {page.page_index}"
        return None


METRIC_LABELS = {
    "sharpness": "Độ nét",
    "contrast": "Độ tương phản",
    "brightness": "Độ sáng",
    "skew_deg": "Độ nghiêng (°)",
    "dpi": "Độ phân giải (dpi)",
}


def page_facts(page: PageRow, reason: QueueReason | None = None) -> list[tuple[str, str]]:
    """The rows of the metrics panel, label and value."""
    cards = "không"
    if page.cccd_read:
        cards = "đã đọc: " + ", ".join(page.cccd_masked)
    elif page.preview_kind == "pixelated":
        cards = "có thẻ (không đọc được số)"
    rows = [
        ("Điểm chất lượng", f"{page.quality_score}/100"),
        ("Cờ", flags_text(page.flags) or "không"),
        ("Vào hàng vì", QUEUE_REASON_LABELS[reason.value] if reason else ""),
        ("Trạng thái", STATE_LABELS.get(page.review_state, page.review_state)),
        ("Trạm", page.station_id),
        ("Nhân viên", page.operator_id),
        ("Lúc quét", local_time(page.captured_at)),
        ("Hồ sơ", page.dossier_code or "—"),
        ("Thủ tục", page.procedure_code or "—"),
        ("Giấy tờ", page.doc_type or "—"),
        ("Trang", f"{page.page_index} ({page.source or '—'})"),
        ("Cấu hình quét", page.profile or "—"),
        ("Kích thước", f"{page.width} × {page.height} px"),
        ("Độ phân giải", f"{page.dpi} dpi" if page.dpi else "—"),
        ("Đã xoay", f"{page.rotation}°"),
        ("Độ nghiêng", f"{vn_number(page.skew_deg, 2)}°"),
        ("Mã vạch", str(page.barcodes)),
        ("Ký tự nhận dạng (OCR)", str(page.ocr_chars)),
        ("Độ tin cậy OCR", vn_number(page.ocr_confidence) if page.ocr_confidence is not None else "—"),
        ("CCCD / Căn cước", cards),
    ]
    for key, value in sorted(page.quality_metrics.items()):
        rows.append((METRIC_LABELS.get(key, key), vn_number(value, 2)))
    if page.review_reason:
        rows.append(("Lý do từ chối", page.review_reason))
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
            return _tr(("Chỉ số", "Giá trị")[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        label, value = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _tr(label) if index.column() == 0 else value
        if role == Qt.ItemDataRole.ForegroundRole and label == "Cờ" and self._flags:
            return QBrush(QColor("#b03a2e"))
        return None

    def value(self, label: str) -> str | None:
        return next((v for k, v in self._rows if k == label), None)


class StatsTableModel(QAbstractTableModel):
    COLUMNS = ("Trạm", "Nhân viên", "Trang", "Trang/giờ", "Hồ sơ", "Hồ sơ/ngày", "Đã duyệt", "Từ chối",
               "Tỷ lệ từ chối", "Điểm TB", "Quét→xác nhận (phút)")

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
            who = g.operator_id or (_tr("(cả trạm)") if g.station_id else _tr("(mọi trạm)"))
            values = (g.station_id or _tr("Tất cả"), who, str(g.pages),
                      vn_number(g.pages_per_hour), str(g.dossiers), vn_number(g.dossiers_per_day), str(g.reviewed),
                      str(g.rejected), f"{vn_number(g.rejection_rate * 100)}%", vn_number(g.mean_quality), upload)
            return values[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


__all__ = ["FLAG_LABELS", "MetricsModel", "ReviewQueueModel", "StatsTableModel", "page_facts"]
