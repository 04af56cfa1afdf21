"""The settings dialog: values validated by the settings dataclasses, profiles edited, the token stored in the
keyring (never in the settings file), scan options taken from the chosen profile."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from scanning.models import ColorMode, PageSize, ScanOptions, Source
from station import settings as st
from station.ui.settings_dialog import SettingsDialog
from tests.station.ui.window_support import WindowFactory
from uploader.client import TokenProvider
from uploader.config import UploaderConfig


def test_settings_dialog_validates_saves_and_stores_the_token(qtbot: QtBot, tmp_path: Path) -> None:
    config = UploaderConfig(data_dir=tmp_path)
    dialog = SettingsDialog(st.Settings(), config)
    qtbot.addWidget(dialog)
    assert dialog.profiles.rowCount() == len(st.DEFAULT_PROFILES)
    dialog.url.setText("ftp://wrong")
    dialog.accept()
    assert "backend.url" in dialog.error.text() and dialog.result() == 0  # stays open, says which setting
    dialog.url.setText("https://dvc.example.vn")
    dialog.operator_id.setText("can-bo-07")
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.resolution.setValue(200)
    dialog.token.setText("secret-token-123")
    item = dialog.profiles.item(0, 0)
    assert item is not None
    item.setText("Hồ sơ hộ tịch — xám 200 dpi")
    dialog.accept()
    assert dialog.error.text() == "" and dialog.result() == 1
    saved = dialog.result_settings()
    assert saved.backend.url == "https://dvc.example.vn" and saved.backend.operator_id == "can-bo-07"
    assert saved.ui.language == "en" and saved.scanner.resolution == 200
    assert saved.profiles.items[0].name == "Hồ sơ hộ tịch — xám 200 dpi"
    path = st.save(saved, tmp_path / "settings.json")
    assert st.load(path) == saved
    assert "secret-token-123" not in path.read_text(encoding="utf-8")
    assert TokenProvider(config).token() == "secret-token-123"  # from the keyring


def test_two_profiles_with_one_name_are_refused(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = SettingsDialog(st.Settings(), UploaderConfig(data_dir=tmp_path))
    qtbot.addWidget(dialog)
    first = dialog.profiles.item(0, 0)
    second = dialog.profiles.item(1, 0)
    assert first is not None and second is not None
    second.setText(first.text())
    dialog.accept()
    assert "same name" in dialog.error.text() and dialog.result() == 0


def test_the_chosen_profile_sets_the_scan_options(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(start=False)
    land = "Hồ sơ đất đai — màu 300 dpi hai mặt"
    window.profile_combo.setCurrentIndex(window.profile_combo.findData(land))
    assert window.scan_options() == ScanOptions(Source.DUPLEX, 300, ColorMode.COLOR, PageSize.A4)
    window.profile_combo.setCurrentIndex(0)  # the scanner section's defaults
    assert window.scan_options() == ScanOptions(Source.ADF, 300, ColorMode.COLOR, PageSize.A4)  # Decree 30/2020
