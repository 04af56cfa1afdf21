import json
from enum import StrEnum
from pathlib import Path

import pytest

from scanning.models import ColorMode, PageSize, Source
from station import settings as st


def test_defaults_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    original = st.Settings()
    st.save(original, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["version"] == st.SCHEMA_VERSION
    assert data["quality"]["min_dpi"] == 200
    assert st.load(path) == original


def test_changed_values_survive_save_and_load(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    changed = st.Settings(
        scanner=st.ScannerSettings(device="test:0", source="duplex", resolution=200, mode="color"),
        ui=st.UiSettings(language="en"),
    )
    st.save(changed, path)
    loaded = st.load(path)
    assert loaded.scanner.source == "duplex"
    assert loaded.scanner.resolution == 200
    assert loaded.ui.language == "en"


def test_version_1_file_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": 1, "backend_url": "https://dvc.example.vn", "ui": {"language": "en"}}))
    loaded = st.load(path)
    assert loaded.backend.url == "https://dvc.example.vn"
    assert loaded.ui.language == "en"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scanner": {"resolution": "300"}}, "scanner.resolution must be a whole number"),
        ({"scanner": {"resolution": 20}}, "scanner.resolution must be between"),
        ({"scanner": {"mode": "sepia"}}, "scanner.mode must be one of"),
        ({"backend": {"url": "ftp://x"}}, "backend.url must start with"),
        ({"recognition": {"ocr": "yes"}}, "recognition.ocr must be true or false"),
        ({"ui": "vi"}, "ui must be an object"),
    ],
)
def test_invalid_values_are_named(tmp_path: Path, data: dict[str, object], message: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": st.SCHEMA_VERSION, **data}))
    with pytest.raises(st.SettingsError) as caught:
        st.load(path)
    assert message in str(caught.value)
    assert caught.value.user_message  # the GUI has something to show


def test_unreadable_file_is_a_settings_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"{not json")
    with pytest.raises(st.SettingsError, match="cannot read settings file"):
        st.load(path)


def test_unknown_keys_are_ignored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": st.SCHEMA_VERSION, "scanner": {"turbo": True, "resolution": 150}}))
    assert st.load(path).scanner.resolution == 150
    assert "scanner.turbo" in caplog.text


def test_environment_overrides_backend_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    st.save(st.Settings(backend=st.BackendSettings(url="https://saved.example.vn")), path)
    monkeypatch.setenv("STATION_BACKEND_URL", "http://127.0.0.1:9999")
    assert st.load(path).backend.url == "http://127.0.0.1:9999"


def test_read_is_the_file_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What the settings dialog saves back must not hold an environment override (station/runtime.py adds it)."""
    path = tmp_path / "settings.json"
    st.save(st.Settings(backend=st.BackendSettings(url="https://saved.example.vn", station_id="Quầy Nguyễn Văn Ánh")),
            path)
    monkeypatch.setenv("STATION_BACKEND_URL", "http://127.0.0.1:9999")
    assert st.read(path).backend.url == "https://saved.example.vn"
    assert st.read(path).backend.station_id == "Quầy Nguyễn Văn Ánh"


@pytest.mark.parametrize(
    ("section", "key", "choices"),
    [("scanner", "source", Source), ("scanner", "mode", ColorMode), ("scanner", "page_size", PageSize)],
)
def test_choices_are_the_scanning_library_enums(tmp_path: Path, section: str, key: str,
                                                choices: type[StrEnum]) -> None:
    path = tmp_path / "settings.json"
    for member in choices:  # every value the driver knows is a valid setting...
        path.write_text(json.dumps({"version": st.SCHEMA_VERSION, section: {key: member.value}}))
        assert getattr(getattr(st.read(path), section), key) == member
    path.write_text(json.dumps({"version": st.SCHEMA_VERSION, section: {key: "Giấy tờ đất đai"}}))
    with pytest.raises(st.SettingsError) as caught:  # ...and the message lists exactly those
        st.read(path)
    assert f"{section}.{key} must be one of {', '.join(m.value for m in choices)}" in str(caught.value)


@pytest.mark.parametrize("bad", ["Trạm\nPhường 1", "A" * 129, "trạm\x00", "trạm\u202e1"])
def test_station_and_operator_ids_are_one_line_of_at_most_128_characters(bad: str) -> None:
    """The id goes into headers, manifests, the journal and the backend (which refuses longer ones): a bad one
    is refused where it is configured, not when the journal sync fails for good later."""
    with pytest.raises(st.SettingsError, match=r"backend\.station_id") as raised:
        st.BackendSettings(station_id=bad)
    assert "128 ký tự" in raised.value.user_message
    with pytest.raises(st.SettingsError, match=r"backend\.operator_id"):
        st.BackendSettings(operator_id=bad)


def test_a_vietnamese_id_of_128_characters_is_accepted() -> None:
    name = ("Trạm Phường Bến Nghé " * 7)[:128]
    assert st.BackendSettings(station_id=name, operator_id="Nguyễn Thị Minh Ánh").station_id == name
