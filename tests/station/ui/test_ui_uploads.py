"""The upload panel: the outbox rows with their states; a permanently failed upload is retried by the
operator once the cause is fixed, and then arrives on the reference backend."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pytestqt.qtbot import QtBot

from tests.backend_fixtures import BackendProcess, make_pdf, new_dossier_code
from tests.station.ui.window_support import WindowFactory
from uploader.models import ItemState, UploadJob
from uploader.outbox import Outbox


def test_failed_upload_is_shown_and_retried_from_the_panel(qtbot: QtBot, make_window: WindowFactory,
                                                           live: BackendProcess, tmp_path: Path) -> None:
    window = make_window()
    code = new_dossier_code()  # not on the backend yet: the upload is refused (404), permanently
    pdf = make_pdf(tmp_path / "01-to-khai.pdf", pages=2)
    data = pdf.read_bytes()
    job = UploadJob(code, "01-to-khai", "to-khai", pdf, hashlib.sha256(data).hexdigest(), len(data), 2,
                    window.uploader.station_id, window.uploader.operator_id)
    with Outbox(window.uploader.queue_db) as outbox:
        item_id, _ = outbox.enqueue(job)
    window._after_retry()  # wake the sender, as Finish does

    def state() -> ItemState | None:
        for row in range(window.outbox_model.rowCount()):
            if window.outbox_model.item(row).id == item_id:
                return window.outbox_model.item(row).state
        return None

    qtbot.waitUntil(lambda: state() is ItemState.FAILED_PERMANENT, timeout=30_000)
    row = next(r for r in range(window.outbox_model.rowCount()) if window.outbox_model.item(r).id == item_id)
    assert window.outbox_model.index(row, 4).data()  # the reason, for the operator
    assert "1" in window.upload_panel.summary.text()

    live.create_dossier(code)  # the cause is fixed (the dossier now exists)
    window.upload_panel.table.selectRow(row)
    window.upload_panel.retry_button.click()
    qtbot.waitUntil(lambda: state() is ItemState.SENT, timeout=30_000)
    attachments = live.dossier(code)["attachments"]
    assert [(a["doc_type"], a["pages"], a["sha256"]) for a in attachments] == [("to-khai", 2, job.sha256)]
