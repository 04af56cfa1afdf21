"""`station process` against OCRmyPDF on the same 20 scans, in one run.

Run: `.venv/bin/python -m tests.benchmarks.bench_process_vs_ocrmypdf [--pages 20] [--jobs 2]`.
The input is one lossless 300 dpi PDF of generated Vietnamese pages (some turned, most skewed, a few colour,
all with scanner noise). Both tools get `-l vie`-equivalent settings and the same number of jobs. Printed:
pages/min, bytes/page, peak memory of the process tree, and the character error rate of the text layer
(pdftotext, per page, against the ground truth).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import psutil
from PIL import Image as PILImage

from tests import pagegen

ROOT = Path(__file__).resolve().parents[2]
DPI = 300


@dataclass(frozen=True)
class Outcome:
    tool: str
    seconds: float
    pdf_bytes: int
    pages: int
    cer: float
    peak_rss_mib: float


TURNS, SKEWS = (0, 90, 180, 270), (0.0, 1.5, -2.8, 4.2, -6.5, 0.6, -1.1)


def is_upright(i: int) -> bool:
    """Page i of the generated set arrives neither turned nor skewed by more than 1 degree."""
    turned = i % 3 == 0 and TURNS[i % 4] != 0
    return not turned and abs(SKEWS[i % len(SKEWS)]) <= 1.0


def make_input(count: int, folder: Path) -> tuple[Path, list[str]]:
    turns, skews = TURNS, SKEWS
    images, truth = [], []
    for i in range(count):
        lines = list(pagegen.VIETNAMESE_LINES[i % 7:]) + list(pagegen.VIETNAMESE_LINES[: i % 7])
        page = pagegen.render_text_page(lines, dpi=DPI, color=i % 6 == 5)
        image = pagegen.add_noise(pagegen.skew(page.image, skews[i % len(skews)]), 6.0, seed=i)
        image = pagegen.turn(image, turns[i % 4] if i % 3 == 0 else 0)
        path = folder / f"scan-{i:02d}.png"
        PILImage.fromarray(image).save(path, dpi=(DPI, DPI), compress_level=1)
        images.append(path)
        truth.append(page.text)
    pdf = folder / "scans.pdf"
    pdf.write_bytes(img2pdf.convert([str(p) for p in images]))
    return pdf, truth


def run_measured(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the command and all its children."""
    start = time.perf_counter()
    child = psutil.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            total = 0
            with contextlib.suppress(psutil.NoSuchProcess):
                total = child.memory_info().rss
                for sub in child.children(recursive=True):
                    with contextlib.suppress(psutil.NoSuchProcess):
                        total += sub.memory_info().rss
            peak = max(peak, total)
            stop.wait(0.05)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, stderr = child.communicate()
    stop.set()
    watcher.join()
    if child.returncode != 0:
        raise SystemExit(f"{command[0]} failed ({child.returncode}): {stderr.decode(errors='replace')[-2000:]}")
    return time.perf_counter() - start, peak / 2**20


def page_texts(pdf: Path, pages: int) -> list[str]:
    texts = []
    for number in range(1, pages + 1):
        result = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-"],
                                capture_output=True, text=True, check=True)
        texts.append(result.stdout)
    return texts


def mean_cer(truth: list[str], texts: list[str], pages: list[int] | None = None) -> float:
    chosen = pages if pages is not None else list(range(len(truth)))
    if not chosen:
        return 0.0
    return sum(pagegen.character_error_rate(truth[i], texts[i]) for i in chosen) / len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    bin_dir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pdf, truth = make_input(args.pages, folder)
        outcomes = []

        out_dir = folder / "station-out"
        seconds, peak = run_measured([str(bin_dir / "station"), "process", str(pdf), "--out", str(out_dir),
                                      "--jobs", str(args.jobs), "--quiet", "--split", "file"], env)
        [station_pdf] = list(out_dir.glob("*/*.pdf"))
        station_texts = page_texts(station_pdf, args.pages)
        outcomes.append(Outcome("station process", seconds, station_pdf.stat().st_size, args.pages,
                                mean_cer(truth, station_texts), peak))
        upright = [i for i in range(args.pages) if is_upright(i)]
        other = [i for i in range(args.pages) if not is_upright(i)]

        ocrmypdf_pdf = folder / "ocrmypdf.pdf"
        seconds, peak = run_measured([str(bin_dir / "ocrmypdf"), "-l", "vie", "--rotate-pages", "--deskew",
                                      "--output-type", "pdfa", "-j", str(args.jobs), str(pdf), str(ocrmypdf_pdf)],
                                     env)
        outcomes.append(Outcome("ocrmypdf", seconds, ocrmypdf_pdf.stat().st_size, args.pages,
                                mean_cer(truth, page_texts(ocrmypdf_pdf, args.pages)), peak))

    print(f"\n{args.pages} pages 300 dpi A4 (every 3rd turned, most skewed, 1 in 6 colour), "
          f"{args.jobs} jobs")
    print(f"{'tool':<18} {'pages/min':>10} {'s/page':>7} {'KB/page':>8} {'text CER':>9} {'peak RSS':>9}")
    for o in outcomes:
        print(f"{o.tool:<18} {o.pages / o.seconds * 60:>10.1f} {o.seconds / o.pages:>7.2f} "
              f"{o.pdf_bytes / o.pages / 1024:>8.1f} {o.cer * 100:>8.2f}% {o.peak_rss_mib:>7.0f}MiB")
    print(f"station text-layer CER: upright pages {mean_cer(truth, station_texts, upright) * 100:.2f}% "
          f"({len(upright)}), turned or skewed > 1° {mean_cer(truth, station_texts, other) * 100:.2f}% ({len(other)})")
    station, peer = outcomes
    speed, size = peer.seconds / station.seconds, station.pdf_bytes / peer.pdf_bytes
    print(f"station vs ocrmypdf: {speed:.2f}x the pages/min, {size:.2f}x the bytes")


if __name__ == "__main__":
    main()
