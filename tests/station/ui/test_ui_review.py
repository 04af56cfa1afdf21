"""The review window through real widgets (pytest-qt, offscreen) against a real journal in tmp and the real
reference backend on 127.0.0.1."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from scanning.models import QualityFlag
from station.journal import Journal
from station.journal.api import JournalApi
from station.journal.models import PageFilter
from station.journal.sync import JournalSync
from station.review.labels import QUEUE_REASON_LABELS, STATE_LABELS, flag_label
from station.review.queue import QueueReason, build_queue
from station.review.sources import BackendSource, JournalSource
from station.review.stats import GroupStats
from station.ui.review.labels import FLAG_NAMES, flag_name, queue_reason_name, state_name
from station.ui.review.models import MetricsModel, ReviewQueueModel, StatsTableModel
from station.ui.review.window import ReviewWindow
from tests.backend_fixtures import ROOT, BackendProcess
from tests.journal_fixtures import make_journal
from uploader.config import UploaderConfig

SEED, RATE = 5, 0.25
pytestmark = pytest.mark.usefixtures("vietnamese")  # the texts below are the default, Vietnamese UI's


def api(backend: BackendProcess, tmp_path: Path) -> JournalApi:
    return JournalApi(UploaderConfig(backend_url=backend.url, token=backend.token, station_id="quay-01",
                                     data_dir=tmp_path))


@pytest.fixture
def station(own_backend: BackendProcess, tmp_path: Path) -> Iterator[tuple[Journal, dict[str, list[str]], JournalApi]]:
    journal, ids = make_journal(tmp_path)
    client = api(own_backend, tmp_path)
    JournalSync(journal, client).push()
    yield journal, ids, client
    journal.close()


def open_window(qtbot, source, **kw) -> ReviewWindow:
    window = ReviewWindow(source, reviewer="truong.nv", sample_rate=RATE, seed=SEED, **kw)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.review.queue_view.setFocus()
    settle(qtbot, window.review)
    return window


def settle(qtbot, review) -> None:
    """The widget loads off the GUI thread: wait until every call it made has come back."""
    qtbot.waitUntil(lambda: not review.busy, timeout=30_000)


def scores(model: ReviewQueueModel) -> list[int]:
    return [int(model.data(model.index(r, 2))) for r in range(model.rowCount())]


def press(qtbot, window: ReviewWindow, key: Qt.Key) -> None:
    """A key press as the supervisor makes it: in the active window, focus in the queue."""
    assert window.isActiveWindow()
    window.review.queue_view.setFocus()
    qtbot.keyClick(window.review.queue_view, key)


# -- models without a view ----------------------------------------------------------------------------------

def test_queue_model_without_a_view(qtbot, tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    model = ReviewQueueModel()
    entries = build_queue(journal.pages(), sample_rate=RATE, seed=SEED)
    model.set_entries(entries)
    assert model.rowCount() == len(entries) and model.columnCount() == 9
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Điểm"
    assert scores(model)[:5] == [33, 45, 58, 66, 76]
    assert model.data(model.index(0, 1)) == "gắn cờ" and model.data(model.index(0, 3)) == "quá tối, tương phản thấp"
    last = model.rowCount() - 1
    assert model.data(model.index(last, 1)) == "mẫu ngẫu nhiên"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) != model.data(
        model.index(last, 0), Qt.ItemDataRole.BackgroundRole)
    with qtbot.waitSignal(model.rowsRemoved):
        assert model.remove_page(entries[0].page.page_id) == 0
    assert scores(model)[:4] == [45, 58, 66, 76]
    assert model.data(model.index(99, 0)) is None and model.rowCount(model.index(0, 0)) == 0


def test_the_windows_flag_names_are_the_reports_in_vietnamese() -> None:
    """One meaning per flag: the review window (translated) says what the PDF/CSV report (Vietnamese) says."""
    assert set(FLAG_NAMES) == {*QualityFlag, "blank"}
    assert {flag: flag_name(flag) for flag in FLAG_NAMES} == {flag: flag_label(flag) for flag in FLAG_NAMES}
    assert state_name("rejected") == STATE_LABELS["rejected"]
    assert queue_reason_name("sample") == QUEUE_REASON_LABELS["sample"]


def test_metrics_and_stats_models(tmp_path: Path) -> None:
    journal, _ids = make_journal(tmp_path, images=False)
    metrics = MetricsModel()
    card = next(p for p in journal.pages() if p.doc_type == "cccd")
    metrics.set_page(card, QueueReason.SAMPLE)
    assert metrics.value("Citizen ID card") == "đã đọc: 001*******45"
    assert metrics.value("Queued as") == "mẫu ngẫu nhiên" and metrics.value("Resolution") == "300 dpi"
    assert metrics.value("Station") == "quay-01" and metrics.rowCount() > 20
    metrics.set_page(None)
    assert metrics.rowCount() == 0
    stats_model = StatsTableModel()
    stats = JournalSource(journal).stats(PageFilter())
    stats_model.set_groups([*stats.operators, stats.total])
    row = [stats_model.data(stats_model.index(1, c)) for c in range(stats_model.columnCount())]
    assert row[:6] == ["quay-01", "lan.nt", "7", "3,5", "2", "2,0"]
    total = [stats_model.data(stats_model.index(3, c)) for c in range(3)]
    assert total == ["Tất cả", "(mọi trạm)", "16"] and isinstance(stats.total, GroupStats)


# -- the review flow ---------------------------------------------------------------------------------------

def test_review_flow_journal_and_backend(qtbot, station, tmp_path: Path) -> None:
    journal, _ids, client = station
    window = open_window(qtbot, JournalSource(journal, JournalSync(journal, client)))
    review = window.review
    model = review.queue_model
    expected = build_queue(journal.pages(), sample_rate=RATE, seed=SEED)
    assert [model.entry(r).page.page_id for r in range(model.rowCount())] == [e.page.page_id for e in expected]
    assert scores(model)[:5] == [33, 45, 58, 66, 76] and model.rowCount() > 5
    assert "(5 gắn cờ" in review.queue_label.text()
    # the first (worst) page is shown large with its metrics
    assert review.page_view.pixmap is not None and review.page_view.notice == ""
    assert review.metrics_model.value("Quality score") == "33/100"
    assert review.metrics_model.value("Flags") == "quá tối, tương phản thấp"

    # filters: one station, then a flag
    review.set_filters(station="quay-02")
    review.reload()
    settle(qtbot, review)
    assert scores(model)[:2] == [58, 66] and {model.entry(r).page.station_id for r in range(model.rowCount())} == {
        "quay-02"}
    review.set_filters(flag="blur")
    review.reload()
    settle(qtbot, review)
    assert scores(model) == [45, 66]
    review.set_filters(date_from="2025-07-03", date_to="2025-07-03", flag="*")
    review.reload()
    settle(qtbot, review)
    assert scores(model) == [33, 66]
    review.set_filters()
    review.reload()
    settle(qtbot, review)

    # reject the cut-off page of quay-02 with the keyboard: J J selects it, R alone asks for a reason
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_J)
    settle(qtbot, review)
    target = review.current
    assert target is not None and target.page.quality_score == 58
    press(qtbot, window, Qt.Key.Key_R)
    assert "Chọn lý do" in review.last_status and journal.page(target.page.page_id).review_state == "pending"
    press(qtbot, window, Qt.Key.Key_4)
    assert review.selected_reason() == "cắt mất nội dung"
    review.note_edit.setText("mất lề phải, quét lại mặt kính")
    with qtbot.waitSignal(review.decided) as signal:
        press(qtbot, window, Qt.Key.Key_R)
    settle(qtbot, review)
    assert signal.args == [target.page.page_id, "reject"]
    assert "yêu cầu quét lại đã gửi tới quay-02" in window.statusBar().currentMessage()
    assert target.page.page_id not in [model.entry(r).page.page_id for r in range(model.rowCount())]
    row = journal.page(target.page.page_id)
    assert (row.review_state, row.review_reason, row.review_note) == ("rejected", "cắt mất nội dung",
                                                                     "mất lề phải, quét lại mặt kính")
    (local,) = journal.pending_rescan_requests("quay-02")
    (remote,) = client.rescan_requests("quay-02")
    assert local.page_id == remote.page_id == target.page.page_id and remote.note == "mất lề phải, quét lại mặt kính"
    assert journal.pending_rescan_requests("quay-01") == [] and client.rescan_requests("quay-01") == []

    # approve the page now selected with the button
    approved = review.current
    assert approved is not None and approved.page.quality_score == 66
    qtbot.mouseClick(review.approve_button, Qt.MouseButton.LeftButton)
    settle(qtbot, review)
    assert journal.page(approved.page.page_id).review_state == "approved"
    central = {p.page_id: p for p, _ in client.review_queue(PageFilter(), sample_rate=1.0, seed=0,
                                                             include_reviewed=True)}
    assert central[approved.page.page_id].review_state == "approved"
    assert central[target.page.page_id].review_state == "rejected"

    # a card page shows only its pixelated preview, with a notice
    for r in range(model.rowCount()):
        if model.entry(r).page.doc_type == "cccd":
            review.select_row(r)
            settle(qtbot, review)
            assert "CCCD" in review.page_view.notice and review.page_view.pixmap is not None
            break

    # statistics tab and exports
    review.tabs.setCurrentIndex(1)
    settle(qtbot, review)
    assert review.last_stats is not None
    assert review.summary_label.text().startswith("16 trang · 5 hồ sơ")
    assert "từ chối 1 (50,0%)" in review.summary_label.text()
    assert review.chart_quality.values == [0, 0, 0, 1, 1, 1, 1, 2, 4, 6]
    reasons = dict(zip(review.chart_reasons.labels, review.chart_reasons.values, strict=True))
    assert reasons["cắt mất nội dung"] == 1 and reasons["mờ"] == 0
    assert review.stats_model.rowCount() == 3 + 2 + 1
    out = review.export_csv(tmp_path / "ui.csv")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[-1][:4] == ["tổng", "", "", "16"] and rows[-1][10:12] == ["2", "1"]
    pdf = review.export_pdf(tmp_path / "ui.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_center_review_through_the_backend(qtbot, station, tmp_path: Path) -> None:
    journal, ids, client = station
    window = open_window(qtbot, BackendSource(client))
    review = window.review
    assert scores(review.queue_model)[:5] == [33, 45, 58, 66, 76]
    assert review.page_view.pixmap is not None  # the preview came from the backend
    assert "Máy chủ" in review.source_label.text()
    press(qtbot, window, Qt.Key.Key_1)  # mờ
    press(qtbot, window, Qt.Key.Key_R)
    settle(qtbot, review)
    worst = ids["000.00.01.H22-250703-0103"][0]
    (remote,) = client.rescan_requests("quay-01")
    assert remote.page_id == worst and remote.reason == "mờ"
    # the counter at quay-01 sees it after its next sync
    JournalSync(journal, client).run("quay-01")
    assert [r.page_id for r in journal.pending_rescan_requests("quay-01")] == [worst]


def test_station_review_without_display_explains_xvfb(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["STATION_CONFIG_DIR"] = str(tmp_path)
    out = subprocess.run([sys.executable, "-m", "station", "review", "--journal", str(tmp_path / "j.sqlite3")],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert re.search(r"xvfb-run -a \S*station review", out.stderr) and "Không tìm thấy màn hình" in out.stderr


def test_model_index_helpers_survive_an_empty_queue(qtbot, tmp_path: Path) -> None:
    journal = Journal(tmp_path / "empty.sqlite3")
    window = open_window(qtbot, JournalSource(journal))
    review = window.review
    assert review.queue_model.rowCount() == 0 and review.current is None
    assert not review.approve_button.isEnabled()
    press(qtbot, window, Qt.Key.Key_A)  # nothing to decide: nothing happens
    review._row_changed(QModelIndex(), QModelIndex())
    assert "Chọn một trang" in review.page_view.notice
    QApplication.processEvents()
