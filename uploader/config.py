"""Uploader settings: one frozen dataclass, every setting declared once with its default.

The station builds it in one place, ``station.runtime.load_runtime`` (flags over the environment over the station
settings), and always fills ``backend_url``, ``station_id``, ``operator_id``, ``ca_bundle``, ``retention_days``
and ``data_dir``: the defaults below only serve programs that use the uploader library alone.
:meth:`UploaderConfig.from_env` is that standalone path: ``STATION_BACKEND_URL`` and ``STATION_BACKEND_TOKEN``
override the given defaults (scripts rely on them); ``STATION_DATA_DIR`` moves the data dir (queue database,
fallback keyring file).
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "digitization-station"
DEFAULT_BACKEND_URL = "http://127.0.0.1:8080"  # the embedded reference backend (`station backend`)
KEYRING_SERVICE = "digitization-station"


def default_data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    override = env.get("STATION_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def _default_operator() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "operator"


@dataclass(frozen=True)
class UploaderConfig:
    backend_url: str = DEFAULT_BACKEND_URL
    # Token sources, first that yields wins: `token` (explicit / STATION_BACKEND_TOKEN), OAuth2 client
    # credentials (when oauth2_token_url is set; the client secret is read from the keyring), keyring.
    token: str | None = dataclasses.field(default=None, repr=False)
    keyring_service: str = KEYRING_SERVICE
    keyring_token_user: str = "api-token"
    oauth2_token_url: str | None = None
    oauth2_client_id: str | None = None
    oauth2_secret_user: str = "oauth2-client-secret"
    station_id: str = dataclasses.field(default_factory=socket.gethostname)
    operator_id: str = dataclasses.field(default_factory=_default_operator)
    ca_bundle: Path | None = None  # None: the system / certifi trust store; TLS verification is always on
    connect_timeout: float = 5.0
    read_timeout: float = 60.0
    max_upload_bytes: int = 200 * 1024 * 1024
    retention_days: float = 7.0
    backoff_base: float = 2.0  # seconds; attempt n waits about base * 2**(n-1) with full jitter
    backoff_cap: float = 300.0
    max_retry_after: float = 3600.0  # a Retry-After above this is clamped
    workers: int = 1  # parallel uploads; order within one dossier is kept regardless
    poll_interval: float = 1.0  # idle sender wakes this often to look for due retries
    data_dir: Path = dataclasses.field(default_factory=default_data_dir)
    # How a queued file's content is read: the station passes a reader that opens files it keeps
    # encrypted at rest (the counter's outgoing PDFs hold ID-card images), so they never lie in clear.
    read_file: Callable[[Path], bytes] = dataclasses.field(default=Path.read_bytes, repr=False, compare=False)

    @property
    def queue_db(self) -> Path:
        return self.data_dir / "outbox.sqlite3"

    def replace(self, **changes: object) -> UploaderConfig:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, defaults: Mapping[str, object] | None = None, **overrides: object
    ) -> UploaderConfig:
        """Built-in defaults, then ``defaults`` (the station settings), then ``overrides`` (CLI options), with the
        environment variables above the settings but below an explicit CLI option."""
        env = os.environ if env is None else env
        values: dict[str, object] = {"data_dir": default_data_dir(env)}
        values.update({k: v for k, v in (defaults or {}).items() if v is not None})
        values.update({k: v for k, v in overrides.items() if v is not None})
        if env.get("STATION_BACKEND_URL") and overrides.get("backend_url") is None:
            values["backend_url"] = env["STATION_BACKEND_URL"]
        if env.get("STATION_BACKEND_TOKEN"):
            values["token"] = env["STATION_BACKEND_TOKEN"]
        if env.get("STATION_CA_BUNDLE") and overrides.get("ca_bundle") is None:
            values["ca_bundle"] = Path(env["STATION_CA_BUNDLE"])
        if env.get("STATION_ID") and overrides.get("station_id") is None:
            values["station_id"] = env["STATION_ID"]
        return cls(**values)  # type: ignore[arg-type]
