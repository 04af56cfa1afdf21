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
from ocr.patchcode import render_patch
from ocr.separator import (
    DEFAULT_PREFIX,
    Separator,
    is_separator_text,
    make_separator_sheet,
    parse_separator,
    separator_text,
)
from station.commands import separator_sheet
from tests.pagegen import add_noise, blur, render_text_page, skew, turn


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


# ---------------------------------------------------------------- Kodak patch codes (the industry's separator)


def patch_sheet(patch: str, *, dpi: int = 300, end_fed: bool = False) -> np.ndarray:
    """An A4 patch sheet as Kodak's patch sheets lay it out: the patch near the leading edge (the top, as
    fed), bars parallel to it, 3 in long, and a label below. End-fed: bars perpendicular to the leading
    edge, the patch's first bar toward the right edge."""
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    page = PILImage.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 250)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype("/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf", dpi // 3)
    draw.text((round(1.5 * dpi), round(5 * dpi)), f"TỜ PHÂN TÁCH — PATCH {patch}", font=font, fill=0)
    draw.text((round(1.5 * dpi), round(6 * dpi)), "Giấy tờ đất đai", font=font, fill=0)
    image = np.asarray(page, dtype=np.uint8).copy()
    symbol = render_patch(patch, dpi=dpi)
    if end_fed:
        symbol = np.ascontiguousarray(np.rot90(symbol, -1))  # first bar (leading edge) to the right
        h, w = symbol.shape
        image[round(1.0 * dpi) : round(1.0 * dpi) + h, image.shape[1] - w - round(0.5 * dpi) :][:, :w] = symbol
    else:
        h, w = symbol.shape
        image[round(0.3 * dpi) : round(0.3 * dpi) + h, round(2.5 * dpi) : round(2.5 * dpi) + w] = symbol
    return image


@pytest.mark.parametrize("patch", ["1", "2", "3", "4", "6", "T"])
def test_every_patch_code_is_a_separator(patch: str) -> None:
    scanned = add_noise(blur(skew(patch_sheet(patch), 1.5, fill=250), 1.0), 6.0, seed=4)
    sep = parse_separator(read_barcodes(scanned))
    assert sep is not None and sep.patch == patch and sep.doc_type is None
    assert sep.barcode.format == "PatchCode" and sep.barcode.text == f"PATCH-{patch}"


@pytest.mark.parametrize("dpi", [200, 300])
def test_patch_t_end_fed_and_at_lower_resolution(dpi: int) -> None:
    sep = parse_separator(read_barcodes(add_noise(patch_sheet("T", dpi=dpi, end_fed=True), 5.0)))
    assert sep is not None and sep.patch == "T"


def test_patch_t_read_on_the_page_as_captured_whatever_cleanup_turned() -> None:
    # Patch 3 read from the other end is Patch T: the leading edge is the top of the captured image.
    from ocr.barcodes import read_page_barcodes
    from scanning.cleanup.config import CleanupConfig
    from scanning.cleanup.pipeline import clean_page
    from scanning.models import Page

    page = Page(add_noise(patch_sheet("T"), 5.0), 300, "tờ-phân-tách-Nguyễn-Văn-Ánh.png", 1)
    clean = clean_page(page, CleanupConfig())
    found = read_page_barcodes(clean)
    assert [(b.format, b.text, b.on_original) for b in found] == [("PatchCode", "PATCH-T", True)]
    sep = parse_separator(found)
    assert sep is not None and sep.patch == "T"


def test_patcht_code_as_naps2_and_paperless_print_it() -> None:
    sep = parse_separator([code("PATCHT", "Code39")])
    assert sep == Separator(None, code("PATCHT", "Code39"), "T")


def test_barcodes_and_text_are_not_patch_codes() -> None:
    from tests.ocr.test_barcodes import paste, zxing_image

    text = render_text_page().image
    for fmt, payload in (("EAN13", "893456789012"), ("Codabar", "A0123456789B"), ("ITF", "0123456789")):
        page = paste(text, zxing_image(payload, fmt, 3), 250, 2950)
        assert [b.format for b in read_barcodes(page)] == [fmt]
    assert parse_separator(read_barcodes(text)) is None
