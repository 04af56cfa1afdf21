"""The counter app and supervisor review meet in the journal: captured pages and finished dossiers are recorded,
reported to the backend, and a supervisor's rejection comes back to the counter as a rescan request."""

from __future__ import annotations

from typing import Any

import requests
from pytestqt.qtbot import QtBot

from station.journal.store import Journal
from station.workflow.samples import SAMPLE_DOSSIER_CODE
from tests.backend_fixtures import BackendProcess
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned


def backend_queue(live: BackendProcess, operator: str) -> list[dict[str, Any]]:
    r = requests.get(f"{live.url}/api/v1/review/queue", headers=live.auth, timeout=10,
                     params={"operator": operator, "sample_rate": "1", "seed": "1"})
    r.raise_for_status()
    return list(r.json()["items"])


def test_counter_journal_review_round_trip(qtbot: QtBot, make_window: WindowFactory, live: BackendProcess,
                                           operator: str) -> None:
    window = make_window()
    assert window.journal is not None and window.review_action.shortcut().toString() == "F9"
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    wait_analyzed(qtbot, window)
    qtbot.waitUntil(lambda: window.session.draft.dossier_code == SAMPLE_DOSSIER_CODE, timeout=20_000)
    window.ask = lambda title, text: True  # type: ignore[method-assign]
    with qtbot.waitSignal(window.dossierFinished, timeout=90_000):
        window.finish_action.trigger()

    # Locally: every analysed capture, filed under the dossier and its document slots, and the dossier itself.
    journal: Journal = window.journal.journal
    qtbot.waitUntil(lambda: len([d for d in journal.dossiers() if d.dossier_code == SAMPLE_DOSSIER_CODE]) == 1,
                    timeout=20_000)
    document_pages = [p for p in journal.pages() if p.operator_id == operator and p.doc_type in ("to-khai", "cccd")]
    assert sorted(p.doc_type or "" for p in document_pages) == ["cccd", "cccd", "to-khai", "to-khai"]
    assert {p.dossier_code for p in document_pages} == {SAMPLE_DOSSIER_CODE}
    [dossier] = [d for d in journal.dossiers() if d.dossier_code == SAMPLE_DOSSIER_CODE]
    assert dossier.pages == 4 and dossier.documents == 2

    # Reported to the backend by the sync that follows the finish (the supervisor sees the whole center).
    qtbot.waitUntil(lambda: len(backend_queue(live, operator)) >= 4, timeout=30_000)
    target = next(p for p in document_pages if p.doc_type == "to-khai")

    # A supervisor elsewhere rejects one page; the counter learns it at its next sync.
    r = requests.post(f"{live.url}/api/v1/review/{target.page_id}", headers=live.auth, timeout=10,
                      json={"decision": "reject", "reason": "mờ", "note": "quét lại ở 300 dpi", "reviewer": "gs.01"})
    assert r.status_code == 201, r.text
    with qtbot.waitSignal(window.rescanRequestsChanged, timeout=30_000,
                          check_params_cb=lambda count: count == 1):
        window.sync_journal()
    assert window.rescan_button.isVisible()
    [request] = window.rescan_requests
    assert (request.page_id, request.reason, request.dossier_code) == (target.page_id, "mờ", SAMPLE_DOSSIER_CODE)

    # Marked done at the counter: closed locally and on the backend.
    with qtbot.waitSignal(window.rescanRequestsChanged, timeout=30_000, check_params_cb=lambda count: count == 0):
        window.resolve_rescan_request(request.request_id)
    assert not window.rescan_button.isVisible()
    r = requests.get(f"{live.url}/api/v1/review/rescan-requests", headers=live.auth, timeout=10,
                     params={"status": "all"})
    statuses = {q["request_id"]: q["status"] for q in r.json()["items"]}
    assert statuses[request.request_id] == "done"
