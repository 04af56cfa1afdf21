"""QR payload parsing: field splitting, validation, bad payloads (no images)."""

from __future__ import annotations

import unicodedata
from datetime import date

from ocr.cccd.qr import parse_qr_payload
from tests.cardgen import PEOPLE, qr_payload

P2021 = "001093047064||NGUYỄN VĂN AN|05011993|Nam|Số 12 ngõ 45 Nguyễn Trãi, Hà Nội|10072021"


def test_2021_payload() -> None:
    r = parse_qr_payload(P2021)
    assert r is not None and r.field_count == 7 and r.style_hint == "2021"
    assert r.id_number == "001093047064" and r.old_id is None
    assert r.full_name == "NGUYỄN VĂN AN" and r.sex == "Nam"
    assert r.date_of_birth == date(1993, 1, 5) and r.issue_date == date(2021, 7, 10)
    assert r.address == "Số 12 ngõ 45 Nguyễn Trãi, Hà Nội"
    assert all(r.checks.values()) and r.warnings == () and r.extra_fields == ()


def test_2024_payload_keeps_extra_fields_and_old_id() -> None:
    p = PEOPLE[1]
    r = parse_qr_payload(qr_payload(p, "2024") + "X")  # extras kept exactly as read
    assert r is not None and r.field_count == 11 and r.style_hint == "2024"
    assert r.old_id == "025478963" and r.sex == "Nữ"
    assert r.extra_fields == ("", "", "", "X")
    assert all(r.checks.values())


def test_nfd_text_is_normalised() -> None:
    r = parse_qr_payload(unicodedata.normalize("NFD", P2021))
    assert r is not None and r.full_name == "NGUYỄN VĂN AN" and r.sex == "Nam"


def test_too_few_fields_is_a_named_failure_not_a_crash() -> None:
    r = parse_qr_payload("001093047064||NGUYỄN VĂN AN|05011993")
    assert r is not None
    assert r.checks["qr_field_count"] is False
    assert r.checks["qr_sex_valid"] is False and r.checks["qr_issue_date_valid"] is False
    assert r.id_number == "001093047064" and r.date_of_birth == date(1993, 1, 5)
    assert any("fields" in w for w in r.warnings)


def test_impossible_dates_and_bad_fields() -> None:
    r = parse_qr_payload("00109304706|12345|NGUYỄN VĂN AN|31021993|Khác|x|99999999")
    assert r is not None
    assert r.checks == {
        "qr_field_count": True,
        "qr_id_format": False,
        "qr_old_id_format": False,
        "qr_name_present": True,
        "qr_dob_valid": False,
        "qr_sex_valid": False,
        "qr_issue_date_valid": False,
    }
    assert r.date_of_birth is None and r.sex is None
    for w in r.warnings:  # warnings never carry the values
        assert "00109304706" not in w and "31021993" not in w


def test_issue_before_birth_flagged() -> None:
    r = parse_qr_payload("001093047064||A B|05011993|Nam|x|10071990")
    assert r is not None and r.checks["qr_dates_order"] is False


def test_not_a_card_payload() -> None:
    for text in ("https://dichvucong.gov.vn/", "STATION-SEPARATOR", "abc|def|ghi|jkl|mno|pqr|stu", "", "12|a"):
        assert parse_qr_payload(text) is None


def test_repr_is_masked() -> None:
    r = parse_qr_payload(P2021)
    assert "001093047064" not in repr(r) and "NGUYỄN" not in repr(r)
