"""Throughput of scan -> cleanup -> quality on 300 dpi A4 pages, through real SANE and through file import.

Run: `.venv/bin/python -m tests.benchmarks.bench_pages [--pages 24] [--jobs 2]`. Prints pages/min, the latency
from a page leaving the scanner (or the file reader) to its cleaned image and quality flags, and peak memory
of the whole process tree. Pages are generated Vietnamese text pages, a third turned, most skewed, all noisy.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import psutil
from PIL import Image as PILImage

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import clean_page, configure_worker
from scanning.drivers.files import import_file
from scanning.drivers.sane_driver import SaneDriver
from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.models import Page, PageSize, ScanOptions
from tests import pagegen

DPI = 300


@dataclass(frozen=True)
class Result:
    path: str
    pages: int
    seconds: float
    latencies_ms: list[float]
    peak_rss_mib: float

    @property
    def pages_per_min(self) -> float:
        return self.pages / self.seconds * 60


def make_pages(count: int, folder: Path) -> tuple[list[Path], list[Path]]:
    turns, skews = (0, 90, 180, 270), (0.0, 1.2, -2.7, 4.4, -8.5, 13.0)
    pnm, png = [], []
    for i in range(count):
        lines = pagegen.VIETNAMESE_LINES[i % 5:] + pagegen.VIETNAMESE_LINES[: i % 5]
        image = pagegen.render_text_page(lines, dpi=DPI).image
        image = pagegen.add_noise(pagegen.skew(image, skews[i % len(skews)]), 6.0, seed=i)
        image = pagegen.turn(image, turns[i % 3 * (i % 2)] if i % 3 == 0 else 0)
        pnm.append(pagegen.write_pnm(image, folder / f"page-{i:03d}.pgm"))
        png_path = folder / f"page-{i:03d}.png"
        PILImage.fromarray(image).save(png_path, dpi=(DPI, DPI), compress_level=1)
        png.append(png_path)
    return pnm, png


def cleanup_only(page: Page) -> tuple[int, float, int, tuple[str, ...]]:
    clean = clean_page(page, CleanupConfig())
    return clean.rotation_applied, clean.skew_deg, clean.quality.score, clean.quality.issues


def _init() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    configure_worker()


class MemoryWatch:
    """Peak RSS of this process and its children, sampled every 20 ms."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = me.memory_info().rss
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total)
            self._stop.wait(0.02)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run(name: str, pages: Callable[[], Iterator[Page]], pool: ProcessPoolExecutor, jobs: int) -> Result:
    latencies: list[float] = []
    in_flight: deque[tuple[float, Future[tuple[int, float, int, tuple[str, ...]]]]] = deque()
    done_at: dict[int, float] = {}

    def settle() -> None:
        arrived, future = in_flight.popleft()
        future.result()
        latencies.append((done_at[id(future)] - arrived) * 1000)

    count = 0
    with MemoryWatch() as memory:
        start = time.perf_counter()
        for page in pages():
            arrived = time.perf_counter()
            future = pool.submit(cleanup_only, page)
            future.add_done_callback(lambda f: done_at.__setitem__(id(f), time.perf_counter()))
            in_flight.append((arrived, future))
            count += 1
            while len(in_flight) > 2 * jobs:
                settle()
        while in_flight:
            settle()
        seconds = time.perf_counter() - start
    return Result(name, count, seconds, latencies, memory.peak / 2**20)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--jobs", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    use_virtual_devices()
    with tempfile.TemporaryDirectory() as tmp:
        pnm, png = make_pages(args.pages, Path(tmp))
        files = iter(pnm)

        def next_file(_number: int, set_option: Callable[[str, object], None]) -> None:
            set_option("filename", str(next(files)))

        def sane_pages() -> Iterator[Page]:
            driver = SaneDriver(before_each_page=next_file)  # type: ignore[arg-type]
            yield from driver.scan("pnm:0", ScanOptions(resolution=DPI, page_size=PageSize.AUTO,
                                                        max_pages=len(pnm)))

        def file_pages() -> Iterator[Page]:
            for path in png:
                yield from import_file(path)

        scan_only = time.perf_counter()
        files = iter(pnm)
        scanned = sum(1 for _ in sane_pages())
        scan_seconds = time.perf_counter() - scan_only
        files = iter(pnm)
        with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn"), initializer=_init) as pool:
            list(pool.map(cleanup_only, [next(import_file(png[0]))] * args.jobs))  # warm the workers
            results = [run("SANE pnm -> cleanup+quality", sane_pages, pool, args.jobs),
                       run("PNG import -> cleanup+quality", file_pages, pool, args.jobs)]
    print(f"\n{args.pages} pages, 300 dpi A4 gray, {args.jobs} worker process(es), "
          f"{len(os.sched_getaffinity(0))} cores")
    print(f"SANE pnm alone: {scanned / scan_seconds * 60:.0f} pages/min ({scan_seconds / scanned * 1000:.0f} ms/page)")
    print(f"{'path':<32} {'pages/min':>10} {'ms/page':>8} {'latency p50':>12} {'p95':>7} {'max':>7} {'peak RSS':>9}")
    for r in results:
        lat = sorted(r.latencies_ms)
        p95 = lat[min(len(lat) - 1, int(len(lat) * 0.95))]
        print(f"{r.path:<32} {r.pages_per_min:>10.0f} {r.seconds / r.pages * 1000:>8.0f} "
              f"{statistics.median(lat):>10.0f}ms {p95:>5.0f}ms {lat[-1]:>5.0f}ms {r.peak_rss_mib:>7.0f}MiB")


if __name__ == "__main__":
    main()
