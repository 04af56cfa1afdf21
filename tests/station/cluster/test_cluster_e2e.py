"""`station process --cluster` through real processes: redis-server, two `station worker`s and the coordinator on
127.0.0.1. Whatever happens to a worker, the coordinator or Redis, the output equals the local run's byte for
byte (no page lost, none twice); a page that crashes its worker every time is reported unreadable."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import signal
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from station.atrest import read_sealed
from station.batch.resume_log import LOG_NAME, WORK_DIR_NAME
from tests.batch_inputs import make_inputs, output_files
from tests.redis_fixtures import RUN_TIMEOUT_S, RedisServer, StartWorker, StationWorker, finish, station
from tests.waiting import wait_until

# The same pages as the batch resume tests, under the names a ward's archive really has.
VIETNAMESE_NAMES = ["01-biên-nhận hồ sơ.png", "02-đơn đề nghị Nguyễn Thị Ánh.tiff", "03-tờ phân tách.png",
                    "04-sơ đồ thửa đất (ngược).png", "05-trang trắng.png", "06-sơ đồ trang 2.png"]
PAGES = 8
VISIBILITY_S = "6"  # short, so a page held by a killed worker comes back within the test


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = make_inputs(tmp_path_factory.mktemp("pages") / "made")
    folder = tmp_path_factory.mktemp("kho lưu trữ") / "hồ sơ phường Bến Nghé"
    folder.mkdir()
    for source, name in zip(made, VIETNAMESE_NAMES, strict=True):
        shutil.copy2(source, folder / name)  # keeps the mtime: the capture time in the documents
    return folder


@dataclass(frozen=True)
class LocalRun:
    files: dict[str, bytes]
    journal: list[dict[str, object]]


@pytest.fixture(scope="module")
def local_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> LocalRun:
    base = tmp_path_factory.mktemp("local")
    data = {"STATION_DATA_DIR": str(base / "dữ liệu")}  # its own station journal
    status, text = finish(station("process", str(inputs), "--out", str(base / "kết quả"), "--quiet", "--jobs", "2",
                                  env=data))
    assert status == 0, text
    files = output_files(base / "kết quả")
    assert sum(name.endswith(".pdf") for name in files) == 2, sorted(files)
    return LocalRun(files, journal_pages(base / "dữ liệu"))


@pytest.fixture(scope="module")
def local_output(local_run: LocalRun) -> dict[str, bytes]:
    return local_run.files


def journal_pages(data_dir: Path) -> list[dict[str, object]]:
    """The station journal's page rows, each preview as the SHA-256 of its unsealed image (not its path)."""
    with contextlib.closing(sqlite3.connect(data_dir / "journal.sqlite3")) as db:
        db.row_factory = sqlite3.Row
        rows = [dict(row) for row in db.execute("SELECT * FROM pages ORDER BY page_id")]
    for row in rows:
        path = row.pop("preview_path")
        row["preview"] = hashlib.sha256(read_sealed(data_dir / str(path))).hexdigest() if path else None
    assert len(rows) == PAGES
    return rows


def resume_log(out: Path) -> Path | None:
    logs = list((out / WORK_DIR_NAME).glob(f"*/{LOG_NAME}"))
    return logs[0] if logs else None


def recorded_positions(out: Path) -> set[int]:
    path = resume_log(out)
    if path is None:
        return set()
    lines = path.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["position"] for line in lines if line.endswith("}") and '"kind": "page"' in line}


def pages_done_by(workers: list[StationWorker]) -> list[int]:
    """Positions the workers finished (their log says `page NNNNNN done`), with repeats."""
    return [int(line.split("page ")[1][:6]) for worker in workers for line in worker.output.splitlines()
            if " done (attempt" in line]


def held_pages(worker: StationWorker) -> list[int]:
    """Positions of the page messages the worker took and did not finish (task id `<batch>-<position>`)."""
    taken = re.findall(r"station\.cluster\.page\[[0-9a-f]+-(\d{6})\] received", worker.output)
    done = re.findall(r"station\.cluster\.page\[[0-9a-f]+-(\d{6})\] succeeded", worker.output)
    return [int(p) for p in taken if p not in done]


def test_cluster_output_equals_local_byte_for_byte(inputs: Path, local_run: LocalRun, tmp_path: Path,
                                                   redis_server: RedisServer, station_workers: StartWorker) -> None:
    workers = [station_workers("một"), station_workers("hai")]
    out = tmp_path / "kết quả cụm"
    data = {"STATION_DATA_DIR": str(tmp_path / "dữ liệu")}
    status, text = finish(station("process", str(inputs), "--out", str(out), "--quiet", "--cluster", redis_server.url,
                                  env=data))
    assert status == 0, text
    assert output_files(out) == local_run.files
    assert journal_pages(tmp_path / "dữ liệu") == local_run.journal  # previews and card data came back whole
    done = pages_done_by(workers)
    assert all(pages_done_by([w]) for w in workers), "both workers took pages"
    assert sorted(done) == sorted(set(done)), "no page was done twice"
    # The password never reaches any output or log, however it was given.
    for seen in (text, *(w.output for w in workers)):
        assert redis_server.password not in seen and "Bến-Nghé-42" not in seen
    status_proc = station("cluster", "status", "--broker", redis_server.url, "--json")
    code, answer = finish(status_proc)
    assert code == 0, answer
    state = json.loads(answer.splitlines()[0])
    assert len(state["workers"]) == 2 and state["queued"] == 0 and state["in_flight"] == 0
    assert sum(w["done"] for w in state["workers"]) == len(done)
    assert redis_server.password not in answer and "***" in state["broker"]


