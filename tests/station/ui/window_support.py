"""Helpers of the counter-app tests (their fixtures are in conftest.py beside this file). No tests here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from pytestqt.qtbot import QtBot

from station import settings as st
from station.ui.main_window import MainWindow

WindowFactory = Callable[..., MainWindow]



def counter_settings(backend_url: str, operator: str, review: st.ReviewSettings | None = None,
                     **recognition: Any) -> st.Settings:
    base = st.Settings()
    return replace(
        base,
        backend=replace(base.backend, url=backend_url, station_id="quay-01", operator_id=operator),
        recognition=replace(base.recognition, **recognition),
        review=review or base.review,
    )


def wait_scanned(qtbot: QtBot, window: MainWindow, timeout: int = 60_000) -> tuple[int, object]:
    with qtbot.waitSignal(window.scanEnded, timeout=timeout) as blocker:
        window.scan_action.trigger()
    pages, error = blocker.args
    return int(pages), error


def wait_analyzed(qtbot: QtBot, window: MainWindow, timeout: int = 120_000) -> None:
    def settled() -> bool:  # the pool is idle and its last result has reached the window (a queued signal)
        pages = window.session.pages.values()
        return (not window.analysis.busy and not window.scanning
                and all(info.analysis is not None or info.failed is not None for info in pages))

    qtbot.waitUntil(settled, timeout=timeout)
