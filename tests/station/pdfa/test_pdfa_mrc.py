"""Colour pages as Decree 30/2020 asks them (colour, 100 % scale, >= 200 dpi), kept small by MRC: a signed and
sealed 300 dpi A4 page stays under 100 KB, reads as well as the scan, and its red seal and blue signature
keep their colour."""

from __future__ import annotations

import io
import os
import subprocess
from datetime import datetime

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from PIL import Image as PILImage

from ocr.models import OcrResult, OcrWord
from station.pdfa import BuildSettings, DocumentInfo, Encoding, PdfPage, build_pdfa_bytes, check_pdfa
from station.pdfa.encode import choose_encoding, encode_page
from tests import pagegen, sealpages

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
INFO = DocumentInfo("Giấy xác nhận tình trạng đất đai", "giay-xac-nhan", "TTPVHCC-BĐ-02", "Lê Thị Thu Hà",
                    datetime(2025, 8, 4, 10, 15), "000.00.17.H29-250804-0007")


@pytest.fixture(scope="module")
def sealed() -> sealpages.SealPage:
    return sealpages.render_seal_page(7, font_pt=10.0, noise=8.0, blur=0.8)


@pytest.fixture(scope="module")
def built(sealed: sealpages.SealPage) -> bytes:
    words = tuple(OcrWord(w.text, w.bbox, 95.0, 0, w.line) for w in sealed.words)
    height, width = sealed.image.shape[:2]
    ocr = OcrResult(sealed.text, words, "vie", width, height, 95.0)
    data, report = build_pdfa_bytes([PdfPage(sealed.image, 300, ocr)], INFO)
    assert report.pages[0].encoding is Encoding.MRC
    return data


def render_rgb(data: bytes, dpi: int = 300) -> np.ndarray:
    doc = pdfium.PdfDocument(data)
    try:
        pixels = doc[0].render(scale=dpi / 72, rev_byteorder=True).to_numpy()[..., :3]
        return np.ascontiguousarray(pixels)
    finally:
        doc.close()


def test_sealed_colour_page_is_small_and_valid(built: bytes, tmp_path) -> None:
    assert len(built) <= 100 * 1024, len(built)
    assert check_pdfa(built).ok
    path = tmp_path / "trang.pdf"
    path.write_bytes(built)
    result = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_seal_and_signature_keep_their_colour(sealed: sealpages.SealPage, built: bytes) -> None:
    rendered = render_rgb(built)[: sealed.image.shape[0], : sealed.image.shape[1]]
    assert sealed.seal.sum() > 5000 and sealed.signature.sum() > 2000  # there is ink to compare
    seal_de = sealpages.mean_delta_e(sealed.image, rendered, sealed.seal)
    signature_de = sealpages.mean_delta_e(sealed.image, rendered, sealed.signature)
    assert seal_de <= 10.0, seal_de
    assert signature_de <= 10.0, signature_de
    seal_rgb = np.median(rendered[sealed.seal], axis=0)
    signature_rgb = np.median(rendered[sealed.signature], axis=0)
    assert seal_rgb[0] > 150 and seal_rgb[1] < 90 and seal_rgb[2] < 100, seal_rgb  # red
    assert signature_rgb[2] > 100 and signature_rgb[0] < 90, signature_rgb  # blue


def test_ocr_of_the_rendered_page_loses_at_most_half_a_point(sealed: sealpages.SealPage, built: bytes) -> None:
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="vie") as api:
        def cer(image: np.ndarray) -> float:
            api.SetImage(PILImage.fromarray(image))
            return pagegen.character_error_rate(sealed.text, api.GetUTF8Text())

        before = cer(sealed.image)
        after = cer(render_rgb(built)[: sealed.image.shape[0], : sealed.image.shape[1]])
    assert before < 0.05  # the source itself reads
    assert after - before <= 0.005, (before, after)


def test_text_layer_is_still_extractable(sealed: sealpages.SealPage, built: bytes) -> None:
    doc = pdfium.PdfDocument(built)
    try:
        text = doc[0].get_textpage().get_text_range()
    finally:
        doc.close()
    found = " ".join(text.split())
    first_line = sealed.text.splitlines()[0]
    assert first_line in found
    assert pagegen.character_error_rate(sealed.text, text) < 0.02


def test_layers_the_rule_asks_for(sealed: sealpages.SealPage, built: bytes) -> None:
    """Mask at full resolution, paper and ink colours at 100 dpi, all colour; no soft mask (no transparency)."""
    height, width = sealed.image.shape[:2]
    with pikepdf.open(io.BytesIO(built)) as pdf:
        xobjects = pdf.pages[0].Resources.XObject
        paper, ink = xobjects.Im0, xobjects.Im1
        mask = ink.Mask
        assert (int(mask.Width), int(mask.Height)) == (width, height)
        assert bool(mask.ImageMask) and mask.Filter == pikepdf.Name.CCITTFaxDecode
        for layer in (paper, ink):
            assert layer.ColorSpace == pikepdf.Name.DeviceRGB
            assert int(layer.Width) == round(width / 3) and int(layer.Height) == round(height / 3)
            assert "/SMask" not in layer


def test_same_page_gives_the_same_bytes(sealed: sealpages.SealPage, built: bytes) -> None:
    words = tuple(OcrWord(w.text, w.bbox, 95.0, 0, w.line) for w in sealed.words)
    height, width = sealed.image.shape[:2]
    ocr = OcrResult(sealed.text, words, "vie", width, height, 95.0)
    again, _ = build_pdfa_bytes([PdfPage(sealed.image.copy(), 300, ocr)], INFO)
    assert again == built


def test_colour_is_never_reduced_to_bilevel_by_default() -> None:
    """A colour scan of a black-and-white page stays colour; a gray scan stays gray (no colour invented)."""
    gray = pagegen.add_noise(pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:10]).image, 6, seed=2)
    color = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
    encoded, _ = encode_page(color, 300, BuildSettings())
    assert encoded.encoding is Encoding.MRC
    assert encoded.base.color_space == "/DeviceRGB" and encoded.foreground is not None
    assert encoded.foreground.color_space == "/DeviceRGB"
    gray_encoding, _ = choose_encoding(gray, 300, BuildSettings())
    data, _ = build_pdfa_bytes([PdfPage(gray, 300)], INFO)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        spaces = {str(x.get("/ColorSpace")) for _, x in pdf.pages[0].Resources.XObject.items()}
    assert gray_encoding is Encoding.CCITT_G4 and spaces == {"/DeviceGray"}
