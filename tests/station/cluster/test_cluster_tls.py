"""rediss://: coordinator, worker and `station cluster status` talk to Redis over TLS, checking its certificate."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.backend_fixtures import free_port
from tests.batch_inputs import make_inputs, output_files
from tests.redis_fixtures import RedisServer, finish, make_tls_files, start_worker, station


def test_a_batch_over_tls_with_the_servers_ca(tmp_path: Path) -> None:
    server = RedisServer(tmp_path / "redis", tls=make_tls_files(tmp_path / "chứng chỉ"))
    server.start()
    ca = {"STATION_REDIS_CA": str(server.tls[0])} if server.tls else {}
    inputs = tmp_path / "hồ sơ"
    inputs.mkdir()
    shutil.copy2(make_inputs(tmp_path / "made")[0], inputs / "biên nhận Trần Văn Bình.png")
    worker = None
    try:
        worker = start_worker(server.url, tmp_path / "worker-tls.log", env=ca)
        status, text = finish(station("process", str(inputs), "--out", str(tmp_path / "kết quả"), "--quiet",
                                      "--cluster", server.url, env=ca))
        assert status == 0, text
        assert [name for name in output_files(tmp_path / "kết quả") if name.endswith(".pdf")]
        code, answer = finish(station("cluster", "status", "--broker", server.url, "--json", env=ca))
        assert code == 0, answer
        assert len(json.loads(answer.splitlines()[0])["workers"]) == 1
        # Without the CA the server's certificate is not trusted: refused, said in Vietnamese, password hidden.
        code, answer = finish(station("cluster", "status", "--broker", server.url, env={"STATION_REDIS_CA": ""}))
        assert code == 1 and "Không kết nối được" in answer and server.password not in answer
    finally:
        if worker is not None:
            worker.stop()
        server.stop()


def test_status_of_an_unreachable_broker_is_a_clear_error() -> None:
    code, answer = finish(station("cluster", "status", "--broker", f"redis://:bí-mật@127.0.0.1:{free_port()}/0"))
    assert code == 1 and "Redis" in answer and "bí-mật" not in answer
