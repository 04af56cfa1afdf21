"""Card finding and reading on generated scans and photos, with real Tesseract and zxing-cpp."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from ocr.cccd import citizen_id_to_json, read_card_image, read_cards
from ocr.cccd.detect import CANONICAL_SIZE, find_cards
from ocr.models import CitizenId
from tests.cardgen import (
    PEOPLE,
    Person,
    Placement,
    expected_fields,
    faint_photocopy,
    flatbed_page,
    mrz_lines,
    phone_photo,
    render_card,
)
from tests.pagegen import add_noise, render_text_page, turn


def assert_fields(card: CitizenId, p: Person, style: str, side: str) -> None:
    got = citizen_id_to_json(card)
    exp = expected_fields(p, style, side)
    wrong = {k: got[k] for k, v in exp.items() if got[k] != v}
    assert not wrong, f"fields differ: {sorted(wrong)}"
    assert card.sources and all(card.checks.values()), [k for k, v in card.checks.items() if not v]


CASES = [(0, "2021", "front", 0), (0, "2021", "back", 90), (1, "2024", "back", 180), (3, "2021", "back", -4),
         (4, "2024", "back", -4), (5, "2021", "front", 270), (2, "2021", "front", 2.5), (2, "2024", "back", 0),
         (1, "2021", "back", 180), (3, "2024", "back", 93)]


@pytest.mark.parametrize(("who", "style", "side", "angle"), CASES)
def test_flatbed_any_rotation(who: int, style: str, side: str, angle: float) -> None:
    p = PEOPLE[who]
    page = flatbed_page([Placement(render_card(p, style=style, side=side, seed=who), 40, 60, angle)],
                        blur_sigma=0.6, noise_sigma=3, seed=who)
    cards = read_cards(page, 300)
    assert len(cards) == 1
    assert_fields(cards[0], p, style, side)


def test_2024_front_is_recognised_from_its_print() -> None:
    p = PEOPLE[4]
    card = read_cards(flatbed_page([Placement(render_card(p, style="2024", side="front"), 30, 30, 180)]), 300)
    assert len(card) == 1
    c = card[0]
    assert (c.side, c.card_style, c.sources) == ("front", "2024", ("ocr",))
    assert c.id_number == p.id_number and c.date_of_birth == p.date_of_birth and c.sex == p.sex
    assert c.full_name == p.full_name  # printed only on this side: OCR with diacritics
    assert c.address is None and c.expiry_date is None  # not on this side


def test_two_cards_on_a_gray_page_turned_upside_down() -> None:
    p = PEOPLE[2]
    page = flatbed_page([Placement(render_card(p, style="2021", side="front"), 20, 20, 93),
                         Placement(render_card(p, style="2021", side="back"), 80, 170, -2)],
                        background=232, blur_sigma=0.8, noise_sigma=5, gray=True)
    cards = read_cards(turn(page, 180), 300)
    assert sorted(c.side or "" for c in cards) == ["back", "front"]
    for c in cards:
        assert_fields(c, p, "2021", c.side or "")


@pytest.mark.parametrize(("who", "style", "side"), [(1, "2024", "back"), (2, "2021", "front"), (5, "2021", "back")])
def test_phone_photo(who: int, style: str, side: str) -> None:
    p = PEOPLE[who]
    photo = phone_photo(render_card(p, style=style, side=side, seed=who), seed=who + 10)
    cards = read_cards(photo, None)
    assert len(cards) == 1
    assert_fields(cards[0], p, style, side)


def test_detection_rectifies_to_canonical_size() -> None:
    page = flatbed_page([Placement(render_card(PEOPLE[0], style="2021", side="back", dpi=600), 20, 20, 30)], dpi=600)
    found = find_cards(page, 600)
    assert len(found) == 1 and found[0].image.shape[:2] == (CANONICAL_SIZE[1], CANONICAL_SIZE[0])
    assert_fields(read_cards(page, 600)[0], PEOPLE[0], "2021", "back")


def test_text_page_and_blank_page_have_no_cards() -> None:
    assert read_cards(render_text_page(color=True).image, 300) == []
    assert read_cards(np.full((3508, 2480), 250, np.uint8), 300) == []


def test_qr_that_is_not_a_cards() -> None:
    p = PEOPLE[0]
    card = render_card(p, style="2021", side="front", qr_text="https://dichvucong.gov.vn/p/home/dvc-trang-chu.html")
    c = read_card_image(card)
    assert "qr" not in c.sources
    assert any("not a citizen ID payload" in w for w in c.warnings)
    assert any("could not be decoded" in w or "not recognised" in w for w in c.warnings)


def test_qr_with_too_few_fields_and_impossible_date() -> None:
    p = PEOPLE[0]
    c = read_card_image(render_card(p, style="2021", side="front", qr_text="001093047064||NGUYỄN VĂN AN|31021993"))
    assert c.side == "front" and "qr" in c.sources
    assert c.checks["qr_field_count"] is False and c.checks["qr_dob_valid"] is False
    assert not all(c.checks.values()) and c.warnings


def test_mrz_with_failing_check_digits() -> None:
    p = PEOPLE[0]
    l1, l2, l3 = mrz_lines(p)
    bad = (l1[:29] + "7", l2[:29] + "3", l3)  # two wrong check digits: no single repair explains them
    c = read_card_image(render_card(p, style="2021", side="back", mrz=bad))
    assert c.side == "back" and c.sources == ("mrz",)
    assert c.checks["mrz_check_digits"] is False and c.checks["mrz_id_check"] is False
    assert any("mrz_id_check" in w for w in c.warnings)


def test_faint_photocopy_is_read_or_reported_never_valid_by_accident() -> None:
    p = PEOPLE[1]
    page = flatbed_page([Placement(render_card(p, style="2021", side="back"), 40, 60, 8)])
    readable = read_cards(faint_photocopy(page), 300)
    assert len(readable) == 1
    assert_fields(readable[0], p, "2021", "back")
    # Too faint: the card is still found (its outline), but nothing on it can be read.
    card = add_noise(faint_photocopy(render_card(p, style="2021", side="back"), contrast=0.03, brightness=200), 6)
    c = read_card_image(card)
    assert c.checks.get("readable") is False and c.side is None and c.id_number is None
    assert any("could be read" in w for w in c.warnings)


def test_no_personal_data_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    p = PEOPLE[3]
    page = flatbed_page([Placement(render_card(p, style="2024", side="back"), 40, 60, 0)])
    with caplog.at_level(logging.DEBUG):
        cards = read_cards(page, 300)
    assert cards and cards[0].id_number == p.id_number
    text = caplog.text + repr(cards)
    assert p.id_number not in text and p.full_name not in text and "PHAM" not in text
    assert "048*******45" in text  # masked, as the log shows it


def test_a_text_page_with_long_numbers_is_not_a_card(corpora) -> None:
    """linn.png (an English text scan) holds digit runs OCR can read as an ID number: not a card."""
    from PIL import Image as PILImage

    page = np.asarray(PILImage.open(corpora / "ocrmypdf" / "linn.png").convert("L"))
    assert [card for card in read_cards(page, 300) if card.side is not None] == []


# Issue 14: backs of 2021 cards tilted 1.5-1.7° were missed on an unseen set. Every style and side, small tilts
# both ways, at several places on an A4 flatbed page (corners included), clean 300 dpi: every field exact.
TILTS = [(0, "2021", "back", 1.5, (8, 8)), (1, "2021", "back", -1.6, (115, 235)),
         (2, "2021", "back", 1.7, (62, 120)), (5, "2021", "back", -1.55, (10, 236)),
         (4, "2021", "front", 1.6, (118, 10)), (3, "2021", "front", -1.7, (40, 180)),
         (2, "2024", "back", 1.65, (20, 30)), (5, "2024", "back", -1.5, (110, 200)),
         (1, "2024", "front", 1.6, (90, 60)), (0, "2024", "front", -1.65, (15, 220)),
         (3, "2021", "back", 0.7, (100, 5))]


@pytest.mark.parametrize(("who", "style", "side", "angle", "at"), TILTS)
def test_small_tilt_anywhere_on_a_flatbed_page_every_field(who: int, style: str, side: str, angle: float,
                                                          at: tuple[float, float]) -> None:
    p = PEOPLE[who]
    page = flatbed_page([Placement(render_card(p, style=style, side=side, seed=who + 3), *at, angle)], seed=who)
    cards = read_cards(page, 300)
    assert len(cards) == 1
    assert_fields(cards[0], p, style, side)


def test_front_and_back_tilted_on_one_gray_page() -> None:
    p = PEOPLE[5]
    page = flatbed_page([Placement(render_card(p, style="2021", side="front", seed=1), 25, 30, 1.5),
                         Placement(render_card(p, style="2021", side="back", seed=1), 95, 160, -1.7)],
                        gray=True, background=240, seed=5)
    front, back = read_cards(page, 300)
    assert_fields(front, p, "2021", "front")
    assert_fields(back, p, "2021", "back")
