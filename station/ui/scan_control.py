"""One scan job at a time for the counter window: the job the counter service chose (driver, device, options),
run on the pool; each page journalled by the worker, then placed in the draft here on the GUI thread. Strings are
in the "MainWindow" translation context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot
from PySide6.QtWidgets import QLabel

from station.counter.capture import ScanTarget, TargetKind
from station.counter.port import Counter
from station.errors import UserFacingError
from station.ui.analysis_worker import PREVIEW_HEIGHT, THUMB_HEIGHT
from station.ui.analysis_worker import shrink as shrink_image
from station.ui.calls import Calls
from station.ui.controller import CounterSession, PageInfo
from station.ui.models import PageListModel
from station.ui.page_edits import PageEdits
from station.ui.widgets import MessageBar
from station.ui.workers import AnalysisService, ScanWorker, pool
from station.workflow.finish import analysis_dir


class ScanControl(QObject):
    ended = Signal(int, object)  # pages, error or None
    restored = Signal(int)  # captures of an unfinished session back on the strip

    def __init__(self, service: Counter, session: CounterSession, analysis: AnalysisService, edits: PageEdits,
                 model: PageListModel, message_bar: MessageBar, status: QLabel, calls: Calls,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.session, self.analysis, self.edits, self.model = service, session, analysis, edits, model
        self.message_bar, self.status, self.calls = message_bar, status, calls
        self.job: ScanWorker | None = None
        self._last: ScanWorker | None = None

    def start(self, device: str, profile: str, target: ScanTarget) -> None:
        if self.job is not None:
            return
        job = self.service.scan_job(device, profile, single=target.kind is TargetKind.REPLACE)
        self.message_bar.hide()
        self.job = ScanWorker(job.driver, job.device, job.options, self.session.store, target,
                              self.analysis.submit_capture)
        # Slots of a QObject the window owns (not lambdas): Qt drops the queued signals of a scan that outlives it.
        self.job.signals.pageCaptured.connect(self._captured)
        self.job.signals.finished.connect(self._finished)
        self.job.signals.failed.connect(self._failed)
        self.status.setText(QCoreApplication.translate("MainWindow", "Scanning…"))
        pool().start(self.job)

    def restore(self, page_ids: list[str]) -> None:
        """The captures of a restored session: read off the GUI thread, shown, and checked again."""
        store = self.session.store

        def load() -> list[tuple[str, PageInfo]]:
            loaded = []
            for page_id in page_ids:
                page = store.load_capture(page_id)
                preview = shrink_image(page.image, PREVIEW_HEIGHT)
                loaded.append((page_id, PageInfo(shrink_image(preview, THUMB_HEIGHT), preview, page.dpi)))
            return loaded  # thumbnails and previews only: the full pages are read again by the analysis worker

        def loaded(items: list[tuple[str, PageInfo]]) -> None:
            for page_id, info in items:
                self.session.add_restored(page_id, info)
                self.analysis.submit_capture(page_id, store, analysis_dir(store))
            self.status.setText(QCoreApplication.translate("MainWindow", "Restored {0} page(s)").format(len(items)))
            self.restored.emit(len(items))

        self.calls.run(load, loaded, lambda err: self.message_bar.show_message(str(err), "error"))

    def stop(self) -> None:
        if self.job is not None:
            self.job.cancel.set()
            self.status.setText(QCoreApplication.translate("MainWindow", "Stopping after this page…"))

    def abandon(self) -> ScanWorker | None:
        """Closing: cancel the job and hear nothing more of it (a page captured from now on is restored at the
        next start). Returns the job, to wait for its end."""
        job = self.job
        if job is not None:
            job.cancel.set()
            for signal in (job.signals.pageCaptured, job.signals.finished, job.signals.failed):
                signal.disconnect()
        return job

    @Slot(str, object, object)
    def _captured(self, page_id: str, info: PageInfo, target: ScanTarget) -> None:
        self.session.add_capture(page_id, info, target)
        if target.kind is not TargetKind.APPEND:
            row = self.model.row_of(page_id)
            if row >= 0:
                self.edits.select_row(row)
        self.status.setText(QCoreApplication.translate("MainWindow", "Scanning… {0} pages")
                            .format(self.session.draft.page_count))

    @Slot(int)
    def _finished(self, pages: int) -> None:
        self._done(pages, None)

    @Slot(object, int)
    def _failed(self, error: UserFacingError, pages: int) -> None:
        self._done(pages, error)

    def _done(self, pages: int, error: UserFacingError | None) -> None:
        self._last, self.job = self.job, None  # the pool thread may still be returning from run()
        if error is not None:
            self.message_bar.show_message(
                QCoreApplication.translate("MainWindow", "Scanner problem: {0}").format(error.user_message) + "\n"
                + QCoreApplication.translate("MainWindow", "{0} page(s) of this job were scanned and are kept.")
                .format(pages), "error")
            self.status.setText(QCoreApplication.translate("MainWindow", "Scanning stopped by a scanner problem"))
        else:
            self.status.setText(QCoreApplication.translate("MainWindow", "Scanned {0} page(s)").format(pages))
        self.ended.emit(pages, error)
