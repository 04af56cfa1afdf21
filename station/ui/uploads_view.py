"""The uploads side of the counter window: the outbox rows and their summary, the sender's state, retries —
read and done through the counter service off the GUI thread. Strings are in the "MainWindow" context."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QLabel

from station.counter.port import Counter
from station.ui.calls import Calls
from station.ui.models import OutboxModel
from station.ui.widgets import UploadPanel
from uploader.models import QueueItem, SenderStatus


class UploadsView(QObject):
    def __init__(self, service: Counter, calls: Calls, model: OutboxModel, panel: UploadPanel, status: QLabel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.calls, self.model, self.panel, self.status = service, calls, model, panel, status
        self._refreshing = False
        panel.retryRequested.connect(self.retry)
        panel.retryAllRequested.connect(lambda: self._retry(service.retry_all))

    def refresh(self) -> None:
        if self._refreshing:
            return
        self._refreshing = True

        def done(items: list[QueueItem]) -> None:
            self._refreshing = False
            self.model.set_items(items)
            counts: dict[str, int] = {}
            for item in items:
                counts[item.state.value] = counts.get(item.state.value, 0) + 1
            self.panel.summary.setText(QCoreApplication.translate(
                "MainWindow", "Queued {0} · sending {1} · sent {2} · failed {3}").format(
                counts.get("queued", 0), counts.get("sending", 0), counts.get("sent", 0),
                counts.get("failed-retrying", 0) + counts.get("failed-permanent", 0)))

        def failed(_err: BaseException) -> None:
            self._refreshing = False

        self.calls.run(self.service.outbox_items, done, failed)

    def sender_status(self, status: SenderStatus) -> None:
        if status.online is False:
            text = QCoreApplication.translate("MainWindow", "Backend offline: {0} waiting").format(status.pending)
        elif status.pending:
            text = QCoreApplication.translate("MainWindow", "Sending: {0} waiting").format(status.pending)
        else:
            text = QCoreApplication.translate("MainWindow", "Uploads up to date")
        self.status.setText(text)
        self.refresh()

    def sender_busy(self) -> None:
        self.status.setText(QCoreApplication.translate("MainWindow", "Another station program is sending this outbox"))

    def retry(self, item_id: int) -> None:
        service = self.service
        self._retry(lambda: service.retry(item_id))

    def _retry(self, retry: Callable[[], object]) -> None:
        self.calls.run(retry, lambda _r: self.after_retry())

    def after_retry(self) -> None:
        self.service.wake_sender()
        self.refresh()
