"""`station cccd IMAGE... [--json]`: JSON Lines with full values, masked summary, exit status."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from PIL import Image as PILImage

from station.commands import cccd
from tests.cardgen import PEOPLE, Placement, flatbed_page, render_card


def run_cccd(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="station")
    cccd.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["cccd", *argv])
    return int(args.run(args))


@pytest.fixture(scope="module")
def two_sides(tmp_path_factory: pytest.TempPathFactory) -> Path:
    p = PEOPLE[5]
    page = flatbed_page([Placement(render_card(p, style="2021", side="front"), 20, 20, 0),
                         Placement(render_card(p, style="2021", side="back"), 60, 160, 180)], noise_sigma=3)
    path = tmp_path_factory.mktemp("cccd") / "hai-mat-the.png"
    PILImage.fromarray(page).save(path, dpi=(300, 300))
    return path


def test_json_lines_full_values(two_sides: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cccd(str(two_sides), "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["side"] for r in records] == ["front", "back"]
    front, back = records
    p = PEOPLE[5]
    assert front["id_number"] == p.id_number and front["full_name"] == "ĐẶNG THU HÀ"
    assert front["old_id"] == p.old_id and front["address"] == p.address
    assert front["date_of_birth"] == "1995-08-08" and front["sex"] == "Nữ" and front["issue_date"] == "2021-05-19"
    assert back["expiry_date"] == "2035-08-08" and back["address"] is None and back["sources"] == ["mrz"]
    assert back["checks"]["mrz_check_digits"] is True
    expected_keys = {"source", "card", "side", "card_style", "id_number", "old_id", "full_name", "date_of_birth",
                     "sex", "address", "issue_date", "expiry_date", "sources", "checks", "warnings", "extra_fields",
                     "document_type", "document_number", "issuing_state", "nationality", "surname", "given_names"}
    assert set(front) == expected_keys
    assert front["document_type"] == "cccd" and front["document_number"] == p.id_number
    assert front["surname"] == "ĐẶNG" and front["given_names"] == "THU HÀ" and front["nationality"] == "VNM"


def test_summary_is_masked(two_sides: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cccd(str(two_sides)) == 0
    out = capsys.readouterr().out
    p = PEOPLE[5]
    assert "036*******23" in out and "Đ.T.H." in out
    assert p.id_number not in out and "ĐẶNG" not in out and "DANG" not in out and "1995-08-08" not in out


def test_no_card_and_unreadable_inputs_after_the_rest(two_sides: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / "trang-trang.png"
    PILImage.new("L", (2480, 3508), 250).save(blank, dpi=(300, 300))
    broken = tmp_path / "hong.png"
    broken.write_bytes(b"not a png")
    assert run_cccd(str(blank), str(two_sides), "--json") == 1
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2  # the good file was still processed
    assert "no citizen ID card found" in captured.err and "Không tìm thấy thẻ căn cước" in captured.err
    assert run_cccd(str(broken), str(blank)) == 4
    assert "not an image file" in capsys.readouterr().err


@pytest.fixture(scope="module")
def foreign_documents(corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two specimens (a TD3 passport, a TD1 ID card) under Vietnamese file names, read from the corpus."""
    folder = tmp_path_factory.mktemp("giay-to-nuoc-ngoai")
    out = []
    for source, name in (("pe_tests_passport-td3.png", "hộ-chiếu-Nguyễn-Văn-Ánh.png"),
                         ("pe_100_id-che.jpg", "thẻ-cư-trú-Giấy-tờ-đất-đai.jpg")):
        target = folder / name
        target.write_bytes((corpora / "mrz" / source).read_bytes())
        out.append(target)
    return out


def test_foreign_passport_and_id_card_json(foreign_documents: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cccd(*map(str, foreign_documents), "--json") == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["document_type"], r["format"]) for r in records] == [("passport", "TD3"), ("id_card", "TD1")]
    passport, card = records
    assert passport["source"].endswith("hộ-chiếu-Nguyễn-Văn-Ánh.png")
    assert passport["document_number"] == "L898902C3" and passport["issuing_state"] == "UTO"
    assert passport["surname"] == "ERIKSSON" and passport["given_names"] == "ANNA MARIA"
    assert (passport["date_of_birth"], passport["sex"], passport["expiry_date"]) == ("1974-08-12", "Nữ", "2012-04-15")
    assert passport["checks"]["mrz_check_digits"] is True and passport["warnings"] == []
    assert card["issuing_state"] == "CHE" and card["date_of_birth"] == "1981-02-28"
    assert "side" not in card  # the card reader's unrecognised candidate is not reported beside the document


def test_foreign_document_summary_is_masked(foreign_documents: list[Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cccd(str(foreign_documents[0])) == 0
    out = capsys.readouterr().out
    assert "passport TD3" in out and "L89****C3" in out and "E.A.M." in out
    assert "L898902C3" not in out and "ERIKSSON" not in out and "1974-08-12" not in out
