"""The counter window as a shell over a FAKE counter service: it asks the service (scan job, lookup, card check,
hand-over, finish), words the outcomes, shows the service's events on the GUI thread, and closes the service
once its own jobs ended. The real service is tested without Qt in tests/station/counter/test_counter_service.py."""

from __future__ import annotations

import errno
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
import shiboken6
from pytestqt.qtbot import QtBot

from ocr.models import CardSide, CardStyle, CitizenId
from scanning.models import Image, ScanDevice, ScanOptions
from station import settings as st
from station.counter.crosscheck import CardCheck, CardWarning, CardWarningKind
from station.counter.drivers import DriverRegistry, ScanJob
from station.counter.events import CounterEvent, Listener, SenderBusy, SenderStatusChanged
from station.counter.journal_recorder import CounterJournal
from station.counter.lookup import DossierLookup, LookupFailure
from station.journal.models import RescanRequest
from station.pipeline import AnalysisOptions, PageAnalysis
from station.runtime import ReviewConfig, load_runtime
from station.ui.context import AppContext
from station.ui.main_window import MainWindow
from station.workflow.draft import Draft
from station.workflow.finish import FinishResult, hand_over
from station.workflow.samples import FEEDER_NAME, VirtualFeeder
from tests.station.ui.window_support import wait_analyzed, wait_scanned
from uploader.config import UploaderConfig
from uploader.errors import DatabaseVersionError, QueueStorageError
from uploader.models import Applicant, Dossier, QueueItem, RequiredDocument, SenderStatus

CODE = "000.00.01.H22-250702-0013"
CARD = CitizenId(CardSide.FRONT, CardStyle.CAN_CUOC_2024, id_number="079203001234", full_name="NGUYỄN VĂN ÁNH",
                 sources=("qr",))


def _done() -> Future[None]:
    """What the fake service's journal calls return: already recorded."""
    future: Future[None] = Future()
    future.set_result(None)
    return future


@dataclass
class FakeCounter:
    """Scripted answers, recorded requests; no backend, no outbox, no journal."""

    sessions_root: Path
    settings: st.Settings = field(default_factory=st.Settings)
    analysis: AnalysisOptions = field(default_factory=lambda: AnalysisOptions(ocr=False, barcodes=False, cccd=False))
    upload: UploaderConfig = field(default_factory=lambda: UploaderConfig(station_id="Quầy 02",
                                                                          operator_id="Trần Thị Bích"))
    review: ReviewConfig = field(default_factory=lambda: ReviewConfig(0.1, 0, st.REJECTION_REASONS))
    drivers: DriverRegistry = field(default_factory=lambda: DriverRegistry(VirtualFeeder(count=2)))
    journal: CounterJournal | None = None
    answer: DossierLookup | None = None
    card_check: CardCheck = field(default_factory=lambda: CardCheck(None))
    hand_over_error: Exception | None = None
    finish_error: Exception | None = None
    listeners: list[Listener] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)
    finished: list[tuple[Path, str | None]] = field(default_factory=list)
    drafts: list[Draft] = field(default_factory=list)
    closed: int = 0

    def emit(self, event: CounterEvent) -> None:
        for listener in self.listeners:
            listener(event)

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def list_devices(self) -> list[ScanDevice]:
        return []

    def scan_options(self, profile: str = "") -> ScanOptions:
        return ScanOptions()

    def scan_job(self, device: str, profile: str = "", *, single: bool = False) -> ScanJob:
        self.calls.append(f"scan_job {device}")
        return self.drivers.job(device, ScanOptions(), single=single)

    def lookup(self, code: str) -> DossierLookup:
        self.calls.append(f"lookup {code}")
        return replace(self.answer, code=code) if self.answer else DossierLookup(code, failure=LookupFailure.OFFLINE)

    def check_cards(self, cards: Sequence[CitizenId], dossier: Dossier | None) -> CardCheck:
        return self.card_check

    def hand_over(self) -> Path:
        if self.hand_over_error is not None:
            raise self.hand_over_error
        return hand_over(self.sessions_root)

    def pending_handovers(self) -> list[Path]:
        return []

    def finish(self, root: Path, code: str | None) -> FinishResult:
        self.finished.append((root, code))
        if self.finish_error is not None:
            raise self.finish_error
        return FinishResult(code or "", root.name, (), ())

    def set_aside(self, current: Path) -> Path:
        return current

    def start_sender(self) -> bool:
        self.calls.append("start_sender")
        return True

    def wake_sender(self) -> None:
        pass

    def outbox_items(self) -> list[QueueItem]:
        return []

    def retry(self, item_id: int) -> None:
        pass

    def retry_all(self) -> int:
        return 0

    def page_analyzed(self, page_id: str, analysis: PageAnalysis, preview: Image | None,
                      dossier_code: str | None) -> Future[None]:
        return _done()

    def dossier_finished(self, draft: Draft, procedure_code: str | None) -> Future[None]:
        self.drafts.append(draft)
        return _done()

    def sync_journal(self) -> list[RescanRequest]:
        return []

    def resolve_rescan(self, request_id: str) -> list[RescanRequest]:
        return []

    def save_settings(self, settings: st.Settings, path: Path | None) -> Path:
        return self.sessions_root / "settings.json"

    def close(self) -> None:
        self.closed += 1


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, FakeCounter]]:
    fake = FakeCounter(tmp_path / "phiên làm việc")
    window = MainWindow(AppContext(load_runtime(None)), fake)
    qtbot.addWidget(window)
    window.show()
    window.start()
    yield window, fake
    if shiboken6.isValid(window):
        window.close()


