"""station/runtime.py: settings file, environment and flags read once, in a written order, into typed sections.

The command parsers are the real ones (`register()` of each command module), the settings a real file.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import socket
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from PIL import Image as PILImage

from scanning.cleanup.config import CleanupConfig, QualityThresholds
from station import settings as st
from station.commands import inspect, process, queue, upload, watch
from station.runtime import Runtime, load_runtime
from tests import pagegen
from uploader.config import DEFAULT_BACKEND_URL

STATION = "Trạm Phường Bến Nghé"
OPERATOR = "Nguyễn Văn Ánh"


def write_settings(folder: Path, **sections: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / st.SETTINGS_FILE
    path.write_text(json.dumps({"version": st.SCHEMA_VERSION, **sections}, ensure_ascii=False), encoding="utf-8")
    return path


def environ(tmp_path: Path, **variables: str) -> dict[str, str]:
    """A whole environment of its own: nothing leaks in from the test session's variables."""
    return {"STATION_CONFIG_DIR": str(tmp_path / "config"), "STATION_DATA_DIR": str(tmp_path / "data"), **variables}


def parse(module: ModuleType, argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="station")
    module.register(parser.add_subparsers())
    return parser.parse_args(list(argv))


def runtime_of(module: ModuleType, argv: Sequence[str], env: dict[str, str]) -> Runtime:
    return load_runtime(parse(module, argv), environ=env)


def test_defaults_without_a_settings_file(tmp_path: Path) -> None:
    env = environ(tmp_path)
    runtime = load_runtime(None, environ=env)
    assert runtime.settings == st.Settings()
    assert runtime.data_dir == tmp_path / "data"
    assert runtime.journal.path == tmp_path / "data" / "journal.sqlite3"
    assert runtime.upload.backend_url == DEFAULT_BACKEND_URL and not runtime.backend_configured
    assert runtime.upload.data_dir == tmp_path / "data" and runtime.upload.token is None
    # One station id for the documents and for the uploads: the settings' default.
    assert runtime.batch.station_id == runtime.upload.station_id == st.BackendSettings().station_id
    assert runtime.batch.pdf_dpi == 300 and runtime.batch.jobs >= 1
    assert runtime.analysis.cleanup.quality.min_dpi == st.QualitySettings().min_dpi


def test_flags_over_environment_over_settings_file(tmp_path: Path) -> None:
    bundle_file, bundle_env, bundle_flag = (tmp_path / f"ca {n}.pem" for n in ("tệp", "biến", "cờ"))
    write_settings(tmp_path / "config",
                   backend={"url": "http://127.0.0.1:9001", "station_id": STATION, "operator_id": OPERATOR,
                            "ca_bundle": str(bundle_file)},
                   recognition={"ocr_lang": "vie"})
    only_file = runtime_of(upload, ["upload", "out"], environ(tmp_path))
    assert (only_file.upload.backend_url, only_file.upload.station_id, only_file.upload.operator_id,
            only_file.upload.ca_bundle) == ("http://127.0.0.1:9001", STATION, OPERATOR, bundle_file)
    assert only_file.backend_configured

    env = environ(tmp_path, STATION_BACKEND_URL="http://127.0.0.1:9002", STATION_ID="Quầy số 2",
                  STATION_OPERATOR_ID="Trần Thị Bích", STATION_CA_BUNDLE=str(bundle_env))
    over_file = runtime_of(upload, ["upload", "out"], env)
    assert (over_file.upload.backend_url, over_file.upload.station_id, over_file.upload.operator_id,
            over_file.upload.ca_bundle) == ("http://127.0.0.1:9002", "Quầy số 2", "Trần Thị Bích", bundle_env)

    flags = ["upload", "out", "--backend", "http://127.0.0.1:9003", "--station-id", "Quầy số 3",
             "--operator-id", "Lê Văn Cường", "--ca-bundle", str(bundle_flag), "--data-dir", str(tmp_path / "cờ")]
    over_env = runtime_of(upload, flags, env)
    assert (over_env.upload.backend_url, over_env.upload.station_id, over_env.upload.operator_id,
            over_env.upload.ca_bundle) == ("http://127.0.0.1:9003", "Quầy số 3", "Lê Văn Cường", bundle_flag)
    assert over_env.upload.data_dir == over_env.data_dir == tmp_path / "cờ"
    # The effective settings say the same (what the counter app would show).
    assert over_env.settings.backend.url == "http://127.0.0.1:9003"

    lang = runtime_of(inspect, ["inspect", "x.png", "--lang", "eng"], env)
    assert lang.analysis.lang == "eng" and only_file.analysis.lang == "vie"


