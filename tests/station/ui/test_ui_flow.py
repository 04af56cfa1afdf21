"""The whole counter flow through the real widgets: SANE pnm virtual feeder with the sample pages -> strip ->
separator split -> dossier code and CCCD -> finish -> PDF/A files in the outbox -> the reference backend."""

from __future__ import annotations

import hashlib
import io

import pikepdf
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from station.atrest import is_sealed, read_maybe_sealed
from station.workflow.samples import SAMPLE_DOSSIER_CODE, sample_pages
from tests.backend_fixtures import BackendProcess
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned


def test_counter_flow_from_scanner_to_backend(qtbot: QtBot, make_window: WindowFactory, live: BackendProcess,
                                              operator: str) -> None:
    window = make_window()
    assert window.scan_action.shortcut() == QKeySequence("F5")
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == len(sample_pages()) == 7
    wait_analyzed(qtbot, window)
    qtbot.waitUntil(lambda: window._dossier is not None, timeout=20_000)

    # Receipt and both separator sheets left the documents; the sheets split and typed them.
    draft = window.session.draft
    assert [(d.doc_type, len(d.pages)) for d in draft.documents] == [("to-khai", 2), ("cccd", 2)]
    assert window.page_model.rowCount() == 4
    assert len(draft.excluded) == 3
    assert draft.dossier_code == SAMPLE_DOSSIER_CODE
    assert window.dossier_panel.code_edit.text() == SAMPLE_DOSSIER_CODE
    assert "Đăng ký khai sinh" in window.dossier_panel.procedure.text()
    # The applicant from the card, consistent with the backend's applicant: no name/ID warning.
    assert window.dossier_panel.name.text() == "NGUYỄN THỊ MINH ANH"
    assert window.dossier_panel.id_number.text() == "001190012345"
    assert "applicant" not in window.dossier_panel.warnings.text()
    # The birth certificate is required and missing: shown before sending.
    assert "Giấy chứng sinh" in window.documents_panel.missing_label.text()
    assert [c.currentData() for c in window.documents_panel.combos] == ["to-khai", "cccd"]

    asked: list[str] = []
    window.ask = lambda title, text: bool(asked.append(text) or True)  # type: ignore[method-assign,func-returns-value]
    with qtbot.waitSignal(window.dossierFinished, timeout=90_000) as finished:
        window.finish_action.trigger()
        # Immediately ready for the next citizen.
        assert window.page_model.rowCount() == 0
        assert window.dossier_panel.code_edit.text() == ""
    assert asked and "Giấy chứng sinh" in asked[0]
    result = finished.args[0]
    assert [(d.doc_type, d.pages) for d in result.documents] == [("to-khai", 2), ("cccd", 2)]
    for doc in result.documents:
        assert is_sealed(doc.path)  # the PDFs wait for the backend sealed at rest (ID cards among them)
        with pikepdf.open(io.BytesIO(read_maybe_sealed(doc.path))) as pdf:
            assert len(pdf.pages) == doc.pages
            assert "pdfaid" in str(pdf.open_metadata())

    def arrived() -> bool:
        attachments = [a for a in live.dossier(SAMPLE_DOSSIER_CODE)["attachments"] if a["operator_id"] == operator]
        return len(attachments) == 2

    qtbot.waitUntil(arrived, timeout=60_000)
    attachments = [a for a in live.dossier(SAMPLE_DOSSIER_CODE)["attachments"] if a["operator_id"] == operator]
    by_type = {a["doc_type"]: a for a in attachments}
    assert set(by_type) == {"to-khai", "cccd"}
    for doc in result.documents:
        got = by_type[doc.doc_type]
        assert got["pages"] == doc.pages
        assert got["station_id"] == "quay-01"
        assert got["sha256"] == hashlib.sha256(read_maybe_sealed(doc.path)).hexdigest() == doc.sha256
    # The upload panel shows them sent.
    qtbot.waitUntil(lambda: window.outbox_model.rowCount() == 2 and all(
        window.outbox_model.item(r).state.value == "sent" for r in range(2)), timeout=20_000)
    assert not window.session.store.has_unfinished()
