"""The 12-digit personal identification number: province table, century/sex digit, cross-checks."""

from __future__ import annotations

from datetime import date

from ocr.cccd.crosscheck import build_citizen_id, citizen_id_to_json, fold_name
from ocr.cccd.idnumber import PROVINCE_CODES, decode_id_number, id_number_checks
from ocr.cccd.mrz import parse_td1
from ocr.cccd.qr import parse_qr_payload
from ocr.models import CardSide, CardStyle
from tests.cardgen import PEOPLE, mrz_lines, qr_payload


def test_province_table() -> None:
    assert len(PROVINCE_CODES) == 63
    assert all(len(k) == 3 and k.isdigit() and "001" <= k <= "096" for k in PROVINCE_CODES)
    assert PROVINCE_CODES["001"] == "Hà Nội" and PROVINCE_CODES["079"] == "Hồ Chí Minh"
    assert PROVINCE_CODES["096"] == "Cà Mau" and "003" not in PROVINCE_CODES


def test_decode() -> None:
    info = decode_id_number("001093047064")
    assert info is not None
    assert (info.province, info.sex, info.birth_year, info.serial) == ("Hà Nội", "Nam", 1993, "047064")
    expected = {"0": (1900, "Nam"), "1": (1900, "Nữ"), "2": (2000, "Nam"), "3": (2000, "Nữ"), "4": (2100, "Nam"),
                "5": (2100, "Nữ"), "6": (2200, "Nam"), "7": (2200, "Nữ"), "8": (1800, "Nam"), "9": (1800, "Nữ")}
    for digit, (century, sex) in expected.items():
        info = decode_id_number(f"079{digit}05123456")
        assert info is not None and info.birth_year == century + 5 and info.sex == sex
    for bad in (None, "", "00109304706", "0010930470641", "00109304706A", "００１０９３０４７０６４"):
        assert decode_id_number(bad) is None


def test_mismatches_are_warnings_without_values() -> None:
    checks, warnings = id_number_checks("003193047064", date_of_birth=date(1994, 1, 5), sex="Nam")
    assert checks == {"id_number_format": True, "id_province_known": False, "id_birth_year_matches_dob": False,
                      "id_sex_matches": False}
    assert len(warnings) == 3
    assert all("003193047064" not in w and "1994" not in w for w in warnings)
    checks, warnings = id_number_checks("001093047064", date_of_birth=date(1993, 1, 5), sex="Nam")
    assert all(checks.values()) and warnings == []


def test_fold_name() -> None:
    assert fold_name("Đặng Thu Hà") == "DANG THU HA"
    assert fold_name("NGUYỄN  VĂN\tAN") == "NGUYEN VAN AN"


def test_crosscheck_qr_and_mrz() -> None:
    p = PEOPLE[2]
    qr = parse_qr_payload(qr_payload(p, "2024"))
    mrz = parse_td1(mrz_lines(p))
    card = build_citizen_id(side=CardSide.BACK, card_style=CardStyle.CAN_CUOC_2024, qr=qr, mrz=mrz)
    assert card.sources == ("qr", "mrz") and all(card.checks.values())
    assert card.full_name == p.full_name and card.expiry_date == p.expiry_date and card.issue_date == p.issue_date
    j = citizen_id_to_json(card)
    assert j["date_of_birth"] == "2004-11-30" and j["sex"] == "Nam" and j["extra_fields"] == ["", "", "", ""]
    # a QR from another person on the same card: every disagreement is a named failed check
    other = parse_qr_payload(qr_payload(PEOPLE[1], "2024"))
    card = build_citizen_id(side=CardSide.BACK, card_style=CardStyle.CAN_CUOC_2024, qr=other, mrz=mrz)
    for name in ("qr_mrz_id_match", "qr_mrz_dob_match", "qr_mrz_sex_match", "qr_mrz_name_match"):
        assert card.checks[name] is False
    assert p.id_number not in repr(card) and PEOPLE[1].id_number not in " ".join(card.warnings)


def test_nothing_read_is_not_valid() -> None:
    card = build_citizen_id(side=None, card_style=None)
    assert card.checks == {"readable": False} and card.sources == () and card.warnings
    assert citizen_id_to_json(card)["id_number"] is None
