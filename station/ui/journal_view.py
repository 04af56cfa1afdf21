"""The station journal seen from the counter window: the supervisor's rescan requests (synced through the
counter service off the GUI thread) and the supervisor review window. Strings are in the "MainWindow" context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMainWindow, QPushButton, QWidget

from station.counter.port import Counter
from station.journal.models import RescanRequest
from station.ui.calls import Calls


class JournalView(QObject):
    requestsChanged = Signal(int)  # open rescan requests for this station

    def __init__(self, service: Counter, calls: Calls, button: QPushButton, window: QWidget) -> None:
        super().__init__(window)
        self.service, self.calls, self.button, self.window = service, calls, button, window
        self.requests: list[RescanRequest] = []
        self.review_window: QMainWindow | None = None
        button.clicked.connect(self.show_requests)

    def sync(self) -> None:
        """Report the journal to the backend and fetch the supervisor's rescan requests."""
        if self.service.journal is not None:
            self.calls.run(self.service.sync_journal, self._loaded)

    def _loaded(self, requests: list[RescanRequest]) -> None:
        self.requests = list(requests)
        count = len(self.requests)
        self.button.setText(QCoreApplication.translate("MainWindow", "Rescan requests: {0}").format(count))
        self.button.setVisible(count > 0)
        self.requestsChanged.emit(count)

    def show_requests(self) -> None:
        from station.ui.widgets import RescanRequestsDialog

        dialog = RescanRequestsDialog(self.requests, self.window)
        dialog.resolved.connect(self.resolve)
        dialog.open()

    def resolve(self, request_id: str) -> None:
        if self.service.journal is not None:
            service = self.service
            self.calls.run(lambda: service.resolve_rescan(request_id), self._loaded)

    def open_review(self) -> bool:
        """Supervisor review of this station's journal; False when the journal is not available."""
        journal = self.service.journal
        if journal is None:
            return False
        from station.review.sources import JournalSource
        from station.ui.review.window import ReviewWindow

        if self.review_window is None:
            review = self.service.review
            source = JournalSource(journal.journal, journal.sync, tuple(review.rejection_reasons))
            self.review_window = ReviewWindow(source, reviewer=self.service.upload.operator_id,
                                              sample_rate=review.sample_rate, seed=review.sample_seed)
        self.review_window.show()
        self.review_window.raise_()
        return True

    def close(self) -> None:
        if self.review_window is not None:
            self.review_window.close()
