"""Shared fixtures for the uploader/backend tests: the reference backend in a subprocess on 127.0.0.1,
tiny real PDFs, `station process`-shaped output folders, and a runner for the upload/queue commands.

Run as ``python -m tests.backend_fixtures upload DIR --wait`` it behaves like ``station upload`` but
registers only the uploader's commands (so a half-edited sibling command cannot break these tests).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import requests

from station.cli import report_error
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOKEN = "test-token-0123456789"  # role admin: every right (what the tests and the embedded backend use)
SUPERVISOR_TOKEN = "test-supervisor-token-0123"
STATION_TOKENS = {"quay-01": "test-station-quay-01-token", "Trạm Phường Bến Nghé": "test-station-ben-nghe-token"}
_codes = itertools.count(1)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def new_dossier_code(day: str = "250702") -> str:
    """A fresh, valid dossier code (unique within this test session and process)."""
    n = next(_codes)
    return f"000.00.{os.getpid() % 90 + 10:02d}.H22-{day}-{n:04d}"


@dataclass
class BackendProcess:
    data_dir: Path
    port: int
    token: str = TOKEN
    extra: Sequence[str] = ()
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def tokens_file(self) -> Path:
        return self.data_dir.parent / f"tokens-{self.port}.json"

    def write_tokens_file(self) -> Path:
        """The tokens the backend accepts: TOKEN (admin), SUPERVISOR_TOKEN, one token per STATION_TOKENS entry.
        Mode 600 (the backend refuses a tokens file others can read); passed by path, never a secret in argv."""
        entries: list[dict[str, str]] = [
            {"token": self.token, "role": "admin"},
            {"token": SUPERVISOR_TOKEN, "role": "supervisor", "name": "Trần Văn Giám"},
        ]
        entries += [{"token": t, "role": "station", "station_id": s} for s, t in STATION_TOKENS.items()]
        path = self.tokens_file
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"tokens": entries}, fh, ensure_ascii=False)
        return path

    def start(self, timeout: float = 20.0) -> BackendProcess:
        log = open(self.data_dir.parent / f"backend-{self.port}.log", "ab")  # noqa: SIM115
        env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
        env["STATION_BACKEND_TOKENS_FILE"] = str(self.write_tokens_file())
        self.proc = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "uploader.backend",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--data",
                str(self.data_dir),
                *self.extra,
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        wait_until(self.healthy, timeout, f"the backend on {self.url} to answer /health")
        return self

    def healthy(self) -> bool:
        """The backend answers its health check; RuntimeError if its process has exited."""
        if self.proc is None or self.proc.poll() is not None:
            raise RuntimeError(f"backend exited with {self.proc and self.proc.returncode}")
        try:
            return requests.get(self.url + "/api/v1/health", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL: no cleanup, as a power cut or the OOM killer would do."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    # -- helpers talking to the live backend ------------------------------------------------------

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "X-Station-Id": "test-station"}

    @staticmethod
    def station_auth(station: str) -> dict[str, str]:
        """Headers of a station token bound to ``station`` (one of STATION_TOKENS)."""
        from urllib.parse import quote

        return {"Authorization": f"Bearer {STATION_TOKENS[station]}", "X-Station-Id": quote(station, safe="")}

    @property
    def supervisor_auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {SUPERVISOR_TOKEN}"}

    def faults(self, **changes: Any) -> dict[str, Any]:
        r = requests.post(self.url + "/api/v1/admin/faults", json=changes, headers=self.auth, timeout=5)
        r.raise_for_status()
        return dict(r.json())

    def reset_faults(self) -> None:
        requests.delete(self.url + "/api/v1/admin/faults", headers=self.auth, timeout=5).raise_for_status()

    def stats(self) -> dict[str, int]:
        r = requests.get(self.url + "/api/v1/admin/stats", headers=self.auth, timeout=5)
        r.raise_for_status()
        return dict(r.json())

    def dossier(self, code: str) -> dict[str, Any]:
        r = requests.get(f"{self.url}/api/v1/dossiers/{code}", headers=self.auth, timeout=5)
        r.raise_for_status()
        return dict(r.json())

    def create_dossier(self, code: str, procedure: str = "1.000656") -> None:
        body: dict[str, Any] = {
            "code": code,
            "procedure_code": procedure,
            "applicant": {"name": "Đỗ Thị Thử", "id_number": None},
        }
        r = requests.post(self.url + "/api/v1/dossiers", json=body, headers=self.auth, timeout=5)
        assert r.status_code == 201, r.text


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    """One reference backend for the session; tests reset its faults and use their own dossiers."""
    data = tmp_path_factory.mktemp("backend") / "data"
    data.mkdir()
    proc = BackendProcess(data, free_port()).start()
    yield proc
    proc.stop()


@pytest.fixture
def live(backend: BackendProcess) -> Iterator[BackendProcess]:
    backend.reset_faults()
    yield backend
    backend.reset_faults()


@pytest.fixture
def own_backend(tmp_path: Path) -> Iterator[BackendProcess]:
    """A backend of the test's own (for tests that kill it)."""
    data = tmp_path / "backend-data"
    data.mkdir()
    proc = BackendProcess(data, free_port()).start()
    yield proc
    proc.stop()


