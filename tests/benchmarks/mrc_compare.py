"""Colour-page compression compared: the station's MRC, Internet Archive's archive-pdf-tools (`recode_pdf`) and
`ocrmypdf -O3 --output-type pdfa`, on the same signed and sealed 300 dpi A4 colour pages. Not collected by pytest.

    OMP_THREAD_LIMIT=1 .venv/bin/python -m tests.benchmarks.mrc_compare [--pages 20] [--keep DIR]

Per tool: KB/page (median and mean), CER of Tesseract `vie` on the page rendered back from the PDF (pdftoppm,
300 dpi) minus the CER on the source image (percentage points), mean CIEDE2000 of the seal's pixels and of the
signature's pixels against the source, and seconds per page including each tool's own OCR (the station: its
Tesseract wrapper + PDF/A build; recode_pdf: `tesseract ... hocr` + `recode_pdf`; ocrmypdf: all of its run).

archive-pdf-tools is not a project dependency: install it apart (`python3 -m venv /tmp/iavenv &&
/tmp/iavenv/bin/pip install archive-pdf-tools`) and point `MRC_BENCH_RECODE_PDF` at its `recode_pdf`, or put it
on PATH; without it that row says so. jbig2enc and kakadu are not available on the build machines: recode_pdf
runs with `--mask-compression ccitt -J pillow` (JPEG 2000 through Pillow's OpenJPEG), ocrmypdf without JBIG2.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import numpy as np
import pypdfium2 as pdfium
from PIL import Image as PILImage

from ocr.tesseract import recognize
from station.pdfa import DocumentInfo, PdfPage, build_pdfa_bytes
from tests import pagegen, sealpages

INFO = DocumentInfo("Giấy xác nhận (benchmark)", "giay-xac-nhan", "BENCH", "Phạm Văn Đức", datetime(2025, 8, 4, 9, 0))
RECODE_ENV = "MRC_BENCH_RECODE_PDF"
TIMEOUT_S = 600


@dataclass
class Row:
    tool: str
    sizes: list[int] = field(default_factory=list)
    losses: list[float] = field(default_factory=list)  # CER rendered - CER source, fraction
    seal: list[float] = field(default_factory=list)
    signature: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    poppler_errors: int = 0  # pages pdftoppm could not draw (measured on pdfium's rendering instead)
    missing: str = ""


def bench_pages(count: int) -> list[sealpages.SealPage]:
    """Varied pages: 9-12 pt text, scanner blur 0.5-1.0 px and noise 4-9, four seal inks, three pens."""
    return [sealpages.render_seal_page(seed, font_pt=(9.0, 10.0, 11.0, 12.0)[seed % 4],
                                       blur=0.5 + 0.1 * (seed % 6), noise=4.0 + seed % 6)
            for seed in range(count)]


def run(argv: list[str], cwd: Path) -> None:
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=TIMEOUT_S)


def station(png: Path, work: Path) -> Path:
    with PILImage.open(png) as source:
        image = np.asarray(source.convert("RGB"), dtype=np.uint8)
    ocr = recognize(image, 300, "vie")
    data, _ = build_pdfa_bytes([PdfPage(image, 300, ocr)], INFO)
    out = work / "station.pdf"
    out.write_bytes(data)
    return out


def recode_pdf_path() -> str | None:
    return os.environ.get(RECODE_ENV) or shutil.which("recode_pdf")


def archive_pdf_tools(png: Path, work: Path) -> Path:
    tool = recode_pdf_path()
    assert tool is not None
    run(["tesseract", str(png), str(work / "page"), "-l", "vie", "hocr"], work)
    out = work / "recode.pdf"
    run([tool, "-I", str(png), "-T", str(work / "page.hocr"), "-o", str(out), "-D", "300",
         "--mask-compression", "ccitt", "-J", "pillow"], work)
    return out


def ocrmypdf(png: Path, work: Path) -> Path:
    out = work / "ocrmypdf.pdf"
    run([str(Path(sys.executable).parent / "ocrmypdf"), "-l", "vie", "-O3",
         "--output-type", "pdfa", "--jobs", "1", "--image-dpi", "300", "--quiet", str(png), str(out)], work)
    return out


def render(pdf: Path, shape: tuple[int, ...]) -> tuple[np.ndarray, bool]:
    """Page 1 at 300 dpi in colour, cut or padded (white) to the source's size, by pdftoppm; when poppler
    reports errors on the file (it cannot draw recode_pdf's CCITT soft masks), by pdfium instead. The flag:
    poppler drew the page without error."""
    prefix = pdf.with_suffix("")
    result = subprocess.run(["pdftoppm", "-r", "300", "-png", "-singlefile", "-f", "1", "-l", "1", str(pdf),
                             str(prefix)], check=True, capture_output=True, timeout=TIMEOUT_S)
    poppler_ok = b"Error" not in result.stderr
    if poppler_ok:
        with PILImage.open(f"{prefix}.png") as rendered:
            pixels = np.asarray(rendered.convert("RGB"), dtype=np.uint8)
    else:
        document = pdfium.PdfDocument(pdf)
        try:
            pixels = np.asarray(document[0].render(scale=300 / 72, rev_byteorder=True).to_numpy()[..., :3])
        finally:
            document.close()
    out = np.full((shape[0], shape[1], 3), 255, np.uint8)
    h, w = min(shape[0], pixels.shape[0]), min(shape[1], pixels.shape[1])
    out[:h, :w] = pixels[:h, :w]
    return out, poppler_ok


def cer(truth: str, image: np.ndarray, work: Path) -> float:
    path = work / "ocr-input.png"
    PILImage.fromarray(image).save(path, dpi=(300, 300))
    text = subprocess.run(["tesseract", str(path), "-", "-l", "vie"], check=True, capture_output=True,
                          timeout=TIMEOUT_S).stdout.decode("utf-8")
    return pagegen.character_error_rate(truth, text)


def fmt(values: list[float], digits: int = 1) -> str:
    return f"{statistics.mean(values):.{digits}f}" if values else "-"


def table(rows: list[Row], pages: int) -> str:
    head = ("| tool | KB/page median | KB/page mean | CER loss pp mean | CER loss pp max | seal ΔE00 mean | "
            "seal ΔE00 max | signature ΔE00 mean | s/page | pages pdftoppm fails on |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        if row.missing:
            lines.append(f"| {row.tool} | {row.missing} | | | | | | | | |")
            continue
        kb = [s / 1024 for s in row.sizes]
        lines.append(
            f"| {row.tool} | {statistics.median(kb):.0f} | {statistics.mean(kb):.0f} | "
            f"{100 * statistics.mean(row.losses):.2f} | {100 * max(row.losses):.2f} | {fmt(row.seal)} | "
            f"{max(row.seal):.1f} | {fmt(row.signature)} | {fmt(row.seconds, 2)} | {row.poppler_errors} |")
    lines.append(f"\n{pages} pages, 300 dpi A4 colour (tests/sealpages.py seeds 0..{pages - 1}).")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="keep the PDFs here")
    args = parser.parse_args()
    tools: list[tuple[Row, Callable[[Path, Path], Path]]] = [
        (Row("station (MRC: G4 mask + 100 dpi JPEG layers)"), station),
        (Row("archive-pdf-tools recode_pdf (ccitt mask, JPEG 2000 via Pillow)"), archive_pdf_tools),
        (Row("ocrmypdf -O3 --output-type pdfa"), ocrmypdf),
    ]
    if recode_pdf_path() is None:
        tools[1][0].missing = f"not installed (set {RECODE_ENV} or put recode_pdf on PATH)"
    print(f"recode_pdf: {recode_pdf_path() or 'missing'}", flush=True)
    with tempfile.TemporaryDirectory(prefix="mrc-bench-") as tmp:
        root = Path(tmp)
        for number, page in enumerate(bench_pages(args.pages)):
            png = root / f"page-{number:02d}.png"
            PILImage.fromarray(page.image).save(png, dpi=(300, 300))
            before = cer(page.text, page.image, root)
            for row, encode in tools:
                if row.missing:
                    continue
                work = root / f"{number:02d}-{encode.__name__}"
                work.mkdir()
                start = time.perf_counter()
                pdf = encode(png, work)
                row.seconds.append(time.perf_counter() - start)
                row.sizes.append(pdf.stat().st_size)
                rendered, poppler_ok = render(pdf, page.image.shape)
                row.poppler_errors += not poppler_ok
                row.losses.append(cer(page.text, rendered, work) - before)
                row.seal.append(sealpages.mean_delta_e(page.image, rendered, page.seal))
                row.signature.append(sealpages.mean_delta_e(page.image, rendered, page.signature))
                if args.keep:
                    args.keep.mkdir(parents=True, exist_ok=True)
                    shutil.copy(pdf, args.keep / f"page-{number:02d}-{encode.__name__}.pdf")
                print(f"page {number:2d} {encode.__name__:<18} {row.sizes[-1] / 1024:7.0f} KB  "
                      f"{'' if poppler_ok else '(pdftoppm failed: pdfium) '}"
                      f"CER {100 * before:5.2f} -> {100 * (before + row.losses[-1]):5.2f}  "
                      f"seal ΔE {row.seal[-1]:5.1f}  signature ΔE {row.signature[-1]:5.1f}  "
                      f"{row.seconds[-1]:6.2f} s", flush=True)
    print()
    print(table([row for row, _ in tools], args.pages))


if __name__ == "__main__":
    main()
