"""Who is calling the reference backend: tokens, roles and the station a token is bound to.

Roles:
- ``station``: bound to one ``station_id``. Uploads, journal rows, previews and rescan-request resolutions
  are accepted only for that station (a station cannot write as another one); no review decisions.
- ``supervisor``: the review endpoints (queue, decisions, statistics, previews, every station's rescan
  requests); reads dossiers; writes no station data.
- ``admin``: everything, including the fault-injection and stats endpoints. Meant for the single-station
  embedded backend and for tests; a service center gives each station its own ``station`` token.

Tokens never come from the command line (visible in ``ps``): from a tokens file (``--tokens-file`` /
``STATION_BACKEND_TOKENS_FILE``, JSON, private to its owner) or one admin token from ``STATION_BACKEND_TOKEN``::

    {"tokens": [{"token_sha256": "<hex>", "role": "station", "station_id": "Trạm Phường Bến Nghé"},
                {"token": "<secret>", "role": "supervisor", "name": "Trần Văn Giám"}]}

Only SHA-256 digests are kept in memory; a presented token is hashed and looked up.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import stat
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from uploader.errors import ConfigError

TOKENS_FILE_ENV = "STATION_BACKEND_TOKENS_FILE"
ADMIN_TOKEN_ENV = "STATION_BACKEND_TOKEN"
MIN_TOKEN_CHARS = 16


class Role(StrEnum):
    STATION = "station"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class Principal:
    role: Role
    station_id: str | None = None  # set for (and only for) station tokens
    name: str = ""

    def can_write_as(self, station_id: str) -> bool:
        return self.role is Role.ADMIN or (self.role is Role.STATION and self.station_id == station_id)

    @property
    def supervises(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)


class TokensFileError(ConfigError):
    code = "tokens_file"
    default_user_message = (
        "Tệp khoá truy cập của máy chủ không hợp lệ hoặc ai cũng đọc được. Sửa tệp (chỉ chủ sở hữu được đọc, "
        "chmod 600) rồi khởi động lại."
    )


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class TokenRegistry:
    """Static tokens (by digest) plus OAuth2 access tokens issued at run time."""

    def __init__(self, static: Mapping[str, Principal] | None = None) -> None:
        self._static = dict(static or {})
        self._issued: dict[str, tuple[Principal, float]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenRegistry(<{len(self._static)} tokens>)"

    def __len__(self) -> int:
        return len(self._static)

    def add(self, token: str, principal: Principal) -> None:
        self._static[digest(token)] = principal

    def static_principal(self, presented: str) -> Principal | None:
        return self._static.get(digest(presented))

    def lookup(self, presented: str) -> Principal | None:
        key = digest(presented)
        found = self._static.get(key)
        if found is not None:
            return found
        with self._lock:
            issued = self._issued.get(key)
            if issued is None:
                return None
            principal, expiry = issued
            if expiry <= time.monotonic():
                del self._issued[key]
                return None
            return principal

    def issue(self, principal: Principal, ttl: float) -> str:
        access = secrets.token_urlsafe(24)
        with self._lock:
            now = time.monotonic()
            self._issued = {k: v for k, v in self._issued.items() if v[1] > now}  # forget the expired
            self._issued[digest(access)] = (principal, now + ttl)
        return access


def _principal(entry: Any, where: str) -> tuple[str, Principal]:
    if not isinstance(entry, dict):
        raise TokensFileError(f"{where}: must be an object")
    try:
        role = Role(str(entry.get("role")))
    except ValueError:
        raise TokensFileError(f"{where}: role must be one of station, supervisor, admin") from None
    station = entry.get("station_id")
    if role is Role.STATION:
        if not isinstance(station, str) or not 1 <= len(station) <= 128:
            raise TokensFileError(f"{where}: a station token needs a station_id of 1 to 128 characters")
    elif station is not None:
        raise TokensFileError(f"{where}: only station tokens are bound to a station_id")
    name = entry.get("name", "")
    if not isinstance(name, str):
        raise TokensFileError(f"{where}: name must be text")
    clear, hashed = entry.get("token"), entry.get("token_sha256")
    if isinstance(clear, str) and len(clear) >= MIN_TOKEN_CHARS and hashed is None:
        key = digest(clear)
    elif isinstance(hashed, str) and len(hashed) == 64 and clear is None:
        key = hashed.lower()
        if any(c not in "0123456789abcdef" for c in key):
            raise TokensFileError(f"{where}: token_sha256 must be 64 hex digits")
    else:
        raise TokensFileError(
            f"{where}: give exactly one of token (at least {MIN_TOKEN_CHARS} characters) or token_sha256"
        )
    return key, Principal(role, station if role is Role.STATION else None, name)


def load_tokens_file(path: Path) -> dict[str, Principal]:
    """Parse a tokens file; refuses one that group or others can read or write (it holds secrets)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as err:
        raise TokensFileError(f"cannot open tokens file {path}: {err.strerror}") from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise TokensFileError(f"tokens file {path} is not a regular file")
        if mode & 0o077:
            raise TokensFileError(f"tokens file {path} is readable or writable by others (mode {mode & 0o777:o})")
        raw = fh.read(1 << 20)
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise TokensFileError(f"tokens file {path} is not valid JSON") from None
    entries = data.get("tokens") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise TokensFileError(f"tokens file {path} must hold {{\"tokens\": [...]}} with at least one entry")
    out: dict[str, Principal] = {}
    for n, entry in enumerate(entries):
        key, principal = _principal(entry, f"{path} tokens[{n}]")
        if key in out:
            raise TokensFileError(f"{path} tokens[{n}]: the same token is listed twice")
        out[key] = principal
    return out


def registry_from(tokens_file: Path | None, env: Mapping[str, str] | None = None) -> TokenRegistry:
    """Tokens from the file (argument or $STATION_BACKEND_TOKENS_FILE) and the admin token from the
    environment. Empty if neither is given (the caller then generates an admin token)."""
    env = os.environ if env is None else env
    registry = TokenRegistry()
    path = tokens_file or (Path(env[TOKENS_FILE_ENV]) if env.get(TOKENS_FILE_ENV) else None)
    if path is not None:
        registry = TokenRegistry(load_tokens_file(path))
    admin = env.get(ADMIN_TOKEN_ENV)
    if admin:
        if len(admin) < MIN_TOKEN_CHARS:
            raise TokensFileError(f"{ADMIN_TOKEN_ENV} must be at least {MIN_TOKEN_CHARS} characters")
        registry.add(admin, Principal(Role.ADMIN, name="admin"))
    return registry
