"""Cleanup accuracy and speed: orientation, deskew, blank detection, ms/page per step, peak memory.

Run: OMP_THREAD_LIMIT=1 .venv/bin/python -m tests.benchmarks.bench_cleanup_accuracy [--quick] [--osd]

Generates 300 dpi A4 pages with known turns and skews (4 turns x 6 skews x gray/colour, a third of them
noisy, a sixth blurred), runs scanning.cleanup.pipeline.clean_page on each, and prints:
- orientation accuracy (% correct) and residual skew after correction (|measured - true|, mean and max),
- blank-detection confusion counts on blank and near-blank pages,
- ms/page per step and in total, gray and colour, with OpenCV single-threaded (as the station's workers
  run) and with OpenCV's default threads,
- peak memory (tracemalloc for Python/numpy allocations, and the process's peak RSS),
- orientation on the real scans of ../shared/corpora/ocrmypdf (cardinal.pdf: four orientations; asserted),
- with --osd, Tesseract OSD (tesserocr) on the same pages for comparison.
Exits non-zero if an assertion about the real scans fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import STEPS, clean_page
from scanning.models import CleanPage, Page
from tests import pagegen as pg

DPI = 300
TURNS = (0, 90, 180, 270)
SKEWS = (0.0, 0.7, -2.4, 4.6, -9.7, 14.5)
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / "ocrmypdf"
CFG = CleanupConfig()


@dataclass(frozen=True)
class Case:
    name: str
    image: np.ndarray
    fed_turn: int  # clockwise turn the page was fed with
    skew: float
    color: bool

    @property
    def expected_rotation(self) -> int:
        return (360 - self.fed_turn) % 360


def generate(quick: bool) -> list[Case]:
    uprights = {
        (False, font): pg.render_text_page(dpi=DPI, font_path=font).image for font in (pg.FONT_SERIF, pg.FONT_SANS)
    }
    uprights |= {
        (True, font): pg.render_text_page(dpi=DPI, color=True, font_path=font).image
        for font in (pg.FONT_SERIF, pg.FONT_SANS)
    }
    cases: list[Case] = []
    i = 0
    for color in (False, True):
        for turn in TURNS:
            for skew in SKEWS[:3] if quick else SKEWS:
                font = pg.FONT_SANS if i % 2 else pg.FONT_SERIF
                image = pg.skew(uprights[(color, font)], skew)
                label = []
                if i % 3 == 0:
                    image = pg.add_noise(pg.add_speckles(image, 200, seed=i), 8, seed=i)
                    label.append("noisy")
                if i % 6 == 1:
                    image = pg.blur(image, 1.5)
                    label.append("blurred")
                image = pg.turn(image, turn)
                if i % 4 == 2:
                    image = pg.add_dark_border(image)
                    label.append("border")
                name = f"{'rgb' if color else 'gray'} turn{turn} skew{skew:+.1f} {'+'.join(label)}"
                cases.append(Case(name, image, turn, skew, color))
                i += 1
    return cases


def blank_set() -> list[tuple[str, np.ndarray, bool]]:
    """(name, image, truly blank) at 300 dpi, gray and colour."""
    back = pg.render_text_page(dpi=DPI, font_pt=11, line_spacing=1.3).image
    blank = pg.blank_page(dpi=DPI)
    number = pg.render_text_page(["12"], dpi=DPI, font_pt=10, margin_mm=140).image
    line = pg.render_text_page(["Trang này để trống."], dpi=DPI, font_pt=11).image
    sets = {
        "blank": (blank, True),
        "blank+noise": (pg.add_noise(blank, 12), True),
        "blank+dust": (pg.add_speckles(blank, 500), True),
        "blank+show-through": (pg.add_show_through(blank, back, 0.2), True),
        "blank+holes": (pg.add_punch_holes(blank, dpi=DPI), True),
        "blank+border": (pg.add_dark_border(blank), True),
        "blank+all": (pg.add_dark_border(pg.add_noise(pg.add_speckles(pg.add_punch_holes(
            pg.add_show_through(blank, back, 0.15), dpi=DPI), 300), 8)), True),
        "page-number": (number, False),
        "page-number+all": (pg.add_dark_border(pg.add_noise(pg.add_speckles(pg.add_punch_holes(
            pg.add_show_through(number, back, 0.15), dpi=DPI), 300), 8)), False),
        "one-line": (line, False),
        "one-line+noise": (pg.add_noise(line, 12), False),
        "full-text": (back, False),
    }
    out = []
    for name, (image, truth) in sets.items():
        out.append((f"gray {name}", image, truth))
        out.append((f"rgb {name}", np.dstack([image, image, image]), truth))
    return out


def run_cases(cases: list[Case], threads: int | None) -> tuple[list[dict[str, float]], list[CleanPage]]:
    if threads is not None:
        cv2.setNumThreads(threads)
    timings: list[dict[str, float]] = []
    results: list[CleanPage] = []
    for case in cases:
        t: dict[str, float] = {}
        cpu = time.process_time()
        start = time.perf_counter()
        results.append(clean_page(Page(case.image, DPI, case.name, 1), CFG, t))
        t["total"] = (time.perf_counter() - start) * 1000
        t["cpu"] = (time.process_time() - cpu) * 1000
        timings.append(t)
    return timings, results


def step_table(cases: list[Case], timings: list[dict[str, float]]) -> str:
    lines = [f"  {'step':<12}" + "".join(f"{k:>10}" for k in ("gray", "colour", "all"))]
    for step in (*STEPS, "total"):
        cells = []
        for sel in (False, True, None):
            vals = [t.get(step, 0.0) for c, t in zip(cases, timings, strict=True) if sel is None or c.color == sel]
            cells.append(f"{statistics.mean(vals):>8.1f}ms")
        lines.append(f"  {step:<12}" + "".join(f"{c:>10}" for c in cells))
    for sel, label in ((False, "gray"), (True, "colour")):
        cpu = [t["cpu"] for c, t in zip(cases, timings, strict=True) if c.color == sel]
        lines.append(f"  CPU time {label}: mean {statistics.mean(cpu):.0f} ms/page (wall time above includes waiting "
                     f"for the CPU when the machine is shared: load average {os.getloadavg()[0]:.1f})")
    totals = [t["total"] for t in timings]
    lines.append(f"  total: median {statistics.median(totals):.0f} ms, max {max(totals):.0f} ms; "
                 f"one core = {60000 / statistics.mean(totals):.0f} pages/min, two cores ~ "
                 f"{2 * 60000 / statistics.mean(totals):.0f} pages/min (cleanup + quality only)")
    return "\n".join(lines)


def render_pdf(path: Path, index: int, dpi: int) -> np.ndarray:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        return np.asarray(doc[index].render(scale=dpi / 72).to_pil().convert("L"))
    finally:
        doc.close()


def corpus_checks() -> list[str]:
    failures: list[str] = []
    if not CORPUS.is_dir():
        print(f"corpus missing at {CORPUS}: skipped")
        return failures
    print("\nReal scans (../shared/corpora/ocrmypdf):")
    expected = (0, 270, 180, 90)
    for dpi in (150, 300):
        for i, want in enumerate(expected):
            start = time.perf_counter()
            clean = clean_page(Page(render_pdf(CORPUS / "cardinal.pdf", i, dpi), dpi, "cardinal.pdf", i + 1), CFG)
            ms = (time.perf_counter() - start) * 1000
            ok = clean.rotation_applied == want
            print(f"  cardinal.pdf p{i + 1} @{dpi}dpi: rotation {clean.rotation_applied:>3} (expected {want:>3}) "
                  f"conf {clean.quality.metrics['orientation_confidence']:.2f} skew {clean.skew_deg:+.2f} "
                  f"{'OK' if ok else 'WRONG'}  {ms:.0f} ms")
            if not ok:
                failures.append(f"cardinal.pdf page {i + 1} at {dpi} dpi: {clean.rotation_applied} != {want}")
    for name, want_skew in (("skew.pdf", -1.8), ("rotated_skew.pdf", 2.7)):
        clean = clean_page(Page(render_pdf(CORPUS / name, 0, 300), 300, name, 1), CFG)
        print(f"  {name} @300dpi: rotation {clean.rotation_applied} skew {clean.skew_deg:+.2f} "
              f"(lines {'fall' if clean.skew_deg < 0 else 'rise'} to the right), issues {clean.quality.issues}")
        if clean.rotation_applied != 0 or abs(clean.skew_deg - want_skew) > 0.3:
            failures.append(f"{name}: rotation {clean.rotation_applied}, skew {clean.skew_deg}")
    return failures


def osd_comparison(cases: list[Case]) -> None:
    try:
        import tesserocr
        from PIL import Image as PILImage
    except ImportError:
        print("tesserocr not installed: OSD comparison skipped")
        return
    print("\nTesseract OSD (tesserocr, osd model) on the same pages, for comparison:")
    tessdata = "/usr/share/tesseract-ocr/5/tessdata"
    for dpi in (300, 150):
        same = opposite = n = 0
        times = []
        with tesserocr.PyTessBaseAPI(path=tessdata, lang="osd", psm=tesserocr.PSM.OSD_ONLY) as api:
            for case in cases[::3]:
                gray = case.image if case.image.ndim == 2 else cv2.cvtColor(case.image, cv2.COLOR_RGB2GRAY)
                if dpi != DPI:
                    gray = cv2.resize(gray, None, fx=dpi / DPI, fy=dpi / DPI, interpolation=cv2.INTER_AREA)
                start = time.perf_counter()
                api.SetImage(PILImage.fromarray(gray))
                api.SetSourceResolution(dpi)
                try:
                    osd = api.DetectOrientationScript()
                    found = int(osd["orient_deg"]) % 360 if osd else 0
                except RuntimeError:
                    found = -1
                times.append((time.perf_counter() - start) * 1000)
                n += 1
                same += found == case.expected_rotation
                opposite += found >= 0 and (360 - found) % 360 == case.expected_rotation
        ok, convention = (same, "orient_deg = clockwise fix") if same >= opposite else (
            opposite, "orient_deg = counter-clockwise fix")
        print(f"  OSD @{dpi}dpi: {ok}/{n} correct ({convention}), {statistics.mean(times):.0f} ms/page")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="half the pages")
    parser.add_argument("--osd", action="store_true", help="also time Tesseract OSD on the same pages")
    args = parser.parse_args()

    start = time.perf_counter()
    cases = generate(args.quick)
    print(f"Generated {len(cases)} pages, 300 dpi A4 ({cases[0].image.shape[1]}x{cases[0].image.shape[0]}), "
          f"in {time.perf_counter() - start:.1f} s")

    # Warm-up (imports, OpenCV kernels), then the measured runs.
    clean_page(Page(cases[0].image, DPI, "warm-up", 1), CFG)
    default_threads = cv2.getNumThreads()
    timings_default, _ = run_cases(cases, None)
    timings, results = run_cases(cases, 1)

    correct = [r.rotation_applied == c.expected_rotation for c, r in zip(cases, results, strict=True)]
    residual = [abs(r.skew_deg - c.skew) for c, r in zip(cases, results, strict=True)]
    print(f"\nOrientation: {sum(correct)}/{len(cases)} correct = {100 * sum(correct) / len(cases):.1f}%")
    for c, ok in zip(cases, correct, strict=True):
        if not ok:
            print(f"  wrong: {c.name}")
    for sel, label in ((False, "gray"), (True, "colour")):
        sub = [ok for c, ok in zip(cases, correct, strict=True) if c.color == sel]
        print(f"  {label}: {100 * sum(sub) / len(sub):.1f}%")
    print(f"Residual skew after correction |measured - true|: mean {statistics.mean(residual):.3f} deg, "
          f"max {max(residual):.3f} deg (goal <= 0.3)")

    blank_cases = blank_set()
    tp = fp = tn = fn = 0
    for name, image, truth in blank_cases:
        got = clean_page(Page(image, DPI, name, 1), CFG).blank
        tp += got and truth
        fp += got and not truth
        tn += (not got) and (not truth)
        fn += (not got) and truth
        if got != truth:
            print(f"  blank detection wrong: {name} (truth {truth}, got {got})")
    print(f"\nBlank detection on {len(blank_cases)} pages (blank / near-blank, gray + colour): "
          f"blank found {tp}, missed {fn}; content kept {tn}, content called blank {fp}")

    print("\nms/page per step, 300 dpi A4, OpenCV single-threaded (cv2.setNumThreads(1)):")
    print(step_table(cases, timings))
    print(f"ms/page, OpenCV default threads ({default_threads}):")
    totals = [t["total"] for t in timings_default]
    print(f"  total mean {statistics.mean(totals):.0f} ms, median {statistics.median(totals):.0f} ms")

    tracemalloc.start()
    clean_page(Page(cases[1].image, DPI, "mem", 1), CFG)
    gray_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    colour_case = next(c for c in cases if c.color)
    clean_page(Page(colour_case.image, DPI, "mem", 1), CFG)
    colour_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nPeak memory of one clean_page (tracemalloc, numpy arrays included): gray {gray_peak / 2**20:.1f} MiB, "
          f"colour {colour_peak / 2**20:.1f} MiB (input page itself: {cases[1].image.nbytes / 2**20:.1f} / "
          f"{colour_case.image.nbytes / 2**20:.1f} MiB); process peak RSS {rss:.0f} MiB "
          f"(holds all {len(cases)} generated pages)")

    failures = corpus_checks()
    if args.osd:
        osd_comparison(cases)
    if failures:
        print("\nFAILED: " + "; ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
