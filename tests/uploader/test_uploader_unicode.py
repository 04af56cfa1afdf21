"""Vietnamese operator and station ids through the whole upload path: CLI -> outbox (SQLite) -> HTTP headers
-> the real reference backend, which stores them exactly. A local (client-side) failure is never "check the
connection", and a fix followed by a retry sends the item."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import requests

from tests.backend_fixtures import (
    ROOT,
    BackendProcess,
    make_output,
    make_pdf,
    new_dossier_code,
    station_cmd,
    station_env,
)
from uploader.client import BackendClient, header_text
from uploader.config import UploaderConfig
from uploader.errors import ClientRequestError
from uploader.models import Attachment, ItemState, UploadJob
from uploader.outbox import Outbox
from uploader.sender import Sender

OPERATOR = "Nguyễn Văn Ánh"
STATION = "Trạm Phường Bến Nghé"
FAST = ["--backoff-base", "0.05", "--backoff-cap", "0.2"]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(station_cmd(*args), cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_header_text_is_ascii_and_keeps_plain_ids() -> None:
    assert header_text("quay-01") == "quay-01"
    encoded = header_text(OPERATOR)
    assert encoded.isascii() and " " not in encoded
    from urllib.parse import unquote

    assert unquote(encoded) == OPERATOR


def test_vietnamese_ids_round_trip_through_cli_and_backend(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "Hồ sơ đất đai", code, [("to-khai", 1), ("cccd", 2)])
    env = station_env(tmp_path / "station", live)
    done = run(["upload", str(folder), "--wait", "--operator-id", OPERATOR, "--station-id", STATION, *FAST], env)
    assert done.returncode == 0, done.stderr
    assert "confirmed 2/2" in done.stdout
    got = live.dossier(code)["attachments"]
    assert [(a["station_id"], a["operator_id"]) for a in got] == [(STATION, OPERATOR)] * 2
    rows = json.loads(run(["queue", "--json"], env).stdout)
    assert [r["state"] for r in rows] == ["sent", "sent"]


def test_backend_refuses_raw_non_ascii_and_bad_percent_encoding(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    body = make_pdf(tmp_path / "a.pdf").read_bytes()
    base = {
        **live.auth,
        "X-Doc-Type": "cccd",
        "X-Page-Count": "1",
        "X-Content-SHA256": hashlib.sha256(body).hexdigest(),
        "Content-Type": "application/pdf",
    }
    url = f"{live.url}/api/v1/dossiers/{code}/attachments/att-vi"
    for operator in ("Nguy\xe9n", "%FF%FE", "%0A"):  # raw Latin-1 (a garbled guess), invalid UTF-8, control char
        r = requests.put(url, data=body, headers={**base, "X-Operator-Id": operator}, timeout=10)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_header", operator
    ok = requests.put(url, data=body, headers={**base, "X-Operator-Id": header_text(OPERATOR)}, timeout=10)
    assert ok.status_code == 201 and ok.json()["operator_id"] == OPERATOR


def test_journal_calls_carry_a_vietnamese_station_id(live: BackendProcess, tmp_path: Path) -> None:
    cfg = UploaderConfig(backend_url=live.url, token=live.token, station_id=STATION, data_dir=tmp_path)
    client = BackendClient(cfg)
    assert client.get_dossier("000.00.01.H22-250702-0013").code == "000.00.01.H22-250702-0013"


def test_an_operator_id_the_backend_would_refuse_is_refused_before_anything_is_queued(live: BackendProcess,
                                                                                     tmp_path: Path) -> None:
    """A 210-character operator id would be refused by the backend (and freeze the item): the station refuses
    it where it is given, in Vietnamese, queues nothing; with the id fixed the same folder is sent."""
    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "out", code, [("cccd", 1)])
    env = station_env(tmp_path / "station", live)
    first = run(["upload", str(folder), "--wait", "--operator-id", "Văn" * 70, *FAST], env)
    assert first.returncode == 2 and "--operator-id" in first.stderr and "không hợp lệ" in first.stderr
    assert run(["queue", "--json"], env).stdout.strip() == "[]"
    again = run(["upload", str(folder), "--wait", "--operator-id", OPERATOR, *FAST], env)
    assert again.returncode == 0, again.stderr
    (att,) = live.dossier(code)["attachments"]
    assert att["operator_id"] == OPERATOR


class _BuggyOnce(BackendClient):
    """A bug of ours on the first upload (a fault that cannot be produced for real on purpose)."""

    calls = 0

    def put_attachment(self, job: UploadJob, content: bytes) -> tuple[Attachment, bool]:
        type(self).calls += 1
        if type(self).calls == 1:
            raise UnicodeEncodeError("latin-1", job.operator_id, 0, 1, "ordinal not in range(256)")
        return super().put_attachment(job, content)


def test_a_client_side_bug_is_not_a_network_error_and_retry_all_sends(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    path = make_pdf(tmp_path / "01-cccd.pdf")
    data = path.read_bytes()
    job = UploadJob(code, "01-cccd", "cccd", path, hashlib.sha256(data).hexdigest(), len(data), 1, STATION, OPERATOR)
    cfg = UploaderConfig(
        backend_url=live.url, token=live.token, station_id=STATION, operator_id=OPERATOR,
        data_dir=tmp_path / "station", backoff_base=0.05, backoff_cap=0.2, poll_interval=0.05,
    )
    with Outbox(cfg.queue_db) as outbox:
        outbox.enqueue(job)
        Sender(outbox, cfg, client_factory=lambda: _BuggyOnce(cfg)).run_until_done(timeout=60)
        (item,) = outbox.items()
        assert item.state is ItemState.FAILED_PERMANENT and item.error_code == ClientRequestError.code
        assert item.user_error and "kết nối" not in item.user_error and "retry-all" in item.user_error
        assert outbox.retry_all_failed() == 1
        Sender(outbox, cfg, client_factory=lambda: _BuggyOnce(cfg)).run_until_done(timeout=60)
        assert outbox.items()[0].state is ItemState.SENT
    (att,) = live.dossier(code)["attachments"]
    assert (att["station_id"], att["operator_id"]) == (STATION, OPERATOR)


def test_station_token_wrong_station_setting_then_fix_and_retry_all(live: BackendProcess, tmp_path: Path) -> None:
    """A station token bound to "Trạm Phường Bến Nghé"; the station was set up as "quay-01" by mistake: 403,
    the dossier's second document waits behind the first. The setting is fixed, `station queue --retry-all`,
    and the next `station upload --wait` delivers both, in order, under the right station."""
    from tests.backend_fixtures import STATION_TOKENS

    code = new_dossier_code()
    live.create_dossier(code)
    folder = make_output(tmp_path / "out", code, [("to-khai", 1), ("cccd", 1)])
    env = station_env(tmp_path / "station", live, STATION_BACKEND_TOKEN=STATION_TOKENS[STATION], STATION_ID="quay-01")
    first = run(["upload", str(folder), "--wait", "--operator-id", OPERATOR, *FAST], env)
    assert first.returncode == 6 and "forbidden" in first.stderr and "wait behind" in first.stderr
    rows = json.loads(run(["queue", "--json"], env).stdout)
    assert [(r["state"], r["blocked"]) for r in rows] == [("failed-permanent", False), ("queued", True)]
    assert "waits behind" in run(["queue"], env).stdout
    assert live.dossier(code)["attachments"] == []
    env["STATION_ID"] = STATION  # the setting is fixed
    assert "1 item(s) queued again" in run(["queue", "--retry-all"], env).stdout
    done = run(["upload", str(folder), "--wait", *FAST], env)
    assert done.returncode == 0, done.stderr
    got = sorted(live.dossier(code)["attachments"], key=lambda a: a["received_at"])
    assert [(a["doc_type"], a["station_id"], a["operator_id"]) for a in got] == [
        ("to-khai", STATION, OPERATOR), ("cccd", STATION, OPERATOR)]
