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
RUN_TIMEOUT_S = 240.0


def station(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """`station ARGS...` as its own process (the coordinator, `station cluster status`), output captured."""
    return subprocess.Popen([sys.executable, "-m", "station", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **(env or {})})


def finish(proc: subprocess.Popen[str]) -> tuple[int, str]:
    """Its exit status and everything it printed (stdout, then stderr)."""
    out, err = proc.communicate(timeout=RUN_TIMEOUT_S)
    return proc.returncode, out + err


def make_tls_files(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a certificate for 127.0.0.1 signed by it: (ca.pem, server.pem, server.key)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.datetime.now(datetime.UTC)
    ca_key, server_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm Trạm số hoá")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    server = (x509.CertificateBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
              .issuer_name(ca_name).public_key(server_key.public_key()).serial_number(x509.random_serial_number())
              .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
              .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                             critical=False)
              .sign(ca_key, hashes.SHA256()))
    paths = (folder / "ca.pem", folder / "server.pem", folder / "server.key")
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                  serialization.NoEncryption()))
    return paths


@dataclass
class RedisServer:
    folder: Path
    port: int = field(default_factory=free_port)
    password: str = REDIS_PASSWORD
    tls: tuple[Path, Path, Path] | None = None  # (CA, certificate, key): rediss:// only
    proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        from urllib.parse import quote

        scheme = "rediss" if self.tls else "redis"
        return f"{scheme}://:{quote(self.password, safe='')}@127.0.0.1:{self.port}/0"

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
            handle.write(f'bind 127.0.0.1\ndir "{self.folder}"\nappendonly yes\n'
                         f'appendfsync always\nsave ""\nrequirepass "{self.password}"\nprotected-mode yes\n'
                         f'logfile "{self.folder / "redis.log"}"\n')
            if self.tls is None:
                handle.write(f"port {self.port}\n")
            else:
                ca, certificate, key = self.tls
                handle.write(f'port 0\ntls-port {self.port}\ntls-ca-cert-file "{ca}"\n'
                             f'tls-cert-file "{certificate}"\ntls-key-file "{key}"\ntls-auth-clients no\n')
        self.proc = subprocess.Popen([redis_server, str(config)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_until(self._answers, START_TIMEOUT_S, f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        import redis

        assert self.proc is not None and self.proc.poll() is None, "redis-server exited"
        try:
            client = redis.Redis(host="127.0.0.1", port=self.port, password=self.password, socket_timeout=1,
                                 ssl=self.tls is not None,
                                 ssl_ca_certs=str(self.tls[0]) if self.tls else None)
            return bool(client.ping())
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


def start_worker(broker_url: str, log: Path, *extra: str, env: dict[str, str] | None = None,
                 concurrency: int = 1) -> StationWorker:
    """One `station worker` process (its own process group), ready to take pages when this returns."""
    with log.open("wb") as handle:
        proc = subprocess.Popen(
            [sys.executable, "-m", "station", "-v", "worker", "--broker", broker_url, "--concurrency",
             str(concurrency), *extra],
            cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
            env={**os.environ, **(env or {})},
        )
    worker = StationWorker(proc, log)
    try:
        wait_until(worker.ready, START_TIMEOUT_S, f"station worker {log.stem} ready", seen=lambda: worker.output[-500:])
    except BaseException:
        worker.stop()
        raise
    return worker


@pytest.fixture
def station_workers(redis_server: RedisServer, tmp_path: Path) -> Iterator[StartWorker]:
    """`start(name, *extra_args, env={...})` starts one `station worker` and waits until it is ready."""
    started: list[StationWorker] = []

    def start(name: str, *extra: str, env: dict[str, str] | None = None) -> StationWorker:
        worker = start_worker(redis_server.url, tmp_path / f"worker-{name}.log", *extra, env=env)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
