"""The HTTP client: contract calls, error mapping, tokens (keyring, OAuth2), TLS settings."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring

from tests.backend_fixtures import BackendProcess, make_pdf, new_dossier_code
from uploader.client import BackendClient, TokenProvider, parse_retry_after, store_token
from uploader.config import UploaderConfig
from uploader.errors import (
    BackendBusyError,
    BackendRejectedError,
    BadResponseError,
    ConfigError,
    TlsError,
    TokenMissingError,
    TransportError,
)
from uploader.models import UploadJob

SEEDED = "000.00.01.H22-250702-0013"


@pytest.fixture
def file_keyring(tmp_path: Path) -> PlaintextKeyring:
    kr = PlaintextKeyring()
    kr.file_path = str(tmp_path / "keyring.cfg")
    return kr


def cfg(live: BackendProcess, tmp_path: Path, **kw: object) -> UploaderConfig:
    values: dict[str, object] = {
        "backend_url": live.url,
        "token": live.token,
        "data_dir": tmp_path,
        "read_timeout": 5.0,
    }
    values.update(kw)
    return UploaderConfig(**values)  # type: ignore[arg-type]


def a_job(tmp_path: Path, code: str) -> tuple[UploadJob, bytes]:
    data = make_pdf(tmp_path / "01-cccd.pdf", 2).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    return UploadJob(code, "01-cccd", "cccd", tmp_path / "01-cccd.pdf", sha, len(data), 2, "st", "op"), data


def test_get_dossier(live: BackendProcess, tmp_path: Path) -> None:
    d = BackendClient(cfg(live, tmp_path)).get_dossier(SEEDED)
    assert d.procedure_code == "1.000656" and d.status == "open"
    assert [r.code for r in d.required_documents][:2] == ["to-khai", "giay-chung-sinh"]
    assert d.applicant is not None and d.applicant.name not in repr(d)  # personal data not in repr


def test_put_attachment_created_then_replayed(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    client = BackendClient(cfg(live, tmp_path))
    job, data = a_job(tmp_path, code)
    first, created = client.put_attachment(job, data)
    again, created_again = client.put_attachment(job, data)
    assert created and not created_again and first == again
    assert first.sha256 == job.sha256 and first.pages == 2 and first.id == job.attachment_id
    assert [a.id for a in client.get_dossier(code).attachments] == [job.attachment_id]


def test_error_mapping(live: BackendProcess, tmp_path: Path) -> None:
    client = BackendClient(cfg(live, tmp_path))
    with pytest.raises(BackendRejectedError) as missing:
        client.get_dossier("000.00.01.H22-250702-9997")
    assert missing.value.status == 404 and missing.value.error_code == "dossier_not_found"
    assert not missing.value.retryable and "hồ sơ" in missing.value.user_message
    with pytest.raises(BackendRejectedError) as invalid:
        client.get_dossier("000.00.01.H22-259999-0001")
    assert invalid.value.status == 422
    live.faults(fail_next=1, fail_status=429, retry_after=3)
    with pytest.raises(BackendBusyError) as busy:
        client.get_dossier(SEEDED)
    assert busy.value.retryable and busy.value.status == 429 and busy.value.retry_after == 3.0
    live.faults(html_next=1)
    with pytest.raises(BadResponseError, match="text/html"):
        client.get_dossier(SEEDED)
    with pytest.raises(BackendRejectedError) as unauthorized:
        BackendClient(cfg(live, tmp_path, token="wrong")).get_dossier(SEEDED)
    assert unauthorized.value.status == 401 and "wrong" not in str(unauthorized.value)


def test_network_errors_are_retryable(tmp_path: Path) -> None:
    from tests.backend_fixtures import free_port

    client = BackendClient(UploaderConfig(backend_url=f"http://127.0.0.1:{free_port()}", token="t", data_dir=tmp_path))
    with pytest.raises(TransportError) as err:
        client.get_dossier(SEEDED)
    assert err.value.retryable and "mạng" in err.value.user_message
    assert client.health() is False


def test_tls_verification_is_on_and_a_ca_bundle_can_be_added(live: BackendProcess, tmp_path: Path) -> None:
    assert BackendClient(UploaderConfig(data_dir=tmp_path)).session.verify is True
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    assert BackendClient(UploaderConfig(data_dir=tmp_path, ca_bundle=bundle)).session.verify == str(bundle)
    https = BackendClient(cfg(live, tmp_path, backend_url=live.url.replace("http://", "https://")))
    with pytest.raises((TlsError, TransportError)):  # a TLS handshake with a plain-HTTP server fails
        https.get_dossier(SEEDED)
    with pytest.raises(ConfigError):
        BackendClient(UploaderConfig(backend_url="ftp://x", data_dir=tmp_path))


def test_token_from_keyring(live: BackendProcess, tmp_path: Path, file_keyring: PlaintextKeyring) -> None:
    config = cfg(live, tmp_path, token=None)
    with pytest.raises(TokenMissingError):
        TokenProvider(config, keyring_backend=file_keyring).token()
    store_token(config, live.token, file_keyring)
    tokens = TokenProvider(config, keyring_backend=file_keyring)
    assert tokens.token() == live.token and live.token not in repr(tokens)
    assert BackendClient(config, tokens).get_dossier(SEEDED).code == SEEDED


def test_oauth2_client_credentials_and_refresh_after_401(
    live: BackendProcess, tmp_path: Path, file_keyring: PlaintextKeyring
) -> None:
    config = cfg(live, tmp_path, token=None, oauth2_token_url="/oauth/token", oauth2_client_id="station-01")
    file_keyring.set_password(config.keyring_service, config.oauth2_secret_user, live.token)
    tokens = TokenProvider(config, keyring_backend=file_keyring)
    client = BackendClient(config, tokens)
    first = tokens.token()
    assert first != live.token
    assert client.get_dossier(SEEDED).code == SEEDED
    live.faults(refuse_auth_next=1)  # the access token "expired": the client fetches a new one, once
    assert client.get_dossier(SEEDED).code == SEEDED
    assert tokens.token() != first
    file_keyring.set_password(config.keyring_service, config.oauth2_secret_user, "wrong-secret")
    with pytest.raises(BackendRejectedError):
        TokenProvider(config, keyring_backend=file_keyring).token()


def test_env_overrides(tmp_path: Path) -> None:
    env = {
        "STATION_BACKEND_URL": "http://127.0.0.1:9",
        "STATION_BACKEND_TOKEN": "s3cr3t-Zq9",
        "STATION_DATA_DIR": str(tmp_path),
    }
    c = UploaderConfig.from_env(env)
    assert (c.backend_url, c.token, c.data_dir, c.retention_days) == ("http://127.0.0.1:9", "s3cr3t-Zq9", tmp_path, 7.0)
    assert UploaderConfig.from_env(env, backend_url="http://127.0.0.1:10").backend_url == "http://127.0.0.1:10"
    assert "s3cr3t-Zq9" not in repr(c)


def test_parse_retry_after() -> None:
    from datetime import UTC, datetime

    now = datetime(2025, 7, 2, 8, 0, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Wed, 02 Jul 2025 08:00:30 GMT", now) == 30.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_proxy_from_the_environment(live: BackendProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """HTTP_PROXY is honoured: the request goes to a real forwarding proxy on 127.0.0.1, which relays it."""
    import http.server
    import threading
    from urllib.parse import urlsplit

    import requests

    seen: list[str] = []
    upstream = requests.Session()
    upstream.trust_env = False  # the proxy itself connects directly

    class Proxy(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)  # absolute-form target: the client is talking to a proxy
            target = urlsplit(self.path)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "proxy-connection")}
            resp = upstream.get(f"{live.url}{target.path}", headers=headers, timeout=5)
            self.send_response(resp.status_code)
            self.send_header("Content-Type", resp.headers["Content-Type"])
            self.send_header("Content-Length", str(len(resp.content)))
            self.end_headers()
            self.wfile.write(resp.content)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        client = BackendClient(cfg(live, tmp_path, backend_url="http://backend.station.invalid"))
        assert client.get_dossier(SEEDED).code == SEEDED
        assert seen == [f"http://backend.station.invalid/api/v1/dossiers/{SEEDED}"]
    finally:
        server.shutdown()
        server.server_close()


def test_file_keyring_fallback_is_private(tmp_path: Path, file_keyring: PlaintextKeyring) -> None:
    import os
    import stat

    old = os.umask(0)
    try:
        store_token(UploaderConfig(data_dir=tmp_path), "Khoá-bí-mật-0123456789", file_keyring)
    finally:
        os.umask(old)
    assert stat.S_IMODE(Path(file_keyring.file_path).stat().st_mode) == 0o600
