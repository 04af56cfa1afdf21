"""Citizen ID cards: CCCD (2021) and Căn cước (2024) — find them on a page and read QR, MRZ and print.

Public API:
    read_cards(image, dpi) -> list[CitizenId]      every card side on a page or photo
    read_card_image(card) -> CitizenId              one already-cropped card side
    citizen_id_to_json(card) -> dict                the `station cccd --json` / inspect "cccd" object
    parse_qr_payload(text) -> QrReading | None      a card QR's text (None: not a card's QR)
    parse_td1(lines) -> MrzReading                  three MRZ lines as OCR read them, repaired
    decode_id_number(number) -> IdNumberInfo | None the 12-digit number's province, sex, birth year
"""

from __future__ import annotations

from ocr.cccd.crosscheck import citizen_id_to_json, is_valid
from ocr.cccd.idnumber import PROVINCE_CODES, IdNumberInfo, decode_id_number
from ocr.cccd.mrz import MrzReading, parse_td1
from ocr.cccd.qr import QrReading, parse_qr_payload
from ocr.cccd.reader import read_card_image, read_cards
from ocr.mrz_core import check_digit

__all__ = [
    "PROVINCE_CODES",
    "IdNumberInfo",
    "MrzReading",
    "QrReading",
    "check_digit",
    "citizen_id_to_json",
    "decode_id_number",
    "is_valid",
    "parse_qr_payload",
    "parse_td1",
    "read_card_image",
    "read_cards",
]
