"""The reference backend's defences, over real HTTP on 127.0.0.1: size limits before any parsing (and before the
token check), per-station tokens bound to their station, a supervisor role for review, tokens never in argv,
private files on disk."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.backend_fixtures import (
    ROOT,
    STATION_TOKENS,
    SUPERVISOR_TOKEN,
    BackendProcess,
    first_answer,
    free_port,
    make_pdf,
    new_dossier_code,
    station_cmd,
    station_env,
)
from uploader.client import header_text

BEN_NGHE = "Trạm Phường Bến Nghé"


def raw_request(port: int, head: str, body: bytes, timeout: float = 10.0) -> str:
    """Send a request head and only the first bytes of its body, then read the answer: a server that waits
    for the whole declared body never answers within the timeout."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head.encode() + body)
        data = b""
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in data and time.monotonic() < deadline:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    return data.decode("latin-1")


def test_huge_oauth_body_is_refused_before_reading_it(live: BackendProcess) -> None:
    declared = 400 * 1024 * 1024
    head = (
        "POST /oauth/token HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    answer = raw_request(live.port, head, b"--x\r\n" + b"A" * 1024)
    assert answer.startswith("HTTP/1.1 413"), answer[:200]


@pytest.mark.parametrize(
    ("method", "path", "size"),
    [
        ("POST", "/api/v1/dossiers", 100_000),
        ("POST", "/api/v1/journal/pages", 5 * 1024 * 1024),
        ("PUT", "/api/v1/journal/pages/p1/preview", 3 * 1024 * 1024),
        ("POST", "/api/v1/review/p1", 100_000),
        ("GET", "/api/v1/stats", 100_000),
    ],
)
def test_every_endpoint_has_a_ceiling_checked_before_the_token(
    live: BackendProcess, method: str, path: str, size: int
) -> None:
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {size}\r\n\r\n"
    )
    answer = raw_request(live.port, head, b"{")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]  # not 401: nothing is looked at first