def first_answer(url: str, headers: dict[str, str], process: subprocess.Popen[str], timeout: float = 30
                 ) -> requests.Response:
    """GET `url` as soon as the server `process` is starting accepts connections (no fixed wait)."""

    def answer() -> list[requests.Response]:  # a list: a 4xx Response is falsy, yet it is an answer
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode} before answering {url}")
        try:
            return [requests.get(url, headers=headers, timeout=2)]
        except requests.ConnectionError:
            return []

    (response,) = wait_until(answer, timeout, f"an answer from {url}")
    return response


# -- files ----------------------------------------------------------------------------------------


def make_pdf(path: Path, pages: int = 1, pad_bytes: int = 0, seed: int = 0) -> Path:
    """A small real PDF; pad_bytes of incompressible data make it as big as a scan."""
    pdf = pikepdf.new()
    for n in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
        content = f"BT /F1 12 Tf 72 770 Td (seed {seed} page {n + 1}) Tj ET".encode()
        pdf.pages[-1].Contents = pdf.make_stream(content)
    if pad_bytes:
        noise = hashlib.shake_256(f"{path.name}-{seed}".encode()).digest(pad_bytes)
        pdf.Root.StationPadding = pdf.make_stream(noise)
    pdf.save(path, compress_streams=False)
    return path


def make_output(
    root: Path,
    code: str | None,
    docs: Sequence[tuple[str, int]] = (("to-khai", 1), ("cccd", 2)),
    pad_bytes: int = 0,
    folder_name: str | None = None,
    seed: int = 0,
) -> Path:
    """A `station process` output folder for one dossier: NN-<doctype>.pdf + manifest.json."""
    folder = root / (folder_name or code or f"batch-{seed}")
    folder.mkdir(parents=True, exist_ok=True)
    documents = []
    for n, (doc_type, pages) in enumerate(docs, 1):
        name = f"{n:02d}-{doc_type}.pdf"
        path = make_pdf(folder / name, pages, pad_bytes, seed=seed * 1000 + n)
        data = path.read_bytes()
        documents.append(
            {
                "file": name,
                "doc_type": doc_type,
                "pages": pages,
                "bytes": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
            }
        )
    manifest = {
        "schema": 1,
        "dossier_code": code,
        "batch_id": f"batch-{seed}",
        "station_id": "test-station",
        "created": "2025-07-02T08:00:00+07:00",
        "documents": documents,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return folder


# -- the commands, in a subprocess ----------------------------------------------------------------


def station_env(data_dir: Path, backend: BackendProcess | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env["STATION_DATA_DIR"] = str(data_dir)
    env["STATION_CONFIG_DIR"] = str(data_dir.with_name(data_dir.name + "-config"))  # never the user's settings
    if backend is not None:
        env["STATION_BACKEND_URL"] = backend.url
        env["STATION_BACKEND_TOKEN"] = backend.token
    env["NO_PROXY"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def station_cmd(*args: str) -> list[str]:
    return [PYTHON, "-m", "tests.backend_fixtures", *args]


def run_cli(argv: Sequence[str]) -> int:
    """`station` with only backend/upload/queue registered; same error mapping as station.cli.main."""
    from station.commands import backend, queue, upload

    parser = argparse.ArgumentParser(prog="station")
    parser.add_argument("-v", "--verbose", action="count", default=0)
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (backend, upload, queue):
        module.register(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except Exception as err:
        code = report_error(err, verbose=args.verbose)
        if code is None:
            raise
        return int(code)


if __name__ == "__main__":
    sys.exit(run_cli(sys.argv[1:]))
