"""Separator sheets: parsing codes, and the printed sheet read back through a real render and decoder."""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from ocr.barcodes import read_barcodes
from ocr.errors import SeparatorSheetError
from ocr.models import Barcode
from ocr.separator import (
    DEFAULT_PREFIX,
    Separator,
    is_separator_text,
    make_separator_sheet,
    parse_separator,
    separator_text,
)
from station.commands import separator_sheet
from tests.pagegen import add_noise, blur, skew, turn


def code(text: str, fmt: str = "QRCode") -> Barcode:
    return Barcode(fmt, text, (10, 10, 100, 100))


@pytest.mark.parametrize(
    ("text", "doc_type"),
    [
        ("STATION-SEPARATOR", None),
        ("STATION-SEPARATOR:", None),
        ("STATION-SEPARATOR:CCCD", "CCCD"),
        ("STATION-SEPARATOR: Giấy khai sinh ", "Giấy khai sinh"),
        ("  STATION-SEPARATOR:DON_DE_NGHI\n", "DON_DE_NGHI"),
        ("STATION-SEPARATOR:A:B", "A:B"),  # only the first colon separates
    ],
)
def test_parse(text: str, doc_type: str | None) -> None:
    barcode = code(text)
    assert parse_separator([barcode]) == Separator(doc_type, barcode)


def test_type_is_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Giấy khai sinh")
    sep = parse_separator([code(f"STATION-SEPARATOR:{decomposed}")])
    assert sep is not None and sep.doc_type == "Giấy khai sinh"


@pytest.mark.parametrize(
    "text",
    ["STATION-SEPARATORX", "station-separator", "X STATION-SEPARATOR", "https://example.vn/STATION-SEPARATOR", ""],
)
def test_not_separator(text: str) -> None:
    assert parse_separator([code(text)]) is None
    assert not is_separator_text(text)


def test_first_matching_code_wins() -> None:
    other = code("000.00.01.H22-250702-0013")
    first = code("STATION-SEPARATOR:A", "Code128")
    second = code("STATION-SEPARATOR:B")
    sep = parse_separator([other, first, second])
    assert sep is not None and sep.doc_type == "A" and sep.barcode is first
    assert parse_separator([]) is None


def test_custom_prefix() -> None:
    assert parse_separator([code("TACH:CCCD")], prefix="TACH") == Separator("CCCD", code("TACH:CCCD"))
    assert parse_separator([code("STATION-SEPARATOR:CCCD")], prefix="TACH") is None


def test_separator_text() -> None:
    assert separator_text() == DEFAULT_PREFIX
    assert separator_text("CCCD") == "STATION-SEPARATOR:CCCD"
    assert separator_text(" CCCD ", "TACH") == "TACH:CCCD"


@pytest.mark.parametrize(
    ("doc_type", "prefix"),
    [("", DEFAULT_PREFIX), ("  ", DEFAULT_PREFIX), ("x" * 65, DEFAULT_PREFIX), ("a\nb", DEFAULT_PREFIX),
     ("A", ""), ("A", "X:Y")],
)
def test_separator_text_rejects(doc_type: str, prefix: str) -> None:
    with pytest.raises(SeparatorSheetError) as info:
        separator_text(doc_type, prefix)
    assert "tờ phân tách" in info.value.user_message.lower()


def render(pdf_path: Path, dpi: int) -> np.ndarray:
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        assert len(pdf) == 1
        bitmap = pdf[0].render(scale=dpi / 72, grayscale=True)
        return np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8)
    finally:
        pdf.close()


@pytest.mark.parametrize(("doc_type", "dpi"), [(None, 200), ("CCCD", 300), ("Giấy khai sinh", 200)])
def test_sheet_round_trip(tmp_path: Path, doc_type: str | None, dpi: int) -> None:
    out = make_separator_sheet(tmp_path / "sheet.pdf", doc_type)
    page = render(out, dpi)
    assert page.shape[0] == pytest.approx(297 / 25.4 * dpi, abs=2)
    barcodes = read_barcodes(page)
    sep = parse_separator(barcodes)
    assert sep is not None and sep.doc_type == doc_type
    expected_formats = {"QRCode"} if doc_type and not doc_type.isascii() else {"QRCode", "Code128"}
    assert {b.format for b in barcodes} == expected_formats
    assert all(parse_separator([b]) == Separator(doc_type, b) for b in barcodes)  # every code on it agrees

    text = PdfReader(str(out)).pages[0].extract_text()
    assert "TỜ PHÂN TÁCH TÀI LIỆU" in text
    if doc_type:
        assert f"Loại tài liệu: {doc_type}" in text


def test_sheet_scanned_badly_still_reads(tmp_path: Path) -> None:
    """Fed upside down, a little skewed, blurred and noisy, as an ADF would deliver it."""
    page = render(make_separator_sheet(tmp_path / "s.pdf", "Giấy khai sinh"), 200)
    scanned = add_noise(blur(skew(turn(page, 180), 3.0), 1.2), 8.0)
    sep = parse_separator(read_barcodes(scanned))
    assert sep is not None and sep.doc_type == "Giấy khai sinh"


def test_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="station")
    separator_sheet.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "sheet.pdf"
    args = parser.parse_args(["separator-sheet", "--type", "Giấy khai sinh", "-o", str(out)])
    assert args.run(args) == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert "STATION-SEPARATOR:Giấy khai sinh" in capsys.readouterr().out
    sep = parse_separator(read_barcodes(render(out, 200)))
    assert sep is not None and sep.doc_type == "Giấy khai sinh"


def test_command_custom_prefix_and_bad_type(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser(prog="station")
    separator_sheet.register(parser.add_subparsers(dest="command"))
    out = tmp_path / "p.pdf"
    args = parser.parse_args(["separator-sheet", "--prefix", "TACH", "-o", str(out)])
    assert args.run(args) == 0
    assert parse_separator(read_barcodes(render(out, 200)), prefix="TACH") == Separator(
        None, read_barcodes(render(out, 200))[0]
    )
    bad = parser.parse_args(["separator-sheet", "--type", " ", "-o", str(tmp_path / "bad.pdf")])
    with pytest.raises(SeparatorSheetError) as info:
        bad.run(bad)
    assert info.value.exit_code == 2
    assert not (tmp_path / "bad.pdf").exists()  # nothing half-written


def test_command_requires_output() -> None:
    parser = argparse.ArgumentParser(prog="station")
    separator_sheet.register(parser.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        parser.parse_args(["separator-sheet"])


def test_unwritable_output(tmp_path: Path) -> None:
    with pytest.raises(SeparatorSheetError):
        make_separator_sheet(tmp_path / "missing-dir" / "s.pdf")
