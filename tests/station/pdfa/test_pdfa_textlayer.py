"""The invisible text layer: Vietnamese extracts right (pypdf, pdftotext, pdfium) and lands on the words."""

from __future__ import annotations

import io
import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest
from PIL import Image as PILImage

from ocr.models import OcrResult, OcrWord
from station.pdfa import DocumentInfo, PdfPage, build_pdfa_bytes, check_pdfa
from tests import pagegen

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
INFO = DocumentInfo("Tờ khai", "to-khai", "ST-1", "Phạm Thị Ánh", datetime(2025, 7, 17, 8, 0), "H01-0001")


def fold(text: str) -> str:
    return " ".join(text.split())


def ocr_from_truth(page: pagegen.TextPage, *, scale: float = 1.0, nfd: bool = False) -> OcrResult:
    words = tuple(
        OcrWord(
            unicodedata.normalize("NFD", w.text) if nfd else w.text,
            (round(w.bbox[0] * scale), round(w.bbox[1] * scale), round(w.bbox[2] * scale), round(w.bbox[3] * scale)),
            95.0, 0, w.line,
        )
        for w in page.words
    )
    h, w = page.image.shape[:2]
    return OcrResult(page.text, words, "vie", round(w * scale), round(h * scale), 95.0)


def pdftotext(data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "in.pdf"
    path.write_bytes(data)
    result = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True, timeout=60)
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def truth_page() -> pagegen.TextPage:
    return pagegen.render_text_page()


@pytest.fixture(scope="module")
def truth_pdf(truth_page: pagegen.TextPage) -> bytes:
    data, report = build_pdfa_bytes([PdfPage(truth_page.image, 300, ocr_from_truth(truth_page))], INFO)
    assert report.pages[0].words == len(truth_page.words)
    return data


