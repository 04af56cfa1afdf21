"""`station inspect` end to end: real files, real cleanup, Tesseract and zxing-cpp; the JSON Lines contract."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import qrcode
from PIL import Image as PILImage

from ocr.icao import parse_lines
from station.cli import main
from tests import pagegen
from tests.paths import ROOT

DPI = 200
RECEIPT_CODE = "000.00.01.H22-250702-0013"
KEYS = {"schema", "source", "page", "width", "height", "dpi", "rotation_applied", "skew_deg", "blank", "quality",
        "barcodes", "separator", "dossier_code", "text", "cccd", "documents"}


def with_qr(image: np.ndarray, text: str, *, size_mm: float = 30, at: tuple[float, float] = (150, 20)) -> np.ndarray:
    qr = qrcode.make(text, border=2).get_image().convert("L")
    side = pagegen.mm_to_px(size_mm, DPI)
    qr = qr.resize((side, side), PILImage.Resampling.NEAREST)
    out = PILImage.fromarray(image)
    out.paste(qr, (pagegen.mm_to_px(at[0], DPI), pagegen.mm_to_px(at[1], DPI)))
    return np.asarray(out)


def save(image: np.ndarray, path: Path) -> Path:
    PILImage.fromarray(image).save(path, dpi=(DPI, DPI))
    return path


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inbox")
    text = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:12], dpi=DPI).image
    save(with_qr(text, RECEIPT_CODE), folder / "01-receipt.png")
    sheet = with_qr(pagegen.blank_page(dpi=DPI, value=255), "STATION-SEPARATOR:CCCD", size_mm=80, at=(65, 100))
    save(sheet, folder / "02-separator.png")
    save(pagegen.turn(pagegen.skew(text, 2.5), 90), folder / "03-turned.png")
    save(pagegen.add_noise(pagegen.blank_page(dpi=DPI), 6.0), folder / "04-blank.png")
    (folder / "05-broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    return folder


@pytest.fixture(scope="module")
def inspected(inbox: Path) -> tuple[int, list[dict[str, object]], str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["inspect", str(inbox), "--json", "--jobs", "1"])
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return status, records, err.getvalue()


def by_name(records: list[dict[str, object]], name: str) -> dict[str, object]:
    return next(r for r in records if str(r["source"]).endswith(name))


def test_every_readable_page_has_one_record_with_the_contract_keys(inspected) -> None:
    _, records, _ = inspected
    assert [Path(str(r["source"])).name for r in records] == [
        "01-receipt.png", "02-separator.png", "03-turned.png", "04-blank.png"]
    for record in records:
        assert set(record) == KEYS
        assert record["schema"] == 1 and record["page"] == 1 and record["dpi"] == DPI


def test_broken_file_is_one_error_line_and_nonzero_exit(inspected) -> None:
    status, _, stderr = inspected
    assert status == 1
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "05-broken.png" in lines[0]
    assert "Traceback" not in stderr


def test_receipt_gives_dossier_code_from_its_qr(inspected) -> None:
    receipt = by_name(inspected[1], "01-receipt.png")
    assert receipt["dossier_code"] == RECEIPT_CODE
    barcodes = receipt["barcodes"]
    assert isinstance(barcodes, list) and [b["format"] for b in barcodes] == ["QRCode"]
    assert receipt["separator"] is False
    assert "Hạnh phúc" in str(receipt["text"])


def test_separator_sheet_is_flagged_and_not_read(inspected) -> None:
    sheet = by_name(inspected[1], "02-separator.png")
    assert sheet["separator"] is True
    assert sheet["text"] is None


def test_turned_and_skewed_page_is_made_upright(inspected) -> None:
    turned = by_name(inspected[1], "03-turned.png")
    assert turned["rotation_applied"] == 270  # it arrived turned 90° clockwise
    assert turned["skew_deg"] == pytest.approx(2.5, abs=0.3)
    assert (turned["width"], turned["height"]) == (pagegen.mm_to_px(297, DPI), pagegen.mm_to_px(210, DPI))
    assert "Ủy ban nhân dân" in str(turned["text"])


def test_blank_page_is_flagged_not_dropped(inspected) -> None:
    blank = by_name(inspected[1], "04-blank.png")
    assert blank["blank"] is True
    assert blank["text"] is None and blank["barcodes"] == []


def test_table_output_and_worker_pool(inbox: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["inspect", str(inbox / "01-receipt.png"), str(inbox / "04-blank.png"), "--jobs", "2", "--no-ocr"])
    out = capsys.readouterr().out.splitlines()
    assert status == 0
    assert out[0].startswith("source")
    assert "01-receipt.png" in out[1] and f"code={RECEIPT_CODE}" in out[1]
    assert "04-blank.png" in out[2] and " yes " in out[2]


def test_a_kodak_patch_t_sheet_is_a_separator_through_the_pipeline(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    """The scanner vendors' separator (Patch-T) is read on the page as captured, through `station inspect`."""
    from tests.ocr.test_separator import patch_sheet

    folder = tmp_path / "hộp thư"
    folder.mkdir()
    PILImage.fromarray(pagegen.add_noise(patch_sheet("T", dpi=DPI), 5.0)).save(folder / "tờ phân tách.png",
                                                                                dpi=(DPI, DPI))
    assert main(["inspect", str(folder), "--json", "--jobs", "1"]) == 0
    (record,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert record["separator"] is True
    assert any(code["text"] == "PATCH-T" for code in record["barcodes"])


# Specimens of ../shared/corpora/mrz (other projects' inputs) under the names a counter would give them.
SPECIMENS = {
    "pe_tests_passport-td3.png": ("hộ chiếu Nguyễn Văn Ánh.png", "passport"),
    "pe_100_id-che.jpg": ("thẻ cư trú Trần Thị Hà.jpg", "id_card"),
    "pe_tests_passport-td2.png": ("giấy tờ TD2 Lê Đức Thọ.png", "id_card"),
    "pe_100_visa-polx.jpg": ("thị thực Phạm Ngọc Ánh.jpg", "visa"),
}


def test_inspect_reports_passports_id_cards_and_visas_like_station_cccd(corpora: Path, tmp_path: Path) -> None:
    """Issue 14: ICAO documents through the real `station inspect` process, as `station cccd --json` has them."""
    folder = tmp_path / "giấy tờ nước ngoài"
    folder.mkdir()
    for source, (name, _) in SPECIMENS.items():
        (folder / name).write_bytes((corpora / "mrz" / source).read_bytes())
    argv = [sys.executable, "-m", "station", "inspect", str(folder), "--json", "--jobs", "2", "--no-ocr"]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    records = {Path(r["source"]).name: r for r in map(json.loads, done.stdout.splitlines())}
    truth = json.loads((corpora / "mrz" / "truth.json").read_text(encoding="utf-8"))
    for source, (name, document_type) in SPECIMENS.items():
        expected = parse_lines(truth[source], today=date.today())
        assert expected is not None
        (document,) = records[name]["documents"]
        assert document["document_type"] == document_type, name
        assert document["format"] == expected.format
        assert document["document_number"] == expected.document_number
        assert document["issuing_state"] == expected.issuing_state
        assert (document["surname"], document["given_names"]) == (expected.surname, expected.given_names)
        assert document["date_of_birth"] == expected.date_of_birth.isoformat()  # type: ignore[union-attr]
        assert (document["sex"], document["expiry_date"]) == (expected.sex, expected.expiry_date.isoformat())  # type: ignore[union-attr]
        assert document["sources"] == ["mrz"] and "checks" in document
        assert records[name]["cccd"] is None  # a foreign document is not a Vietnamese card
