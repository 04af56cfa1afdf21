"""The supervisor review window: queue | large page view | metrics and decision, plus a statistics tab.

`ReviewWidget` is the whole review mode as one widget (the counter app can embed it); `ReviewWindow` is a
QMainWindow around it (`station review`). Data comes from a `ReviewSource` (this station's journal, or the
backend's central journal); nothing here touches SQLite or HTTP directly.

Keyboard: A approve · R reject (with the selected reason) · 1–7 choose a reason · N write a note ·
J / K (or ↓ / ↑) next / previous page · F5 reload.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPaintEvent, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStatusBar,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station.errors import user_facing
from station.journal.models import PageFilter, PageRow, ReviewDecision
from station.review.queue import QueueEntry
from station.review.sources import BackendSource, JournalSource, ReviewSource
from station.review.stats import QUALITY_BINS, Stats
from station.ui.calls import Calls
from station.ui.review.charts import BarChart
from station.ui.review.labels import flag_name
from station.ui.review.models import MetricsModel, ReviewQueueModel, StatsTableModel, vn_number

log = logging.getLogger(__name__)

ANY = ""
ANY_FLAG = "*"


class PageView(QWidget):
    """The page preview, scaled to fit, with a notice when the preview is withheld or pixelated."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.notice = ""
        self.setMinimumSize(360, 420)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(620, 820)

    def show_page(self, data: bytes | None, page: PageRow | None) -> None:
        self.pixmap = None
        if data:
            pixmap = QPixmap()
            if pixmap.loadFromData(data):
                self.pixmap = pixmap
        if page is None:
            self.notice = self.tr("Choose a page in the queue")
        elif page.preview_kind == "pixelated":
            self.notice = self.tr("The page holds a citizen ID card: its preview is blurred to protect personal data")
        elif self.pixmap is None:
            self.notice = self.tr("No preview of this page")
        else:
            self.notice = ""
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#5b6670"))
        if self.pixmap is not None:
            scaled = self.pixmap.scaled(self.size() * 0.98, Qt.AspectRatioMode.KeepAspectRatio,
                                        Qt.TransformationMode.SmoothTransformation)
            x = (self.width() - scaled.width()) // 2
            y = (self.height() - scaled.height()) // 2
            painter.fillRect(x + 4, y + 4, scaled.width(), scaled.height(), QColor(0, 0, 0, 70))
            painter.drawPixmap(x, y, scaled)
        if self.notice:
            fm = painter.fontMetrics()
            box = self.rect().adjusted(20, 0, -20, 0)
            height = fm.height() * 3
            box.setTop(self.height() - height - 16)
            box.setHeight(height)
            painter.fillRect(box, QColor(255, 248, 220, 235))
            painter.setPen(QColor("#5a4500"))
            painter.drawText(box.adjusted(10, 0, -10, 0), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             self.notice)
        painter.end()


