"""The counter's main window: scan, check, attach, send — one citizen at a time.

A thin shell over the counter service (station/counter): the service decides which driver scans, what the
backend knows of a dossier, whether the ID card matches, and builds, queues and sends the finished dossier;
the window shows the pages, takes the officer's edits and words the outcomes. Slow calls run on worker threads
(station/ui/calls.py); the service's events come back as the `serviceEvent` signal on the GUI thread.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from scanning.models import ScanOptions
from station.counter.capture import ScanTarget, TargetKind
from station.counter.events import CounterEvent, SenderBusy, SenderStatusChanged
from station.counter.finish_rules import required_codes
from station.counter.journal_recorder import CounterJournal
from station.counter.port import Counter
from station.errors import UserFacingError
from station.journal.models import RescanRequest
from station.ui.analysis_worker import CounterAnalysis
from station.ui.calls import Calls
from station.ui.context import AppContext
from station.ui.controller import CounterSession
from station.ui.device_list import DeviceList
from station.ui.dossier_view import DossierView
from station.ui.finish_control import FinishControl
from station.ui.journal_view import JournalView
from station.ui.models import OutboxModel, PageListModel, PageRole
from station.ui.page_edits import PageEdits
from station.ui.preview_control import PreviewControl
from station.ui.scan_control import ScanControl
from station.ui.uploads_view import UploadsView
from station.ui.window_layout import ActionSlots, CounterWindowLayout
from station.ui.workers import AnalysisService, ScanWorker
from station.workflow.finish import FinishResult
from station.workflow.samples import FEEDER_NAME, VirtualFeeder
from station.workflow.session import SessionStore
from uploader.config import UploaderConfig
from uploader.models import Dossier

log = logging.getLogger(__name__)

__all__ = ["AppContext", "MainWindow"]

JOURNAL_SYNC_MS = 60_000  # report to the backend and look for rescan requests once a minute


def settle_heap() -> None:
    """Collect once, then exempt everything alive now from later full collections. A full collection runs
    on whichever thread allocates, often the GUI thread; walking the whole start-up heap there stalled the
    event loop by 100–250 ms. New garbage is still collected as usual."""
    gc.collect()
    gc.freeze()


class MainWindow(CounterWindowLayout):
    dossierFinished = Signal(object)  # FinishResult
    finishFailed = Signal(object)
    scanEnded = Signal(int, object)  # pages, error or None
    dossierLoaded = Signal(object)  # Dossier or None
    rescanRequestsChanged = Signal(int)
    detailShown = Signal(str)  # page id whose full-resolution page is now in the preview
    serviceEvent = Signal(object)  # a CounterEvent of the service, on the GUI thread

    def __init__(self, context: AppContext, service: Counter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.service = service
        self.session = CounterSession(SessionStore(service.sessions_root), self)
        self.page_model = PageListModel(self.session, self)
        self.outbox_model = OutboxModel(self)
        self.analysis = AnalysisService(service.analysis, context.analysis_workers, self)
        self.calls = Calls(self)  # every pool job's result comes back through here (dropped after close)
        self._current_id: str | None = None  # the page shown, kept across model resets
        self._current_row = 0
        self._build_ui(service.settings, self.page_model, self.outbox_model)
        self.edits = PageEdits(self.strip, self.page_model, self.session)
        self.scans = ScanControl(service, self.session, self.analysis, self.edits, self.page_model,
                                 self.message_bar, self.status_label, self.calls, self)
        self._build_actions(ActionSlots(
            scan=self.scan, stop=self.stop_scan, rescan=self.rescan_selected, insert=self.insert_before_selected,
            rotate_left=lambda: self.edits.rotate(-90), rotate_right=lambda: self.edits.rotate(90),
            delete=self.edits.delete, split=self.edits.split, merge=self.edits.merge,
            undo=self.session.undo, redo=self.session.redo, zoom_in=lambda: self.preview.zoom_by(1.25),
            zoom_out=lambda: self.preview.zoom_by(0.8), zoom_fit=self.preview.fit, code=self._focus_code,
            finish=self.finish, settings=self.open_settings, review=self.open_review))
        self.previewer = PreviewControl(self.strip, self.preview, self.session, self.calls, self)
        self.dossier_view = DossierView(service, self.session, self.calls, self.dossier_panel, self.documents_panel,
                                        self.status_label, self._draft_changed, self)
        self.journal_view = JournalView(service, self.calls, self.rescan_button, self)
        self.uploads = UploadsView(service, self.calls, self.outbox_model, self.upload_panel, self.upload_status, self)
        self.devices = DeviceList(service, self.device_combo, self.status_label, self.calls, self)
        self.finisher = FinishControl(service, self.session, self.analysis, self.calls, self.message_bar,
                                      self.status_label, ask=lambda title, text: self.ask(title, text),
                                      dossier=lambda: self._dossier, scanning=lambda: self.scanning,
                                      focus_code=self._focus_code, next_citizen=self._next_citizen, parent=self)
        self._connect()
        self.analysis.warm_up()
        self._timers = [self._timer(2000, self.refresh_outbox), self._timer(JOURNAL_SYNC_MS, self.sync_journal)]
        self.list_devices()
        self.refresh_outbox()
        self._update()
        settle_heap()

    def _timer(self, interval_ms: int, slot: Any) -> QTimer:
        timer = QTimer(self)
        timer.setInterval(interval_ms)
        timer.timeout.connect(slot)
        timer.start()
        return timer

    def _connect(self) -> None:
        self.session.draftChanged.connect(self._draft_changed)
        self.session.pageUpdated.connect(self._page_updated)
        self.session.message.connect(lambda text: self.statusBar().showMessage(text, 4000))
        self.strip.selectionModel().currentChanged.connect(self._current_changed)
        self.page_model.rowsInserted.connect(self._rows_inserted)
        self.analysis.analyzed.connect(self._analyzed)
        self.analysis.failed.connect(self.session.set_failed)
        self.finisher.finished.connect(self._dossier_finished)
        self.finisher.failed.connect(self.finishFailed)
        self.documents_panel.docTypeChosen.connect(self.edits.set_doc_type)
        self.dossier_view.loaded.connect(self.dossierLoaded)
        self.journal_view.requestsChanged.connect(self.rescanRequestsChanged)
        self.previewer.detailShown.connect(self.detailShown)
        self.serviceEvent.connect(self._service_event)
        self.scans.ended.connect(self._scan_ended)
        self.scans.restored.connect(lambda _count: self._draft_changed())
        calls = self.calls
        self.service.subscribe(lambda event: calls.post(lambda: self.serviceEvent.emit(event)))

    # ------------------------------------------------------------------------------------------ what tests see
    @property
    def uploader(self) -> UploaderConfig:
        return self.service.upload

    @property
    def journal(self) -> CounterJournal | None:
        return self.service.journal

    @property
    def feeder(self) -> VirtualFeeder:
        return self.service.drivers.feeder

    @feeder.setter
    def feeder(self, feeder: VirtualFeeder) -> None:
        self.service.drivers.feeder = feeder

    @property
    def preview_page_id(self) -> str | None:
        return self.previewer.page_id

    @property
    def _scan(self) -> ScanWorker | None:
        return self.scans.job

    @property
    def scanning(self) -> bool:
        return self.scans.job is not None

    # ------------------------------------------------------------------------------------------ start/stop
    def start(self) -> None:
        """After the window is shown: sender, interrupted finishing, unfinished session."""
        if self.context.start_sender:
            self.service.start_sender()
        for root in self.service.pending_handovers():
            self.finisher.run(root, None)
        self.offer_restore()

    def _service_event(self, event: CounterEvent) -> None:
        if isinstance(event, SenderStatusChanged):
            self.uploads.sender_status(event.status)
        elif isinstance(event, SenderBusy):
            self.uploads.sender_busy()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop everything that could call back into the window, wait (bounded) for what is already running,
        then close the service (sender, outbox, journal). Later results are dropped; the captures are on disk."""
        scan = self.scans.abandon()
        for timer in self._timers:
            timer.stop()
        self.previewer.stop()
        self.journal_view.close()
        self.analysis.shutdown()
        self.calls.close()
        if scan is not None and not scan.ended.wait(10):
            log.warning("the scan job did not end within 10 s of closing the window")
        self.session.close()
        self.service.close()
        gc.unfreeze()  # let shutdown finalise what settle_heap() set aside
        super().closeEvent(event)

    # ------------------------------------------------------------------------------------------ helpers
    def ask(self, title: str, text: str) -> bool:
        """A yes/no question (the one modal dialog of the normal flow; tests replace it)."""
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        return QMessageBox.question(self, title, text, yes | no, yes) == yes

    def selected_ids(self) -> list[str]:
        return self.edits.selected_ids()

    def select_row(self, row: int) -> None:
        self.edits.select_row(row)

    def _focus_code(self) -> None:
        self.dossier_panel.code_edit.setFocus()
        self.dossier_panel.code_edit.selectAll()

    def _update(self) -> None:
        history = self.session.history
        self._update_actions(has_pages=self.page_model.rowCount() > 0, scanning=self.scanning,
                             can_undo=history.can_undo, can_redo=history.can_redo)

    # ------------------------------------------------------------------------------------------ devices, scanning
    def list_devices(self) -> None:
        self.devices.refresh()

    def scan_options(self) -> ScanOptions:
        return self.service.scan_options(str(self.profile_combo.currentData() or ""))

    def scan(self, target: ScanTarget | None = None) -> None:
        device = str(self.device_combo.currentData() or FEEDER_NAME)
        self.scans.start(device, str(self.profile_combo.currentData() or ""), target or ScanTarget())
        self._update()

    def stop_scan(self) -> None:
        self.scans.stop()

    def rescan_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.scan(ScanTarget(TargetKind.REPLACE, ids[0]))

    def insert_before_selected(self) -> None:
        ids = self.selected_ids()
        self.scan(ScanTarget(TargetKind.INSERT, ids[0]) if ids else ScanTarget())

    def _rows_inserted(self, _parent: Any, first: int, last: int) -> None:
        if self.scanning or not self.strip.currentIndex().isValid():
            self.select_row(last)
            self.strip.scrollTo(self.page_model.index(last))

    def _scan_ended(self, pages: int, error: UserFacingError | None) -> None:
        self._update()
        self.scanEnded.emit(pages, error)

    # ------------------------------------------------------------------------------------------ results, pages
    def _analyzed(self, page_id: str, result: CounterAnalysis) -> None:
        self.session.set_analysis(page_id, result.analysis, result.thumb, result.preview)
        # Queued for the journal writer, in order (returns at once): the dossier's record comes after its pages'.
        self.service.page_analyzed(page_id, result.analysis, result.preview, self.session.draft.dossier_code)

    def _page_updated(self, page_id: str) -> None:
        ids = self.selected_ids()
        if ids and ids[0] == page_id:
            self.previewer.show_current()

    def _current_changed(self, current: Any, _previous: Any) -> None:
        if current.isValid():
            self._current_id = str(current.data(PageRole.PAGE_ID))
            self._current_row = current.row()
        self.previewer.show_current()

    def _draft_changed(self) -> None:
        draft = self.session.draft
        self.documents_panel.show_documents([(d.doc_type, len(d.pages)) for d in draft.documents],
                                            draft.missing(self._required_codes()))
        if draft.dossier_code and self.dossier_panel.code_edit.text() != draft.dossier_code:
            self.dossier_panel.set_code(draft.dossier_code)
        rows = self.page_model.rowCount()
        if not self.strip.currentIndex().isValid() and rows:
            row = self.page_model.row_of(self._current_id) if self._current_id else -1
            self.select_row(row if row >= 0 else min(self._current_row, rows - 1))
        self.previewer.show_current()
        self._update()

    def _required_codes(self) -> list[str]:
        return required_codes(self._dossier)

    # ------------------------------------------------------------------------------------------ dossier
    @property
    def _dossier(self) -> Dossier | None:
        return self.dossier_view.dossier

    def enter_dossier_code(self, text: str) -> None:
        self.dossier_view.enter_code(text)

    # ------------------------------------------------------------------------------------------ finish
    def finish(self) -> None:
        self.finisher.finish()

    @property
    def finishing(self) -> int:
        return self.finisher.pending

    def _dossier_finished(self, result: FinishResult) -> None:
        self.refresh_outbox()
        self.sync_journal()
        self.dossierFinished.emit(result)

    def _next_citizen(self) -> None:
        self.session.reset()
        self.dossier_view.clear()
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
        self.service.set_aside(store.current)  # kept, never destroyed
        return False

    def restore_session(self) -> None:
        draft = self.session.restore()
        self.scans.restore([p.page_id for d in draft.documents for p in d.pages])
        if draft.dossier_code:
            self.dossier_panel.set_code(draft.dossier_code)
            self.dossier_view.fetch(draft.dossier_code)

    # ------------------------------------------------------------------------------------------ uploads
    def refresh_outbox(self) -> None:
        self.uploads.refresh()

    def _after_retry(self) -> None:
        self.uploads.after_retry()

    # ------------------------------------------------------------------------------------------ journal, review
    @property
    def rescan_requests(self) -> list[RescanRequest]:
        return self.journal_view.requests

    @property
    def _review_window(self) -> QMainWindow | None:
        return self.journal_view.review_window

    def sync_journal(self) -> None:
        self.journal_view.sync()

    def resolve_rescan_request(self, request_id: str) -> None:
        self.journal_view.resolve(request_id)

    def open_review(self) -> None:
        """Supervisor review of this station's journal (the whole center: `station review --backend`)."""
        if not self.journal_view.open_review():
            self.message_bar.show_message(self.tr("The station journal is not available on this PC."), "warning")

    # ------------------------------------------------------------------------------------------ settings
    def open_settings(self) -> None:
        from station.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.service.settings, self.uploader, self)
        if dialog.exec():
            path = self.service.save_settings(dialog.result_settings(), self.context.settings_path)
            self.status_label.setText(self.tr("Settings saved to {0}; some take effect after a restart.")
                                      .format(path))
