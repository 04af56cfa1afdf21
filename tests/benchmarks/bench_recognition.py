"""Recognition benchmark: OCR (tesserocr vs pytesseract), barcodes (zxing-cpp vs pyzbar), barcodes through
cleanup (the `station inspect` path), ICAO MRZ on specimen documents, patch codes on generated sheets.

Run: ``.venv/bin/python -m tests.benchmarks.bench_recognition [--pages N] [--skip-ocr] [--skip-barcodes]
[--skip-mrz] [--skip-patch] [--skip-orientation]``

Sources of the figures: ``../shared/corpora/zxing`` and ``../shared/corpora/mrz`` are real/specimen inputs from
peer projects (nobody here made them), as are the scans of ``../shared/corpora/ocrmypdf`` used for orientation;
OCR pages and patch sheets are generated here.

Prints figures, asserts nothing. Never prints recognised text (it could be personal data on real pages;
here it is generated, but the habit stays).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before anything loads Tesseract

import numpy as np
from PIL import Image as PILImage

from ocr.barcodes import BarcodeConfig, read_barcodes
from ocr.models import Barcode
from tests import pagegen

ROOT = Path(__file__).resolve().parents[2]
CORPORA = ROOT.parent / "shared" / "corpora"
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


# ---------------------------------------------------------------- barcode corpus


@dataclass(frozen=True)
class CorpusCase:
    folder: str
    path: Path
    expected_text: str | None  # from NAME.txt, line endings normalised
    expected_bytes: bytes | None  # from NAME.bin (binary payloads)

    @property
    def negative(self) -> bool:
        return self.folder.startswith("falsepositives")

    def load(self) -> np.ndarray:
        with PILImage.open(self.path) as img:
            return np.asarray(img.convert("L"), dtype=np.uint8)


def corpus_cases(root: Path) -> list[CorpusCase]:
    """Every image of the zxing corpus with its expectation (none for false-positive folders)."""
    cases: list[CorpusCase] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            txt, binary = path.with_suffix(".txt"), path.with_suffix(".bin")
            text = _normalise_eol(txt.read_text(encoding="utf-8")) if txt.exists() else None
            data = binary.read_bytes() if binary.exists() else None
            cases.append(CorpusCase(folder.name, path, text, data))
    return cases


def decoded_ok(case: CorpusCase, found: Sequence[Barcode]) -> bool:
    """For a positive case: one of the codes found carries the expected content."""
    for barcode in found:
        if case.expected_text is not None and _normalise_eol(barcode.text) == case.expected_text:
            return True
        if case.expected_bytes is not None and barcode.raw == case.expected_bytes:
            return True
    return case.expected_text is None and case.expected_bytes is None and bool(found)


def _normalise_eol(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def pyzbar_read(image: np.ndarray) -> list[Barcode]:
    """pyzbar as a drop-in reader (its bytes decoded as UTF-8, as an application would)."""
    from pyzbar import pyzbar

    found = []
    for symbol in pyzbar.decode(image):
        r = symbol.rect
        text = symbol.data.decode("utf-8", errors="replace")
        found.append(Barcode(str(symbol.type), text, (r.left, r.top, r.width, r.height), bytes(symbol.data)))
    return found


Reader = Callable[[np.ndarray], list[Barcode]]


def bench_corpus(readers: dict[str, Reader]) -> None:
    cases = corpus_cases(CORPORA / "zxing")
    folders = sorted({c.folder for c in cases})
    names = list(readers)
    print("\n== Barcode corpus ../shared/corpora/zxing (upright images; negatives: images with any hit)")
    header = f"{'folder':18s} {'n':>4s} " + " ".join(f"{n + ' read':>16s} {'ms/img':>7s}" for n in names)
    print(header)
    totals = {n: [0, 0.0] for n in names}
    for folder in folders:
        mine = [c for c in cases if c.folder == folder]
        images = [c.load() for c in mine]
        cells = []
        for name in names:
            hits = 0
            t0 = time.perf_counter()
            results = [readers[name](img) for img in images]
            ms = (time.perf_counter() - t0) * 1000 / len(images)
            for case, found in zip(mine, results, strict=True):
                hits += bool(found) if case.negative else decoded_ok(case, found)
            label = f"FP {hits}/{len(mine)}" if mine[0].negative else f"{hits}/{len(mine)}"
            cells.append(f"{label:>16s} {ms:7.1f}")
            if not mine[0].negative:
                totals[name][0] += hits
            totals[name][1] += ms * len(images)
        print(f"{folder:18s} {len(mine):4d} " + " ".join(cells))
    positives = sum(1 for c in cases if not c.negative)
    print(
        f"{'total positives':18s} {positives:4d} "
        + " ".join(f"{totals[n][0]:>16d} {totals[n][1] / len(cases):7.1f}" for n in names)
    )


def _qr_symbol(text: str, box: int = 8) -> np.ndarray:
    import qrcode

    return np.asarray(qrcode.make(text, box_size=box, border=4).get_image().convert("L"), dtype=np.uint8)


def _a4_pages() -> dict[str, np.ndarray]:
    text = pagegen.render_text_page().image
    qr_page = text.copy()
    symbol = _qr_symbol("Đặng Thị Hồng Nhung, phường Hòa Bình")
    h, w = symbol.shape
    qr_page[2900 : 2900 + h, 1800 : 1800 + w] = symbol
    return {
        "blank A4": pagegen.blank_page(),
        "text A4": text,
        "text+QR A4": pagegen.add_noise(qr_page, 6.0),
        "text+QR A4 turned 90": pagegen.turn(qr_page, 90),
        "text+QR A4 skewed 17": pagegen.skew(qr_page, 17.0),
    }


def bench_pages(readers: dict[str, Reader], repeat: int = 5) -> None:
    print(f"\n== Whole-page barcode scan, 300 dpi A4, median of {repeat} runs: CPU ms (wall ms)")
    pages = _a4_pages()
    print(f"{'page':24s} " + " ".join(f"{n:>28s}" for n in readers))
    for label, page in pages.items():
        cells = []
        for reader in readers.values():
            walls, cpus = [], []
            found: list[Barcode] = []
            for _ in range(repeat):
                w0, c0 = time.perf_counter(), time.thread_time()
                found = reader(page)
                cpus.append(time.thread_time() - c0)
                walls.append(time.perf_counter() - w0)
            expected = "QR" in label
            ok = any(b.text.startswith("Đặng") for b in found)
            verdict = ("ok" if ok else "MISS") if expected else ("-" if not found else "FALSE")
            cpu, wall = statistics.median(cpus) * 1000, statistics.median(walls) * 1000
            cells.append(f"{cpu:6.1f} ({wall:6.1f}) ms {verdict:>5s}")
        print(f"{label:24s} " + " ".join(f"{c:>28s}" for c in cells))


def barcode_readers() -> dict[str, Reader]:
    readers: dict[str, Reader] = {
        "zxing station": lambda img: read_barcodes(img),
        "zxing no-invert": lambda img: read_barcodes(img, BarcodeConfig(try_invert=False)),
        "zxing defaults": _zxing_defaults,
    }
    try:
        import pyzbar.pyzbar  # noqa: F401

        readers["pyzbar"] = pyzbar_read
    except ImportError:
        print("pyzbar not installed: skipped")
    return readers


def _zxing_defaults(image: np.ndarray) -> list[Barcode]:
    import zxingcpp

    found = []
    for r in zxingcpp.read_barcodes(image):
        xs = [p.x for p in (r.position.top_left, r.position.bottom_right)]
        ys = [p.y for p in (r.position.top_left, r.position.bottom_right)]
        found.append(Barcode(r.format.name, r.text, (min(xs), min(ys), 1, 1), bytes(r.bytes)))
    return found


# ---------------------------------------------------------------- OCR


def ocr_pages(count: int) -> list[tuple[str, pagegen.TextPage]]:
    """Generated 300 dpi A4 pages with exact ground truth, clean and scanner-like."""
    variants: list[tuple[str, pagegen.TextPage]] = [
        ("serif 12pt", pagegen.render_text_page()),
        ("sans 11pt colour", pagegen.render_text_page(font_path=pagegen.FONT_SANS, font_pt=11, color=True)),
    ]
    scanned = pagegen.render_text_page(font_pt=11)
    degraded = pagegen.add_noise(pagegen.blur(scanned.image, 0.8), 6.0)
    variants.append(("serif 11pt blur+noise", pagegen.TextPage(degraded, scanned.text, scanned.words, scanned.dpi)))
    speckled = pagegen.render_text_page(font_path=pagegen.FONT_SANS, font_pt=10)
    variants.append(
        ("sans 10pt speckles", pagegen.TextPage(pagegen.add_speckles(speckled.image), speckled.text,
                                                 speckled.words, speckled.dpi))
    )
    return variants[: max(1, count)]


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the tesseract program for pytesseract)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def bench_ocr(count: int) -> None:
    from ocr.tesseract import OcrConfig, engine_for, recognize_cli

    pages = ocr_pages(count)
    print("\n== OCR, 300 dpi A4 pages of generated Vietnamese text (lang vie+eng, psm 3, OMP_THREAD_LIMIT=1)")
    print("   wall = elapsed seconds; cpu = CPU seconds of the work (the per-core figure, fair on a busy machine)")
    engines: dict[str, Callable[[np.ndarray, int, str], str]] = {
        "tesserocr": lambda img, dpi, lang: engine_for(OcrConfig(lang=lang)).recognize(img, dpi).text,
        "pytesseract": lambda img, dpi, lang: recognize_cli(img, dpi, OcrConfig(lang=lang, engine="cli")).text,
    }
    t0 = time.perf_counter()
    engine_for(OcrConfig())  # model load, once per thread: reported apart
    print(f"tesserocr engine load (vie+eng): {time.perf_counter() - t0:.2f} s, once per thread/process")
    print(f"{'page':24s} " + " ".join(f"{name:>30s}" for name in engines))
    totals = {name: [0.0, 0.0, 0.0] for name in engines}
    for label, page in pages:
        cells = []
        for name, run in engines.items():
            w0, c0 = time.perf_counter(), _cpu_seconds()
            text = run(page.image, page.dpi, "vie+eng")
            wall, cpu = time.perf_counter() - w0, _cpu_seconds() - c0
            cer = pagegen.character_error_rate(page.text, text)
            totals[name][0] += wall
            totals[name][1] += cpu
            totals[name][2] += cer
            cells.append(f"wall {wall:5.2f} cpu {cpu:5.2f} CER {cer * 100:5.2f}%")
        print(f"{label:24s} " + " ".join(f"{c:>30s}" for c in cells))
    n = len(pages)
    print(
        f"{'mean per page':24s} "
        + " ".join(
            f"{f'wall {t[0] / n:5.2f} cpu {t[1] / n:5.2f} CER {t[2] / n * 100:5.2f}%':>30s}" for t in totals.values()
        )
    )
    linn = CORPORA / "ocrmypdf" / "linn.png"
    if linn.exists():
        with PILImage.open(linn) as img:
            image = np.asarray(img.convert("L"), dtype=np.uint8)
        reference = (CORPORA / "ocrmypdf" / "linn.txt").read_text(encoding="utf-8")
        cells = []
        for run in engines.values():
            w0, c0 = time.perf_counter(), _cpu_seconds()
            text = run(image, 300, "eng")
            wall, cpu = time.perf_counter() - w0, _cpu_seconds() - c0
            cer = pagegen.character_error_rate(reference, text)
            cells.append(f"wall {wall:5.2f} cpu {cpu:5.2f} CER {cer * 100:5.2f}%")
        print(f"{'linn.png (eng, scan)':24s} " + " ".join(f"{c:>30s}" for c in cells))


# ---------------------------------------------------------------- barcodes through cleanup, MRZ, patch codes


def bench_page_barcodes() -> None:
    """Codes read through cleanup (the inspect path): cleaned image only vs cleaned + captured, vs plain zxing."""
    import zxingcpp

    from ocr.barcodes import read_page_barcodes
    from scanning.cleanup.config import CleanupConfig
    from scanning.cleanup.pipeline import clean_page
    from scanning.models import Page

    cases = corpus_cases(CORPORA / "zxing")
    counts = {"plain zxing-cpp on file": 0, "cleaned image only": 0, "cleaned + captured": 0}
    false_hits = {k: 0 for k in counts}
    t0 = time.perf_counter()
    for case in cases:
        image = case.load()
        clean = clean_page(Page(image, None, str(case.path), 1), CleanupConfig())
        results = {
            "plain zxing-cpp on file": [Barcode(r.format.name, r.text, (0, 0, 1, 1), bytes(r.bytes))
                                        for r in zxingcpp.read_barcodes(image) if r.valid],
            "cleaned image only": read_barcodes(clean.image),
            "cleaned + captured": read_page_barcodes(clean),
        }
        for name, found in results.items():
            if case.negative:
                false_hits[name] += bool(found)
            else:
                counts[name] += decoded_ok(case, found)
    positives = sum(1 for c in cases if not c.negative)
    negatives = len(cases) - positives
    print(f"\n== Barcodes through cleanup, ../shared/corpora/zxing (peer images), {time.perf_counter() - t0:.0f} s")
    for name in counts:
        print(f"{name:26s} {counts[name]:4d}/{positives} read, false positives {false_hits[name]}/{negatives}")


def bench_mrz() -> None:
    """ICAO MRZ on the 33 specimen documents of ../shared/corpora/mrz (PassportEye's test images)."""
    import json
    from datetime import date

    from ocr.icao import parse_lines, read_mrz_documents

    folder = CORPORA / "mrz"
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    today = date(2026, 12, 1)
    fields = ("date_of_birth", "sex", "expiry_date", "document_number", "nationality", "surname", "given_names")
    exact = dict.fromkeys(fields, 0)
    goal = found = 0
    seconds: list[float] = []
    for name, lines in sorted(truth.items()):
        expected = parse_lines(lines, today=today)
        with PILImage.open(folder / name) as img:
            image = np.asarray(img.convert("RGB"), dtype=np.uint8)
        t0 = time.perf_counter()
        docs = read_mrz_documents(image, today=today)
        seconds.append(time.perf_counter() - t0)
        if expected is None or not docs:
            continue
        found += 1
        doc = max(docs, key=lambda d: sum(getattr(d, f) == getattr(expected, f) for f in fields))
        for f in fields:
            exact[f] += getattr(doc, f) == getattr(expected, f)
        goal += all(getattr(doc, f) == getattr(expected, f) for f in fields[:3])
    n = len(truth)
    print(f"\n== ICAO MRZ, ../shared/corpora/mrz ({n} specimen images; PassportEye reads about 77-81 %)")
    print(f"zone read on {found}/{n}; date of birth + sex + expiry all exact: {goal}/{n} ({goal / n * 100:.0f} %)")
    print("per field exact: " + ", ".join(f"{f} {exact[f]}/{n}" for f in fields))
    print(f"seconds per image: median {statistics.median(seconds):.2f}, max {max(seconds):.2f}")


def bench_patch_codes() -> None:
    """Generated patch sheets (every patch, skewed, noisy) and false patches on corpus and generated pages."""
    from ocr.patchcode import PATTERNS, find_patch_codes, render_patch

    hits = total = 0
    spent = 0.0
    for patch in PATTERNS.values():
        for angle in (-2.0, 0.0, 1.5, 3.0):
            page = pagegen.blank_page()
            symbol = render_patch(patch)
            page[90 : 90 + symbol.shape[0], 750 : 750 + symbol.shape[1]] = symbol
            scanned = pagegen.add_noise(pagegen.skew(page, angle, fill=250), 6.0)
            total += 1
            t0 = time.perf_counter()
            hits += [p.patch for p in find_patch_codes(scanned)] == [patch]
            spent += time.perf_counter() - t0
    ms = spent * 1000 / total
    others = [c.load() for c in corpus_cases(CORPORA / "zxing")] + [pagegen.render_text_page().image]
    false = sum(bool(find_patch_codes(img)) for img in others)
    print("\n== Patch codes (generated sheets; false hits on the zxing corpus + a text page)")
    print(f"read {hits}/{total} ({ms:.0f} ms/page); false patches on {false}/{len(others)} other images")


def bench_orientation_real() -> None:
    """Orientation on real scans nobody here made (OCRmyPDF's corpus), each fed at 0/90/180/270 degrees:
    right turns, pages left as they came (flagged orientation_uncertain in the pipeline), wrong turns."""
    import pypdfium2 as pdfium

    from scanning.cleanup.config import CleanupConfig
    from scanning.cleanup.orientation import detect_orientation, turn

    folder = CORPORA / "ocrmypdf"
    pages: list[np.ndarray] = []
    for name in ("baiona.png", "crom.png", "linn.png", "typewriter.png"):
        with PILImage.open(folder / name) as img:
            pages.append(np.asarray(img.convert("L"), dtype=np.uint8))
    for name in ("c02-22.pdf", "epson.pdf", "francais.pdf", "multipage.pdf", "skew.pdf", "ccitt.pdf", "jbig2.pdf",
                 "kcs.pdf", "aspect.pdf"):
        pdf = pdfium.PdfDocument(folder / name)
        for index in range(min(len(pdf), 3)):
            pages.append(np.asarray(pdf[index].render(scale=150 / 72).to_pil().convert("L"), dtype=np.uint8))
    cfg = CleanupConfig()
    right = uncertain = wrong = 0
    for page in pages:
        for fed in (0, 90, 180, 270):
            result = detect_orientation(turn(page, fed), cfg, 150)
            if not result.known:
                uncertain += 1
            elif result.rotation_cw == (360 - fed) % 360:
                right += 1
            else:
                wrong += 1
    total = right + uncertain + wrong
    print(f"\n== Orientation, {len(pages)} real scanned pages of ../shared/corpora/ocrmypdf x 4 turns ({total})")
    print(f"turned right {right}, left as they came (uncertain) {uncertain}, turned wrong {wrong}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_recognition", description=__doc__)
    parser.add_argument("--pages", type=int, default=4, help="generated OCR pages per engine (default 4)")
    parser.add_argument("--skip-ocr", action="store_true")
    parser.add_argument("--skip-barcodes", action="store_true")
    parser.add_argument("--skip-mrz", action="store_true")
    parser.add_argument("--skip-patch", action="store_true")
    parser.add_argument("--skip-orientation", action="store_true")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT')}")
    if not args.skip_ocr:
        bench_ocr(args.pages)
    if not args.skip_barcodes:
        readers = barcode_readers()
        bench_corpus(readers)
        bench_pages(readers)
        bench_page_barcodes()
    if not args.skip_mrz:
        bench_mrz()
    if not args.skip_patch:
        bench_patch_codes()
    if not args.skip_orientation:
        bench_orientation_real()
    return 0


if __name__ == "__main__":
    sys.exit(main())