class ReviewWidget(QWidget):
    """Every call to the source (SQLite or HTTP) runs on a pool thread; results come back on the GUI thread.
    `busy` is true while any call is out; `idle` is emitted when the last one came back."""

    decided = Signal(str, str)  # page_id, "approve" | "reject"
    idle = Signal()

    def __init__(self, source: ReviewSource, *, reviewer: str, sample_rate: float = 0.1, seed: int = 2025,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self.reviewer = reviewer
        self.seed = seed
        self.queue_model = ReviewQueueModel(self)
        self.metrics_model = MetricsModel(self)
        self.stats_model = StatsTableModel(self)
        self.current: QueueEntry | None = None
        self.last_stats: Stats | None = None
        self.last_status = ""
        self._pending = 0
        self._deciding = False
        self.calls = Calls(self)  # results after this widget is deleted are dropped
        self._build(sample_rate)
        self._shortcuts()

    # -- calls off the GUI thread --------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def _call(self, fn: Any, done: Any) -> None:
        """Run `fn()` on a pool thread; `done(result)` on the GUI thread. A typed error becomes a status line."""
        self._pending += 1
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

        def finished(result: Any) -> None:
            try:
                done(result)
            finally:
                self._settle()

        def failed(err: Any) -> None:
            try:
                typed = user_facing(err)  # UploadError, DatabaseVersionError, any library's typed error
                if typed is not None:
                    self._status(typed.user_message)
                else:
                    log.error("review: %s", err)
                    self._status(self.tr("Error: {e}").format(e=err))
            finally:
                self._settle()

        self.calls.run(fn, finished, failed)

    def _settle(self) -> None:
        self._pending -= 1
        QApplication.restoreOverrideCursor()
        if self._pending == 0:
            self._deciding = False
            self._update_buttons()
            self.idle.emit()

    def _update_buttons(self) -> None:
        enabled = self.current is not None and not self._deciding
        self.approve_button.setEnabled(enabled)
        self.reject_button.setEnabled(enabled)

    # -- layout -------------------------------------------------------------------------------------------

    def _build(self, sample_rate: float) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(6, 6, 6, 6)
        root.addWidget(self._filter_bar(sample_rate))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._review_tab(), self.tr("Review pages"))
        self.tabs.addTab(self._stats_tab(), self.tr("Statistics"))
        self.tabs.currentChanged.connect(lambda i: self.refresh_stats() if i == 1 else None)
        root.addWidget(self.tabs, 1)
        self.source_label = QLabel(self._source_text())
        self.source_label.setStyleSheet("color: #555;")
        root.addWidget(self.source_label)

    def _source_text(self) -> str:
        source = self.source
        if isinstance(source, BackendSource):
            return self.tr("Server (whole center): {url}").format(url=source.api.config.backend_url)
        if isinstance(source, JournalSource):
            text = self.tr("Journal on this PC: {path}").format(path=source.journal.path)
            if source.sync is not None:
                text += " " + self.tr("(reporting to {url})").format(url=source.sync.api.config.backend_url)
            return text
        return source.label

    def _filter_bar(self, sample_rate: float) -> QWidget:
        bar = QGroupBox(self.tr("Filter"))
        grid = QGridLayout(bar)
        self.station_combo = QComboBox()
        self.operator_combo = QComboBox()
        self.flag_combo = QComboBox()
        self.procedure_combo = QComboBox()
        self.date_check = QCheckBox(self.tr("By date"))
        self.date_from = QDateEdit()
        self.date_to = QDateEdit()
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setDate(QDate.currentDate())
            edit.setEnabled(False)
        self.date_check.toggled.connect(self.date_from.setEnabled)
        self.date_check.toggled.connect(self.date_to.setEnabled)
        self.sample_spin = QSpinBox()
        self.sample_spin.setRange(0, 100)
        self.sample_spin.setSuffix(" %")
        self.sample_spin.setValue(round(sample_rate * 100))
        self.sample_spin.setToolTip(self.tr("Share of unflagged pages drawn at random for review "
                                            "(the same seed draws the same pages)"))
        self.reload_button = QPushButton(self.tr("Reload (F5)"))
        self.reload_button.clicked.connect(self.reload)
        cells: list[tuple[str, QWidget]] = [
            (self.tr("Station"), self.station_combo), (self.tr("Operator"), self.operator_combo),
            (self.tr("Flag"), self.flag_combo), (self.tr("Procedure"), self.procedure_combo),
        ]
        for col, (label, widget) in enumerate(cells):
            grid.addWidget(QLabel(label), 0, col * 2)
            grid.addWidget(widget, 0, col * 2 + 1)
            widget.setMinimumWidth(120)
        grid.addWidget(self.date_check, 1, 0)
        grid.addWidget(self.date_from, 1, 1)
        grid.addWidget(QLabel(self.tr("to")), 1, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.date_to, 1, 3)
        grid.addWidget(QLabel(self.tr("Random sample")), 1, 4)
        grid.addWidget(self.sample_spin, 1, 5)
        grid.addWidget(self.reload_button, 1, 7)
        return bar

    def _review_tab(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.queue_label = QLabel()
        left_layout.addWidget(self.queue_label)
        self.queue_view = QTableView()
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.queue_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.queue_view.verticalHeader().hide()
        self.queue_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.queue_view.horizontalHeader().setStretchLastSection(True)
        self.queue_view.selectionModel().currentRowChanged.connect(self._row_changed)
        left_layout.addWidget(self.queue_view)
        splitter.addWidget(left)

        self.page_view = PageView()
        splitter.addWidget(self.page_view)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.metrics_view = QTableView()
        self.metrics_view.setModel(self.metrics_model)
        self.metrics_view.verticalHeader().hide()
        self.metrics_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.metrics_view.horizontalHeader().setStretchLastSection(True)
        self.metrics_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.metrics_view.verticalHeader().setDefaultSectionSize(22)
        right_layout.addWidget(self.metrics_view, 1)
        decision = QGroupBox(self.tr("Decision"))
        form = QVBoxLayout(decision)
        self.reason_list = QListWidget()
        for n, reason in enumerate(self.source.reasons, 1):
            item = QListWidgetItem(f"{n}. {reason}" if n <= 9 else reason)
            item.setData(Qt.ItemDataRole.UserRole, reason)
            self.reason_list.addItem(item)
        self.reason_list.setMaximumHeight(22 * len(self.source.reasons) + 8)
        form.addWidget(QLabel(self.tr("Rejection reason")))
        form.addWidget(self.reason_list)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText(self.tr("Note for the counter (no personal data)"))
        form.addWidget(self.note_edit)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(self.tr("Approve (A)"))
        self.approve_button.setStyleSheet("QPushButton { background: #2e7d32; color: white; padding: 8px; "
                                          "font-weight: bold; } QPushButton:disabled { background: #9bbf9d; }")
        self.reject_button = QPushButton(self.tr("Reject, ask for a rescan (R)"))
        self.reject_button.setStyleSheet("QPushButton { background: #c0392b; color: white; padding: 8px; "
                                         "font-weight: bold; } QPushButton:disabled { background: #d9a19b; }")
        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        buttons.addWidget(self.approve_button)
        buttons.addWidget(self.reject_button)
        form.addLayout(buttons)
        right_layout.addWidget(decision)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setStretchFactor(2, 3)
        splitter.setSizes([500, 520, 400])
        return splitter

    def _stats_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary_label.setStyleSheet("padding: 6px; background: #f4f7fb;")
        layout.addWidget(self.summary_label)
        charts = QGridLayout()
        self.chart_pages_per_hour = BarChart(self.tr("Pages per hour by operator"), horizontal=True)
        self.chart_reasons = BarChart(self.tr("Rejected pages by reason"), color="#c0392b", horizontal=True)
        self.chart_quality = BarChart(self.tr("Quality scores"))
        self.chart_upload = BarChart(self.tr("From scan to server confirmation (minutes)"), color="#6a8caf")
        charts.addWidget(self.chart_pages_per_hour, 0, 0)
        charts.addWidget(self.chart_reasons, 0, 1)
        charts.addWidget(self.chart_quality, 1, 0)
        charts.addWidget(self.chart_upload, 1, 1)
        layout.addLayout(charts, 3)
        self.stats_view = QTableView()
        self.stats_view.setModel(self.stats_model)
        self.stats_view.verticalHeader().hide()
        self.stats_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.stats_view, 2)
        exports = QHBoxLayout()
        exports.addStretch(1)
        self.csv_button = QPushButton(self.tr("Export CSV…"))
        self.pdf_button = QPushButton(self.tr("Export PDF report…"))
        self.csv_button.clicked.connect(self._ask_csv)
        self.pdf_button.clicked.connect(self._ask_pdf)
        exports.addWidget(self.csv_button)
        exports.addWidget(self.pdf_button)
        layout.addLayout(exports)
        return page

    def _shortcuts(self) -> None:
        def bind(keys: str, slot: Any) -> None:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        bind("A", self.approve)
        bind("R", self.reject)
        bind("N", self.note_edit.setFocus)
        bind("J", lambda: self.step_row(1))
        bind("K", lambda: self.step_row(-1))
        bind("F5", self.reload)
        for n in range(1, min(9, len(self.source.reasons)) + 1):
            bind(str(n), lambda n=n: self.reason_list.setCurrentRow(n - 1))

    # -- data ---------------------------------------------------------------------------------------------

    def _fill(self, combo: QComboBox, everything: str, items: list[tuple[str, str]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, ANY)
        for label, value in items:
            combo.addItem(label, value)
        index = combo.findData(current)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def load_choices(self) -> None:
        self._call(self.source.choices, self._choices_loaded)

    def _choices_loaded(self, choices: Any) -> None:
        self._fill(self.station_combo, self.tr("All stations"), [(s, s) for s in choices.stations])
        self._fill(self.operator_combo, self.tr("All operators"), [(o, o) for o in choices.operators])
        self._fill(self.procedure_combo, self.tr("All procedures"), [(p, p) for p in choices.procedures])
        self._fill(self.flag_combo, self.tr("All pages"),
                   [(self.tr("Any flag"), ANY_FLAG), *((flag_name(f), f) for f in choices.flags)])

    def filters(self) -> PageFilter:
        def value(combo: QComboBox) -> str | None:
            data = combo.currentData()
            return str(data) if data else None

        date_from = date_to = None
        if self.date_check.isChecked():
            date_from = self.date_from.date().toString("yyyy-MM-dd")
            date_to = self.date_to.date().toString("yyyy-MM-dd")
        return PageFilter(station_id=value(self.station_combo), operator_id=value(self.operator_combo),
                          date_from=date_from, date_to=date_to, flag=value(self.flag_combo),
                          procedure_code=value(self.procedure_combo))

    def set_filters(self, *, station: str | None = None, operator: str | None = None, flag: str | None = None,
                    procedure: str | None = None, date_from: str | None = None, date_to: str | None = None) -> None:
        for combo, data in ((self.station_combo, station), (self.operator_combo, operator),
                            (self.flag_combo, flag), (self.procedure_combo, procedure)):
            combo.setCurrentIndex(max(0, combo.findData(data or ANY)))
        self.date_check.setChecked(bool(date_from or date_to))
        if date_from:
            self.date_from.setDate(QDate.fromString(date_from, "yyyy-MM-dd"))
        if date_to:
            self.date_to.setDate(QDate.fromString(date_to, "yyyy-MM-dd"))

    def reload(self) -> None:
        if self.station_combo.count() == 0:
            self.load_choices()
        filters, rate, seed = self.filters(), self.sample_spin.value() / 100, self.seed
        self._call(lambda: self.source.queue(filters, sample_rate=rate, seed=seed), self._queue_loaded)

    def _queue_loaded(self, entries: list[QueueEntry]) -> None:
        self.queue_model.set_entries(entries)
        self._update_queue_label()
        if entries:
            self.queue_view.selectRow(0)
        else:
            self._show(None)
        if self.tabs.currentIndex() == 1:
            self.refresh_stats()

    def _update_queue_label(self) -> None:
        entries = self.queue_model.entries()
        flagged = sum(1 for e in entries if e.reason.value == "flagged")
        self.queue_label.setText(self.tr("Queue: {n} page(s) ({f} flagged, {s} random sample)").format(
            n=len(entries), f=flagged, s=len(entries) - flagged))

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show(self.queue_model.entry(current.row()) if current.isValid() else None)

    def _show(self, entry: QueueEntry | None) -> None:
        self.current = entry
        self.metrics_model.set_page(entry.page if entry else None, entry.reason if entry else None)
        self.page_view.show_page(None, entry.page if entry else None)
        if entry is not None and entry.page.preview_kind != "none":
            page_id = entry.page.page_id

            def shown(data: bytes | None) -> None:
                if self.current is entry:  # the reviewer may have moved on meanwhile
                    self.page_view.show_page(data, entry.page)

            self._call(lambda: self.source.preview(page_id), shown)
        self._update_buttons()
        self.note_edit.clear()
        self.reason_list.clearSelection()
        self.reason_list.setCurrentRow(-1)

    def select_row(self, row: int) -> None:
        if 0 <= row < self.queue_model.rowCount():
            self.queue_view.selectRow(row)

    def step_row(self, step: int) -> None:
        current = self.queue_view.currentIndex().row()
        self.select_row(max(0, current + step))

    # -- decisions ----------------------------------------------------------------------------------------

    def selected_reason(self) -> str | None:
        item = self.reason_list.currentItem()
        return None if item is None or not item.isSelected() else str(item.data(Qt.ItemDataRole.UserRole))

    def approve(self) -> None:
        self._decide(ReviewDecision.APPROVE)

    def reject(self) -> None:
        if self.current is not None and self.selected_reason() is None:
            self._status(self.tr("Choose a rejection reason (keys 1–{n}), then press Reject.").format(
                n=min(9, len(self.source.reasons))))
            self.reason_list.setFocus()
            return
        self._decide(ReviewDecision.REJECT)

    def _decide(self, decision: ReviewDecision) -> None:
        entry = self.current
        if entry is None or self._deciding:
            return
        page = entry.page
        reason = self.selected_reason() if decision is ReviewDecision.REJECT else None
        note = self.note_edit.text().strip()
        self._deciding = True  # one decision at a time: a second key press must not decide twice
        self._update_buttons()
        self._call(lambda: self.source.decide(page.page_id, decision, reason=reason, note=note,
                                              reviewer=self.reviewer),
                   lambda outcome: self._decided(page, decision, outcome))

    def _decided(self, page: PageRow, decision: ReviewDecision, outcome: Any) -> None:
        row = self.queue_model.remove_page(page.page_id)
        self._update_queue_label()
        if decision is ReviewDecision.APPROVE:
            text = self.tr("Page {p} of dossier {d} approved.")
        else:
            text = self.tr("Page {p} of dossier {d} rejected: a rescan request went to {s}.")
        text = text.format(p=page.page_index, d=page.dossier_code or "—", s=page.station_id)
        if not outcome.reported:  # the source's own reason is Vietnamese only: word it here
            text += " " + self.tr("Saved on this PC; not yet sent to the server, it will be sent later.")
        self._status(text)
        self.decided.emit(page.page_id, decision.value)
        if self.queue_model.rowCount():
            self.select_row(min(row, self.queue_model.rowCount() - 1))
        else:
            self._show(None)

    def _status(self, text: str) -> None:
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)
        self.last_status = text

    # -- statistics ---------------------------------------------------------------------------------------

    def refresh_stats(self) -> None:
        flt = self.filters()
        wanted = PageFilter(station_id=flt.station_id, operator_id=flt.operator_id, date_from=flt.date_from,
                            date_to=flt.date_to, procedure_code=flt.procedure_code)
        self._call(lambda: self.source.stats(wanted), self._stats_loaded)

    def _stats_loaded(self, stats: Stats) -> None:
        self.last_stats = stats
        t = stats.total
        median = stats.upload_median_min
        self.summary_label.setText(self.tr(
            "{pages} pages · {dossiers} dossiers · {ph} pages/hour · {flagged} flagged pages · {rev} reviewed, "
            "{rej} rejected ({rate}%) · mean score {q} · scan → confirmation: median {m} min").format(
            pages=t.pages, dossiers=t.dossiers, ph=vn_number(t.pages_per_hour), flagged=t.flagged, rev=t.reviewed,
            rej=t.rejected, rate=vn_number(t.rejection_rate * 100), q=vn_number(t.mean_quality),
            m="—" if median is None else vn_number(median)))
        self.chart_pages_per_hour.set_data([f"{g.operator_id} ({g.station_id})" for g in stats.operators],
                                           [g.pages_per_hour for g in stats.operators])
        self.chart_reasons.set_data([r.reason for r in stats.reasons], [r.rejected for r in stats.reasons])
        labels = [f"{10 * i}" for i in range(QUALITY_BINS)]
        self.chart_quality.set_data(labels, list(stats.quality_bins))
        edges = [5, 10, 15, 30, 60, 120]
        names = ["≤5", "≤10", "≤15", "≤30", "≤60", "≤120", ">120"]
        counts = [0] * len(names)
        for d in stats.upload_delays_min:
            counts[next((i for i, e in enumerate(edges) if d <= e), len(edges))] += 1
        self.chart_upload.set_data(names, counts)
        self.stats_model.set_groups([*stats.operators, *stats.stations, stats.total])

    def export_csv(self, path: Path) -> Path:
        """The statistics on screen as CSV (open the statistics tab first)."""
        from station.review.export import write_csv

        if self.last_stats is None:
            raise RuntimeError("no statistics loaded yet")
        return write_csv(self.last_stats, path)

    def export_pdf(self, path: Path) -> Path:
        from station.review.report import build_report

        if self.last_stats is None:
            raise RuntimeError("no statistics loaded yet")
        return build_report(self.last_stats, path)

    def _stats_ready(self) -> bool:
        if self.last_stats is None:
            self._status(self.tr("The statistics are still loading; try again in a moment."))
            return False
        return True

    def _ask_csv(self) -> None:
        if not self._stats_ready():
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export CSV"), "thong-ke.csv", "CSV (*.csv)")
        if name:
            self._status(self.tr("Saved {p}").format(p=self.export_csv(Path(name))))

    def _ask_pdf(self) -> None:
        if not self._stats_ready():
            return
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export PDF report"), "bao-cao.pdf", "PDF (*.pdf)")
        if name:
            self._status(self.tr("Saved {p}").format(p=self.export_pdf(Path(name))))


class ReviewWindow(QMainWindow):
    def __init__(self, source: ReviewSource, *, reviewer: str, sample_rate: float = 0.1, seed: int = 2025,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Digitization Station — scan quality review"))
        self.review = ReviewWidget(source, reviewer=reviewer, sample_rate=sample_rate, seed=seed)
        self.setCentralWidget(self.review)
        self.setStatusBar(QStatusBar())
        self.statusBar().showMessage(self.tr("Reviewer: {r}").format(r=reviewer))
        self.resize(1440, 900)
        self.review.reload()


__all__ = ["PageView", "ReviewWidget", "ReviewWindow"]
