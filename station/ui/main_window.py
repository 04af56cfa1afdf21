"""The counter's main window: scan, check, attach, send — one citizen at a time.

Everything slow runs elsewhere (see workers.py); this class wires widgets, actions and results together.
Every action of the normal flow has a keyboard shortcut.
"""

from __future__ import annotations

import gc
import logging
import shutil
import threading
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QFont, QImage, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ocr.cccd.crosscheck import fold_name
from ocr.dossier_code import is_valid_dossier_code, normalize_dossier_code
from ocr.models import CitizenId
from scanning.drivers.sane_driver import SaneDriver
from scanning.errors import StationError
from scanning.models import ColorMode, PageSize, ScanDevice, ScanOptions, Source
from station import settings as st
from station.journal.models import RescanRequest
from station.ui.analysis_worker import PREVIEW_HEIGHT, THUMB_HEIGHT, CounterAnalysis
from station.ui.analysis_worker import shrink as shrink_image
from station.ui.calls import Calls
from station.ui.controller import CounterSession, PageInfo, ScanTarget, TargetKind
from station.ui.errors import describe_error
from station.ui.models import OutboxModel, PageListModel, PageRole, to_qimage
from station.ui.services import EmbeddedBackend, analysis_options, uploader_config
from station.ui.widgets import DocumentsPanel, DossierPanel, MessageBar, PageStrip, PreviewView, UploadPanel
from station.ui.workers import AnalysisService, ScanWorker, pool
from station.workflow.finish import (
    FinishRequest,
    FinishResult,
    analysis_dir,
    finish_session,
    hand_over,
    load_cleaned,
    pending_handovers,
)
from station.workflow.journaling import CounterJournal
from station.workflow.samples import FEEDER_NAME, VirtualFeeder
from station.workflow.session import SessionStore
from uploader.client import BackendClient
from uploader.config import UploaderConfig
from uploader.errors import BackendRejectedError, SenderBusyError, TransportError, UploadError
from uploader.models import Dossier, QueueItem, SenderStatus
from uploader.outbox import Outbox
from uploader.sender import Sender

log = logging.getLogger(__name__)

JOURNAL_SYNC_MS = 60_000  # report to the backend and look for rescan requests once a minute


def settle_heap() -> None:
    """Collect once, then exempt everything alive now from later full collections. A full collection runs
    on whichever thread allocates, often the GUI thread; walking the whole start-up heap there stalled the
    event loop by 100–250 ms. New garbage is still collected as usual."""
    gc.collect()
    gc.freeze()


def journal_path(settings: st.Settings, data_dir: Path) -> Path:
    return Path(settings.review.journal_path) if settings.review.journal_path else data_dir / "journal.sqlite3"


@dataclass
class AppContext:
    """What the window needs from the outside; tests build one with their own folders and backend."""

    settings: st.Settings
    data_dir: Path
    embedded_backend: EmbeddedBackend | None = None
    feeder: VirtualFeeder | None = None  # None: the sample pages
    analysis_workers: int = 1
    start_sender: bool = True
    settings_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sessions_root(self) -> Path:
        return self.data_dir / "session"

    @property
    def out_root(self) -> Path:
        return self.data_dir / "outgoing"