def test_the_window_words_each_lookup_outcome(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    closed = Dossier(CODE, "1.000656", "Cấp giấy chứng nhận quyền sử dụng đất", "closed",
                     Applicant("Nguyễn Văn Ánh", "079203001234"),
                     (RequiredDocument("so-do", "Giấy tờ đất đai", True),))
    outcomes = [
        (DossierLookup("", failure=LookupFailure.NOT_FOUND), "This code is not on the backend yet"),
        (DossierLookup("", failure=LookupFailure.OFFLINE), "Backend unreachable: working offline"),
        (DossierLookup("", failure=LookupFailure.REFUSED, message="Máy chủ từ chối: sai mã thông báo"),
         "Máy chủ từ chối: sai mã thông báo"),
        (DossierLookup("", closed), 'Dossier found, but its status is "closed"'),
    ]
    for n, (answer, text) in enumerate(outcomes):
        fake.answer = answer
        code = f"000.00.01.H22-250702-00{20 + n}"
        with qtbot.waitSignal(window.dossierLoaded, timeout=10_000) as loaded:
            window.enter_dossier_code(code)
        assert f"lookup {code}" in fake.calls
        assert text in window.dossier_panel.code_status.text()
        assert loaded.args == [answer.dossier]
    assert "Giấy tờ đất đai" in window.documents_panel.missing_label.text()


def test_card_warnings_from_the_service_are_worded(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    fake.card_check = CardCheck(CARD, (CardWarning(CardWarningKind.CARD_NOTE, "Ảnh mặt trước hơi mờ"),
                                       CardWarning(CardWarningKind.CHECK_FAILED, "mrz_check_digit"),
                                       CardWarning(CardWarningKind.ID_DIFFERS),
                                       CardWarning(CardWarningKind.NAME_DIFFERS)))
    window.session.cardsRead.emit((CARD,))
    assert window.dossier_panel.name.text() == "NGUYỄN VĂN ÁNH"
    assert window.dossier_panel.warnings.text().split("\n") == [
        "⚠ Ảnh mặt trước hơi mờ", "⚠ Check failed on the card: mrz_check_digit",
        "⚠ The ID number differs from the dossier's applicant", "⚠ The name differs from the dossier's applicant"]


def test_service_events_reach_the_gui_thread(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    seen: list[bool] = []
    window.serviceEvent.connect(lambda _event: seen.append(threading.current_thread() is threading.main_thread()))
    status = SenderStatus(running=True, counts={"queued": 3}, online=False)
    sender = threading.Thread(target=fake.emit, args=(SenderStatusChanged(status),), name="gửi-hàng-đợi")
    sender.start()
    sender.join()
    qtbot.waitUntil(lambda: window.upload_status.text() == f"Backend offline: {status.pending} waiting", timeout=5_000)
    threading.Thread(target=fake.emit, args=(SenderBusy(),)).start()
    qtbot.waitUntil(lambda: "Another station program" in window.upload_status.text(), timeout=5_000)
    assert seen == [True, True]


def test_scan_and_finish_go_through_the_service(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    assert "start_sender" in fake.calls
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 2 and f"scan_job {FEEDER_NAME}" in fake.calls
    wait_analyzed(qtbot, window)
    window.enter_dossier_code(CODE)
    window.ask = lambda title, text: True  # type: ignore[method-assign]
    with qtbot.waitSignal(window.dossierFinished, timeout=20_000) as finished:
        window.finish_action.trigger()
    [(root, code)] = fake.finished
    assert code == CODE and finished.args[0].batch_id == root.name
    assert (root / "current" / "draft.json").is_file()  # handed over through the service
    [draft] = fake.drafts
    assert draft.dossier_code == CODE and draft.page_count == 2
    assert window.session.draft.page_count == 0  # ready for the next citizen


def test_a_hand_over_refused_keeps_the_dossier(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    wait_scanned(qtbot, window)
    wait_analyzed(qtbot, window)
    window.enter_dossier_code(CODE)
    fake.hand_over_error = OSError(errno.ENOSPC, "No space left on device")
    with qtbot.waitSignal(window.finishFailed, timeout=10_000) as failed:
        window.finish_action.trigger()
    assert failed.args[0] is fake.hand_over_error and fake.finished == []
    assert "Could not save the dossier for sending" in window.message_bar.text()
    assert window.session.draft.page_count == 2 and window.session.draft.dossier_code == CODE


@pytest.mark.parametrize("where", ["hand-over", "finish"])
def test_an_uploader_error_is_told_in_its_own_vietnamese_words(qtbot: QtBot, shell: tuple[MainWindow, FakeCounter],
                                                               where: str) -> None:
    """Not only scanning's StationError: any library's typed error (here the uploader's) shows its user_message."""
    window, fake = shell
    wait_scanned(qtbot, window)
    wait_analyzed(qtbot, window)
    window.enter_dossier_code(CODE)
    window.ask = lambda title, text: True  # type: ignore[method-assign]
    error: Exception
    if where == "hand-over":
        error = DatabaseVersionError("outbox schema 9 is newer than 3")
        fake.hand_over_error = error
    else:
        error = QueueStorageError("outbox not writable", user_message="Không ghi được hàng đợi của Nguyễn Văn Ánh.")
        fake.finish_error = error
    with qtbot.waitSignal(window.finishFailed, timeout=10_000) as failed:
        window.finish_action.trigger()
    assert failed.args[0] is error
    text = window.message_bar.text()
    assert error.user_message in text
    assert "Lỗi nội bộ" not in text and "Error" not in text


def test_closing_the_window_closes_the_service_once(shell: tuple[MainWindow, FakeCounter]) -> None:
    window, fake = shell
    window.close()
    assert fake.closed == 1 and window.calls.running == 0
