"""`station sign` and `station verify` as scripts call them: real subprocesses, the PIN only in their environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from station.exit_codes import ExitCode
from tests.paths import ROOT
from tests.signing_fixtures import AGENCY_NAME, OFFICER_NAME, SigningPki, build_unsigned_pdf

TIMEOUT_S = 180


def station(pki: SigningPki | None, *args: str, **env_changes: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATION_PKCS11", "STATION_TSA", "STATION_TRUST"))}
    if pki is not None:
        env.update(pki.environment())
    env.update(env_changes)
    return subprocess.run([sys.executable, "-m", "station", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT_S, check=False)


def test_sign_both_roles_then_verify_json(signing_pki: SigningPki, tmp_path: Path) -> None:
    files = [build_unsigned_pdf(tmp_path / f"{n:02d}-tờ-khai.pdf") for n in (1, 2)]
    officer = station(signing_pki, "sign", *map(str, files), "--as", "officer", "--officer", OFFICER_NAME)
    assert officer.returncode == ExitCode.OK, officer.stderr
    assert "B-LT" in officer.stdout
    agency = station(signing_pki, "sign", *map(str, files), "--as", "agency", "--copy-form", "SAO Y",
                     "--agency", AGENCY_NAME)
    assert agency.returncode == ExitCode.OK, agency.stderr
    assert signing_pki.pin not in officer.stdout + officer.stderr + agency.stdout + agency.stderr

    checked = station(signing_pki, "verify", "--json", *map(str, files))
    assert checked.returncode == ExitCode.OK, checked.stderr
    lines = [json.loads(line) for line in checked.stdout.splitlines()]
    assert [line["file"] for line in lines] == list(map(str, files))
    for line in lines:
        assert set(line) == {"file", "valid", "signatures"} and line["valid"] is True
        roles = [(s["role"], s["signer"]) for s in line["signatures"]]
        assert roles == [("officer", OFFICER_NAME), ("agency", AGENCY_NAME)]
        for sig in line["signatures"]:
            assert set(sig) == {"role", "signer", "signing_time", "timestamp", "intact", "trusted",
                                "covers_whole_document"}
            assert sig["intact"] and sig["trusted"] and sig["covers_whole_document"]
            assert sig["timestamp"] and "T" in sig["signing_time"]


def test_verify_fails_when_any_file_is_unsigned_or_changed(signing_pki: SigningPki, tmp_path: Path) -> None:
    signed = build_unsigned_pdf(tmp_path / "đã-ký.pdf")
    unsigned = build_unsigned_pdf(tmp_path / "chưa-ký.pdf")
    assert station(signing_pki, "sign", str(signed), "--as", "officer").returncode == ExitCode.OK
    assert station(signing_pki, "verify", str(signed)).returncode == ExitCode.OK
    both = station(signing_pki, "verify", "--json", str(signed), str(unsigned))
    assert both.returncode == ExitCode.SIGNATURE
    last = json.loads(both.stdout.splitlines()[1])
    assert last == {"file": str(unsigned), "valid": False, "signatures": []}


def test_sign_refuses_without_configuration_or_with_a_wrong_pin(signing_pki: SigningPki, tmp_path: Path) -> None:
    path = build_unsigned_pdf(tmp_path / "giấy-tờ.pdf")
    before = path.read_bytes()
    unconfigured = station(None, "sign", str(path), "--as", "officer")
    assert unconfigured.returncode == ExitCode.USAGE and "Chưa cấu hình ký số" in unconfigured.stderr
    wrong = station(signing_pki, "sign", str(path), "--as", "officer", STATION_PKCS11_PIN="999999")
    assert wrong.returncode == ExitCode.SIGNATURE and "PIN" in wrong.stderr and "999999" not in wrong.stderr
    no_agency = station(signing_pki, "sign", str(path), "--as", "agency")
    assert no_agency.returncode == ExitCode.USAGE
    assert path.read_bytes() == before
