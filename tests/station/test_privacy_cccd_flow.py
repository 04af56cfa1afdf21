"""A full CCCD flow at the counter without the GUI (capture → session store → analysis worker → journal →
report to the backend → finish), then every file the station wrote (data dir, config dir, session folder)
is searched for the citizen's ID number, name, birth date and address, with and without diacritics, upper
and lower case, NFC and NFD, UTF-8 and UTF-16. Nothing may be there in clear."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from scanning.models import Page
from station import atrest
from station.counter.journal_recorder import CounterJournal
from station.journal.store import default_journal_path
from station.pipeline import AnalysisOptions
from station.ui.analysis_worker import analyze_for_counter
from station.workflow.draft import Draft, DraftPage
from station.workflow.finish import FinishRequest, analysis_dir, finish_session, hand_over
from station.workflow.session import SessionStore
from tests.backend_fixtures import BackendProcess
from tests.cardgen import PEOPLE, Placement, flatbed_page, render_card
from uploader.config import UploaderConfig

PERSON = PEOPLE[0]  # NGUYỄN VĂN AN, 001093047064, born 05/01/1993, Số 12 ngõ 45 Nguyễn Trãi, ...
DOSSIER = "000.00.01.H22-250702-0013"


def ascii_fold(text: str) -> str:
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in folded if not unicodedata.combining(c))


def needles() -> dict[str, list[bytes]]:
    """Every spelling of the citizen's data that would count as 'in clear'."""
    dob = PERSON.date_of_birth
    street = PERSON.address.split(",")[0]  # "Số 12 ngõ 45 Nguyễn Trãi": the part that identifies a home
    secrets = {
        "id number": [PERSON.id_number],
        "name": [PERSON.full_name],
        "birth date": [dob.strftime("%d/%m/%Y"), dob.isoformat(), dob.strftime("%d%m%Y"), dob.strftime("%y%m%d")],
        "address": [street],
    }
    found: dict[str, list[bytes]] = {}
    for what, texts in secrets.items():
        variants: set[str] = set()
        for text in texts:
            for form in (text, text.upper(), text.lower(), text.title()):
                for spelled in (form, ascii_fold(form)):
                    variants |= {unicodedata.normalize("NFC", spelled), unicodedata.normalize("NFD", spelled)}
        found[what] = sorted({v.encode(enc) for v in variants for enc in ("utf-8", "utf-16-le", "utf-16-be")})
    return found


def written_files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.exists():
            yield from (p for p in sorted(root.rglob("*")) if p.is_file() and not p.is_symlink())


def leaks(*roots: Path, skip: tuple[Path, ...] = ()) -> list[str]:
    found = []
    for path in written_files(*roots):
        if any(path.is_relative_to(s) for s in skip):
            continue
        data = path.read_bytes()
        for what, spellings in needles().items():
            if any(s in data for s in spellings):
                found.append(f"{what} in {path.name} ({path.parent.name})")
    return found


def images(*roots: Path, skip: tuple[Path, ...] = ()) -> list[str]:
    """Files any image reader would open (a card image in clear), PDFs included."""
    found = []
    for path in written_files(*roots):
        if any(path.is_relative_to(s) for s in skip):
            continue
        data = path.read_bytes()
        if data.startswith(b"%PDF") or (data and cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
                                        is not None):
            found.append(f"{path.name} ({path.parent.name})")
    return found


@pytest.fixture
def station_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    data, config = tmp_path / "dữ liệu", tmp_path / "cấu hình"
    monkeypatch.setenv("STATION_DATA_DIR", str(data))
    monkeypatch.setenv("STATION_CONFIG_DIR", str(config))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    atrest.forget_cached_key()
    return data, config


