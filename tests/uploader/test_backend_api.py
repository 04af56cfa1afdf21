"""The reference backend against its contract, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import requests
import yaml

from tests.backend_fixtures import BackendProcess, free_port, make_pdf, new_dossier_code
from tests.paths import ROOT

SEEDED = "000.00.01.H22-250702-0013"


def _put(live: BackendProcess, code: str, att_id: str, body: bytes, **headers: str) -> requests.Response:
    h = {
        **live.auth,
        "X-Operator-Id": "op-1",
        "X-Doc-Type": "cccd",
        "X-Page-Count": "1",
        "X-Content-SHA256": hashlib.sha256(body).hexdigest(),
        "Content-Type": "application/pdf",
        **headers,
    }
    return requests.put(f"{live.url}/api/v1/dossiers/{code}/attachments/{att_id}", data=body, headers=h, timeout=10)


def _error_code(resp: requests.Response) -> str:
    assert resp.headers["Content-Type"].startswith("application/json")
    return str(resp.json()["error"]["code"])


def test_health_needs_no_token(live: BackendProcess) -> None:
    r = requests.get(live.url + "/api/v1/health", timeout=5)
    assert r.json() == {"status": "ok", "version": "1.0.0"}


def test_seeded_dossier_lists_procedure_and_required_documents(live: BackendProcess) -> None:
    d = live.dossier(SEEDED)
    assert d["procedure_code"] == "1.000656"
    assert d["procedure_name"] == "Đăng ký khai sinh"
    assert {"code": "cccd", "name": "Căn cước / CCCD của người đi đăng ký", "required": True} in d["required_documents"]
    assert any(not doc["required"] for doc in d["required_documents"])
    assert d["applicant"]["name"]


def test_auth_is_required(live: BackendProcess) -> None:
    r = requests.get(f"{live.url}/api/v1/dossiers/{SEEDED}", timeout=5)
    assert r.status_code == 401 and _error_code(r) == "unauthorized"
    assert r.headers["WWW-Authenticate"] == "Bearer"
    r = requests.get(f"{live.url}/api/v1/dossiers/{SEEDED}", headers={"Authorization": "Bearer wrong"}, timeout=5)
    assert r.status_code == 401


def test_dossier_code_format_is_validated(live: BackendProcess) -> None:
    for bad in ("hello", "000.00.01.H22-251302-0013", "000.00.01.h22-250702-0013", "000-250702-0013"):
        r = requests.get(f"{live.url}/api/v1/dossiers/{bad}", headers=live.auth, timeout=5)
        assert r.status_code == 422, bad
        assert _error_code(r) == "invalid_dossier_code"
    r = requests.get(f"{live.url}/api/v1/dossiers/000.00.01.H22-250702-9999", headers=live.auth, timeout=5)
    assert r.status_code == 404 and _error_code(r) == "dossier_not_found"


def test_create_dossier(live: BackendProcess) -> None:
    code = new_dossier_code()
    body: dict[str, Any] = {
        "code": code,
        "procedure_code": "1.001612",
        "applicant": {"name": "Vũ Thị Em", "id_number": "001200000001"},
    }
    r = requests.post(live.url + "/api/v1/dossiers", json=body, headers=live.auth, timeout=5)
    assert r.status_code == 201
    assert r.json()["procedure_name"] == "Đăng ký thường trú" and r.json()["attachments"] == []
    again = requests.post(live.url + "/api/v1/dossiers", json=body, headers=live.auth, timeout=5)
    assert again.status_code == 409 and _error_code(again) == "dossier_exists"
    unknown = requests.post(
        live.url + "/api/v1/dossiers",
        json={**body, "code": new_dossier_code(), "procedure_code": "9.999"},
        headers=live.auth,
        timeout=5,
    )
    assert unknown.status_code == 422 and _error_code(unknown) == "unknown_procedure"
    not_json = requests.post(
        live.url + "/api/v1/dossiers", data=b"{", headers={**live.auth, "Content-Type": "application/json"}, timeout=5
    )
    assert not_json.status_code == 400
    wrong_type = requests.post(
        live.url + "/api/v1/dossiers", data=b"x", headers={**live.auth, "Content-Type": "text/plain"}, timeout=5
    )
    assert wrong_type.status_code == 415


def test_put_is_idempotent_and_verifies_sha256(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    body = make_pdf(tmp_path / "a.pdf", 2).read_bytes()
    sha = hashlib.sha256(body).hexdigest()
    first = _put(live, code, "att-1", body, **{"X-Page-Count": "2"})
    assert first.status_code == 201
    receipt = first.json()
    assert receipt["sha256"] == sha and first.headers["X-Content-SHA256"] == sha
    assert receipt["bytes"] == len(body) and receipt["pages"] == 2
    second = _put(live, code, "att-1", body, **{"X-Page-Count": "2"})
    assert second.status_code == 200 and second.json() == receipt
    other = make_pdf(tmp_path / "b.pdf", 1, seed=9).read_bytes()
    conflict = _put(live, code, "att-1", other)
    assert conflict.status_code == 409 and _error_code(conflict) == "attachment_conflict"
    mismatch = _put(live, code, "att-2", body, **{"X-Content-SHA256": "0" * 64})
    assert mismatch.status_code == 422 and _error_code(mismatch) == "sha256_mismatch"
    atts = live.dossier(code)["attachments"]
    assert [(a["id"], a["sha256"]) for a in atts] == [("att-1", sha)]
    assert set(atts[0]) >= {"id", "doc_type", "sha256", "bytes", "pages", "received_at"}
    got = requests.get(f"{live.url}/api/v1/dossiers/{code}/attachments/att-1", headers=live.auth, timeout=5)
    assert got.json() == receipt


def test_put_refusals(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    body = make_pdf(tmp_path / "a.pdf").read_bytes()
    assert _put(live, code, "x", b"GIF89a not a pdf").status_code == 415
    assert _put(live, code, "x", body, **{"Content-Type": "image/png"}).status_code == 415
    missing = _put(live, code, "x", body, **{"X-Station-Id": ""})
    assert missing.status_code == 400 and _error_code(missing) == "bad_request"
    assert _put(live, code, "x", body, **{"X-Page-Count": "zero"}).status_code == 422
    assert _put(live, code, "x", body, **{"X-Doc-Type": "Giay To"}).status_code == 422
    closed = _put(live, "000.00.01.H22-250615-0002", "x", body)  # seeded as closed
    assert closed.status_code == 403 and _error_code(closed) == "forbidden"
    assert _put(live, "000.00.01.H22-250702-9999", "x", body).status_code == 404


def test_too_large_is_413(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    small = BackendProcess(data, free_port(), extra=["--max-upload-mb", "1"]).start()
    try:
        body = make_pdf(tmp_path / "big.pdf", pad_bytes=1_200_000).read_bytes()
        r = _put(small, "000.00.01.H22-250702-0013", "big", body)
        assert r.status_code == 413 and _error_code(r) == "too_large"
        assert small.stats()["attachments"] == 0
    finally:
        small.stop()


def test_injected_503_has_retry_after(live: BackendProcess) -> None:
    live.faults(fail_next=2, retry_after=7)
    for _ in range(2):
        r = requests.get(f"{live.url}/api/v1/dossiers/{SEEDED}", headers=live.auth, timeout=5)
        assert r.status_code == 503 and r.headers["Retry-After"] == "7" and _error_code(r) == "unavailable"
    assert requests.get(f"{live.url}/api/v1/dossiers/{SEEDED}", headers=live.auth, timeout=5).status_code == 200


def test_admin_needs_token_and_rejects_unknown_faults(live: BackendProcess) -> None:
    assert requests.get(live.url + "/api/v1/admin/faults", timeout=5).status_code == 401
    r = requests.post(live.url + "/api/v1/admin/faults", json={"explode": 1}, headers=live.auth, timeout=5)
    assert r.status_code == 422


def test_oauth2_client_credentials(live: BackendProcess) -> None:
    bad = requests.post(
        live.url + "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "s", "client_secret": "nope"},
        timeout=5,
    )
    assert bad.status_code == 401
    r = requests.post(
        live.url + "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "s", "client_secret": live.token},
        timeout=5,
    )
    access = r.json()["access_token"]
    assert access != live.token
    got = requests.get(f"{live.url}/api/v1/dossiers/{SEEDED}", headers={"Authorization": f"Bearer {access}"}, timeout=5)
    assert got.status_code == 200


def test_served_contract_is_the_file() -> None:
    spec = yaml.safe_load((ROOT / "uploader" / "openapi.yaml").read_text(encoding="utf-8"))
    assert spec["openapi"].startswith("3.1")
    put = spec["paths"]["/api/v1/dossiers/{code}/attachments/{attachment_id}"]["put"]
    assert {"200", "201", "409", "413", "415", "422", "429", "503"} <= set(put["responses"])


def test_killed_backend_keeps_no_half_file(tmp_path: Path) -> None:
    """Temp files left by a killed backend are removed at start; only complete files carry real names."""
    data = tmp_path / "d"
    (data / "files" / "000.00.01.H22-250702-0013").mkdir(parents=True)
    leftover = data / "files" / "000.00.01.H22-250702-0013" / ".abc.123.tmp"
    leftover.write_bytes(b"%PDF-half")
    proc = BackendProcess(data, free_port()).start()
    try:
        assert not leftover.exists()
    finally:
        proc.stop()
