"""Nothing calls into a closed window, nothing fails silently: late results are dropped, an error nobody caught
is logged and told to the officer in Vietnamese, a finish that cannot write keeps the dossier, and a rejection
from the counter uses the configured reasons."""

from __future__ import annotations

import errno
import logging
import threading
from dataclasses import replace
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from station import settings as st
from station.ui.calls import Calls
from station.ui.errors import ErrorReporter
from station.ui.i18n import install_translator
from station.ui.main_window import MainWindow
from station.workflow.finish import HANDOVER_DIR
from station.workflow.samples import SAMPLE_DOSSIER_CODE, VirtualFeeder
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned


def test_a_result_arriving_after_its_window_was_deleted_is_dropped(qtbot: QtBot) -> None:
    owner = QLabel()
    calls = Calls(owner)
    release = threading.Event()
    delivered: list[str] = []

    def slow() -> str:
        release.wait(30)
        return "Nguyễn Văn Ánh"

    def done(name: str) -> None:  # touches the widget: raised "Internal C++ object already deleted" before
        owner.setText(name)
        delivered.append(name)

    calls.run(slow, done)
    shiboken6.delete(owner)  # deleted without being closed (a parent went away)
    release.set()
    qtbot.waitUntil(lambda: calls_running(calls) == 0, timeout=5_000)
    qtbot.wait(200)  # the job's result would be delivered now; an exception in a slot fails the test
    assert delivered == []


def calls_running(calls: Calls) -> int:
    return calls._gate.running