def test_pypdf_extracts_the_vietnamese_text_nfc(truth_page: pagegen.TextPage, truth_pdf: bytes) -> None:
    text = pypdf.PdfReader(io.BytesIO(truth_pdf)).pages[0].extract_text()
    assert unicodedata.is_normalized("NFC", text)
    assert fold(text) == fold(truth_page.text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == truth_page.text.splitlines()


def test_pdftotext_extracts_lines_in_reading_order(truth_page: pagegen.TextPage, truth_pdf: bytes,
                                                   tmp_path: Path) -> None:
    text = pdftotext(truth_pdf, tmp_path)
    assert unicodedata.is_normalized("NFC", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines == truth_page.text.splitlines()


def test_pdftotext_word_boxes_match_ocr_boxes(truth_page: pagegen.TextPage, truth_pdf: bytes,
                                              tmp_path: Path) -> None:
    xhtml = pdftotext(truth_pdf, tmp_path, "-bbox-layout")
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", xhtml)
    root = ET.fromstring(xhtml)
    found: list[tuple[str, float, float, float, float]] = [
        (e.text or "", float(e.get("xMin", 0)), float(e.get("yMin", 0)), float(e.get("xMax", 0)),
         float(e.get("yMax", 0)))
        for e in root.iter()
        if e.tag.endswith("word")
    ]
    assert [f[0] for f in found] == [w.text for w in truth_page.words]
    k = 72 / 300
    for (text, x0, y0, x1, y1), word in zip(found, truth_page.words, strict=True):
        wx, wy, ww, wh = (v * k for v in word.bbox)
        assert x0 == pytest.approx(wx, abs=1.0), text
        assert x1 == pytest.approx(wx + ww, abs=1.0), text
        # the glyph box is the line's box: it must cover the word's vertical middle
        assert y0 - 0.5 <= wy + wh / 2 <= y1 + 0.5, text


def test_pdfium_selection_and_search_land_on_the_words(truth_page: pagegen.TextPage, truth_pdf: bytes) -> None:
    doc = pdfium.PdfDocument(truth_pdf)
    page = doc[0]
    height = page.get_height()
    textpage = page.get_textpage()
    k = 72 / 300
    for word in truth_page.words[::17]:
        x, y, w, h = word.bbox
        left, right = x * k + 0.5, (x + w) * k - 0.5
        top, bottom = height - y * k, height - (y + h) * k
        got = textpage.get_text_bounded(left=left, bottom=bottom, right=right, top=top)
        assert fold(got) == word.text
    searcher = textpage.search("Nguyễn Trãi")
    hit = searcher.get_next()
    assert hit is not None
    index, count = hit
    box = textpage.get_charbox(index, loose=True)
    target = next(w for w in truth_page.words if w.text == "Nguyễn")
    assert box[0] == pytest.approx(target.bbox[0] * k, abs=1.0)
    assert textpage.get_text_range(index, count) == "Nguyễn Trãi"
    searcher.close()
    textpage.close()
    page.close()
    doc.close()


def test_nfd_input_and_scaled_ocr_boxes(truth_page: pagegen.TextPage, tmp_path: Path) -> None:
    """OCR run on a half-size image with decomposed text: boxes are scaled, text is stored NFC."""
    ocr = ocr_from_truth(truth_page, scale=0.5, nfd=True)
    data, _ = build_pdfa_bytes([PdfPage(truth_page.image, 300, ocr)], INFO)
    assert check_pdfa(data).ok
    text = pdftotext(data, tmp_path)
    assert fold(text) == fold(truth_page.text)
    xhtml = re.sub(r"<!DOCTYPE[^>]*>", "", pdftotext(data, tmp_path, "-bbox-layout"))
    first = next(e for e in ET.fromstring(xhtml).iter() if e.tag.endswith("word"))
    assert float(first.get("xMin", 0)) == pytest.approx(truth_page.words[0].bbox[0] * 72 / 300, abs=1.5)


def test_font_is_embedded_with_tounicode_and_never_draws_notdef(truth_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(truth_pdf)) as pdf:
        font = pdf.pages[0].Resources.Font.F1
        assert font.Subtype == pikepdf.Name.Type0 and font.Encoding == pikepdf.Name("/Identity-H")
        cid = font.DescendantFonts[0]
        assert len(cid.FontDescriptor.FontFile2.read_bytes()) > 100
        assert b"beginbfrange" in font.ToUnicode.read_bytes()
        content = pdf.pages[0].Contents.read_bytes()
        assert b" 3 Tr" in content or b"\n3 Tr" in content
        assert b"<0000" not in content  # CID 0 (.notdef) is never shown


def tesseract_words(image: PILImage.Image) -> OcrResult:
    import tesserocr

    words: list[OcrWord] = []
    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="vie") as api:
        api.SetImage(image)
        api.Recognize()
        text = api.GetUTF8Text()
        iterator = api.GetIterator()
        line = -1
        level = tesserocr.RIL.WORD
        while True:
            if iterator.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
                line += 1
            word = iterator.GetUTF8Text(level)
            box = iterator.BoundingBox(level)
            if word and box:
                x0, y0, x1, y1 = box
                words.append(OcrWord(unicodedata.normalize("NFC", word), (x0, y0, x1 - x0, y1 - y0),
                                     iterator.Confidence(level), 0, line))
            if not iterator.Next(level):
                break
    return OcrResult(unicodedata.normalize("NFC", text), tuple(words), "vie", image.width, image.height, 90.0)


def test_real_tesseract_output_round_trips(tmp_path: Path) -> None:
    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:10])
    image = pagegen.add_noise(page.image, 6)
    ocr = tesseract_words(PILImage.fromarray(image))
    assert len(ocr.words) > 50
    data, _ = build_pdfa_bytes([PdfPage(image, 300, ocr)], INFO)
    assert check_pdfa(data).ok
    extracted = pdftotext(data, tmp_path)
    # The text layer says exactly what Tesseract read, and that is close to the truth.
    assert fold(extracted) == fold(" ".join(w.text for w in ocr.words))
    assert pagegen.character_error_rate(page.text, extracted) < 0.03
