"""The counter path end to end, through real parts: the counter window (offscreen) scans the sample dossier from
SANE's virtual pnm device, the officer types a Vietnamese document type, Finish builds the PDF/A files and the
sender uploads them under a Vietnamese operator name to the reference backend (a real HTTP server in a
subprocess), which must hold every attachment with the right metadata and the name intact."""

from __future__ import annotations

import hashlib
import io
import unicodedata

import pikepdf
import pytest
from pytestqt.qtbot import QtBot

from station.atrest import read_maybe_sealed  # the PDFs wait for the backend sealed at rest
from station.output.doctype import doc_type
from station.workflow.samples import SAMPLE_DOSSIER_CODE
from tests.backend_fixtures import BackendProcess
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned

OPERATOR = "Nguyễn Thị Minh Ánh"
LAND_PAPERS = "Giấy tờ đất đai (bản sao sổ đỏ)"


@pytest.fixture
def operator() -> str:  # overrides the ASCII one of tests/station/ui/conftest.py
    return OPERATOR


@pytest.mark.timeout(400)
def test_counter_scan_finish_upload_with_vietnamese_names(qtbot: QtBot, make_window: WindowFactory,
                                                          live: BackendProcess) -> None:
    window = make_window()
    assert window.uploader.operator_id == OPERATOR
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    wait_analyzed(qtbot, window)
    qtbot.waitUntil(lambda: window._dossier is not None, timeout=20_000)
    assert [d.doc_type for d in window.session.draft.documents] == ["to-khai", "cccd"]

    # The officer types a document type of their own for the first document (free text, Vietnamese).
    combo = window.documents_panel.combos[0]
    line = combo.lineEdit()
    assert line is not None
    combo.setEditText(LAND_PAPERS)
    line.editingFinished.emit()
    land = doc_type(LAND_PAPERS)
    qtbot.waitUntil(lambda: window.session.draft.documents[0].doc_type in (LAND_PAPERS, land.code), timeout=5_000)

    window.ask = lambda title, text: True  # type: ignore[method-assign] # the birth certificate is missing: send
    with qtbot.waitSignal(window.dossierFinished, timeout=120_000) as finished:
        window.finish_action.trigger()
    result = finished.args[0]
    assert [(d.doc_type, d.pages) for d in result.documents] == [(land.code, 2), ("cccd", 2)]
    with pikepdf.open(io.BytesIO(read_maybe_sealed(result.documents[0].path))) as pdf:
        assert "Giấy tờ đất đai" in str(pdf.docinfo.get("/Title", ""))  # the human name travels in the PDF

    def mine() -> list[dict[str, object]]:
        return [a for a in live.dossier(SAMPLE_DOSSIER_CODE)["attachments"]
                if unicodedata.normalize("NFC", str(a["operator_id"])) == OPERATOR]

    qtbot.waitUntil(lambda: len(mine()) == len(result.documents), timeout=90_000)
    by_type = {str(a["doc_type"]): a for a in mine()}
    assert set(by_type) == {land.code, "cccd"}
    for doc in result.documents:
        got = by_type[doc.doc_type]
        assert got["operator_id"] == OPERATOR  # byte for byte, not folded to ASCII
        assert got["station_id"] == "quay-01"
        assert got["pages"] == doc.pages
        assert got["sha256"] == hashlib.sha256(read_maybe_sealed(doc.path)).hexdigest() == doc.sha256
    qtbot.waitUntil(lambda: window.outbox_model.rowCount() >= 2 and all(
        window.outbox_model.item(r).state.value == "sent" for r in range(window.outbox_model.rowCount())),
        timeout=30_000)
    journal = window.journal
    assert journal is not None
    assert all(p.operator_id == OPERATOR for p in journal.journal.pages())