def test_worker_killed_mid_page_loses_nothing_and_duplicates_nothing(
        inputs: Path, local_output: dict[str, bytes], tmp_path: Path, redis_server: RedisServer,
        station_workers: StartWorker) -> None:
    doomed = station_workers("sẽ chết", "--visibility-timeout", VISIBILITY_S)
    survivor = station_workers("còn sống", "--visibility-timeout", VISIBILITY_S)
    out = tmp_path / "kết quả"
    coordinator = station("process", str(inputs), "--out", str(out), "--quiet", "--cluster", redis_server.url)

    def doomed_holds_a_page() -> bool:
        # Celery logs a page message when the worker takes it and when it is done: one more taken than done.
        text = doomed.output
        return text.count("] received") > text.count("] succeeded in")

    wait_until(doomed_holds_a_page, RUN_TIMEOUT_S, "the doomed worker to hold a page",
               seen=lambda: doomed.output[-800:])
    doomed.kill9()
    held = held_pages(doomed)
    status, text = finish(coordinator)
    assert status == 0, text
    assert output_files(out) == local_output
    assert held and set(held) <= set(pages_done_by([survivor])), "the page the killed worker held was done again"


def test_coordinator_killed_and_restarted_resumes_without_redoing_finished_pages(
        inputs: Path, local_output: dict[str, bytes], tmp_path: Path, redis_server: RedisServer,
        station_workers: StartWorker) -> None:
    workers = [station_workers("một"), station_workers("hai")]
    out = tmp_path / "kết quả"
    first = station("process", str(inputs), "--out", str(out), "--quiet", "--cluster", redis_server.url)
    wait_until(lambda: len(recorded_positions(out)) >= 3, RUN_TIMEOUT_S, "three pages recorded by the coordinator")
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    finished = recorded_positions(out)
    status, text = finish(station("process", str(inputs), "--out", str(out), "--quiet", "--cluster",
                                  redis_server.url))
    assert status == 0, text
    assert "(resumed)" in text
    assert output_files(out) == local_output
    done = pages_done_by(workers)
    for position in finished:
        assert done.count(position) == 1, f"finished page {position} was done again"


def test_redis_restarted_mid_run_loses_nothing(inputs: Path, local_output: dict[str, bytes], tmp_path: Path,
                                               redis_server: RedisServer, station_workers: StartWorker) -> None:
    workers = [station_workers("một", "--visibility-timeout", VISIBILITY_S),
               station_workers("hai", "--visibility-timeout", VISIBILITY_S)]
    out = tmp_path / "kết quả"
    coordinator = station("process", str(inputs), "--out", str(out), "--quiet", "--cluster", redis_server.url)
    wait_until(lambda: 1 <= len(pages_done_by(workers)) <= PAGES - 3, RUN_TIMEOUT_S, "the batch under way")
    redis_server.restart()  # the queued page messages live only in Redis: its append-only file brings them back
    status, text = finish(coordinator)
    assert status == 0, text
    assert output_files(out) == local_output


def test_poisoned_page_is_retried_a_bounded_number_of_times_then_reported_unreadable(
        inputs: Path, tmp_path: Path, redis_server: RedisServer, station_workers: StartWorker) -> None:
    from scanning.drivers.files import import_file
    from station.pdfa.models import image_sha256

    poisoned = inputs / VIETNAMESE_NAMES[3]
    fault = {"STATION_TEST_WORKER_CRASH_SHA256": image_sha256(next(iter(import_file(poisoned))).image)}
    workers = [station_workers("một", "--max-attempts", "2", env=fault),
               station_workers("hai", "--max-attempts", "2", env=fault)]
    out = tmp_path / "kết quả"
    status, text = finish(station("process", str(inputs), "--out", str(out), "--quiet", "--cluster",
                                  redis_server.url))
    assert status == 1, text  # partial: one page failed, the rest was built
    assert f"{poisoned}: page 1: page crashed a worker 2 times" in text
    assert "3 document(s)" in text or "document(s)" in text
    manifests = [json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*/manifest.json")]
    assert any("input 3 page 1: unreadable" in w for m in manifests for w in m["warnings"])
    assert sum(len(m["documents"]) for m in manifests) >= 2
    lost = sum(w.output.count("WorkerLostError") + w.output.count("exited with 'signal 9") for w in workers)
    assert lost >= 2, [w.output[-2000:] for w in workers]
    code, answer = finish(station("cluster", "status", "--broker", redis_server.url, "--json"))
    assert code == 0 and json.loads(answer.splitlines()[0])["unreadable"] == 1, answer


def test_watch_sends_a_dropped_files_pages_to_the_cluster(inputs: Path, tmp_path: Path, redis_server: RedisServer,
                                                          station_workers: StartWorker) -> None:
    worker = station_workers("một")
    inbox = tmp_path / "thư mục nhận quầy 1"
    inbox.mkdir()
    shutil.copy2(inputs / VIETNAMESE_NAMES[1], inbox / VIETNAMESE_NAMES[1])  # three pages
    out = tmp_path / "kết quả"
    status, text = finish(station("watch", str(inbox), "--out", str(out), "--once", "--settle", "0",
                                  "--cluster", redis_server.url))
    assert status == 0, text
    assert (inbox / "done" / VIETNAMESE_NAMES[1]).is_file()
    assert [name for name in output_files(out) if name.endswith(".pdf")]
    assert sorted(pages_done_by([worker])) == [0, 1, 2]
    assert redis_server.password not in text
