"""Upload benchmark: 200 attachments of ~300 KB through the durable outbox to the local reference backend.

    .venv/bin/python -m tests.benchmarks.bench_upload [--count 200] [--size-kb 300] [--workers 1,4]

Prints attachments/s, MB/s and p50/p95 time from queued to confirmed, without faults and with 20 % of
the requests answered 503 (Retry-After: 1). Each scenario uses a fresh backend and a fresh queue, and
checks that every attachment arrived exactly once.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.backend_fixtures import BackendProcess, free_port, make_output
from uploader.config import UploaderConfig
from uploader.manifest import read_output
from uploader.outbox import Outbox
from uploader.sender import Sender

PER_DOSSIER = 10


@dataclass(frozen=True)
class Result:
    scenario: str
    workers: int
    count: int
    seconds: float
    megabytes: float
    p50: float
    p95: float
    attempts: int
    injected_503: int
    exactly_once: bool


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_scenario(work: Path, name: str, count: int, size_kb: int, workers: int, fail_ratio: float) -> Result:
    data = work / f"backend-{name}-{workers}"
    data.mkdir()
    backend = BackendProcess(data, free_port()).start()
    try:
        out = work / f"out-{name}-{workers}"
        codes = [f"000.00.01.H22-250702-{n:04d}" for n in range(1000, 1000 + (count + PER_DOSSIER - 1) // PER_DOSSIER)]
        for i, code in enumerate(codes):
            backend.create_dossier(code)
            n_docs = min(PER_DOSSIER, count - i * PER_DOSSIER)
            make_output(out, code, [(f"doc{k:02d}", 2) for k in range(n_docs)], pad_bytes=size_kb * 1000, seed=i)
        config = UploaderConfig(
            backend_url=backend.url,
            token=backend.token,
            data_dir=work / f"station-{name}-{workers}",
            station_id="bench",
            operator_id="bench",
            workers=workers,
            poll_interval=0.05,
        )
        jobs = [j for r in read_output(out, config) for j in r.jobs]
        if fail_ratio:
            backend.faults(fail_ratio=fail_ratio, retry_after=1, seed=7)
        with Outbox(config.queue_db) as outbox:
            for job in jobs:
                outbox.enqueue(job)
            start = time.perf_counter()
            counts = Sender(outbox, config).run_until_done(timeout=600)
            seconds = time.perf_counter() - start
            items = outbox.items()
        latencies = [i.sent_at - i.enqueued_at for i in items if i.sent_at is not None]
        injected = backend.faults()["injected"]["fail"] if fail_ratio else 0
        stats = backend.stats()
        once = counts["sent"] == len(jobs) and stats["created"] == len(jobs) and stats["attachments"] == len(jobs)
        return Result(
            scenario=name,
            workers=workers,
            count=len(jobs),
            seconds=seconds,
            megabytes=sum(j.bytes for j in jobs) / 1e6,
            p50=percentile(latencies, 0.5),
            p95=percentile(latencies, 0.95),
            attempts=sum(i.attempts for i in items),
            injected_503=injected,
            exactly_once=once,
        )
    finally:
        backend.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--size-kb", type=int, default=300)
    parser.add_argument("--workers", default="1,4", help="comma-separated worker counts")
    args = parser.parse_args(argv)
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="bench-upload-") as tmp:
        for workers in (int(w) for w in args.workers.split(",")):
            for name, ratio in (("no faults", 0.0), ("20% 503", 0.2)):
                print(f"running: {name}, {workers} worker(s) ...", file=sys.stderr, flush=True)
                results.append(
                    run_scenario(
                        Path(tmp), name.replace(" ", "").replace("%", "pc"), args.count, args.size_kb, workers, ratio
                    )
                )
    print(
        f"\nUpload benchmark: {args.count} attachments of ~{args.size_kb} KB to the local reference backend "
        "(loopback, fsync per file)\n"
    )
    header = (
        f"{'scenario':<10} {'workers':>7} {'att/s':>7} {'MB/s':>6} {'p50 s':>7} {'p95 s':>7} "
        f"{'total s':>8} {'attempts':>8} {'503s':>5} {'exactly once':>12}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        label = "20% 503" if r.scenario.startswith("20") else "no faults"
        print(
            f"{label:<10} {r.workers:>7} {r.count / r.seconds:>7.1f} {r.megabytes / r.seconds:>6.1f} "
            f"{r.p50:>7.2f} {r.p95:>7.2f} {r.seconds:>8.1f} {r.attempts:>8} {r.injected_503:>5} "
            f"{'yes' if r.exactly_once else 'NO':>12}"
        )
    print("\np50/p95: time from queued to confirmed (all 200 are queued at t=0, so this includes queueing).")
    return 0 if all(r.exactly_once for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