class MainWindow(QMainWindow):
    dossierFinished = Signal(object)  # FinishResult
    finishFailed = Signal(object)
    scanEnded = Signal(int, object)  # pages, error or None
    dossierLoaded = Signal(object)  # Dossier or None
    rescanRequestsChanged = Signal(int)
    detailShown = Signal(str)  # page id whose full-resolution page is now in the preview

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.settings = context.settings
        self.feeder = context.feeder or VirtualFeeder()
        self.session = CounterSession(SessionStore(context.sessions_root), self)
        self.page_model = PageListModel(self.session, self)
        self.outbox_model = OutboxModel(self)
        self.analysis = AnalysisService(analysis_options(self.settings), context.analysis_workers, self)
        self.uploader: UploaderConfig = uploader_config(self.settings, context.data_dir, context.embedded_backend)
        self.calls = Calls(self)  # every pool job's result comes back through here (dropped after close)
        self._sender: Sender | None = None
        self._scan: ScanWorker | None = None
        self._last_scan: ScanWorker | None = None
        self._current_id: str | None = None  # the page shown, kept across model resets
        self._preview_key: tuple[int, int] | None = None
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(0)
        self._preview_timer.timeout.connect(self._render_preview)
        self._detail_loading = False
        self.preview_page_id: str | None = None  # the page the large preview shows (rendering is coalesced)
        self._current_row = 0
        self._dossier: Dossier | None = None
        self._finish_when_idle = False
        self._refreshing = False
        self._outbox_reader = Outbox(self.uploader.queue_db)
        self._outbox_lock = threading.Lock()
        self.finishing = 0
        self.journal = CounterJournal.open(
            journal_path(self.settings, context.data_dir), station_id=self.uploader.station_id,
            operator_id=self.uploader.operator_id, profile=self.settings.profiles.selected,
            preview_long_side=self.settings.review.preview_long_side, uploader=self.uploader,
            rejection_reasons=tuple(self.settings.review.rejection_reasons))
        self.rescan_requests: list[RescanRequest] = []
        self._review_window: QMainWindow | None = None
        self._build_ui()
        self._build_actions()
        self._connect()
        self.analysis.warm_up()
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(2000)
        self._refresh_timer.timeout.connect(self.refresh_outbox)
        self._refresh_timer.start()
        self._sync_timer = QTimer(self)
        self._sync_timer.setInterval(JOURNAL_SYNC_MS)
        self._sync_timer.timeout.connect(self.sync_journal)
        self._sync_timer.start()
        self.list_devices()
        self.refresh_outbox()
        self._update_actions()
        settle_heap()

    # ------------------------------------------------------------------------------------------ building
    def _build_ui(self) -> None:
        self.setWindowTitle(self.tr("Digitization Station — counter"))
        font = QFont(self.font())
        font.setPointSize(self.settings.ui.font_pt)
        self.setFont(font)
        self.device_combo = QComboBox()
        self.device_combo.setMinimumWidth(260)
        self.device_combo.addItem(self.tr("Virtual scanner (sample pages)"), FEEDER_NAME)
        self.profile_combo = QComboBox()
        self.profile_combo.setMinimumWidth(320)
        self.profile_combo.addItem(self.tr("Scanner defaults"), "")
        for profile in self.settings.profiles.items:
            self.profile_combo.addItem(profile.name, profile.name)
        selected = self.profile_combo.findData(self.settings.profiles.selected)
        self.profile_combo.setCurrentIndex(max(0, selected))

        self.message_bar = MessageBar()
        self.strip = PageStrip()
        self.strip.setModel(self.page_model)
        self.strip.setMinimumWidth(2 * 160)
        self.preview = PreviewView()
        self.documents_panel = DocumentsPanel()
        self.dossier_panel = DossierPanel()
        self.upload_panel = UploadPanel(self.outbox_model)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.strip, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.dossier_panel)
        right_layout.addWidget(self.documents_panel)
        right_layout.addWidget(self.upload_panel, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        splitter.setSizes([440, 560, 600])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.status_label = QLabel()
        self.upload_status = QLabel()
        self.rescan_button = QPushButton()
        self.rescan_button.setStyleSheet("font-weight:bold;color:#a51d2d;")
        self.rescan_button.hide()
        self.rescan_button.clicked.connect(self.show_rescan_requests)
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.rescan_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.upload_status)

    def _action(self, text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | list[str] | None,
                slot: Any) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if shortcut:
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            action.setToolTip(f"{text} ({keys})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.scan_action = self._action(self.tr("Scan"), "F5", self.scan)
        self.stop_action = self._action(self.tr("Stop"), "Esc", self.stop_scan)
        self.rescan_action = self._action(self.tr("Rescan page"), "Ctrl+Shift+R", self.rescan_selected)
        self.insert_action = self._action(self.tr("Insert pages"), "Ctrl+I", self.insert_before_selected)
        self.rotate_left_action = self._action(self.tr("Rotate left"), "Ctrl+L", lambda: self.rotate_selected(-90))
        self.rotate_right_action = self._action(self.tr("Rotate right"), "Ctrl+R", lambda: self.rotate_selected(90))
        self.delete_action = self._action(self.tr("Delete page"), "Del", self.delete_selected)
        self.split_action = self._action(self.tr("Split here"), "Ctrl+T", self.split_at_selected)
        self.merge_action = self._action(self.tr("Merge with next"), "Ctrl+M", self.merge_selected)
        self.undo_action = self._action(self.tr("Undo"), "Ctrl+Z", self.session.undo)
        self.redo_action = self._action(self.tr("Redo"), ["Ctrl+Y", "Ctrl+Shift+Z"], self.session.redo)
        self.zoom_in_action = self._action(self.tr("Zoom in"), ["Ctrl++", "Ctrl+="], lambda: self.preview.zoom_by(1.25))
        self.zoom_out_action = self._action(self.tr("Zoom out"), "Ctrl+-", lambda: self.preview.zoom_by(0.8))
        self.zoom_fit_action = self._action(self.tr("Fit page"), "Ctrl+0", self.preview.fit)
        self.code_action = self._action(self.tr("Dossier code"), "F2", self._focus_code)
        self.finish_action = self._action(self.tr("Finish and send"), ["Ctrl+Return", "Ctrl+Enter"], self.finish)
        self.settings_action = self._action(self.tr("Settings"), "Ctrl+,", self.open_settings)
        self.review_action = self._action(self.tr("Quality review"), "F9", self.open_review)
        bar = QToolBar(self.tr("Main"))
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(QLabel(self.tr("Scanner:") + " "))
        bar.addWidget(self.device_combo)
        bar.addWidget(QLabel("  " + self.tr("Profile:") + " "))
        bar.addWidget(self.profile_combo)
        bar.addSeparator()
        for action in (self.scan_action, self.stop_action):
            bar.addAction(action)
        self.addToolBar(bar)
        edit = QToolBar(self.tr("Pages"))
        edit.setObjectName("edit-toolbar")
        edit.setMovable(False)
        for action in (self.rotate_left_action, self.rotate_right_action, self.delete_action, self.rescan_action,
                       self.insert_action, self.split_action, self.merge_action, self.undo_action,
                       self.redo_action, self.zoom_in_action, self.zoom_out_action, self.zoom_fit_action):
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(self.finish_action)
        edit.addAction(self.review_action)
        edit.addAction(self.settings_action)
        self.addToolBarBreak()
        self.addToolBar(edit)
        finish_button = edit.widgetForAction(self.finish_action)
        if finish_button is not None:
            finish_button.setStyleSheet("font-weight:bold;color:white;background:#26a269;padding:4px 12px;"
                                        "border-radius:4px;")
        scan_button = bar.widgetForAction(self.scan_action)
        if scan_button is not None:
            scan_button.setStyleSheet("font-weight:bold;color:white;background:#1a5fb4;padding:4px 16px;"
                                      "border-radius:4px;")

    def _connect(self) -> None:
        self.session.draftChanged.connect(self._draft_changed)
        self.session.pageUpdated.connect(self._page_updated)
        self.session.dossierCodeRead.connect(self._code_read)
        self.session.cardsRead.connect(self._cards_read)
        self.session.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.strip.selectionModel().currentChanged.connect(self._current_changed)
        self.page_model.rowsInserted.connect(self._rows_inserted)
        self.analysis.analyzed.connect(self._analyzed)
        self.analysis.failed.connect(self.session.set_failed)
        self.analysis.idle.connect(self._analysis_idle)
        self.documents_panel.docTypeChosen.connect(self._doc_type_chosen)
        self.dossier_panel.codeEntered.connect(self.enter_dossier_code)
        self.upload_panel.retryRequested.connect(self.retry_upload)
        self.upload_panel.retryAllRequested.connect(self.retry_all_uploads)
        self.preview.zoomChanged.connect(lambda _zoom: self._load_detail())

    # ------------------------------------------------------------------------------------------ start/stop
    def start(self) -> None:
        """After the window is shown: sender, interrupted finishing, unfinished session."""
        if self.context.start_sender:
            self.start_sender()
        for root in pending_handovers(self.context.sessions_root):
            self._run_finish(root, None)
        self.offer_restore()

    def start_sender(self) -> None:
        if self._sender is not None:
            return
        outbox = Outbox(self.uploader.queue_db)
        calls = self.calls
        self._sender = Sender(outbox, self.uploader,
                              on_status=lambda status: calls.post(lambda: self._sender_status(status)))
        try:
            self._sender.start()
        except SenderBusyError:
            self._sender = None
            self.upload_status.setText(self.tr("Another station program is sending this outbox"))

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop everything that could call back into the window, wait (bounded) for what is already running,
        then close the stores. Results that arrive later are dropped; the captures are on disk."""
        scan = self._scan
        if scan is not None:
            scan.cancel.set()
            for signal in (scan.signals.pageCaptured, scan.signals.finished, scan.signals.failed):
                signal.disconnect()  # a page captured from now on is restored at the next start
        self._refresh_timer.stop()
        self._sync_timer.stop()
        self._preview_timer.stop()
        if self._review_window is not None:
            self._review_window.close()
        self.analysis.shutdown()
        self.calls.close()
        if scan is not None and not scan.ended.wait(10):
            log.warning("the scan job did not end within 10 s of closing the window")
        self.session.close()
        if self._sender is not None:
            self._sender.stop(timeout=5)
            self._sender.outbox.close()
            self._sender = None
        if self.journal is not None:
            self.journal.close()
            self.journal = None
        gc.unfreeze()  # let shutdown finalise what settle_heap() set aside
        super().closeEvent(event)

    # ------------------------------------------------------------------------------------------ helpers
    def ask(self, title: str, text: str) -> bool:
        """A yes/no question (the one modal dialog of the normal flow; tests replace it)."""
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.strip.selectionModel().selectedIndexes())
        if not rows and self.strip.currentIndex().isValid():
            rows = [self.strip.currentIndex().row()]
        return [self.page_model.page_id(r) for r in rows if r < self.page_model.rowCount()]

    def select_row(self, row: int) -> None:
        index = self.page_model.index(row)
        self.strip.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _focus_code(self) -> None:
        self.dossier_panel.code_edit.setFocus()
        self.dossier_panel.code_edit.selectAll()

    @property
    def scanning(self) -> bool:
        return self._scan is not None

    def _update_actions(self) -> None:
        has_pages = self.page_model.rowCount() > 0
        self.scan_action.setEnabled(not self.scanning)
        self.stop_action.setEnabled(self.scanning)
        for action in (self.rescan_action, self.insert_action, self.rotate_left_action, self.rotate_right_action,
                       self.delete_action, self.split_action, self.merge_action):
            action.setEnabled(has_pages and not self.scanning)
        self.undo_action.setEnabled(self.session.history.can_undo and not self.scanning)
        self.redo_action.setEnabled(self.session.history.can_redo and not self.scanning)
        self.finish_action.setEnabled(has_pages and not self.scanning)

    # ------------------------------------------------------------------------------------------ devices
    def list_devices(self) -> None:
        """Device listing on a pool thread: a slow SANE backend never blocks the window."""
        self.calls.run(lambda: SaneDriver().list_devices(), self._devices_listed, self._devices_failed)

    def _devices_listed(self, devices: list[ScanDevice]) -> None:
        wanted = self.settings.scanner.device
        for device in devices:
            if self.device_combo.findData(device.name) < 0:
                self.device_combo.addItem(device.label, device.name)
        index = self.device_combo.findData(wanted) if wanted else 0
        self.device_combo.setCurrentIndex(max(0, index))

    def _devices_failed(self, err: BaseException) -> None:
        message = err.user_message if isinstance(err, StationError) else str(err)
        self.status_label.setText(self.tr("Scanner list unavailable: {0}").format(message))

    def scan_options(self) -> ScanOptions:
        name = str(self.profile_combo.currentData() or "")
        profile = next((p for p in self.settings.profiles.items if p.name == name), None)
        source = profile.source if profile else self.settings.scanner.source
        resolution = profile.resolution if profile else self.settings.scanner.resolution
        mode = profile.mode if profile else self.settings.scanner.mode
        page_size = profile.page_size if profile else self.settings.scanner.page_size
        return ScanOptions(Source(source), resolution, ColorMode(mode), PageSize(page_size))

    # ------------------------------------------------------------------------------------------ scanning
    def scan(self, target: ScanTarget | None = None) -> None:
        if self.scanning:
            return
        target = target or ScanTarget()
        device = str(self.device_combo.currentData() or FEEDER_NAME)
        options = self.scan_options()
        single = target.kind is TargetKind.REPLACE
        if device == FEEDER_NAME:
            driver: Any = self.feeder.driver()
            options = self.feeder.options(options, pages=1 if single else None)
            device = "pnm:0"
        else:
            driver = SaneDriver()
            if single:
                options = replace(options, max_pages=1)
        self.message_bar.hide()
        self._scan = ScanWorker(driver, device, options, self.session.store, target, self.analysis.submit)
        # Slots of this window (not lambdas): Qt drops the queued signals of a scan that outlives the window.
        self._scan.signals.pageCaptured.connect(self._page_captured)
        self._scan.signals.finished.connect(self._scan_finished)
        self._scan.signals.failed.connect(self._scan_failed)
        self.status_label.setText(self.tr("Scanning…"))
        self._update_actions()
        pool().start(self._scan)

    def stop_scan(self) -> None:
        if self._scan is not None:
            self._scan.cancel.set()
            self.status_label.setText(self.tr("Stopping after this page…"))

    def rescan_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.scan(ScanTarget(TargetKind.REPLACE, ids[0]))

    def insert_before_selected(self) -> None:
        ids = self.selected_ids()
        self.scan(ScanTarget(TargetKind.INSERT, ids[0]) if ids else ScanTarget())

    @Slot(str, object, object)
    def _page_captured(self, page_id: str, info: PageInfo, target: ScanTarget) -> None:
        self.session.add_capture(page_id, info, target)
        if target.kind is not TargetKind.APPEND:
            row = self.page_model.row_of(page_id)
            if row >= 0:
                self.select_row(row)
        self.status_label.setText(self.tr("Scanning… {0} pages").format(self.session.draft.page_count))

    def _rows_inserted(self, _parent: Any, first: int, last: int) -> None:
        if self.scanning or not self.strip.currentIndex().isValid():
            self.select_row(last)
            self.strip.scrollTo(self.page_model.index(last))

    @Slot(int)
    def _scan_finished(self, pages: int) -> None:
        self._scan_done(pages, None)

    @Slot(object, int)
    def _scan_failed(self, error: StationError, pages: int) -> None:
        self._scan_done(pages, error)

    def _scan_done(self, pages: int, error: StationError | None) -> None:
        self._last_scan, self._scan = self._scan, None  # the pool thread may still be returning from run()
        if error is not None:
            self.message_bar.show_message(
                self.tr("Scanner problem: {0}").format(error.user_message)
                + "\n" + self.tr("{0} page(s) of this job were scanned and are kept.").format(pages),
                "error",
            )
            self.status_label.setText(self.tr("Scanning stopped by a scanner problem"))
        else:
            self.status_label.setText(self.tr("Scanned {0} page(s)").format(pages))
        self._update_actions()
        self.scanEnded.emit(pages, error)

    # ------------------------------------------------------------------------------------------ results
    def _analyzed(self, page_id: str, result: CounterAnalysis) -> None:
        self.session.set_analysis(page_id, result.analysis, result.thumb, result.preview)
        journal = self.journal
        if journal is not None:
            code = self.session.draft.dossier_code
            self.calls.run(lambda: journal.page_analyzed(page_id, result.analysis, result.preview, code))

    def _analysis_idle(self) -> None:
        if self._finish_when_idle:
            self._finish_when_idle = False
            self.finish()

    def _page_updated(self, page_id: str) -> None:
        ids = self.selected_ids()
        if ids and ids[0] == page_id:
            self._show_current()

    def _current_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self._current_id = str(current.data(PageRole.PAGE_ID))
            self._current_row = current.row()
        self._show_current()

    def _show_current(self) -> None:
        """Coalesced: many changes in one turn of the event loop (a page arrives, is selected, the draft
        changes) render the preview once."""
        self._preview_timer.start()

    def _render_preview(self) -> None:
        index = self.strip.currentIndex()
        if not index.isValid():
            self._preview_key = None
            self.preview_page_id = None
            self.preview.show_image(None)
            return
        page_id = str(index.data(PageRole.PAGE_ID))
        info = self.session.pages.get(page_id)
        if info is None:
            return
        key = (id(info.preview), int(index.data(PageRole.ROTATION) or 0))
        if key != self._preview_key:
            self._preview_key = key
            self.preview_page_id = page_id
            self.preview.show_image(to_qimage(info.preview, key[1]))
        self._load_detail()

    def _load_detail(self) -> None:
        """When zoomed past the preview's resolution, load the full-resolution cleaned page off the GUI thread."""
        if not self.preview.wants_detail() or self._detail_loading or self._preview_key is None:
            return
        index = self.strip.currentIndex()
        if not index.isValid():
            return
        page_id = str(index.data(PageRole.PAGE_ID))
        key = self._preview_key
        folder = analysis_dir(self.session.store)
        self._detail_loading = True

        def load() -> QImage | None:
            cleaned = load_cleaned(folder, page_id)
            return None if cleaned is None else to_qimage(cleaned.image, key[1])

        def loaded(image: QImage | None) -> None:
            self._detail_loading = False
            if self._preview_key != key:  # the page or its turn changed meanwhile: load the one shown now
                self._load_detail()
            elif image is not None:
                self.preview.show_detail(image)
                self.detailShown.emit(page_id)

        def failed(_err: BaseException) -> None:
            self._detail_loading = False

        self.calls.run(load, loaded, failed)

    def _draft_changed(self) -> None:
        draft = self.session.draft
        required = self._required_codes()
        self.documents_panel.show_documents([(d.doc_type, len(d.pages)) for d in draft.documents],
                                            draft.missing(required))
        if draft.dossier_code and self.dossier_panel.code_edit.text() != draft.dossier_code:
            self.dossier_panel.set_code(draft.dossier_code)
        rows = self.page_model.rowCount()
        if not self.strip.currentIndex().isValid() and rows:
            row = self.page_model.row_of(self._current_id) if self._current_id else -1
            self.select_row(row if row >= 0 else min(self._current_row, rows - 1))
        self._show_current()
        self._update_actions()

    def _required_codes(self) -> list[str]:
        if self._dossier is None:
            return []
        return [d.code for d in self._dossier.required_documents if d.required]

    # ------------------------------------------------------------------------------------------ page edits
    def rotate_selected(self, degrees: int) -> None:
        draft = self.session.draft
        for page_id in self.selected_ids():
            draft = draft.rotate(page_id, degrees)
        self.session.apply(draft)

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        row = self.page_model.row_of(ids[0])
        draft = self.session.draft
        for page_id in ids:
            draft = draft.delete(page_id)
        self.session.apply(draft)
        if self.page_model.rowCount():
            self.select_row(min(row, self.page_model.rowCount() - 1))

    def split_at_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.session.apply(self.session.draft.split(ids[0]))

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            d, _ = self.session.draft.locate(ids[0])
            self.session.apply(self.session.draft.merge_with_next(d))

    def _doc_type_chosen(self, document: int, doc_type: str) -> None:
        if document < len(self.session.draft.documents):
            self.session.apply(self.session.draft.set_doc_type(document, doc_type))

    # ------------------------------------------------------------------------------------------ dossier
    def enter_dossier_code(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        code = normalize_dossier_code(text)
        if code is None or not is_valid_dossier_code(code):
            self.dossier_panel.set_status(
                self.tr("Not a valid dossier code (example: 000.00.01.H22-250702-0013)"), False)
            return
        if code != self.session.draft.dossier_code:
            self.session.apply(self.session.draft.set_dossier_code(code))
        self.dossier_panel.set_code(code)
        self.fetch_dossier(code)

    def _code_read(self, code: str) -> None:
        self.dossier_panel.set_code(code)
        self.status_label.setText(self.tr("Dossier code read from the receipt: {0}").format(code))
        self.fetch_dossier(code)

    def fetch_dossier(self, code: str) -> None:
        if self._dossier is not None and self._dossier.code == code:
            return
        self.dossier_panel.set_status(self.tr("Looking up the dossier…"), None)
        config = self.uploader

        def fetch() -> Dossier:
            client = BackendClient(config)
            try:
                return client.get_dossier(code)
            finally:
                client.close()

        self.calls.run(fetch, lambda d: self._dossier_fetched(code, d), lambda e: self._dossier_failed(code, e))

    def _dossier_fetched(self, code: str, dossier: Dossier) -> None:
        if self.session.draft.dossier_code != code:
            return  # the counter moved on
        self._dossier = dossier
        self.dossier_panel.show_dossier(dossier)
        if dossier.status == "open":
            self.dossier_panel.set_status(self.tr("Dossier found, open for documents"), True)
        else:
            self.dossier_panel.set_status(self.tr("Dossier found, but its status is \"{0}\": check before sending")
                                          .format(dossier.status), False)
        self.documents_panel.set_required(dossier.required_documents)
        self._draft_changed()
        self._cards_read(tuple(self.session.cards))
        self.dossierLoaded.emit(dossier)

    def _dossier_failed(self, code: str, err: BaseException) -> None:
        if self.session.draft.dossier_code != code:
            return
        self._dossier = None
        self.documents_panel.set_required(())
        self._draft_changed()
        if isinstance(err, BackendRejectedError) and err.status == 404:
            text = self.tr("This code is not on the backend yet; check it. Document types can be typed freely.")
        elif isinstance(err, TransportError):
            text = self.tr("Backend unreachable: working offline, document types can be typed freely.")
        elif isinstance(err, UploadError):
            text = err.user_message
        else:
            text = str(err)
        self.dossier_panel.set_status(text, False)
        self.dossierLoaded.emit(None)

    def _cards_read(self, cards: tuple[CitizenId, ...]) -> None:
        if not cards:
            self.dossier_panel.show_applicant(None, ())
            return
        best = max(cards, key=lambda c: ("qr" in c.sources, c.full_name is not None))
        warnings: list[str] = list(best.warnings)  # the other side's notes (e.g. MRZ without diacritics) are moot
        for card in cards:
            warnings.extend(self.tr("Check failed on the card: {0}").format(name)
                            for name, ok in card.checks.items() if not ok)
        ids = {c.id_number for c in cards if c.id_number}
        if len(ids) > 1:
            warnings.append(self.tr("The two sides of the card carry different ID numbers"))
        applicant = self._dossier.applicant if self._dossier else None
        if applicant is not None:
            if applicant.id_number and best.id_number and applicant.id_number != best.id_number:
                warnings.append(self.tr("The ID number differs from the dossier's applicant"))
            if best.full_name and fold_name(applicant.name) != fold_name(best.full_name):
                warnings.append(self.tr("The name differs from the dossier's applicant"))
        self.dossier_panel.show_applicant(best, list(dict.fromkeys(warnings)))

    # ------------------------------------------------------------------------------------------ finish
    def finish(self) -> None:
        draft = self.session.draft
        if self.scanning:
            self.message_bar.show_message(self.tr("Wait until scanning ends, then finish."), "warning")
            return
        code = draft.dossier_code
        if not code or not is_valid_dossier_code(code):
            self.message_bar.show_message(
                self.tr("The dossier code is missing: scan the receipt or type the code (F2)."), "warning")
            self._focus_code()
            return
        if draft.page_count == 0:
            self.message_bar.show_message(self.tr("No page to send yet: scan the documents first (F5)."),
                                          "warning")
            return
        if self.analysis.busy:
            self._finish_when_idle = True
            self.status_label.setText(self.tr("Finishing as soon as the last pages are checked…"))
            return
        missing = draft.missing(self._required_codes())
        if missing:
            names = {r.code: r.name for r in self._dossier.required_documents} if self._dossier else {}
            listing = "\n".join(f"• {names.get(m, m)}" for m in missing)
            if not self.ask(self.tr("Missing documents"),
                            self.tr("These required documents are missing:\n{0}\n\nSend the dossier anyway?")
                            .format(listing)):
                return
        try:
            self.session.write_now()  # the draft as shown, on disk, before the session is handed over
            root = hand_over(self.context.sessions_root)
        except (OSError, StationError) as err:  # a full or read-only disk: keep everything, say so, let retry
            log.error("finish: session not handed over: %s", type(err).__name__, exc_info=True)
            self.message_bar.show_message(
                self.tr("Could not save the dossier for sending: {0}\nNothing was sent and no page is lost: fix "
                        "the problem, then press Finish again.").format(describe_error(err)), "error")
            self.finishFailed.emit(err)
            return
        journal = self.journal
        if journal is not None:
            procedure = self._dossier.procedure_code if self._dossier is not None else None
            self.calls.run(lambda: journal.dossier_finished(draft, procedure_code=procedure))
        self._run_finish(root, code)
        self._next_citizen()
        self.message_bar.show_message(
            self.tr("Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.")
            .format(code), "info")

    def _run_finish(self, root: Path, code: str | None) -> None:
        request = FinishRequest(
            dossier_code=code or "",
            station_id=self.uploader.station_id,
            operator_id=self.uploader.operator_id,
            out_root=self.context.out_root,
            outbox_path=self.uploader.queue_db,
            analysis=analysis_options(self.settings),
            captured_at=datetime.now(UTC),
        )
        self.finishing += 1
        self.calls.run(lambda: finish_session(root, request), self._finished,
                    lambda err: self._finish_failed(root, err))

    def _finished(self, result: FinishResult) -> None:
        self.finishing -= 1
        self.message_bar.show_message(
            self.tr("Dossier {0}: {1} document(s) queued for sending.").format(result.dossier_code,
                                                                           len(result.documents)), "info")
        if self._sender is not None:
            self._sender.wake()
        self.refresh_outbox()
        self.sync_journal()
        self.dossierFinished.emit(result)

    def _finish_failed(self, root: Path, err: BaseException) -> None:
        self.finishing -= 1
        message = err.user_message if isinstance(err, StationError) else f"{type(err).__name__}: {err}"
        self.message_bar.show_message(
            self.tr("Could not build the files of a dossier: {0}\nIts pages are kept and it will be retried at "
                    "the next start.").format(message), "error")
        self.finishFailed.emit(err)

    def _next_citizen(self) -> None:
        self.session.reset()
        self._dossier = None
        self.documents_panel.set_required(())
        self.dossier_panel.clear()
        self._draft_changed()
        self.strip.setFocus()

    # ------------------------------------------------------------------------------------------ restore
    def offer_restore(self) -> bool:
        store = self.session.store
        if not store.has_unfinished():
            return False
        count = len(list(store.captures.glob("*.png")))
        if self.ask(self.tr("Unfinished dossier"),
                    self.tr("A dossier with {0} scanned page(s) was not finished last time. Restore it?")
                    .format(count)):
            self.restore_session()
            return True
        aside = self.context.sessions_root / "set-aside" / datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        aside.mkdir(parents=True, exist_ok=True)
        shutil.move(str(store.current), str(aside / "current"))  # kept, never destroyed
        return False

    def restore_session(self) -> None:
        draft = self.session.restore()
        store = self.session.store
        ids = [p.page_id for d in draft.documents for p in d.pages]

        def load() -> list[tuple[str, PageInfo, Any]]:
            loaded = []
            for page_id in ids:
                page = store.load_capture(page_id)
                loaded.append((page_id, PageInfo(shrink_image(page.image, THUMB_HEIGHT),
                                                  shrink_image(page.image, PREVIEW_HEIGHT), page.dpi), page))
            return loaded

        def loaded(items: list[tuple[str, PageInfo, Any]]) -> None:
            for page_id, info, page in items:
                self.session.add_restored(page_id, info)
                self.analysis.submit(page_id, page, analysis_dir(store))
            self.status_label.setText(self.tr("Restored {0} page(s)").format(len(items)))
            self._draft_changed()

        self.calls.run(load, loaded, lambda err: self.message_bar.show_message(str(err), "error"))
        if draft.dossier_code:
            self.dossier_panel.set_code(draft.dossier_code)
            self.fetch_dossier(draft.dossier_code)

    # ------------------------------------------------------------------------------------------ uploads
    def refresh_outbox(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True
        reader = self._outbox_reader

        def read() -> list[QueueItem]:
            with self._outbox_lock:
                return reader.items()

        def done(items: list[QueueItem]) -> None:
            self._refreshing = False
            self.outbox_model.set_items(items)
            journal = self.journal
            if journal is not None:
                self.calls.run(lambda: journal.outbox_changed(items))
            counts: dict[str, int] = {}
            for item in items:
                counts[item.state.value] = counts.get(item.state.value, 0) + 1
            self.upload_panel.summary.setText(self.tr(
                "Queued {0} · sending {1} · sent {2} · failed {3}").format(
                counts.get("queued", 0), counts.get("sending", 0), counts.get("sent", 0),
                counts.get("failed-retrying", 0) + counts.get("failed-permanent", 0)))

        def failed(_err: BaseException) -> None:
            self._refreshing = False

        self.calls.run(read, done, failed)

    def _sender_status(self, status: SenderStatus) -> None:
        if status.online is False:
            text = self.tr("Backend offline: {0} waiting").format(status.pending)
        elif status.pending:
            text = self.tr("Sending: {0} waiting").format(status.pending)
        else:
            text = self.tr("Uploads up to date")
        self.upload_status.setText(text)
        self.refresh_outbox()

    def retry_upload(self, item_id: int) -> None:
        reader = self._outbox_reader

        def retry() -> None:
            with self._outbox_lock:
                reader.retry(item_id)

        self.calls.run(retry, lambda _r: self._after_retry())

    def retry_all_uploads(self) -> None:
        reader = self._outbox_reader

        def retry() -> int:
            with self._outbox_lock:
                return reader.retry_all_failed()

        self.calls.run(retry, lambda _r: self._after_retry())

    def _after_retry(self) -> None:
        if self._sender is not None:
            self._sender.wake()
        self.refresh_outbox()

    # ------------------------------------------------------------------------------------------ journal, review
    def sync_journal(self) -> None:
        """Report the journal to the backend and fetch the supervisor's rescan requests (off the GUI thread)."""
        journal = self.journal
        if journal is None:
            return
        self.calls.run(journal.sync_now, self._rescans_loaded)

    def _rescans_loaded(self, requests: list[RescanRequest]) -> None:
        self.rescan_requests = list(requests)
        count = len(self.rescan_requests)
        self.rescan_button.setText(self.tr("Rescan requests: {0}").format(count))
        self.rescan_button.setVisible(count > 0)
        self.rescanRequestsChanged.emit(count)

    def show_rescan_requests(self) -> None:
        from station.ui.widgets import RescanRequestsDialog

        dialog = RescanRequestsDialog(self.rescan_requests, self)
        dialog.resolved.connect(self.resolve_rescan_request)
        dialog.open()

    def resolve_rescan_request(self, request_id: str) -> None:
        journal = self.journal
        if journal is None:
            return

        def resolve() -> list[RescanRequest]:
            journal.resolve(request_id)
            return journal.sync_now()

        self.calls.run(resolve, self._rescans_loaded)

    def open_review(self) -> None:
        """Supervisor review of this station's journal (the whole center: `station review --backend`)."""
        if self.journal is None:
            self.message_bar.show_message(self.tr("The station journal is not available on this PC."), "warning")
            return
        from station.review.sources import JournalSource
        from station.ui.review.window import ReviewWindow

        if self._review_window is None:
            review = self.settings.review
            source = JournalSource(self.journal.journal, self.journal.sync, tuple(review.rejection_reasons))
            self._review_window = ReviewWindow(source, reviewer=self.uploader.operator_id,
                                               sample_rate=review.sample_rate, seed=review.sample_seed)
        self._review_window.show()
        self._review_window.raise_()

    # ------------------------------------------------------------------------------------------ settings
    def open_settings(self) -> None:
        from station.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self.uploader, self)
        if dialog.exec():
            self.settings = dialog.result_settings()
            path = st.save(self.settings, self.context.settings_path)
            self.status_label.setText(self.tr("Settings saved to {0}; some take effect after a restart.")
                                      .format(path))
