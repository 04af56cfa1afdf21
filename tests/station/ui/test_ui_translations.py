"""Translations: the committed .qm files are compiled from the current .ts files, every string in the code
has a Vietnamese translation, and the window speaks Vietnamese by default."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.ui.i18n import TRANSLATIONS_DIR, install_translator
from tests.backend_fixtures import ROOT
from tests.station.ui.window_support import WindowFactory

BIN = ROOT / ".venv" / "bin"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_qm_is_compiled_from_the_current_ts(tmp_path: Path, language: str) -> None:
    ts = TRANSLATIONS_DIR / f"station_{language}.ts"
    out = tmp_path / f"station_{language}.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(out)], check=True, capture_output=True,
                   timeout=60)
    committed = TRANSLATIONS_DIR / f"station_{language}.qm"
    assert committed.read_bytes() == out.read_bytes(), f"run: .venv/bin/pyside6-lrelease {ts.relative_to(ROOT)}"


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path: Path) -> None:
    ts = tmp_path / "station_vi.ts"
    shutil.copy(TRANSLATIONS_DIR / "station_vi.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "station" / "ui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True,
                   timeout=120)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(ts).getroot().iter("message")
        if m.find("translation") is not None
        and m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert untranslated == [], "add these to resources/translations/station_vi.ts (Qt Linguist), then lrelease"


def test_the_window_is_vietnamese_by_default(qtbot: QtBot, make_window: WindowFactory) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, "vi")
    assert translator is not None
    try:
        window = make_window(start=False)
        assert window.scan_action.text() == "Quét"
        assert window.finish_action.text() == "Hoàn tất và gửi"
        assert window.dossier_panel.title() == "Hồ sơ"
        assert window.device_combo.itemText(0) == "Máy quét ảo (trang mẫu)"
    finally:
        app.removeTranslator(translator)
    assert install_translator(app, "en") is None  # English is the source language: no translator needed
