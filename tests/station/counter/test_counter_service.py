"""The counter service without Qt: drivers and profiles, dossier lookup on the real reference backend, the ID
card against the applicant, finish -> outbox -> upload, and the journal recording document-type codes."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from ocr.models import CardSide, CardStyle, CitizenId
from scanning.drivers.sane_driver import SaneDriver
from scanning.models import ColorMode, PageSize, ScanOptions, Source
from station import settings as st
from station.counter.capture import ScanTarget, TargetKind, apply_separator, place_capture
from station.counter.crosscheck import CardWarning, CardWarningKind
from station.counter.drivers import DriverRegistry
from station.counter.events import CounterEvent, DossierQueued, SenderStatusChanged
from station.counter.finish_rules import FinishBlock, FinishCheck, check_finish
from station.counter.lookup import LookupFailure
from station.counter.service import CounterService
from station.output.doctype import doc_type
from station.pipeline import analyze_page
from station.runtime import load_runtime
from station.workflow.draft import Draft, DraftDocument, DraftPage
from station.workflow.samples import FEEDER_NAME, SAMPLE_DOSSIER_CODE, VirtualFeeder
from station.workflow.session import SessionStore
from tests.backend_fixtures import ROOT, BackendProcess, new_dossier_code
from tests.sane_fixtures import clean_virtual_devices  # noqa: F401 - autouse fixture
from tests.waiting import wait_until
from uploader.models import Applicant, Dossier, RequiredDocument

OPERATOR = "Nguyễn Văn Ánh"
LAND_PAPERS = "Giấy tờ đất đai"
CODE_FOR_RULES = "000.00.01.H22-250702-0013"
PROFILE = st.ScanProfile("Hồ sơ đất đai — màu, 200 dpi", Source.FLATBED.value, 200, ColorMode.COLOR.value, "a5")

ServiceFactory = Callable[..., CounterService]


@pytest.fixture
def make_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, live: BackendProcess) -> Iterator[ServiceFactory]:
    """A service configured as the app configures it: settings file -> load_runtime -> typed sections."""
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "dữ liệu"))
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "cấu hình"))
    monkeypatch.setenv("STATION_BACKEND_TOKEN", live.token)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    services: list[CounterService] = []

    def factory(url: str = live.url, feeder: VirtualFeeder | None = None) -> CounterService:
        base = st.Settings()
        st.save(replace(base, backend=replace(base.backend, url=url, station_id="Quầy 01 Phường Bến Nghé",
                                              operator_id=OPERATOR),
                        profiles=replace(base.profiles, items=(*base.profiles.items, PROFILE))))
        runtime = load_runtime(None)
        service = CounterService(settings=runtime.settings, analysis=runtime.analysis, upload=runtime.upload,
                                 journal=runtime.journal, review=runtime.review,
                                 sessions_root=runtime.data_dir / "session", out_root=runtime.data_dir / "outgoing",
                                 drivers=DriverRegistry(feeder))
        services.append(service)
        return service

    yield factory
    for service in services:
        service.close()


def test_the_service_imports_no_qt() -> None:
    code = ("import sys, station.counter.service, station.counter.drivers; "
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            check=True)
    assert result.stdout.strip() == "[]"


def test_the_virtual_feeder_is_a_driver_like_any_other(make_service: ServiceFactory) -> None:
    service = make_service(feeder=VirtualFeeder(count=3))
    job = service.scan_job(FEEDER_NAME)
    assert job.driver is service.drivers.feeder and job.device == FEEDER_NAME
    pages = list(job.driver.scan(job.device, job.options))
    assert [p.index for p in pages] == [1, 2, 3] and all(p.dpi == 300 for p in pages)
    single = service.scan_job(FEEDER_NAME, single=True)
    assert single.options.max_pages == 1 and len(list(single.driver.scan(single.device, single.options))) == 1


def test_a_sane_device_gets_the_profile_it_was_asked_for(make_service: ServiceFactory) -> None:
    service = make_service()
    assert service.scan_options(PROFILE.name) == ScanOptions(Source.FLATBED, 200, ColorMode.COLOR, PageSize.A5)
    scanner = service.settings.scanner
    defaults = ScanOptions(Source(scanner.source), scanner.resolution, ColorMode(scanner.mode),
                           PageSize(scanner.page_size))
    assert service.scan_options("") == defaults and service.scan_options("Không có hồ sơ này") == defaults
    job = service.scan_job("test:0", PROFILE.name, single=True)
    assert isinstance(job.driver, SaneDriver) and job.device == "test:0"
    assert job.options == ScanOptions(Source.FLATBED, 200, ColorMode.COLOR, PageSize.A5, max_pages=1)
    [page] = list(job.driver.scan(job.device, job.options))  # SANE's test device, for real
    assert page.dpi == 200 and page.image.ndim == 3


def test_dossier_lookup_found_missing_and_offline(make_service: ServiceFactory, live: BackendProcess) -> None:
    service = make_service()
    found = service.lookup(SAMPLE_DOSSIER_CODE)
    assert found.dossier is not None and found.is_open and found.failure is None
    assert "cccd" in found.required_codes
    missing = service.lookup(new_dossier_code())
    assert (missing.dossier, missing.failure) == (None, LookupFailure.NOT_FOUND)
    offline = make_service(url="http://127.0.0.1:9").lookup(SAMPLE_DOSSIER_CODE)
    assert (offline.dossier, offline.failure) == (None, LookupFailure.OFFLINE)


def test_the_card_is_checked_against_itself_and_the_applicant() -> None:
    front = CitizenId(CardSide.FRONT, CardStyle.CAN_CUOC_2024, id_number="079203001234", full_name="NGUYỄN VĂN ÁNH",
                      sources=("qr",),
                      checks={"qr_checksum": True}, warnings=("Ảnh mặt trước hơi mờ",))
    back = CitizenId(CardSide.BACK, CardStyle.CAN_CUOC_2024, id_number="079203001234", sources=("mrz",),
                     checks={"mrz_check_digit": False})
    same = Dossier("000.00.01.H22-250702-0013", "1.000656", "Cấp giấy chứng nhận", "open",
                   Applicant("Nguyễn Văn Ánh", "079203001234"))
    check = CounterService.check_cards([back, front], same)
    assert check.card is front
    assert check.warnings == (CardWarning(CardWarningKind.CARD_NOTE, "Ảnh mặt trước hơi mờ"),
                              CardWarning(CardWarningKind.CHECK_FAILED, "mrz_check_digit"))
    other = replace(same, applicant=Applicant("Trần Thị Bích", "001199000111"))
    stranger = replace(back, id_number="001199000999", checks={})
    kinds = [w.kind for w in CounterService.check_cards([front, stranger], other).warnings]
    assert kinds == [CardWarningKind.CARD_NOTE, CardWarningKind.SIDES_DIFFER, CardWarningKind.ID_DIFFERS,
                     CardWarningKind.NAME_DIFFERS]
    assert CounterService.check_cards([], same).card is None


@pytest.mark.timeout(400)
def test_finish_queues_and_uploads_and_the_journal_records_type_codes(make_service: ServiceFactory,
                                                                     live: BackendProcess) -> None:
    service = make_service(feeder=VirtualFeeder(count=3))
    events: list[CounterEvent] = []
    service.subscribe(events.append)
    code = new_dossier_code()
    live.create_dossier(code)
    job = service.scan_job(FEEDER_NAME)
    store = SessionStore(service.sessions_root)
    store.start()
    options = replace(service.analysis, ocr=False, barcodes=False, cccd=False)
    ids = []
    for page in job.driver.scan(job.device, job.options):
        page_id = store.save_capture(page)
        service.page_analyzed(page_id, analyze_page(page, options), None, code)
        ids.append(page_id)
    draft = Draft(code, (DraftDocument(LAND_PAPERS, tuple(DraftPage(i) for i in ids[:2])),
                         DraftDocument("cccd", (DraftPage(ids[2]),))))
    store.save_draft(draft)

    service.dossier_finished(draft, "1.000656").result(timeout=30)  # after the page records, in order
    journal = service.journal
    assert journal is not None
    recorded = {p.page_id: p.doc_type for p in journal.journal.pages()}
    land = doc_type(LAND_PAPERS).code
    assert land == "giay-to-dat-dai"
    assert [recorded[i] for i in ids] == [land, land, "cccd"]  # the manifest's code, not the free text

    root = service.hand_over()
    assert not store.has_unfinished() and service.pending_handovers() == [root]
    assert service.start_sender()
    result = service.finish(root, None)  # the code comes from the handed-over draft
    assert result.dossier_code == code and [d.doc_type for d in result.documents] == [land, "cccd"]
    assert service.pending_handovers() == []
    assert any(isinstance(e, DossierQueued) and e.result == result for e in events)
    wait_until(lambda: len(live.dossier(code)["attachments"]) >= 2, 120, "both attachments on the backend")
    attachments = live.dossier(code)["attachments"]
    assert sorted((a["doc_type"], a["pages"]) for a in attachments) == [("cccd", 1), (land, 2)]
    # The sender marks an item sent once the backend's answer is in: a moment after the backend stored it.
    wait_until(lambda: {item.state.value for item in service.outbox_items()} == {"sent"}, 30, "both items sent",
               seen=lambda: [item.state.value for item in service.outbox_items()])
    assert any(isinstance(e, SenderStatusChanged) for e in events)


def test_a_session_not_restored_is_set_aside_never_deleted(make_service: ServiceFactory) -> None:
    service = make_service(feeder=VirtualFeeder(count=1))
    store = SessionStore(service.sessions_root)
    store.start()
    job = service.scan_job(FEEDER_NAME)
    page_id = store.save_capture(next(iter(job.driver.scan(job.device, job.options))))
    aside = service.set_aside(store.current)
    assert not store.has_unfinished()
    assert (aside / "current" / "captures" / f"{page_id}.png").is_file()


def test_a_capture_goes_where_its_scan_job_was_aimed() -> None:
    draft = Draft(CODE_FOR_RULES, (DraftDocument(LAND_PAPERS, (DraftPage("a"), DraftPage("b"))),))
    ids = lambda d: [[p.page_id for p in doc.pages] for doc in d.documents]  # noqa: E731
    assert ids(place_capture(draft, "c", ScanTarget())) == [["a", "b", "c"]]
    assert ids(place_capture(draft, "c", ScanTarget(TargetKind.INSERT, "b"))) == [["a", "c", "b"]]
    replaced = place_capture(draft, "c", ScanTarget(TargetKind.REPLACE, "a"))
    assert ids(replaced) == [["c", "b"]] and "a" in replaced.excluded  # kept, never destroyed
    assert ids(place_capture(draft, "c", ScanTarget(TargetKind.INSERT, "đã-xoá"))) == [["a", "b", "c"]]
    assert [d.doc_type for d in apply_separator(draft, "b", "Tờ khai").documents] == [LAND_PAPERS, "Tờ khai"]


def test_when_a_dossier_may_be_finished() -> None:
    pages = DraftDocument("to-khai", (DraftPage("a"),))
    draft = Draft(CODE_FOR_RULES, (pages,))
    dossier = Dossier(CODE_FOR_RULES, "1.000656", "Đăng ký khai sinh", "open", Applicant("Nguyễn Văn Ánh"),
                      (RequiredDocument("to-khai", "Tờ khai đăng ký khai sinh", True),
                       RequiredDocument("giay-chung-sinh", "Giấy chứng sinh", True),
                       RequiredDocument("so-ho-khau", "Sổ hộ khẩu", False)))
    assert check_finish(draft, dossier, scanning=True, analysing=False).block is FinishBlock.SCANNING
    assert check_finish(replace(draft, dossier_code="không-phải-mã"), dossier, scanning=False,
                        analysing=False).block is FinishBlock.NO_CODE
    assert check_finish(Draft(CODE_FOR_RULES), dossier, scanning=False, analysing=False).block is FinishBlock.NO_PAGES
    assert check_finish(draft, dossier, scanning=False, analysing=True).block is FinishBlock.ANALYSING
    assert check_finish(draft, dossier, scanning=False, analysing=False) == FinishCheck(missing=("Giấy chứng sinh",))
    assert check_finish(draft, None, scanning=False, analysing=False) == FinishCheck()  # offline: nothing required
