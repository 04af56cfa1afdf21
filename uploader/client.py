"""HTTP client for the backend contract (uploader/openapi.yaml), built on requests.

- TLS verification is always on; ``config.ca_bundle`` adds a custom CA bundle (an internal PKI).
- Proxies come from the environment (HTTPS_PROXY, NO_PROXY, ...), as requests does by default.
- The bearer token comes from, in order: ``config.token`` (``STATION_BACKEND_TOKEN``), the OAuth2
  client-credentials grant (client secret from the keyring), the OS keyring. The token is never logged,
  never put in an exception message, and hidden from ``repr``.
- Every failure becomes a typed :mod:`uploader.errors` exception telling the outbox whether to retry.
"""

from __future__ import annotations

import email.utils
import json
import logging
import os
import threading
import time
from datetime import UTC, datetime
from typing import Any, cast
from urllib.parse import quote

import keyring
import keyring.backend
import keyring.backends.fail
import requests

from uploader.config import UploaderConfig
from uploader.errors import (
    BackendBusyError,
    BackendRejectedError,
    BadResponseError,
    ClientRequestError,
    ConfigError,
    TlsError,
    TokenMissingError,
    TokenRefusedError,
    TransportError,
    WrongNetworkError,
)
from uploader.models import Applicant, Attachment, Dossier, RequiredDocument, UploadJob

log = logging.getLogger(__name__)

USER_AGENT = "digitization-station-uploader/1.0"


def header_text(value: str) -> str:
    """Free text (a Vietnamese operator or station id) as an HTTP header value: UTF-8, percent-encoded per
    RFC 3986 (headers are Latin-1 on the wire; "Nguyễn" would not fit). ASCII ids like "quay-01" are unchanged."""
    return quote(value, safe="")


def station_keyring(config: UploaderConfig) -> keyring.backend.KeyringBackend:
    """The OS keyring; where no desktop keyring exists, keyrings.alt's file keyring in the station data dir."""
    backend = keyring.get_keyring()
    usable = not isinstance(backend, keyring.backends.fail.Keyring) and getattr(backend, "priority", 0) > 0
    if usable and type(backend).__module__.startswith("keyring.backends.chainer"):
        usable = bool(getattr(backend, "backends", ()))
    if usable:
        return backend
    from keyrings.alt.file import PlaintextKeyring

    fallback = PlaintextKeyring()
    fallback.file_path = str(config.data_dir / "keyring.cfg")
    return cast(keyring.backend.KeyringBackend, fallback)


def store_token(config: UploaderConfig, token: str, backend: keyring.backend.KeyringBackend | None = None) -> None:
    store = backend or station_keyring(config)
    store.set_password(config.keyring_service, config.keyring_token_user, token)
    path = getattr(store, "file_path", None)
    if isinstance(path, str) and os.path.isfile(path):
        os.chmod(path, 0o600)  # the file fallback holds the token in clear: the station user only


