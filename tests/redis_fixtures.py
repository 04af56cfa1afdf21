"""Real Redis and real `station worker` processes for the cluster tests.

`redis_server`: Debian's redis-server on a free 127.0.0.1 port, in the test's temp folder, with a password
and the append-only file on (fsync on every write, so a restart loses nothing); stopped after the test.
`station_workers`: starts `station worker` processes (each in its own process group, so kill -9 takes the
worker and its pool children, as a machine going down would); all are stopped after the test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.backend_fixtures import free_port
from tests.paths import ROOT
from tests.waiting import wait_until

REDIS_PASSWORD = "mật-khẩu-Redis-Bến-Nghé-42"  # not Latin-1: the URL quoting must carry it through
START_TIMEOUT_S = 60.0


@dataclass
class RedisServer:
    folder: Path
    port: int = field(default_factory=free_port)
    password: str = REDIS_PASSWORD
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        from urllib.parse import quote

        return f"redis://:{quote(self.password, safe='')}@127.0.0.1:{self.port}/0"

    @property
    def url_without_password(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            pytest.fail("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
        self.folder.mkdir(parents=True, exist_ok=True)
        config = self.folder / "redis.conf"
        # The password goes in a 0600 config file, never on a command line (`ps` shows those to everyone).
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(f'bind 127.0.0.1\nport {self.port}\ndir "{self.folder}"\nappendonly yes\n'
                         f'appendfsync always\nsave ""\nrequirepass "{self.password}"\nprotected-mode yes\n'
                         f'logfile "{self.folder / "redis.log"}"\n')
        self.proc = subprocess.Popen([redis_server, str(config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_until(self._answers, START_TIMEOUT_S, f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        import redis

        assert self.proc is not None and self.proc.poll() is None, "redis-server exited"
        try:
            return bool(redis.Redis(port=self.port, password=self.password, socket_timeout=1).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        """SIGTERM: Redis flushes its append-only file and exits (what a service restart does)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class StationWorker:
    proc: subprocess.Popen[bytes]
    log: Path

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def ready(self) -> bool:
        assert self.proc.poll() is None, f"station worker exited:\n{self.output[-3000:]}"
        return " ready." in self.output

    def kill9(self) -> None:
        """kill -9 of the worker and its pool processes at once."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # warm shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # pool children that outlived their parent


StartWorker = Callable[..., StationWorker]


@pytest.fixture
def station_workers(redis_server: RedisServer, tmp_path: Path) -> Iterator[StartWorker]:
    """`start(name, *extra_args, env={...})` starts one `station worker` and waits until it is ready."""
    started: list[StationWorker] = []

    def start(name: str, *extra: str, env: dict[str, str] | None = None) -> StationWorker:
        log = tmp_path / f"worker-{name}.log"
        handle = log.open("wb")
        proc = subprocess.Popen(
            [sys.executable, "-m", "station", "-v", "worker", "--broker", redis_server.url, "--concurrency", "1",
             *extra],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **(env or {})},
        )
        handle.close()
        worker = StationWorker(proc, log)
        started.append(worker)
        wait_until(worker.ready, START_TIMEOUT_S, f"station worker {name} ready", seen=lambda: worker.output[-500:])
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