def test_a_result_arriving_after_the_window_closed_is_dropped(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(start=False)
    release = threading.Event()
    delivered: list[str] = []

    def slow() -> str:
        release.wait(30)
        return "Nguyễn Văn Ánh"

    def done(name: str) -> None:
        window.status_label.setText(name)
        delivered.append(name)

    window.calls.run(slow, done)
    threading.Timer(0.3, release.set).start()  # ends while close() drains the pool
    window.close()
    assert window.calls.running == 0  # drained: the journal and outbox were closed after the job ended
    qtbot.wait(200)
    assert delivered == []


def test_closing_mid_scan_drops_late_pages_and_loses_none(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(VirtualFeeder(count=20), ocr=False, cccd=False)
    captures = window.session.store.captures
    window.scan_action.trigger()
    qtbot.waitUntil(lambda: window.session.draft.page_count >= 3, timeout=60_000)
    scan = window._scan
    assert scan is not None
    window.close()  # cancels the scan, drops what arrives later
    assert scan.ended.is_set()
    qtbot.wait(500)  # late signals of the scan and the analysis pool would arrive now
    on_disk = {p.stem for p in captures.glob("*.png")}
    assert len(on_disk) >= 3

    again = make_window(start=False)
    again.ask = lambda title, text: True  # type: ignore[method-assign]
    again.start()
    draft = again.session.draft
    assert on_disk <= {p.page_id for d in draft.documents for p in d.pages} | set(draft.excluded)
    wait_analyzed(qtbot, again)


def _finish_ready(qtbot: QtBot, make_window: WindowFactory) -> tuple[MainWindow, int]:
    window = make_window(ocr=False, cccd=False)
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    wait_analyzed(qtbot, window)
    window.dossier_panel.code_edit.setText(SAMPLE_DOSSIER_CODE)
    window.enter_dossier_code(SAMPLE_DOSSIER_CODE)
    window.ask = lambda title, text: True  # type: ignore[method-assign]
    return window, window.session.draft.page_count


@pytest.mark.parametrize("fault", ["draft-unwritable", "handover-impossible"])
def test_a_finish_that_cannot_write_keeps_the_dossier_and_says_so(qtbot: QtBot, make_window: WindowFactory,
                                                                  station_dirs: Path, fault: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, "vi")
    try:
        window, pages = _finish_ready(qtbot, make_window)
        sessions = station_dirs / "session"
        # Real faults, also for root (a read-only folder is not one for root): the draft's name is taken by a
        # folder, or the hand-over folder's name by a file.
        draft_json = sessions / "current" / "draft.json"
        obstacle = sessions / HANDOVER_DIR
        if fault == "draft-unwritable":
            window.session.flush()
            draft_json.unlink()
            draft_json.mkdir()
            obstacle = draft_json
        else:
            obstacle.write_bytes(b"")
        with qtbot.waitSignal(window.finishFailed, timeout=10_000) as failed:
            window.finish_action.trigger()
        assert isinstance(failed.args[0], OSError)
        text = window.message_bar.text()
        assert "Không lưu được hồ sơ để gửi" in text and "không mất trang nào" in text
        assert "Không ghi được tệp trên máy trạm" in text
        # Nothing lost, nothing half-done: the same dossier is still on the counter, its captures in place.
        assert window.session.draft.page_count == pages and window.session.draft.dossier_code == SAMPLE_DOSSIER_CODE
        assert len(list((sessions / "current" / "captures").glob("*.png"))) == 7
        # The officer (or the technician) fixes the cause and presses Finish again.
        if obstacle.is_dir():
            obstacle.rmdir()
        else:
            obstacle.unlink()
        with qtbot.waitSignal(window.dossierFinished, timeout=90_000) as finished:
            window.finish_action.trigger()
        assert sum(d.pages for d in finished.args[0].documents) == pages
    finally:
        app.removeTranslator(translator)  # type: ignore[arg-type]


def test_an_error_nobody_caught_is_logged_and_shown_in_vietnamese(qtbot: QtBot, make_window: WindowFactory,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    window = make_window(start=False)
    reporter = ErrorReporter(window)
    reporter.install()
    caplog.set_level(logging.ERROR, logger="station.ui.errors")
    try:
        def worker() -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        with qtbot.waitSignal(reporter.reported, timeout=5_000) as shown:
            thread = threading.Thread(target=worker, name="ghi-tệp")
            thread.start()
            thread.join()
        assert "ổ đĩa đã đầy" in shown.args[0] and "vẫn được lưu" in shown.args[0]
        assert any("OSError" in r.getMessage() and r.exc_info for r in caplog.records)
        boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        assert boxes and "ổ đĩa đã đầy" in boxes[0].text()

        def slot() -> None:  # an exception escaping a slot reaches sys.excepthook through PySide
            raise ZeroDivisionError("division by zero")

        with qtbot.waitSignal(reporter.reported, timeout=5_000) as shown:
            QTimer.singleShot(0, slot)
        assert "Lỗi nội bộ của chương trình (ZeroDivisionError)" in shown.args[0]
    finally:
        reporter.uninstall()


def test_a_rejection_from_the_counter_uses_the_configured_reasons(qtbot: QtBot, make_window: WindowFactory) -> None:
    reasons = ("Ảnh mờ, cần quét lại", "Thiếu trang", "Sai loại giấy tờ đất đai")
    review = replace(st.ReviewSettings(), rejection_reasons=reasons, sample_rate=1.0)
    window = make_window(ocr=False, cccd=False, review=review)
    wait_scanned(qtbot, window)
    wait_analyzed(qtbot, window)
    journal = window.journal
    assert journal is not None
    qtbot.waitUntil(lambda: len(journal.journal.pages()) >= 4, timeout=20_000)
    window.open_review()
    widget = window._review_window.review  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not widget.busy and widget.current is not None, timeout=20_000)
    page_id = widget.current.page.page_id
    assert [widget.reason_list.item(i).data(256) for i in range(widget.reason_list.count())] == list(reasons)
    widget.reason_list.setCurrentRow(2)
    widget.note_edit.setText("Bản sao sổ đỏ bị nhầm với giấy khai sinh")
    with qtbot.waitSignal(widget.decided, timeout=20_000) as decided:
        widget.reject()
    assert decided.args == [page_id, "reject"]
    row = journal.journal.page(page_id)
    assert (row.review_state, row.review_reason) == ("rejected", "Sai loại giấy tờ đất đai")
