"""The MRZ rules every issuing state shares (ocr.mrz_core), used by the Vietnamese and the ICAO readers."""

from __future__ import annotations

from datetime import date

from ocr.mrz_core import check_digit, check_ok, clean_line, date_not_after, split_name, yymmdd


def test_check_digit_of_the_icao_9303_example() -> None:
    # ICAO 9303 part 3's worked example: document number L898902C3, check digit 6.
    assert check_digit("L898902C3") == 6
    assert check_ok("L898902C3", "6")
    assert not check_ok("L898902C?", "6")  # an unread cell never passes


def test_clean_line_keeps_mrz_characters_and_maps_chevron_look_alikes() -> None:
    assert clean_line("p<vnm «trần ‹ (") == "P<VNM<TRN<<"
    assert clean_line("ID?VNM", keep_unknown=True) == "ID?VNM"
    assert clean_line("ID?VNM") == "IDVNM"


def test_dates_take_the_century_that_fits() -> None:
    assert yymmdd("930105", 1900) == date(1993, 1, 5)
    assert yymmdd("930230", 1900) is None  # 30 February
    assert date_not_after("250101", 2026) == date(2025, 1, 1)
    assert date_not_after("270101", 2026) == date(1927, 1, 1)
    assert date_not_after("27O101", 2026) is None


def test_split_name_separates_surname_and_given_names() -> None:
    assert split_name("NGUYEN<<THI<NGOC<ANH<<<<<<<<<<<") == ("NGUYEN", "THI NGOC ANH")
    assert split_name("DE<LA<CRUZ<<MARIA<<<") == ("DE LA CRUZ", "MARIA")
    assert split_name("<<<<<<") == (None, None)
