"""Per-page encoding: the measured AUTO rule, lossless round trips, and the size / OCR-accuracy targets."""

from __future__ import annotations

import os
from datetime import datetime

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image as PILImage

from ocr.models import OcrResult, OcrWord
from station.pdfa import BuildSettings, DocumentInfo, Encoding, EncodingMode, PdfPage, build_pdfa_bytes
from station.pdfa.encode import binarize, choose_encoding
from tests import pagegen

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
INFO = DocumentInfo("Hồ sơ", "tai-lieu", "ST-3", "Đỗ Văn Hùng", datetime(2025, 7, 2, 15, 45), None)
SETTINGS = BuildSettings()


def ocr_from_truth(page: pagegen.TextPage, image: np.ndarray) -> OcrResult:
    words = tuple(OcrWord(w.text, w.bbox, 95.0, 0, w.line) for w in page.words)
    return OcrResult(page.text, words, "vie", image.shape[1], image.shape[0], 95.0)


def photo_like(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """Smooth shading with blobs: what a photo or a shaded form looks like to the histogram."""
    rng = np.random.default_rng(seed)
    h, w = shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    img = 128 + 60 * np.sin(xx / 97.0) * np.cos(yy / 131.0) + rng.normal(0, 6, (h, w))
    gray: np.ndarray = np.clip(img, 0, 255).astype(np.uint8)
    if len(shape) == 2:
        return gray
    rgb = np.stack([gray, np.roll(gray, 40, axis=1), np.roll(gray, 80, axis=0)], axis=-1)
    out: np.ndarray = np.ascontiguousarray(rgb, dtype=np.uint8)
    return out


@pytest.fixture(scope="module")
def gray_page() -> tuple[pagegen.TextPage, np.ndarray]:
    page = pagegen.render_text_page()
    return page, pagegen.add_noise(page.image, 8, seed=3)


@pytest.fixture(scope="module")
def color_page() -> tuple[pagegen.TextPage, np.ndarray]:
    page = pagegen.render_text_page(color=True)
    return page, pagegen.add_noise(page.image, 8, seed=4)


@pytest.fixture(scope="module")
def tesseract():
    import tesserocr

    with tesserocr.PyTessBaseAPI(path=TESSDATA, lang="vie") as api:
        yield api


@pytest.fixture(scope="module")
def baseline(tesseract, gray_page, color_page) -> dict[str, float]:
    """CER of Tesseract on the original images (before any PDF encoding)."""
    return {
        "gray": pagegen.character_error_rate(gray_page[0].text, ocr_text(tesseract, gray_page[1])),
        "color": pagegen.character_error_rate(color_page[0].text, ocr_text(tesseract, color_page[1])),
    }


def ocr_text(api, image: np.ndarray) -> str:
    api.SetImage(PILImage.fromarray(image))
    return str(api.GetUTF8Text())


def render_back(data: bytes, dpi: int = 300) -> np.ndarray:
    doc = pdfium.PdfDocument(data)
    try:
        bitmap = doc[0].render(scale=dpi / 72, grayscale=True)
        return np.ascontiguousarray(bitmap.to_numpy()[..., 0] if bitmap.to_numpy().ndim == 3 else bitmap.to_numpy())
    finally:
        doc.close()


# -- the AUTO rule ---------------------------------------------------------------------------------------

def test_auto_rule_per_page_type(gray_page, color_page) -> None:
    _, gray = gray_page
    _, color = color_page
    assert choose_encoding(gray, 300, SETTINGS)[0] is Encoding.CCITT_G4
    assert choose_encoding(color, 300, SETTINGS)[0] is Encoding.MRC
    # a colour scan of a black-and-white page stays a colour image (Decree 30/2020), never bitonal
    neutral = np.ascontiguousarray(np.repeat(gray[..., None], 3, axis=2))
    assert choose_encoding(neutral, 300, SETTINGS)[0] is Encoding.MRC
    neutral_photo = np.ascontiguousarray(np.repeat(photo_like((1754, 1240))[..., None], 3, axis=2))
    assert choose_encoding(neutral_photo, 150, SETTINGS)[0] is Encoding.JPEG_RGB
    # photos / shading: JPEG, in the page's own colour
    assert choose_encoding(photo_like((1754, 1240)), 150, SETTINGS)[0] is Encoding.JPEG_GRAY
    assert choose_encoding(photo_like((1754, 1240, 3)), 150, SETTINGS)[0] is Encoding.JPEG_RGB
    # a text page at low resolution is not thresholded (thin strokes would break up)
    low = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:5], dpi=150).image
    assert choose_encoding(low, 150, SETTINGS)[0] is Encoding.JPEG_GRAY
    # blurred small print is still text (thresholding keeps it readable: see the benchmark)...
    soft = pagegen.add_noise(pagegen.blur(pagegen.render_text_page(font_pt=8).image, 1.0), 8)
    assert choose_encoding(soft, 300, SETTINGS)[0] is Encoding.CCITT_G4
    # ...unless it is so small and soft that thresholding would cost OCR accuracy (0.9 pp measured)
    tiny = pagegen.add_noise(pagegen.blur(pagegen.render_text_page(font_pt=7).image, 1.3), 10, seed=3)
    assert choose_encoding(tiny, 300, SETTINGS)[0] is Encoding.JPEG_GRAY
    # ...and a 1 cm x 1 cm photo pasted on a text page keeps the page in gray JPEG
    with_photo = gray.copy()
    with_photo[2800:2918, 1900:2018] = photo_like((118, 118))
    assert choose_encoding(with_photo, 300, SETTINGS)[0] is Encoding.JPEG_GRAY
    # a small flat graphic: lossless Flate is about as small as JPEG, so it stays exact
    logo = np.full((200, 300, 3), 255, np.uint8)
    logo[50:150, 50:250] = (200, 30, 30)
    assert choose_encoding(logo, 300, SETTINGS)[0] is Encoding.FLATE_RGB


