"""What keeps the GUI thread's event loop running on a loaded machine: the full-resolution pages never travel
through the GUI process to the analysis worker (pickling them held the interpreter lock the GUI thread needs)."""

from __future__ import annotations

from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from station.workflow.samples import VirtualFeeder
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned


def test_scanned_pages_reach_the_analysis_worker_without_crossing_the_gui_process(
        qtbot: QtBot, make_window: WindowFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pickling a ~9 MB page in this process (a copy, then the pipe) held the interpreter lock the GUI thread
    needs; the worker now reads the sealed capture back from the session folder."""
    from multiprocessing.reduction import ForkingPickler

    sent: list[int] = []
    original = ForkingPickler.dumps

    def dumps(obj: Any, protocol: int | None = None) -> memoryview:
        data: memoryview = original(obj, protocol)
        sent.append(len(data))
        return data

    monkeypatch.setattr(ForkingPickler, "dumps", dumps)
    window = make_window(VirtualFeeder(count=3), ocr=False, cccd=False)
    pages, error = wait_scanned(qtbot, window)
    wait_analyzed(qtbot, window)
    assert error is None and pages == 3
    assert len(window.session.pages) == 3
    assert all(info.analysis is not None for info in window.session.pages.values())
    full = window.session.store.load_capture(next(iter(window.session.pages))).image.nbytes
    assert sent and full > 4_000_000
    assert max(sent) < full // 20  # ids and paths, never the pixels