def test_the_token_comes_from_the_environment_only(tmp_path: Path) -> None:
    runtime = load_runtime(None, environ=environ(tmp_path, STATION_BACKEND_TOKEN="bí-mật"))
    assert runtime.upload.token == "bí-mật"
    assert "bí-mật" not in repr(runtime)


def test_empty_ids_mean_host_and_login_name_for_uploads_and_stay_empty_in_documents(tmp_path: Path) -> None:
    write_settings(tmp_path / "config", backend={"station_id": "", "operator_id": ""})
    runtime = load_runtime(None, environ=environ(tmp_path))
    assert runtime.upload.station_id == socket.gethostname() and runtime.upload.operator_id
    assert (runtime.batch.station_id, runtime.batch.operator_id) == ("", "")


def test_upload_section_takes_retention_and_tuning(tmp_path: Path) -> None:
    write_settings(tmp_path / "config", backend={"retention_days": 30})
    runtime = runtime_of(upload, ["upload", "out", "--workers", "3", "--backoff-base", "0.5"], environ(tmp_path))
    assert (runtime.upload.retention_days, runtime.upload.workers, runtime.upload.backoff_base) == (30.0, 3, 0.5)
    assert runtime.upload.queue_db == tmp_path / "data" / "outbox.sqlite3"
    queued = runtime_of(queue, ["queue", "--data-dir", str(tmp_path / "hàng đợi")], environ(tmp_path))
    assert queued.upload.queue_db == tmp_path / "hàng đợi" / "outbox.sqlite3"
    assert queued.upload.retention_days == 30.0  # `station queue --purge` follows the settings


def test_journal_path_is_decided_in_one_place(tmp_path: Path) -> None:
    default = load_runtime(None, environ=environ(tmp_path))
    assert default.journal.path == tmp_path / "data" / "journal.sqlite3"
    moved = load_runtime(argparse.Namespace(data_dir=tmp_path / "khác"), environ=environ(tmp_path))
    assert moved.journal.path == tmp_path / "khác" / "journal.sqlite3"
    configured = tmp_path / "nhật ký" / "trạm.sqlite3"
    write_settings(tmp_path / "config", review={"journal_path": str(configured), "preview_long_side": 800,
                                                "rejection_reasons": ["mờ", "thiếu trang"]})
    from_file = load_runtime(None, environ=environ(tmp_path))
    assert from_file.journal.path == configured
    assert (from_file.journal.preview_long_side, from_file.journal.rejection_reasons) == (800, ("mờ", "thiếu trang"))
    flag = load_runtime(argparse.Namespace(journal=tmp_path / "cờ.sqlite3"), environ=environ(tmp_path))
    assert flag.journal.path == tmp_path / "cờ.sqlite3"


def test_review_section(tmp_path: Path) -> None:
    write_settings(tmp_path / "config", review={"sample_rate": 0.25, "sample_seed": 7,
                                                "rejection_reasons": ["Giấy tờ đất đai sai loại"]})
    review = load_runtime(None, environ=environ(tmp_path)).review
    assert (review.sample_rate, review.sample_seed, review.rejection_reasons) == (
        0.25, 7, ("Giấy tờ đất đai sai loại",))


def test_batch_section_and_process_options(tmp_path: Path) -> None:
    write_settings(tmp_path / "config", backend={"station_id": STATION, "operator_id": OPERATOR},
                   review={"preview_long_side": 1200})
    runtime = runtime_of(process, ["process", "in", "--out", str(tmp_path / "out"), "--jobs", "2", "--pdf-dpi",
                                   "200", "--operator", "Phạm Thị Dung"], environ(tmp_path))
    options = runtime.process_options(tmp_path / "out")
    assert (options.jobs, options.pdf_dpi, options.station_id, options.operator) == (2, 200, STATION, "Phạm Thị Dung")
    assert options.journal_path == runtime.journal.path and options.preview_long_side == 1200
    assert options.analysis == replace(runtime.analysis, keep_image=True)  # PDFs need the cleaned image
    watched = runtime_of(watch, ["watch", "inbox", "--out", str(tmp_path / "out")], environ(tmp_path))
    assert watched.batch.operator_id == OPERATOR and watched.batch.jobs >= 1


def test_analysis_follows_every_recognition_and_quality_setting(tmp_path: Path) -> None:
    write_settings(tmp_path / "config",
                   quality={"min_dpi": 300, "max_skew_deg": 1.5},
                   recognition={"ocr": False, "barcodes": True, "cccd": False, "ocr_lang": "vie",
                                "separator_prefix": "PHÂN-CÁCH"})
    analysis = load_runtime(None, environ=environ(tmp_path)).analysis
    thresholds = replace(QualityThresholds(), min_dpi=300, max_skew_deg=1.5)
    assert analysis.cleanup == replace(CleanupConfig(), quality=thresholds)
    assert (analysis.ocr, analysis.barcodes, analysis.cccd, analysis.lang, analysis.separator_prefix) == (
        False, True, False, "vie", "PHÂN-CÁCH")
    switched = runtime_of(inspect, ["inspect", "x.png", "--no-barcodes"], environ(tmp_path)).analysis
    assert (switched.ocr, switched.barcodes, switched.cccd) == (False, False, False)