def test_chunked_bodies_are_counted_and_cut(live: BackendProcess) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(64):
            yield b"client_secret=" + b"x" * 1000 + b"&"

    r = requests.post(live.url + "/oauth/token", data=chunks(), timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "too_large"


def test_oauth_accepts_only_a_small_urlencoded_form(live: BackendProcess) -> None:
    multipart = requests.post(live.url + "/oauth/token", timeout=10,
                              files={"grant_type": (None, "client_credentials"), "client_secret": (None, live.token)})
    assert multipart.status_code == 400
    ok = requests.post(live.url + "/oauth/token", timeout=10, data={
        "grant_type": "client_credentials", "client_id": "quay-01", "client_secret": STATION_TOKENS["quay-01"]})
    assert ok.status_code == 200
    access = ok.json()["access_token"]
    # the access token carries the station binding of its secret
    code = new_dossier_code()
    live.create_dossier(code)
    assert _put(live, code, {"Authorization": f"Bearer {access}", "X-Station-Id": "quay-02"}).status_code == 403
    assert _put(live, code, {"Authorization": f"Bearer {access}", "X-Station-Id": "quay-01"}).status_code == 201


def _put(live: BackendProcess, code: str, auth: dict[str, str], att: str = "att-1") -> requests.Response:
    body = make_pdf(live.data_dir.parent / f"{code}-{att}.pdf", seed=len(att)).read_bytes()
    headers = {
        **auth,
        "X-Operator-Id": header_text("Nguyễn Văn Ánh"),
        "X-Doc-Type": "cccd",
        "X-Page-Count": "1",
        "X-Content-SHA256": hashlib.sha256(body).hexdigest(),
        "Content-Type": "application/pdf",
    }
    return requests.put(f"{live.url}/api/v1/dossiers/{code}/attachments/{att}", data=body, headers=headers,
                        timeout=10)


def test_a_station_token_uploads_only_as_its_station(live: BackendProcess) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    mine = live.station_auth(BEN_NGHE)
    other = {**mine, "X-Station-Id": "quay-01"}
    denied = _put(live, code, other)
    assert denied.status_code == 403 and denied.json()["error"]["code"] == "forbidden"
    created = _put(live, code, mine)
    assert created.status_code == 201 and created.json()["station_id"] == BEN_NGHE
    assert _put(live, code, live.supervisor_auth | {"X-Station-Id": "quay-01"}, "att-2").status_code == 403


def _page(page_id: str, station: str) -> dict[str, Any]:
    return {
        "page_id": page_id, "station_id": station, "operator_id": "Lê Thị Hoa", "profile": "Hồ sơ đất đai",
        "captured_at": "2025-07-02T08:00:00+07:00", "source": "adf", "page_index": 0, "dossier_code": None,
        "procedure_code": None, "doc_type": None, "quality_score": 90, "quality_issues": [], "quality_metrics": {},
        "blank": False, "separator": False, "rotation": 0, "skew_deg": 0.0, "dpi": 300, "width": 10, "height": 10,
        "barcodes": 0, "ocr_chars": 0, "ocr_confidence": None, "cccd_read": False, "cccd_masked": [],
        "cccd_hashes": [], "preview_kind": "none",
    }


def test_journal_rows_and_reviews_are_bound_to_roles(live: BackendProcess) -> None:
    url = live.url
    pid = f"auth-{new_dossier_code()}"
    quay = live.station_auth("quay-01")
    ben_nghe = live.station_auth(BEN_NGHE)
    as_other = requests.post(url + "/api/v1/journal/pages", json={"pages": [_page(pid, BEN_NGHE)]}, headers=quay,
                             timeout=10)
    assert as_other.status_code == 403 and "station_id" in as_other.json()["error"]["message"]
    own = requests.post(url + "/api/v1/journal/pages", json={"pages": [_page(pid, BEN_NGHE)]}, headers=ben_nghe,
                        timeout=10)
    assert own.status_code == 200 and own.json()["created"] == 1
    # quay-01 may not take over that page id by reporting it as its own
    takeover = requests.post(url + "/api/v1/journal/pages", json={"pages": [_page(pid, "quay-01")]}, headers=quay,
                             timeout=10)
    assert takeover.status_code == 403
    jpeg = b"\xff\xd8\xff" + b"0" * 100
    assert requests.put(f"{url}/api/v1/journal/pages/{pid}/preview", data=jpeg, timeout=10,
                        headers={**quay, "Content-Type": "image/jpeg"}).status_code == 403
    # review decisions and the queue need a supervisor
    decision = {"decision": "reject", "reason": "mờ", "reviewer": "Trần Văn Giám"}
    assert requests.post(f"{url}/api/v1/review/{pid}", json=decision, headers=ben_nghe, timeout=10).status_code == 403
    assert requests.get(url + "/api/v1/review/queue", headers=ben_nghe, timeout=10).status_code == 403
    assert requests.get(url + "/api/v1/stats", headers=quay, timeout=10).status_code == 403
    sup = live.supervisor_auth
    reviewed = requests.post(f"{url}/api/v1/review/{pid}", json=decision, headers=sup, timeout=10)
    assert reviewed.status_code == 201
    request_id = reviewed.json()["rescan_request"]["request_id"]
    # rescan requests: a station reads and resolves its own only
    params = {"station": BEN_NGHE, "status": "all"}
    assert requests.get(url + "/api/v1/review/rescan-requests", params=params, headers=quay,
                        timeout=10).status_code == 403
    mine = requests.get(url + "/api/v1/review/rescan-requests", params={"status": "all"}, headers=ben_nghe,
                        timeout=10).json()["items"]
    assert request_id in [r["request_id"] for r in mine] and {r["station_id"] for r in mine} == {BEN_NGHE}
    resolve = f"{url}/api/v1/review/rescan-requests/{request_id}/resolve"
    assert requests.post(resolve, json={"page_id": None}, headers=quay, timeout=10).status_code == 403
    assert requests.post(resolve, json={"page_id": None}, headers=ben_nghe, timeout=10).json()["status"] == "done"
    # supervisors write no station data; the admin endpoints need the admin token
    assert requests.post(url + "/api/v1/journal/pages", json={"pages": [_page(pid, BEN_NGHE)]}, headers=sup,
                         timeout=10).status_code == 403
    assert requests.get(url + "/api/v1/admin/faults", headers=sup, timeout=10).status_code == 403
    assert requests.get(url + "/api/v1/admin/faults", headers=live.auth, timeout=10).status_code == 200


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def test_station_backend_takes_its_token_from_the_environment_not_argv(tmp_path: Path) -> None:
    port = free_port()
    secret = "env-token-0123456789-abcdef"
    env = station_env(tmp_path / "station", None, STATION_BACKEND_TOKEN=secret)
    proc = subprocess.Popen(station_cmd("backend", "--port", str(port), "--data", str(tmp_path / "b")), cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/dossiers/000.00.01.H22-250702-0013"
        r = first_answer(url, {"Authorization": f"Bearer {secret}"}, proc)
        assert r.status_code == 200
        assert secret not in _cmdline(proc.pid)  # nothing secret for `ps` to show
    finally:
        proc.terminate()
        proc.wait(10)
    assert proc.stdout is not None
    assert "Generated" not in proc.stdout.read()  # the configured token is used, none is made up


def test_a_tokens_file_others_can_read_is_refused(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"tokens": [{"token": SUPERVISOR_TOKEN, "role": "supervisor"}]}))
    os.chmod(tokens, 0o644)
    env = station_env(tmp_path / "station", None)
    out = subprocess.run(station_cmd("backend", "--port", str(free_port()), "--data", str(tmp_path / "b"),
                                     "--tokens-file", str(tokens)),
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "ai cũng đọc được" in out.stderr and "chmod 600" in out.stderr


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_backend_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    data = tmp_path / "d"
    proc = BackendProcess(data, free_port())
    old = os.umask(0)  # the child inherits a careless umask
    try:
        proc.start()
    finally:
        os.umask(old)
    try:
        code = new_dossier_code()
        proc.create_dossier(code)
        assert _put(proc, code, proc.auth).status_code == 201
        stored = next((data / "files" / code).glob("*.pdf"))
        assert _mode(stored) == 0o600
        assert _mode(data / "files" / code) == _mode(data / "files") == _mode(data) == 0o700
        for db in data.glob("*.sqlite3*"):
            assert _mode(db) == 0o600, db
    finally:
        proc.stop()


def test_outbox_is_private_whatever_the_umask(tmp_path: Path) -> None:
    from uploader.outbox import Outbox

    old = os.umask(0)
    try:
        with Outbox(tmp_path / "station" / "outbox.sqlite3") as outbox:
            outbox.counts()
            modes = {f.name: _mode(f) for f in (tmp_path / "station").iterdir()}  # with the WAL files open
    finally:
        os.umask(old)
    assert _mode(tmp_path / "station") == 0o700
    assert "outbox.sqlite3-wal" in modes and set(modes.values()) == {0o600}, modes
