"""Dossier receipt codes (mã hồ sơ): validation, normalisation, search in barcodes and OCR text."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ocr.dossier_code import (
    dossier_code_date,
    find_dossier_code,
    find_dossier_codes,
    is_valid_dossier_code,
    normalize_dossier_code,
)
from ocr.models import Barcode

CODE = "000.00.01.H22-250702-0013"


def qr(text: str) -> Barcode:
    return Barcode("QRCode", text, (0, 0, 100, 100))


@pytest.mark.parametrize(
    "code",
    [
        CODE,
        "38.98.H29-250702-0013",
        "000.00.17.H26-240229-9999",  # leap day
        "01.H22-251231-0000",  # two groups is the minimum
        "000.00.00.00.G01-250101-0001",  # five groups is the maximum
        "H22.33-250702-0013",  # the province/ministry group need not come last
    ],
)
def test_valid_codes(code: str) -> None:
    assert is_valid_dossier_code(code)
    assert normalize_dossier_code(code) == code


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("000.00.01.H22-250230-0013", "30 February"),
        ("000.00.01.H22-250229-0013", "2025 is no leap year"),
        ("000.00.01.H22-251301-0013", "month 13"),
        ("000.00.01.H22-250700-0013", "day 0"),
        ("H22-250702-0013", "one group only"),
        ("000.00.01-250702-0013", "no province/ministry group"),
        ("000.00.00.00.01.H22-250702-0013", "six groups"),
        ("000.00.01.H22-25072-0013", "five-digit date"),
        ("000.00.01.H22-250702-013", "three-digit number"),
        ("000.00.01.H22-250702-00134", "five-digit number"),
        ("000.00.01.H2-250702-0013", "short letter group"),
        ("0000.00.01.H22-250702-0013", "four-digit group"),
        ("000.00.01.H22-2507O2-0013", "letter O in canonical form"),
        ("000.00.01.h22-250702-0013", "lower case is not canonical"),
        (" 000.00.01.H22-250702-0013", "leading space is not canonical"),
        ("000.00.01.H22–250702–0013", "en dash is not canonical"),
        ("", "empty"),
    ],
)
def test_invalid_canonical_codes(code: str, why: str) -> None:
    assert not is_valid_dossier_code(code), why


def test_date_of_code() -> None:
    assert dossier_code_date(CODE) == date(2025, 7, 2)
    assert dossier_code_date("000.00.01.H22-250230-0013") is None


@pytest.mark.parametrize(
    "loose",
    [
        "000.00.01.h22-250702-0013",  # lower case
        "  000.00.01.H22-250702-0013 ",
        "000.00.01.H22 - 250702 - 0013",  # OCR spaces around dashes
        "000 . 00 . 01 . H22-250702-0013",  # and around dots
        "000.00.01.H22–250702—0013",  # en/em dashes
        "OOO.OO.O1.H22-25O7O2-OO13",  # O for 0 in numeric parts
        "000.00.0l.H22-25O7O2-OOl3",  # l/I for 1
        "000,00.01.H22-250702-0013",  # comma for a dot
    ],
)
def test_normalize_loose_forms(loose: str) -> None:
    assert normalize_dossier_code(loose) == CODE


def test_normalize_keeps_letter_group_letter() -> None:
    assert normalize_dossier_code("38.98.h29-250702-0013") == "38.98.H29-250702-0013"


@pytest.mark.parametrize(
    "text",
    [
        "000.00.01.H22-250230-0013",  # invalid date stays invalid after normalisation
        "000.00.01.H22-25O23O-0013",
        "H22-250702-0013",
        "000.00.01.H22-250702",
        "ABC",
    ],
)
def test_normalize_rejects(text: str) -> None:
    assert normalize_dossier_code(text) is None


def test_find_in_ocr_text() -> None:
    text = (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ\n"
        "Mã hồ sơ: OOO.OO.O1.H22 - 25O7O2 - OO13.\n"
        "Ngày hẹn trả kết quả: 17/07/2025"
    )
    assert find_dossier_code([], text) == CODE


@pytest.mark.parametrize(
    "text",
    [
        "Số điện thoại 0913.456.789, ngày 25/07/02",
        "Thửa đất số 128-250702-0013",  # no agency code
        "x000.00.01.H22-250702-0013",  # glued to a word
        "1.000.00.01.H22-250702-0013",  # part of a longer dotted number (six groups)
        "000.00.01.H22-250702-00134",  # glued digits
        "000.00.01.H22-250702-0013A",
        "000.00.01.H22-\n250702-0013",  # a line break is not OCR spacing
        "Mã hồ sơ: 000.00.01.H22-251332-0013",  # impossible date
    ],
)
def test_no_over_match(text: str) -> None:
    assert find_dossier_codes(text) == []


def test_several_codes_in_order_without_repeats() -> None:
    text = f"{CODE} thay cho 38.98.H29-250701-0002; xem lại {CODE}"
    assert find_dossier_codes(text) == [CODE, "38.98.H29-250701-0002"]


@pytest.mark.parametrize(
    "payload",
    [
        f"https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?maHoSo={CODE}&lang=vi",
        f"https://dvc.hanoi.gov.vn/tra-cuu/{CODE}",
        "https://dvc.example.vn/tra-cuu?ma=000.00.01.H22%2D250702%2D0013",  # percent-encoded
        f"MaHoSo:{CODE}|NgayNhan:02/07/2025",
        CODE,
    ],
)
def test_find_in_qr_payload(payload: str) -> None:
    assert find_dossier_code([qr(payload)]) == CODE


def test_barcode_wins_over_text() -> None:
    text = "Mã hồ sơ: 38.98.H29-250701-0002"
    assert find_dossier_code([qr("STATION-SEPARATOR"), qr(CODE)], text) == CODE
    assert find_dossier_code([qr("STATION-SEPARATOR")], text) == "38.98.H29-250701-0002"


def test_nothing_found() -> None:
    assert find_dossier_code([], None) is None
    assert find_dossier_code([qr("https://example.vn/?id=42")], "Không có mã") is None


def test_end_to_end_from_qr_on_a_scanned_page() -> None:
    """A receipt's QR (a look-up URL) on a generated page, read by the real decoder."""
    import qrcode

    from ocr.barcodes import read_barcodes
    from tests.pagegen import add_noise, render_text_page, skew

    page = render_text_page().image.copy()
    url = f"https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?maHoSo={CODE}"
    symbol = np.asarray(qrcode.make(url, box_size=6, border=4).get_image().convert("L"), dtype=np.uint8)
    h, w = symbol.shape
    page[200 : 200 + h, 1900 : 1900 + w] = symbol
    barcodes = read_barcodes(add_noise(skew(page, 1.5), 5.0))
    assert find_dossier_code(barcodes, None) == CODE


def test_end_to_end_from_ocr_text() -> None:
    """The code printed on a receipt, read back by the real Tesseract."""
    from ocr.tesseract import recognize
    from tests.pagegen import FONT_SANS, render_text_page

    page = render_text_page(
        ["GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ: {CODE}", "Ngày hẹn trả: 17/07/2025"],
        font_path=FONT_SANS,
        size_mm=(210.0, 60.0),
    )
    result = recognize(page.image, page.dpi)
    assert find_dossier_code([], result.text) == CODE
