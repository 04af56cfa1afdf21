"""`station upload` / `station queue` honour the station settings (backend.url, station_id, operator_id, ca_bundle,
retention_days), and `--wait` ends with a clear Vietnamese error when the token is refused for good, leaving the
items queued in order (not failed)."""

from __future__ import annotations

import argparse
import json
import subprocess
from pathlib import Path

import pytest

from station.runtime import load_runtime
from tests.backend_fixtures import ROOT, BackendProcess, make_output, new_dossier_code, station_cmd, station_env

STATION = "Trạm Phường Bến Nghé"
OPERATOR = "Trần Thị Ánh"
FAST = ["--backoff-base", "0.05", "--backoff-cap", "0.2"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(station_cmd(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def write_settings(env: dict[str, str], **backend: object) -> None:
    folder = Path(env["STATION_CONFIG_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "settings.json").write_text(json.dumps({"version": 2, "backend": backend}, ensure_ascii=False),
                                          encoding="utf-8")


def test_settings_are_the_defaults_under_env_and_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "ca bundle.pem"
    bundle.write_text("")
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("STATION_ID", raising=False)
    env = {"STATION_CONFIG_DIR": str(tmp_path / "config")}
    write_settings(env, url="http://127.0.0.1:9", station_id=STATION, operator_id=OPERATOR, ca_bundle=str(bundle),
                   retention_days=30)
    parser = argparse.ArgumentParser()
    from uploader.cliargs import add_common, add_connection

    add_common(parser)
    add_connection(parser)
    cfg = load_runtime(parser.parse_args([])).upload
    assert (cfg.backend_url, cfg.station_id, cfg.operator_id, cfg.ca_bundle, cfg.retention_days) == (
        "http://127.0.0.1:9", STATION, OPERATOR, bundle, 30.0)
    monkeypatch.setenv("STATION_ID", "quay-09")  # the environment is above the settings file
    cli = load_runtime(parser.parse_args(["--operator-id", "Lê Văn Cường"])).upload
    assert (cli.station_id, cli.operator_id) == ("quay-09", "Lê Văn Cường")


def test_upload_and_purge_follow_the_settings(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "out", code, [("to-khai", 1), ("cccd", 1)])
    env = station_env(tmp_path / "station", live)
    del env["STATION_BACKEND_URL"]  # the URL comes from the settings file
    write_settings(env, url=live.url, station_id=STATION, operator_id=OPERATOR, retention_days=3650)
    done = run(["upload", str(folder), "--wait", *FAST], env)
    assert done.returncode == 0, done.stderr
    got = live.dossier(code)["attachments"]
    assert {(a["station_id"], a["operator_id"]) for a in got} == {(STATION, OPERATOR)}
    assert (folder / "01-to-khai.pdf").exists()  # ten years of retention: kept
    assert "deleted 0" in run(["queue", "--purge"], env).stdout
    write_settings(env, url=live.url, station_id=STATION, retention_days=0)
    purged = run(["queue", "--purge"], env)
    assert "deleted 2" in purged.stdout, purged.stdout + purged.stderr
    assert not (folder / "01-to-khai.pdf").exists() and not (folder / "02-cccd.pdf").exists()


def test_upload_wait_with_zero_retention_removes_the_confirmed_copies(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "out", code, [("cccd", 1)])
    env = station_env(tmp_path / "station", live)
    write_settings(env, retention_days=0)
    done = run(["upload", str(folder), "--wait", *FAST], env)
    assert done.returncode == 0, done.stderr
    assert not folder.exists()  # the file, then its manifest and folder: nothing local remains
    assert len(live.dossier(code)["attachments"]) == 1


def test_refused_token_ends_wait_clearly_and_keeps_items_queued(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "out", code, [("to-khai", 1), ("cccd", 1)])
    env = station_env(tmp_path / "station", live)
    live.faults(refuse_auth=True)
    done = run(["upload", str(folder), "--wait", *FAST], env)  # no --timeout
    assert done.returncode == 6  # ExitCode.UPLOAD (was 5, which also meant "cannot write")
    assert "khoá truy cập" in done.stderr.lower() and "stopped waiting" in done.stderr
    rows = json.loads(run(["queue", "--json"], env).stdout)
    assert [r["state"] for r in rows] == ["failed-retrying", "queued"]
    live.reset_faults()
    again = run(["upload", str(folder), "--wait", *FAST], env)
    assert again.returncode == 0, again.stderr
    assert len(live.dossier(code)["attachments"]) == 2
