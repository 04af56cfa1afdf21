"""Barcodes on whole pages: generated codes on A4 pages (turned, skewed, blurred, noised) and the zxing corpus."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import qrcode
import zxingcpp

from ocr.barcodes import BarcodeConfig, read_barcodes, read_page_barcodes
from ocr.errors import InvalidImageError
from ocr.models import Barcode
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import clean_page
from scanning.models import CleanPage, Page
from tests.benchmarks.bench_recognition import CorpusCase, corpus_cases, decoded_ok
from tests.pagegen import add_noise, blank_page, blur, render_text_page, skew, turn

VIETNAMESE = "Đặng Thị Hồng Nhung, phường Hòa Bình"


def qr_image(text: str, box_size: int = 8) -> np.ndarray:
    img = qrcode.make(text, box_size=box_size, border=4).get_image().convert("L")
    return np.asarray(img, dtype=np.uint8)


def zxing_image(text: str, fmt: str, scale: int = 3) -> np.ndarray:
    code = zxingcpp.create_barcode(text, getattr(zxingcpp.BarcodeFormat, fmt))
    return np.asarray(zxingcpp.write_barcode_to_image(code, scale=scale), dtype=np.uint8)


def paste(page: np.ndarray, symbol: np.ndarray, x: int, y: int) -> np.ndarray:
    out = page.copy()
    h, w = symbol.shape
    if out.ndim == 3:
        out[y : y + h, x : x + w] = symbol[:, :, None]
    else:
        out[y : y + h, x : x + w] = symbol
    return out


@pytest.fixture(scope="module")
def text_page() -> np.ndarray:
    return render_text_page().image


@pytest.fixture(scope="module")
def qr_page(text_page: np.ndarray) -> np.ndarray:
    return paste(text_page, qr_image(VIETNAMESE), 1800, 2900)


def scanner_like(image: np.ndarray) -> np.ndarray:
    return add_noise(blur(image, 1.0), 6.0, seed=3)


def test_vietnamese_qr_exact_text_and_box(qr_page: np.ndarray) -> None:
    found = read_barcodes(scanner_like(qr_page))
    assert [(b.format, b.text) for b in found] == [("QRCode", VIETNAMESE)]
    x, y, w, h = found[0].bbox
    size = qr_image(VIETNAMESE).shape[0]
    quiet = 4 * 8  # the symbol sits inside the pasted image's quiet zone
    assert abs(x - (1800 + quiet)) <= 6 and abs(y - (2900 + quiet)) <= 6
    assert abs(w - (size - 2 * quiet)) <= 10 and abs(h - (size - 2 * quiet)) <= 10
    assert found[0].raw == VIETNAMESE.encode("utf-8")


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_vietnamese_qr_on_turned_page(qr_page: np.ndarray, degrees: int) -> None:
    found = read_barcodes(scanner_like(turn(qr_page, degrees)))
    assert [b.text for b in found] == [VIETNAMESE]


def test_vietnamese_qr_on_skewed_page(qr_page: np.ndarray) -> None:
    found = read_barcodes(scanner_like(skew(qr_page, 17.0)))
    assert [b.text for b in found] == [VIETNAMESE]


def test_box_follows_turn(qr_page: np.ndarray) -> None:
    """On a page turned 90 degrees clockwise the code moves from bottom-right to bottom-left."""
    turned = turn(qr_page, 90)
    (code,) = read_barcodes(turned)
    x, y, w, h = code.bbox
    assert x + w < turned.shape[1] // 2 < turned.shape[0] and y > turned.shape[0] // 2
    assert x >= 0 and x + w <= turned.shape[1] and y + h <= turned.shape[0]


def test_rgb_page(text_page: np.ndarray) -> None:
    rgb = np.ascontiguousarray(np.stack([text_page] * 3, axis=2))
    rgb = paste(rgb, qr_image(VIETNAMESE), 300, 300)
    rgb[:, :, 0] = np.maximum(rgb[:, :, 0], 40)  # a slight colour cast
    assert [b.text for b in read_barcodes(rgb)] == [VIETNAMESE]


@pytest.mark.parametrize(
    ("fmt", "text", "expected_format", "expected_text"),
    [
        ("Code128", "STATION-SEPARATOR:CCCD", "Code128", "STATION-SEPARATOR:CCCD"),
        ("Code39", "STATION-SEPARATOR", "Code39", "STATION-SEPARATOR"),
        ("EAN13", "893456789012", "EAN13", "8934567890120"),  # check digit added by the writer
        ("PDF417", VIETNAMESE, "PDF417", VIETNAMESE),
        ("DataMatrix", VIETNAMESE, "DataMatrix", VIETNAMESE),
    ],
)
@pytest.mark.parametrize("degrees", [0, 90, 270])
def test_formats_at_right_angles(
    text_page: np.ndarray, fmt: str, text: str, expected_format: str, expected_text: str, degrees: int
) -> None:
    scale = 5 if fmt == "DataMatrix" else 3
    page = paste(text_page, zxing_image(text, fmt, scale), 250, 2950)
    found = read_barcodes(scanner_like(turn(page, degrees)))
    assert [(b.format, b.text) for b in found] == [(expected_format, expected_text)]


def test_code128_slightly_skewed(text_page: np.ndarray) -> None:
    page = paste(text_page, zxing_image("STATION-SEPARATOR:GIAY_TO", "Code128"), 250, 2950)
    found = read_barcodes(scanner_like(skew(page, 4.0)))
    assert [b.text for b in found] == ["STATION-SEPARATOR:GIAY_TO"]


def test_two_codes_sorted_top_to_bottom(text_page: np.ndarray) -> None:
    page = paste(text_page, zxing_image("SECOND", "Code128"), 250, 3000)
    page = paste(page, qr_image("FIRST"), 1800, 200)
    assert [b.text for b in read_barcodes(page)] == ["FIRST", "SECOND"]


def test_format_filter(text_page: np.ndarray) -> None:
    page = paste(text_page, zxing_image("ONLY-128", "Code128"), 250, 3000)
    assert read_barcodes(page, BarcodeConfig(formats=("QRCode",))) == []
    assert [b.text for b in read_barcodes(page, BarcodeConfig(formats=("Code128",)))] == ["ONLY-128"]


def test_nothing_on_plain_pages(text_page: np.ndarray) -> None:
    assert read_barcodes(text_page) == []
    assert read_barcodes(blank_page()) == []
    assert read_barcodes(add_noise(blank_page(), 20.0)) == []


def test_tiny_image_is_empty_not_an_error() -> None:
    assert read_barcodes(np.zeros((1, 1), dtype=np.uint8)) == []


@pytest.mark.parametrize(
    "bad",
    [np.zeros((10, 10), dtype=np.float32), np.zeros((10, 10, 4), dtype=np.uint8), np.zeros(10, dtype=np.uint8)],
)
def test_invalid_image(bad: np.ndarray) -> None:
    with pytest.raises(InvalidImageError) as info:
        read_barcodes(bad)
    assert info.value.user_message  # Vietnamese message for the GUI


@pytest.mark.parametrize("text", ["Đặng", "Hòa Bình", "Phường Hòa Bình"])
def test_short_vietnamese_exact_where_pyzbar_garbles(text: str) -> None:
    """Why zxing-cpp: on short UTF-8 payloads zbar guesses Shift-JIS ("Đặng" -> "ﾄ雪ｺｷng")."""
    pyzbar = pytest.importorskip("pyzbar.pyzbar")
    symbol = np.asarray(cv2.copyMakeBorder(qr_image(text), 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255), np.uint8)
    zbar_text = pyzbar.decode(symbol)[0].data.decode("utf-8", errors="replace")
    assert [b.text for b in read_barcodes(symbol)] == [text]
    assert zbar_text != text


# zxing-cpp's own blackbox expectations for these folders (../shared/corpora/README.md), upright images.
CORPUS_MINIMUM = {
    "qrcode-1": 8,
    "qrcode-2": 50,
    "qrcode-3": 18,
    "qrcode-4": 15,
    "qrcode-5": 16,
    "qrcode-6": 15,
    "code128-1": 6,
    "code128-2": 13,
    "code39-1": 6,
}


@pytest.fixture(scope="module")
def cases(corpora: Path) -> list[CorpusCase]:
    return corpus_cases(corpora / "zxing")


@pytest.mark.parametrize("folder", sorted(CORPUS_MINIMUM))
def test_corpus_folder(cases: list[CorpusCase], folder: str) -> None:
    mine = [case for case in cases if case.folder == folder]
    assert mine, f"no images in {folder}"
    read = sum(decoded_ok(case, read_barcodes(case.load())) for case in mine)
    assert read >= CORPUS_MINIMUM[folder], f"{folder}: {read}/{len(mine)}"


def test_corpus_false_positives(cases: list[CorpusCase]) -> None:
    negatives = [case for case in cases if case.folder.startswith("falsepositives")]
    assert len(negatives) >= 40
    hits = [case.path.name for case in negatives if read_barcodes(case.load())]
    assert hits == []


@pytest.mark.parametrize(
    ("fmt", "text", "expected_format", "expected_text"),
    [
        ("ITF", "0123456789", "ITF", "0123456789"),
        ("Codabar", "A0123456789B", "Codabar", "A0123456789B"),
        ("Code93", "GIAY TO DAT DAI", "Code93", "GIAY TO DAT DAI"),
        ("Aztec", VIETNAMESE, "Aztec", VIETNAMESE),
        ("RMQRCode", "Nguyễn Văn Ánh", "RMQRCode", "Nguyễn Văn Ánh"),
        ("MicroQRCode", "HS2026", "MicroQRCode", "HS2026"),
        ("DataBar", "0950110153001", "DataBar", "0109501101530010"),
        ("DataBarExpanded", "(01)09501101530003", "DataBarExpanded", "0109501101530003"),
        ("MicroPDF417", "Giấy tờ đất đai", "MicroPDF417", "Giấy tờ đất đai"),
    ],
)
@pytest.mark.parametrize("degrees", [0, 90])
def test_every_paper_format_is_looked_for(
    text_page: np.ndarray, fmt: str, text: str, expected_format: str, expected_text: str, degrees: int
) -> None:
    scale = 6 if fmt == "RMQRCode" else 4  # rMQR's 4-px modules do not survive the blur and noise
    page = paste(text_page, zxing_image(text, fmt, scale), 250, 2900)
    found = read_barcodes(scanner_like(turn(page, degrees)))
    assert [(b.format, b.text) for b in found] == [(expected_format, expected_text)]


def _cleaned(image: np.ndarray) -> CleanPage:
    return clean_page(Page(image, None, "mã-vạch-Giấy-tờ-đất-đai.png", 1), CleanupConfig())


def test_page_read_merges_the_captured_and_the_cleaned_image(cases: list[CorpusCase]) -> None:
    # qrcode-5/16.png: cleanup's resampling blurs the code past reading; the captured image still holds it.
    (case,) = [c for c in cases if c.folder == "qrcode-5" and c.path.name == "16.png"]
    clean = _cleaned(case.load())
    assert not decoded_ok(case, read_barcodes(clean.image))
    found = read_page_barcodes(clean)
    assert decoded_ok(case, found) and [b.on_original for b in found] == [True]


def test_page_read_reports_a_code_on_both_images_once(qr_page: np.ndarray) -> None:
    found = read_page_barcodes(_cleaned(qr_page))
    assert [(b.text, b.on_original) for b in found] == [(VIETNAMESE, False)]


# Measured over every positive image of ../shared/corpora/zxing (233): plain zxing-cpp with its defaults on
# the files reads 216; through cleanup and `read_page_barcodes` the station reads 219 (cleaned image alone: 191).
PAGE_CORPUS_FLOOR = 219


@pytest.mark.timeout(600)
def test_page_read_over_the_corpus_reads_what_plain_zxing_reads(cases: list[CorpusCase]) -> None:
    station = plain = 0
    false_hits: list[str] = []
    for case in cases:
        image = case.load()
        found = read_page_barcodes(_cleaned(image))
        if case.negative:
            if found:
                false_hits.append(case.path.name)
            continue
        plain_found = [Barcode(r.format.name, r.text, (0, 0, 1, 1), bytes(r.bytes))
                       for r in zxingcpp.read_barcodes(image) if r.valid]
        plain += decoded_ok(case, plain_found)
        station += decoded_ok(case, found)
    assert false_hits == []
    assert station >= plain and station >= PAGE_CORPUS_FLOOR


def slanted(symbol: np.ndarray, degrees: float) -> np.ndarray:
    """A code stuck on the page at a slant (white around it)."""
    symbol = np.pad(symbol, 40, constant_values=255)
    h, w = symbol.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    c, s = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * s + w * c), int(h * c + w * s)
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    return np.asarray(cv2.warpAffine(symbol, m, (nw, nh), borderValue=255), dtype=np.uint8)


@pytest.mark.parametrize(
    ("fmt", "text", "expected", "degrees"),
    [
        ("Code128", "HS-2026-000123", "HS-2026-000123", 40.0),
        ("Code128", "HS-2026-000123", "HS-2026-000123", 120.0),
        ("EAN13", "893456789012", "8934567890120", 60.0),
        ("ITF", "0123456789", "0123456789", 25.0),  # and no shorter partial read of the same bars
    ],
)
def test_linear_codes_at_any_angle(text_page: np.ndarray, fmt: str, text: str, expected: str, degrees: float) -> None:
    code = slanted(zxing_image(text, fmt, 3), degrees)
    page = text_page.copy()
    h, w = code.shape
    page[2600 : 2600 + h, 1400 : 1400 + w] = np.minimum(page[2600 : 2600 + h, 1400 : 1400 + w], code)
    assert [(b.format, b.text) for b in read_barcodes(scanner_like(page))] == [(fmt, expected)]
    assert read_barcodes(page, BarcodeConfig(any_angle=False, try_rotate=False)) == [] or degrees < 30
