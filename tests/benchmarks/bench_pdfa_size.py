"""PDF/A page size vs OCR accuracy, per page type and encoding (300 dpi A4). Not collected by pytest.

    OMP_THREAD_LIMIT=1 .venv/bin/python -m tests.benchmarks.bench_pdfa_size

For each page: bytes/page of a one-page PDF/A (with its text layer), build ms/page (encoding + assembly, and the
built-in check apart), and Tesseract `vie` CER of the page rendered back from the PDF at 300 dpi vs the CER on
the original image. img2pdf alone (lossless PNG input, and a q75 JPEG as a scanner would write) for comparison.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import img2pdf
import numpy as np
import pypdfium2 as pdfium
import tesserocr
from PIL import Image as PILImage

from ocr.models import OcrResult, OcrWord
from station.pdfa import BuildSettings, DocumentInfo, EncodingMode, PdfPage, build_pdfa_bytes, check_pdfa
from tests import pagegen

TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
INFO = DocumentInfo("Benchmark", "tai-lieu", "BENCH", "bench", datetime(2025, 7, 1, 8, 0), None)


def pages() -> dict[str, tuple[pagegen.TextPage, np.ndarray]]:
    gray = pagegen.render_text_page()
    color = pagegen.render_text_page(color=True)
    small = pagegen.render_text_page(font_pt=7)
    return {
        "gray text": (gray, gray.image),
        "noisy gray text": (gray, pagegen.add_noise(gray.image, 8, seed=1)),
        "7pt blurred": (small, pagegen.add_noise(pagegen.blur(small.image, 1.3), 10, seed=3)),
        "noisy colour": (color, pagegen.add_noise(color.image, 8, seed=2)),
    }


def render_back(data: bytes) -> np.ndarray:
    doc = pdfium.PdfDocument(data)
    try:
        pixels = doc[0].render(scale=300 / 72, grayscale=True).to_numpy()
        return np.ascontiguousarray(pixels[..., 0] if pixels.ndim == 3 else pixels)
    finally:
        doc.close()


def main() -> None:
    base = BuildSettings(check=False)
    variants: list[tuple[str, BuildSettings]] = [("auto", base)]
    variants += [("g4", replace(base, mode=EncodingMode.BITONAL))]
    variants += [(f"jpeg q{q}", replace(base, mode=EncodingMode.JPEG, jpeg_quality=q, gray_jpeg_quality=q))
                 for q in (30, 50, 75)]
    variants += [(f"mrc bg q{q}", replace(base, mode=EncodingMode.MRC, mrc_background_quality=q)) for q in (30, 40, 50)]
    variants += [("flate", replace(base, mode=EncodingMode.LOSSLESS))]
    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="vie") as api:
        def cer(truth: str, image: np.ndarray) -> float:
            api.SetImage(PILImage.fromarray(image))
            return pagegen.character_error_rate(truth, api.GetUTF8Text())

        print(f"{'page':<16} {'encoding':<12} {'chosen':<12} {'KB/page':>8} {'build ms':>9} {'check ms':>9} "
              f"{'CER orig':>8} {'CER pdf':>8} {'loss pp':>8}")
        for name, (truth, image) in pages().items():
            words = tuple(OcrWord(w.text, w.bbox, 95.0, 0, w.line) for w in truth.words)
            ocr = OcrResult(truth.text, words, "vie", image.shape[1], image.shape[0], 95.0)
            page = PdfPage(image, 300, ocr)
            original = cer(truth.text, image)
            for label, settings in variants:
                if name != "noisy colour" and label.startswith("mrc"):
                    continue
                start = time.perf_counter()
                data, report = build_pdfa_bytes([page], INFO, settings)
                build_ms = (time.perf_counter() - start) * 1000
                start = time.perf_counter()
                ok = check_pdfa(data).ok
                check_ms = (time.perf_counter() - start) * 1000
                after = cer(truth.text, render_back(data))
                print(f"{name:<16} {label:<12} {report.pages[0].encoding.value:<12} {len(data) / 1024:8.1f} "
                      f"{build_ms:9.0f} {check_ms:9.0f} {original * 100:7.2f}% {after * 100:7.2f}% "
                      f"{(after - original) * 100:8.2f}{'' if ok else '  CHECK FAILED'}")
            for label, convert in img2pdf_variants(image):
                start = time.perf_counter()
                data = convert()
                build_ms = (time.perf_counter() - start) * 1000
                after = cer(truth.text, render_back(data))
                print(f"{name:<16} {label:<12} {'(img2pdf)':<12} {len(data) / 1024:8.1f} {build_ms:9.0f} {'':>9} "
                      f"{original * 100:7.2f}% {after * 100:7.2f}% {(after - original) * 100:8.2f}")


def img2pdf_variants(image: np.ndarray) -> list[tuple[str, Callable[[], bytes]]]:
    pil = PILImage.fromarray(image)
    png, jpeg = io.BytesIO(), io.BytesIO()
    pil.save(png, format="PNG", dpi=(300, 300))
    pil.save(jpeg, format="JPEG", quality=75, dpi=(300, 300))
    layout = img2pdf.get_fixed_dpi_layout_fun((300, 300))
    return [
        ("img2pdf png", lambda: bytes(img2pdf.convert(png.getvalue(), layout_fun=layout))),
        ("img2pdf j75", lambda: bytes(img2pdf.convert(jpeg.getvalue(), layout_fun=layout))),
    ]


if __name__ == "__main__":
    main()
