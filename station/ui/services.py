"""The embedded reference backend the counter app runs beside its window when no backend is configured.

With nothing configured (`backend.url` empty and no STATION_BACKEND_URL), the reference backend is started as
a subprocess (`station backend`) on 127.0.0.1 on a free port, with a fresh token, and stopped on exit. The token
goes to the child in its environment (STATION_BACKEND_TOKEN), never on its command line (visible in `ps`).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from station.runtime import Runtime
from uploader.backend.auth import ADMIN_TOKEN_ENV, TOKENS_FILE_ENV
from uploader.config import UploaderConfig

log = logging.getLogger(__name__)

__all__ = ["EmbeddedBackend", "embedded_upload", "free_port", "wants_embedded_backend"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class EmbeddedBackend:
    """The reference backend in a subprocess, for a station with nothing configured."""

    data_dir: Path
    port: int = field(default_factory=free_port)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24), repr=False)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # Only this token opens the embedded backend: a tokens file configured for another backend is not its.
        env = {k: v for k, v in os.environ.items() if k != TOKENS_FILE_ENV}
        env[ADMIN_TOKEN_ENV] = self.token
        log_file = open(self.data_dir / "backend.log", "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "station", "backend", "--host", "127.0.0.1", "--port", str(self.port),
             "--data", str(self.data_dir)],
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=Path(__file__).resolve().parents[2],
        )
        log_file.close()

    def wait_healthy(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                if requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def embedded_upload(upload: UploaderConfig, embedded: EmbeddedBackend | None) -> UploaderConfig:
    """The runtime's upload configuration, sending to the embedded backend with its token when there is one."""
    if embedded is None:
        return upload
    return upload.replace(backend_url=embedded.url, token=embedded.token)


def wants_embedded_backend(runtime: Runtime) -> bool:
    """No backend URL from a flag, the environment or the settings: the app embeds the reference backend."""
    return not runtime.backend_configured
