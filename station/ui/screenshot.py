"""`station gui --screenshot PNG`: the sample flow for the docs picture, then a grab of the window and quit.

The samples are scanned and the dossier finished (the missing-document question answered yes) so the upload
panel has rows; then the samples are scanned again and, once every page is checked and the dossier and card
are read, the window is saved to PNG.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from station.ui.main_window import MainWindow


def schedule_screenshot(window: MainWindow, path: Path, timeout_s: float = 180.0) -> None:
    started = time.monotonic()
    timer = QTimer(window)
    timer.setInterval(500)
    state = {"round": 1}
    window.ask = lambda title, text: True  # type: ignore[method-assign]

    def ready() -> bool:
        return (window.page_model.rowCount() > 0 and not window.scanning and not window.analysis.busy
                and window._dossier is not None and bool(window.session.cards))

    def sent() -> bool:
        items = [window.outbox_model.item(r) for r in range(window.outbox_model.rowCount())]
        return bool(items) and all(i.state.value == "sent" for i in items) and window.finishing == 0

    def tick() -> None:
        timed_out = time.monotonic() - started > timeout_s
        if state["round"] == 1 and (ready() or timed_out):
            state["round"] = 2
            window.finish()
        elif state["round"] == 2 and (sent() or timed_out):
            state["round"] = 3
            window.scan()
        elif state["round"] == 3 and (ready() or timed_out):
            timer.stop()
            if window.page_model.rowCount() > 2:
                window.select_row(2)
            QTimer.singleShot(1500, grab)

    def grab() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(path))
        QApplication.quit()

    timer.timeout.connect(tick)
    timer.start()