class TokenProvider:
    """Hands out the bearer token; refreshes OAuth2 access tokens before they expire or after a 401."""

    def __init__(
        self,
        config: UploaderConfig,
        *,
        keyring_backend: keyring.backend.KeyringBackend | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self._config = config
        self._keyring = keyring_backend
        self._session = session
        self._lock = threading.Lock()
        self._cached: str | None = None
        self._expires = 0.0

    def __repr__(self) -> str:
        return "TokenProvider(<hidden>)"

    @property
    def refreshable(self) -> bool:
        return self._config.token is None and self._config.oauth2_token_url is not None

    def _keyring_backend(self) -> keyring.backend.KeyringBackend:
        if self._keyring is None:
            self._keyring = station_keyring(self._config)
        return self._keyring

    def invalidate(self) -> None:
        with self._lock:
            self._cached = None

    def token(self) -> str:
        with self._lock:
            if self._cached is not None and time.monotonic() < self._expires:
                return self._cached
            cfg = self._config
            if cfg.token:
                self._cached, self._expires = cfg.token, float("inf")
            elif cfg.oauth2_token_url:
                self._cached, self._expires = self._client_credentials()
            else:
                stored = self._keyring_backend().get_password(cfg.keyring_service, cfg.keyring_token_user)
                if not stored:
                    raise TokenMissingError("no backend token: set STATION_BACKEND_TOKEN or store one in the keyring")
                self._cached, self._expires = stored, time.monotonic() + 300  # re-read now and then
            return self._cached

    def _client_credentials(self) -> tuple[str, float]:
        cfg = self._config
        secret = self._keyring_backend().get_password(cfg.keyring_service, cfg.oauth2_secret_user)
        if not secret or not cfg.oauth2_client_id:
            raise TokenMissingError("OAuth2 client id or client secret (keyring) missing")
        assert cfg.oauth2_token_url is not None
        url = cfg.oauth2_token_url
        if url.startswith("/"):
            url = cfg.backend_url.rstrip("/") + url
        session = self._session or requests.Session()
        try:
            resp = session.post(
                url,
                data={"grant_type": "client_credentials", "client_id": cfg.oauth2_client_id, "client_secret": secret},
                timeout=(cfg.connect_timeout, cfg.read_timeout),
                verify=str(cfg.ca_bundle) if cfg.ca_bundle else True,
            )
        except requests.exceptions.SSLError as err:
            raise TlsError(f"TLS error at the OAuth2 token endpoint: {type(err).__name__}") from None
        except requests.exceptions.RequestException as err:
            raise TransportError(f"OAuth2 token endpoint unreachable: {type(err).__name__}") from None
        if resp.status_code >= 500 or resp.status_code == 429:
            raise BackendBusyError(f"OAuth2 token endpoint: HTTP {resp.status_code}", status=resp.status_code)
        if resp.status_code != 200:
            raise TokenRefusedError(
                f"OAuth2 token endpoint refused the client credentials: HTTP {resp.status_code}",
                error_code="invalid_client",
            )
        if resp.headers.get("Content-Type", "").split(";")[0].strip().lower() != "application/json":
            raise WrongNetworkError("OAuth2 token endpoint answered with a web page, not JSON (captive portal?)")
        try:
            body = resp.json()
            access = str(body["access_token"])
            ttl = float(body.get("expires_in", 300))
        except (ValueError, KeyError, TypeError):
            raise BadResponseError("OAuth2 token endpoint answered without an access_token") from None
        return access, time.monotonic() + max(0.0, ttl - 30)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _attachment(data: Any) -> Attachment:
    try:
        return Attachment(
            id=str(data["id"]),
            doc_type=str(data["doc_type"]),
            sha256=str(data["sha256"]),
            bytes=int(data["bytes"]),
            pages=int(data["pages"]),
            received_at=str(data["received_at"]),
        )
    except (KeyError, TypeError, ValueError):
        raise BadResponseError("attachment receipt does not follow the contract") from None


def _dossier(data: Any) -> Dossier:
    try:
        applicant = data.get("applicant")
        return Dossier(
            code=str(data["code"]),
            procedure_code=str(data["procedure_code"]),
            procedure_name=str(data["procedure_name"]),
            status=str(data["status"]),
            applicant=Applicant(name=str(applicant["name"]), id_number=applicant.get("id_number"))
            if applicant
            else None,
            required_documents=tuple(
                RequiredDocument(code=str(d["code"]), name=str(d["name"]), required=bool(d["required"]))
                for d in data["required_documents"]
            ),
            attachments=tuple(_attachment(a) for a in data["attachments"]),
        )
    except (KeyError, TypeError, AttributeError):
        raise BadResponseError("dossier does not follow the contract") from None


class BackendClient:
    """One instance per thread is simplest (requests.Session is not formally thread-safe)."""

    def __init__(
        self,
        config: UploaderConfig,
        tokens: TokenProvider | None = None,
        session: requests.Session | None = None,
    ) -> None:
        if not config.backend_url.startswith(("http://", "https://")):
            raise ConfigError(f"backend URL must start with http:// or https://: {config.backend_url!r}")
        self.config = config
        self.session = session or requests.Session()
        self.session.verify = str(config.ca_bundle) if config.ca_bundle else True
        self.session.headers["User-Agent"] = USER_AGENT
        self.tokens = tokens or TokenProvider(config, session=self.session)
        self._base = config.backend_url.rstrip("/")

    def __repr__(self) -> str:
        return f"BackendClient({self._base!r})"

    def close(self) -> None:
        self.session.close()

    # -- low level --------------------------------------------------------------------------------

    def _request(self, method: str, path: str, *, what: str, auth: bool = True, **kwargs: Any) -> requests.Response:
        url = self._base + path
        headers: dict[str, str] = dict(kwargs.pop("headers", {}))
        headers.setdefault("X-Station-Id", header_text(self.config.station_id))
        timeout = (self.config.connect_timeout, self.config.read_timeout)
        for attempt in (1, 2):
            if auth:
                headers["Authorization"] = f"Bearer {self.tokens.token()}"
            try:
                resp = self.session.request(method, url, headers=headers, timeout=timeout, **kwargs)
            except requests.exceptions.SSLError as err:
                raise TlsError(f"{what}: TLS verification failed ({type(err).__name__})") from None
            except (UnicodeError, requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL) as err:
                # the request could not even be built: our bug or our settings, never the network
                raise ClientRequestError(f"{what}: request could not be built ({type(err).__name__})") from None
            except requests.exceptions.Timeout as err:
                raise TransportError(f"{what}: timed out ({type(err).__name__})") from None
            except requests.exceptions.RequestException as err:
                raise TransportError(f"{what}: network error ({type(err).__name__})") from None
            log.debug("%s %s -> %s", method, path, resp.status_code)
            if resp.status_code == 401 and auth and attempt == 1 and self.tokens.refreshable:
                self.tokens.invalidate()  # an expired OAuth2 access token: fetch a new one, once
                continue
            break
        self._raise_for_status(resp, what)
        return resp

    @staticmethod
    def _error_of(resp: requests.Response) -> tuple[str, str]:
        try:
            body = resp.json()
            err = body["error"]
            return str(err["code"]), str(err["message"])[:300]
        except (ValueError, KeyError, TypeError):
            kind = resp.headers.get("Content-Type", "?").split(";")[0]
            return f"http_{resp.status_code}", f"non-contract error body ({kind})"

    def _raise_for_status(self, resp: requests.Response, what: str) -> None:
        status = resp.status_code
        if status < 400:
            return
        code, message = self._error_of(resp)
        text = f"{what}: HTTP {status} {code}: {message}"
        if status in (408, 429) or status >= 500:
            raise BackendBusyError(text, status=status, retry_after=parse_retry_after(resp.headers.get("Retry-After")))
        if status == 401:
            raise TokenRefusedError(text, error_code=code)
        raise BackendRejectedError(text, status=status, error_code=code)

    @staticmethod
    def _json(resp: requests.Response, what: str) -> Any:
        kind = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind != "application/json":
            raise WrongNetworkError(
                f"{what}: expected JSON, got {kind or 'no content type'} (HTTP {resp.status_code}); "
                "wrong backend URL, or a proxy / captive portal answered"
            )
        try:
            return resp.json()
        except ValueError:
            raise BadResponseError(f"{what}: response is not valid JSON") from None

    # -- contract ---------------------------------------------------------------------------------

    def health(self) -> bool:
        try:
            resp = self._request("GET", "/api/v1/health", what="health check", auth=False)
            return bool(self._json(resp, "health check").get("status") == "ok")
        except (TransportError, BackendBusyError, BadResponseError, BackendRejectedError, TlsError):
            return False

    def get_dossier(self, code: str) -> Dossier:
        what = f"GET dossier {code}"
        resp = self._request("GET", f"/api/v1/dossiers/{quote(code, safe='')}", what=what)
        return _dossier(self._json(resp, what))

    def create_dossier(self, code: str, procedure_code: str, applicant: Applicant | None = None) -> Dossier:
        what = f"POST dossier {code}"
        body: dict[str, Any] = {"code": code, "procedure_code": procedure_code}
        if applicant is not None:
            body["applicant"] = {"name": applicant.name, "id_number": applicant.id_number}
        resp = self._request(
            "POST", "/api/v1/dossiers", what=what, data=json.dumps(body), headers={"Content-Type": "application/json"}
        )
        return _dossier(self._json(resp, what))

    def put_attachment(self, job: UploadJob, content: bytes) -> tuple[Attachment, bool]:
        """Upload; returns (receipt, created). Raises BadResponseError unless the backend echoes our SHA-256."""
        what = f"PUT attachment {job.attachment_id} ({job.slot}) of dossier {job.dossier_code}"
        path = f"/api/v1/dossiers/{quote(job.dossier_code, safe='')}/attachments/{job.attachment_id}"
        # X-Station-Id names the station sending now (its current setting, which a station token is bound
        # to), so fixing the setting and retrying works for rows queued before the fix.
        headers = {
            "Content-Type": "application/pdf",
            "X-Station-Id": header_text(self.config.station_id),
            "X-Operator-Id": header_text(job.operator_id),
            "X-Doc-Type": job.doc_type,
            "X-Page-Count": str(job.pages),
            "X-Content-SHA256": job.sha256,
        }
        resp = self._request("PUT", path, what=what, data=content, headers=headers)
        receipt = _attachment(self._json(resp, what))
        echoed = resp.headers.get("X-Content-SHA256", receipt.sha256)
        if receipt.sha256 != job.sha256 or echoed != job.sha256 or receipt.bytes != len(content):
            raise BadResponseError(f"{what}: backend confirmed a different SHA-256 or size than was sent")
        return receipt, resp.status_code == 201
