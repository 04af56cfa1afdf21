"""The nouns of recognition: OCR words and results, barcodes, citizen ID cards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

BBox = tuple[int, int, int, int]  # x, y, width, height in pixels of the image that was recognised


@dataclass(frozen=True)
class OcrWord:
    text: str  # NFC
    bbox: BBox
    confidence: float  # 0..100
    block: int
    line: int  # line number within the page, for rebuilding the text layer line by line


@dataclass(frozen=True)
class OcrResult:
    text: str  # NFC, lines separated by "\n", paragraphs by a blank line
    words: tuple[OcrWord, ...]
    lang: str  # e.g. "vie+eng"
    width: int  # size of the recognised image, for mapping boxes into a PDF page
    height: int
    mean_confidence: float


@dataclass(frozen=True)
class Barcode:
    format: str  # zxing-cpp format name: "QRCode", "Code128", "Code39", "EAN13", "PDF417", "DataMatrix", ...
    text: str  # exact UTF-8 text
    bbox: BBox  # axis-aligned box around the symbol, in page pixels
    raw: bytes = field(default=b"", repr=False)  # the decoded bytes, for binary payloads (text may be empty)
    on_original: bool = False  # read only on the page as captured: bbox is in that image's pixels


class CardSide(StrEnum):
    FRONT = "front"
    BACK = "back"


class CardStyle(StrEnum):
    """Which card: CCCD (2021, QR on the front) or Căn cước (2024, QR and chip on the back)."""

    CCCD_2021 = "2021"
    CAN_CUOC_2024 = "2024"


@dataclass(frozen=True)
class CitizenId:
    """What was read from one side of a CCCD (2021) or Căn cước (2024) card.

    Personal data: the repr is masked so the values never reach a log or a traceback in clear text.
    """

    side: CardSide | None
    card_style: CardStyle | None
    id_number: str | None = None
    old_id: str | None = None
    full_name: str | None = None
    date_of_birth: date | None = None
    sex: str | None = None  # "Nam" | "Nữ"
    address: str | None = None
    issue_date: date | None = None
    expiry_date: date | None = None
    sources: tuple[str, ...] = ()  # "qr", "mrz", "ocr"
    checks: Mapping[str, bool] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    extra_fields: tuple[str, ...] = ()  # QR fields beyond the seventh, kept as read

    def __repr__(self) -> str:
        return (
            f"CitizenId(side={self.side!r}, card_style={self.card_style!r}, "
            f"id_number={mask_id(self.id_number)!r}, sources={self.sources!r}, checks={dict(self.checks)!r}, "
            f"warnings={len(self.warnings)})"
        )

    __str__ = __repr__


def mask_id(value: str | None) -> str | None:
    """`001234567845` -> `001*******45`: enough to tell records apart in a log, not enough to identify."""
    if value is None:
        return None
    if len(value) <= 5:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 5) + value[-2:]