def test_forced_mode_wins(gray_page) -> None:
    _, gray = gray_page
    assert choose_encoding(gray, 300, BuildSettings(mode=EncodingMode.JPEG))[0] is Encoding.JPEG_GRAY
    photo = photo_like((600, 400))
    assert choose_encoding(photo, 300, BuildSettings(mode=EncodingMode.BITONAL))[0] is Encoding.CCITT_G4
    assert choose_encoding(photo, 300, BuildSettings(mode=EncodingMode.LOSSLESS))[0] is Encoding.FLATE_GRAY


# -- lossless round trips (rendered by pdfium at one device pixel per image pixel) -------------------------

def test_g4_round_trip_is_the_thresholded_image() -> None:
    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:4], dpi=72, size_mm=(120.0, 60.0), font_pt=30)
    image = pagegen.add_noise(page.image, 8)
    data, report = build_pdfa_bytes([PdfPage(image, 72)], INFO, BuildSettings(mode=EncodingMode.BITONAL))
    assert report.pages[0].encoding is Encoding.CCITT_G4
    rendered = render_back(data, 72)[: image.shape[0], : image.shape[1]]
    expected = binarize(image)
    assert rendered.shape == expected.shape
    assert np.mean((rendered < 128) != (expected < 128)) < 0.002
    assert (expected < 128).mean() > 0.01  # there is ink to compare


def test_flate_round_trip_is_exact() -> None:
    rng = np.random.default_rng(5)
    image = rng.integers(0, 256, (90, 120), dtype=np.uint8)
    data, report = build_pdfa_bytes([PdfPage(image, 72)], INFO, BuildSettings(mode=EncodingMode.LOSSLESS))
    assert report.pages[0].encoding is Encoding.FLATE_GRAY
    rendered = render_back(data, 72)[:90, :120].astype(np.int16)
    assert np.abs(rendered - image.astype(np.int16)).max() <= 1


# -- size and OCR accuracy on 300 dpi A4 ------------------------------------------------------------------

def test_gray_text_page_size_and_ocr_accuracy(gray_page, tesseract, baseline) -> None:
    page, image = gray_page
    data, report = build_pdfa_bytes([PdfPage(image, 300, ocr_from_truth(page, image))], INFO)
    assert report.pages[0].encoding is Encoding.CCITT_G4
    assert len(data) <= 80 * 1024
    before = baseline["gray"]
    after = pagegen.character_error_rate(page.text, ocr_text(tesseract, render_back(data)))
    assert after - before <= 0.01, (before, after)


def test_color_page_size_and_ocr_accuracy(color_page, tesseract, baseline) -> None:
    page, image = color_page
    data, report = build_pdfa_bytes([PdfPage(image, 300, ocr_from_truth(page, image))], INFO)
    assert report.pages[0].encoding is Encoding.MRC
    assert len(data) <= 100 * 1024
    before = baseline["color"]
    after = pagegen.character_error_rate(page.text, ocr_text(tesseract, render_back(data)))
    assert after - before <= 0.01, (before, after)
    # the colour survives: the red stamp is still red when rendered in colour
    doc = pdfium.PdfDocument(data)
    rgb = doc[0].render(scale=100 / 72, rev_byteorder=True).to_numpy()[..., :3].astype(np.int16)
    doc.close()
    red = (rgb[..., 0] > 150) & (rgb[..., 1] < 90) & (rgb[..., 2] < 90)
    assert red.sum() > 300


def test_plain_jpeg_colour_page_also_keeps_ocr_accuracy(color_page, tesseract, baseline) -> None:
    """Forcing JPEG at the default quality (photos' path) still reads as well as the original."""
    page, image = color_page
    data, report = build_pdfa_bytes([PdfPage(image, 300)], INFO, BuildSettings(mode=EncodingMode.JPEG))
    assert report.pages[0].encoding is Encoding.JPEG_RGB
    before = baseline["color"]
    after = pagegen.character_error_rate(page.text, ocr_text(tesseract, render_back(data)))
    assert after - before <= 0.01, (before, after)