def test_the_search_finds_the_citizen_where_it_is_in_clear(tmp_path: Path) -> None:
    """The check below can fail: it finds every kind of datum, in any of its spellings."""
    (tmp_path / "a").write_text(f"… {ascii_fold(PERSON.full_name).title()} …", encoding="utf-8")
    (tmp_path / "b").write_bytes(PERSON.address.upper().encode("utf-16-le"))
    (tmp_path / "c").write_text(f"sinh ngày {PERSON.date_of_birth:%d/%m/%Y}, số {PERSON.id_number}")
    found = leaks(tmp_path)
    assert {f.split(" in ")[0] for f in found} == {"name", "address", "birth date", "id number"}


@pytest.mark.timeout(600)
def test_a_full_cccd_flow_leaves_nothing_personal_in_clear(
        station_home: tuple[Path, Path], own_backend: BackendProcess, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    data, config = station_home
    sessions = data / "session"
    card_page = flatbed_page([Placement(render_card(PERSON, style="2021", side="front"), 25, 30),
                              Placement(render_card(PERSON, style="2021", side="back"), 25, 110)])
    operator = "Nguyễn Thị Lan"
    uploader = UploaderConfig(backend_url=own_backend.url, token=own_backend.token, station_id="quầy-01",
                              operator_id=operator, data_dir=data)

    # The capture is on disk before it is shown (imported from a file named after the citizen, as happens).
    store = SessionStore(sessions)
    page_id = store.save_capture(Page(card_page, 300, f"/nhập/{PERSON.full_name.title()} - CCCD.png", 1))
    # The analysis worker: cleanup, OCR, card reading; its cache lands beside the captures.
    result = analyze_for_counter(store.load_capture(page_id), AnalysisOptions(), analysis_dir(store), page_id)
    assert any(card.id_number == PERSON.id_number for card in result.analysis.cards)  # the card was read
    # The journal, reported to the backend.
    journal = CounterJournal.open(default_journal_path(), station_id=uploader.station_id, operator_id=operator,
                                  uploader=uploader)
    assert journal is not None
    journal.page_analyzed(page_id, result.analysis, result.preview, dossier_code=DOSSIER)
    draft = Draft().append_page(DraftPage(page_id)).set_doc_type(0, "cccd").set_dossier_code(DOSSIER)
    store.save_draft(draft)
    journal.dossier_finished(draft, procedure_code="1.000656")
    journal.sync_now()

    # Mid-dossier (a crash now would leave exactly this): the session folder with its captures and analysis
    # cache, the journal and the keys.
    assert any(analysis_dir(store).iterdir())
    assert leaks(data, config) == []
    assert images(data, config) == []  # captures, the analysis cache and previews are sealed

    # Finish: the documents are built and queued; the session folder goes.
    root = hand_over(sessions)
    finished = finish_session(root, FinishRequest(
        dossier_code=DOSSIER, station_id=uploader.station_id, operator_id=operator, out_root=data / "outgoing",
        outbox_path=uploader.queue_db, captured_at=datetime.now(UTC)))
    assert [d.doc_type for d in finished.documents] == ["cccd"]
    journal.sync_now()
    journal.close()
    assert leaks(data, config) == []
    # Only the documents waiting for upload hold the card (the uploader's outbox; purged once confirmed).
    assert images(data, config, skip=(data / "outgoing",)) == []

    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert [what for what, spellings in needles().items()
            if any(s in logged.encode("utf-8") for s in spellings)] == []


def test_the_analysis_cache_beside_the_captures_is_not_in_clear(station_home: tuple[Path, Path]) -> None:
    data, _ = station_home
    card_page = flatbed_page([Placement(render_card(PERSON, style="2021", side="front"), 25, 30),
                              Placement(render_card(PERSON, style="2021", side="back"), 25, 110)])
    store = SessionStore(data / "session")
    page_id = store.save_capture(Page(card_page, 300, "pnm:0", 1))
    result = analyze_for_counter(store.load_capture(page_id), AnalysisOptions(), analysis_dir(store), page_id)
    assert any(card.id_number == PERSON.id_number for card in result.analysis.cards)
    assert leaks(analysis_dir(store)) == []
