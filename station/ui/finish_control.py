"""Finishing a dossier at the counter: check it may go (station/counter/finish_rules.py), ask about what it
lacks, hand the session over to the service on the GUI thread (one rename), then build, queue and send off the
GUI thread while the officer already serves the next citizen. Strings are in the "MainWindow" translation
context."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel

from station.counter.finish_rules import FinishBlock, check_finish
from station.counter.port import Counter
from station.errors import USER_FACING_ERRORS
from station.ui.calls import Calls
from station.ui.controller import CounterSession
from station.ui.errors import describe_error
from station.ui.widgets import MessageBar
from station.ui.workers import AnalysisService
from station.workflow.finish import FinishResult
from uploader.models import Dossier

log = logging.getLogger(__name__)

# What a hand-over may meet: a full or read-only disk, or any library's typed error.
_HAND_OVER_FAULTS: tuple[type[Exception], ...] = (OSError, *USER_FACING_ERRORS)


translate = QCoreApplication.translate  # lupdate finds translate("Context", "literal") calls


class FinishControl(QObject):
    finished = Signal(object)  # FinishResult
    failed = Signal(object)  # the error: the dossier is kept (on the counter, or handed over for a retry)

    def __init__(self, service: Counter, session: CounterSession, analysis: AnalysisService, calls: Calls,
                 message_bar: MessageBar, status: QLabel, *, ask: Callable[[str, str], bool],
                 dossier: Callable[[], Dossier | None], scanning: Callable[[], bool],
                 focus_code: Callable[[], None], next_citizen: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.session, self.analysis, self.calls = service, session, analysis, calls
        self.message_bar, self.status = message_bar, status
        self.ask, self.dossier, self.scanning = ask, dossier, scanning
        self.focus_code, self.next_citizen = focus_code, next_citizen
        self.pending = 0  # dossiers handed over whose files are still being built
        self._when_idle = False
        analysis.idle.connect(self._analysis_idle)

    def finish(self) -> None:
        draft, dossier = self.session.draft, self.dossier()
        check = check_finish(draft, dossier, scanning=self.scanning(), analysing=self.analysis.busy)
        if check.block is FinishBlock.SCANNING:
            self.message_bar.show_message(translate("MainWindow", "Wait until scanning ends, then finish."), "warning")
            return
        if check.block is FinishBlock.NO_CODE:
            self.message_bar.show_message(translate(
                "MainWindow", "The dossier code is missing: scan the receipt or type the code (F2)."), "warning")
            self.focus_code()
            return
        if check.block is FinishBlock.NO_PAGES:
            self.message_bar.show_message(translate(
                "MainWindow", "No page to send yet: scan the documents first (F5)."), "warning")
            return
        if check.block is FinishBlock.ANALYSING:
            self._when_idle = True
            self.status.setText(translate("MainWindow", "Finishing as soon as the last pages are checked…"))
            return
        if check.missing:
            listing = "\n".join(f"• {name}" for name in check.missing)
            if not self.ask(translate("MainWindow", "Missing documents"),
                            translate("MainWindow",
                                      "These required documents are missing:\n{0}\n\nSend the dossier anyway?")
                            .format(listing)):
                return
        code = draft.dossier_code
        try:
            self.session.write_now()  # the draft as shown, on disk, before the session is handed over
            root = self.service.hand_over()
        except _HAND_OVER_FAULTS as err:  # a full or read-only disk: keep everything, say so, let retry
            log.error("finish: session not handed over: %s", type(err).__name__, exc_info=True)
            self.message_bar.show_message(
                translate("MainWindow", "Could not save the dossier for sending: {0}\nNothing was sent and no page "
                          "is lost: fix the problem, then press Finish again.").format(describe_error(err)), "error")
            self.failed.emit(err)
            return
        procedure = dossier.procedure_code if dossier is not None else None
        self.service.dossier_finished(draft, procedure)  # queued behind the page records, off this thread
        self.run(root, code)
        self.next_citizen()
        self.message_bar.show_message(
            translate("MainWindow",
                      "Dossier {0}: building the PDF/A files and queueing them. Ready for the next citizen.")
            .format(code), "info")

    def run(self, root: Path, code: str | None) -> None:
        """Build, queue and send a handed-over session (this one, or one interrupted at the last start)."""
        self.pending += 1
        service = self.service
        self.calls.run(lambda: service.finish(root, code), self._finished, self._failed)

    def _analysis_idle(self) -> None:
        if self._when_idle:
            self._when_idle = False
            self.finish()

    def _finished(self, result: FinishResult) -> None:
        self.pending -= 1
        self.message_bar.show_message(
            translate("MainWindow", "Dossier {0}: {1} document(s) queued for sending.").format(result.dossier_code,
                                                                          len(result.documents)), "info")
        self.finished.emit(result)

    def _failed(self, err: BaseException) -> None:
        self.pending -= 1
        self.message_bar.show_message(
            translate("MainWindow", "Could not build the files of a dossier: {0}\nIts pages are kept and it will be "
                      "retried at the next start.").format(describe_error(err)), "error")
        self.failed.emit(err)
