"""Throughput of `station process` on the local pool and on the cluster (Celery + Redis), on this machine.

Run: `.venv/bin/python -m tests.benchmarks.cluster_throughput [--pages 24]`. Starts its own redis-server (on a
free 127.0.0.1 port, append-only file on) and `station worker` processes, and prints for each set-up the
pages/min of a whole `station process` run (decoding, analysis, PDF/A building), plus what went through
Redis per page (commands, bytes in and out, from Redis's own INFO counters) and the broker's overhead per page
(cluster with one worker of one process against the local pool with one process). Pages: generated 300 dpi
A4 Vietnamese text pages in gray, every fourth skewed, one file per page, in a folder with a Vietnamese name.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil
import redis
from PIL import Image as PILImage

from tests import pagegen
from tests.paths import ROOT
from tests.redis_fixtures import RedisServer, StationWorker, start_worker

DPI = 300


@dataclass(frozen=True)
class Run:
    label: str
    pages: int
    seconds: float
    cpu_s: float  # CPU time of every process of the run (coordinator, pool or workers): load-independent
    coordinator_cpu_s: float = 0.0  # cluster runs: the coordinator's share (decoding, sealing, PDF/A building)
    commands: int = 0
    bytes_in: int = 0
    bytes_out: int = 0

    @property
    def per_minute(self) -> float:
        return self.pages / self.seconds * 60


def make_pages(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True)
    lines = pagegen.VIETNAMESE_LINES
    for number in range(count):
        image = pagegen.render_text_page(lines[number % 8:number % 8 + 14], dpi=DPI).image
        if number % 4 == 3:
            image = pagegen.skew(image, 1.5)
        PILImage.fromarray(pagegen.add_noise(image, 4.0, seed=number)).save(
            folder / f"trang {number + 1:03d} – hồ sơ Nguyễn Văn Ánh.png", dpi=(DPI, DPI))
    return folder


def process(inputs: Path, out: Path, *extra: str) -> tuple[float, float]:
    """Wall seconds and CPU seconds of `station process` (its pool processes included)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "station", "process", str(inputs), "--out", str(out), "--quiet",
                           "--split", "file", *extra], cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"station process failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def tree_cpu(worker: StationWorker) -> float:
    """CPU seconds of a worker and its pool processes so far."""
    root = psutil.Process(worker.proc.pid)
    total = 0.0
    for process_ in (root, *root.children(recursive=True)):
        try:
            times = process_.cpu_times()
            total += times.user + times.system + times.children_user + times.children_system
        except psutil.NoSuchProcess:
            continue
    return total


def counters(server: RedisServer) -> tuple[int, int, int]:
    info = redis.Redis(port=server.port, password=server.password).info("stats")
    return (int(info["total_commands_processed"]), int(info["total_net_input_bytes"]),
            int(info["total_net_output_bytes"]))


def cluster_run(label: str, server: RedisServer, inputs: Path, out: Path, workers: int, base: Path) -> Run:
    started: list[StationWorker] = []
    try:
        for number in range(workers):
            started.append(start_worker(server.url, base / f"worker-{label}-{number}.log"))
        before, cpu_before = counters(server), sum(tree_cpu(w) for w in started)
        seconds, coordinator_cpu = process(inputs, out, "--cluster", server.url)
        after, cpu_after = counters(server), sum(tree_cpu(w) for w in started)
    finally:
        for worker in started:
            worker.stop()
    pages = len(list(inputs.iterdir()))
    # Idle workers poll Redis too (BRPOP timeouts, heartbeats): counted, as they are part of the broker's load.
    return Run(label, pages, seconds, coordinator_cpu + cpu_after - cpu_before, coordinator_cpu,
               after[0] - before[0], after[1] - before[1], after[2] - before[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=24)
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        base = Path(tmp)
        os.environ["STATION_CONFIG_DIR"] = str(base / "config")  # one at-rest key for coordinator and workers
        os.environ["STATION_DATA_DIR"] = str(base / "data")
        os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
        inputs = make_pages(base / "hồ sơ lưu trữ", args.pages)
        runs = [Run("local pool, 1 process", args.pages, *process(inputs, base / "local-1", "--jobs", "1")),
                Run("local pool, 2 processes", args.pages, *process(inputs, base / "local-2", "--jobs", "2"))]
        server = RedisServer(base / "redis")
        server.start()
        try:
            runs.append(cluster_run("cluster, 1 worker x 1", server, inputs, base / "cluster-1", 1, base))
            runs.append(cluster_run("cluster, 2 workers x 1", server, inputs, base / "cluster-2", 2, base))
        finally:
            server.stop()
    print(f"{args.pages} pages, 300 dpi A4 gray text, {len(os.sched_getaffinity(0))} cores, load average "
          f"{os.getloadavg()[0]:.1f} at the end")
    for run in runs:
        through = (f"; coordinator {run.coordinator_cpu_s / run.pages:.2f} CPU s/page; Redis per page: "
                   f"{run.commands / run.pages:.0f} commands, "
                   f"{run.bytes_in / run.pages / 1024:.1f} KiB in, {run.bytes_out / run.pages / 1024:.1f} KiB out"
                   if run.commands else "")
        print(f"  {run.label:26s} {run.seconds:6.1f} s  {run.per_minute:5.1f} pages/min  "
              f"{run.cpu_s / run.pages:5.2f} CPU s/page{through}")
    overhead = (runs[2].seconds - runs[0].seconds) / args.pages
    cpu_overhead = (runs[2].cpu_s - runs[0].cpu_s) / args.pages
    print(f"  broker overhead per page (1 worker x 1 vs local x 1): {overhead * 1000:.0f} ms wall, "
          f"{cpu_overhead * 1000:.0f} ms CPU")


if __name__ == "__main__":
    main()