def test_the_same_settings_give_the_same_analysis_in_every_front_end(tmp_path: Path) -> None:
    """The bug: the counter app flagged a page (quality.*) that `process`/`inspect`/`watch` did not, and `watch`
    read ID cards the settings had turned off."""
    write_settings(tmp_path / "config", quality={"min_dpi": 300, "max_skew_deg": 1.0},
                   recognition={"cccd": False, "barcodes": False, "separator_prefix": "TỜ-PHÂN-CÁCH"})
    env = environ(tmp_path)
    out = str(tmp_path / "out")
    via = {
        "inspect": runtime_of(inspect, ["inspect", "in"], env).analysis,
        "process": runtime_of(process, ["process", "in", "--out", out], env).process_options(Path(out)).analysis,
        "watch": runtime_of(watch, ["watch", "in", "--out", out], env).process_options(Path(out)).analysis,
        "counter": load_runtime(None, environ=env).analysis,  # what station.ui.app.counter_service hands on
    }
    flagging = {name: replace(options, keep_image=False) for name, options in via.items()}
    assert len({repr(options) for options in flagging.values()}) == 1, flagging
    assert flagging["watch"].cleanup.quality.min_dpi == 300 and not flagging["watch"].cccd


def _inspect(argv: list[str]) -> tuple[int, list[dict[str, object]]]:
    from station.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main(argv)
    return status, [json.loads(line) for line in out.getvalue().splitlines()]


def test_inspect_flags_a_page_below_the_configured_dpi_like_the_counter_app(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:6], dpi=250).image
    path = tmp_path / "Tờ khai của Nguyễn Văn Ánh.png"
    PILImage.fromarray(np.asarray(page)).save(path, dpi=(250, 250))
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    argv = ["inspect", str(path), "--json", "--jobs", "1", "--no-ocr", "--no-cccd"]
    status, (record,) = _inspect(argv)
    assert status == 0 and "low_dpi" not in json.dumps(record)  # 250 dpi passes the default 200
    write_settings(tmp_path / "config", quality={"min_dpi": 300})
    status, (record,) = _inspect(argv)
    assert status == 0 and "low_dpi" in json.dumps(record)  # the settings' limit, as in the counter app


@pytest.mark.parametrize(
    ("variables", "argv", "named"),
    [
        ({"STATION_BACKEND_URL": "ftp://máy-chủ"}, [], "STATION_BACKEND_URL"),
        ({}, ["--backend", "máy-chủ:8080"], "--backend"),
        ({}, ["--workers", "2", "--station-id", "Quầy 1", "--backend", "file:///etc"], "--backend"),
    ],
)
def test_a_bad_value_names_its_source_in_vietnamese(tmp_path: Path, variables: dict[str, str], argv: list[str],
                                                    named: str) -> None:
    with pytest.raises(st.SettingsError) as caught:
        runtime_of(upload, ["upload", "out", *argv], environ(tmp_path, **variables))
    assert named in str(caught.value) and named in caught.value.user_message
    assert "không hợp lệ" in caught.value.user_message
    assert caught.value.exit_code == 2  # ExitCode.USAGE


@pytest.mark.parametrize("argv", [["--jobs", "0"], ["--pdf-dpi", "-5"]])
def test_bad_numbers_on_the_command_line_are_refused(tmp_path: Path, argv: list[str]) -> None:
    with pytest.raises(st.SettingsError) as caught:
        runtime_of(inspect, ["inspect", "x.png", *argv], environ(tmp_path))
    assert "từ 1 trở lên" in caught.value.user_message


def test_a_bad_settings_file_is_a_typed_error(tmp_path: Path) -> None:
    write_settings(tmp_path / "config", scanner={"mode": "sepia"})
    with pytest.raises(st.SettingsError) as caught:
        load_runtime(None, environ=environ(tmp_path))
    assert "scanner.mode must be one of color, gray, lineart" in str(caught.value)
    assert "Tệp cấu hình" in caught.value.user_message


def test_the_cli_prints_the_vietnamese_message_and_the_usage_status(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from station.cli import main

    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STATION_BACKEND_URL", "ftp://máy-chủ")
    assert main(["queue", "--json"]) == 2
    err = capsys.readouterr().err
    assert "biến môi trường STATION_BACKEND_URL" in err and "backend.url must start" not in err
    assert main(["-v", "queue", "--json"]) == 2
    assert "backend.url must start with http:// or https://" in capsys.readouterr().err  # -v: technical text too
