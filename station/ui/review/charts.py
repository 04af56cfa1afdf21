"""A small bar chart drawn with QPainter (QtCharts is not part of PySide6-Essentials)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.ui.review.models import vn_number


class BarChart(QWidget):
    """Vertical bars (histograms) or horizontal bars (one per named item), labelled with their values."""

    def __init__(self, title: str, *, color: str = "#1f5f99", horizontal: bool = False, parent: Any = None) -> None:
        super().__init__(parent)
        self.title = title
        self.color = QColor(color)
        self.horizontal = horizontal
        self.labels: list[str] = []
        self.values: list[float] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(260, 180)

    def sizeHint(self) -> QSize:
        return QSize(420, 240)

    def set_data(self, labels: Sequence[str], values: Sequence[float]) -> None:
        self.labels, self.values = list(labels), [float(v) for v in values]
        self.update()

    @staticmethod
    def _fmt(value: float) -> str:
        return vn_number(value, 0 if value.is_integer() else 1)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#1f3f66"))
        fm = painter.fontMetrics()
        painter.drawText(QRectF(8, 4, self.width() - 16, fm.height() + 4), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        fm = painter.fontMetrics()
        top = 10 + fm.height() * 1.4
        top_value = max(self.values, default=0.0) or 1.0
        if not self.values:
            painter.setPen(QColor("#777777"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No data yet"))
            painter.end()
            return
        if self.horizontal:
            label_w = min(self.width() * 0.42, max(fm.horizontalAdvance(s) for s in self.labels) + 12)
            area = QRectF(label_w, top, self.width() - label_w - 44, self.height() - top - 8)
            step = area.height() / len(self.values)
            for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
                y = area.top() + i * step
                bar = QRectF(area.left(), y + step * 0.18, area.width() * value / top_value, step * 0.64)
                painter.fillRect(bar, self.color)
                painter.setPen(QColor("#222222"))
                painter.drawText(QRectF(0, y, label_w - 6, step), Qt.AlignmentFlag.AlignRight
                                 | Qt.AlignmentFlag.AlignVCenter, fm.elidedText(label, Qt.TextElideMode.ElideRight,
                                                                               int(label_w - 8)))
                painter.drawText(QRectF(bar.right() + 4, y, 60, step), Qt.AlignmentFlag.AlignVCenter,
                                 self._fmt(value))
        else:
            area = QRectF(10, top + fm.height(), self.width() - 20, self.height() - top - fm.height() * 2.4)
            step = area.width() / len(self.values)
            painter.setPen(QPen(QColor("#999999")))
            painter.drawLine(int(area.left()), int(area.bottom()), int(area.right()), int(area.bottom()))
            for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
                x = area.left() + i * step
                h = area.height() * value / top_value
                bar = QRectF(x + step * 0.15, area.bottom() - h, step * 0.7, h)
                painter.fillRect(bar, self.color)
                painter.setPen(QColor("#222222"))
                painter.drawText(QRectF(x, bar.top() - fm.height() - 2, step, fm.height()),
                                 Qt.AlignmentFlag.AlignHCenter, self._fmt(value))
                painter.drawText(QRectF(x, area.bottom() + 2, step, fm.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                                 fm.elidedText(label, Qt.TextElideMode.ElideRight, int(step)))
        painter.end()
