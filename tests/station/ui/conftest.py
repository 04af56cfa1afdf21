"""Fixtures of the counter-app tests: a throw-away station home and the real window against the live backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QLocale, QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station import settings as st
from station.runtime import load_runtime
from station.ui.app import counter_service
from station.ui.context import AppContext
from station.ui.i18n import install_translator
from station.ui.main_window import MainWindow
from station.workflow.samples import VirtualFeeder
from tests.backend_fixtures import BackendProcess
from tests.sane_fixtures import clean_virtual_devices  # noqa: F401 - autouse: every counter test starts from the devices' defaults
from tests.station.ui.window_support import WindowFactory, counter_settings


@pytest.fixture
def station_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("STATION_DATA_DIR", str(data))
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return data


@pytest.fixture
def vietnamese() -> Iterator[QTranslator]:
    """The UI in Vietnamese, the station's default language (the source strings are English)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    locale = QLocale()
    translator = install_translator(app, "vi")
    assert translator is not None
    yield translator
    app.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture
def operator() -> str:
    return f"op-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def make_window(
    qtbot: QtBot, station_dirs: Path, live: BackendProcess, operator: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[WindowFactory]:
    """Build the real main window against the live reference backend; closed at the end of the test."""
    monkeypatch.setenv("STATION_BACKEND_TOKEN", live.token)
    windows: list[MainWindow] = []

    def factory(feeder: VirtualFeeder | None = None, start: bool = True, review: st.ReviewSettings | None = None,
                **recognition: bool) -> MainWindow:
        st.save(counter_settings(live.url, operator, review, **recognition))  # into STATION_CONFIG_DIR
        context = AppContext(load_runtime(None), feeder=feeder, start_sender=True)
        window = MainWindow(context, counter_service(context))
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        windows.append(window)
        if start:
            window.start()
        return window

    yield factory
    for window in windows:
        if shiboken6.isValid(window):  # a test may have deleted it (results after deletion are dropped)
            window.close()
