"""Separator sheets: a page whose barcode says ``STATION-SEPARATOR`` or ``STATION-SEPARATOR:<DOC_TYPE>``
starts a new document (of that type, when given) and is itself part of no document.

The prefix is configurable (``prefix=``). Matching is exact on the prefix (after trimming whitespace
around the whole payload); the document type is whatever follows the first ``:``, trimmed; an empty type
means "new document, type not given".

`make_separator_sheet` prints such a sheet: an A4 PDF with a large QR code, a Code 128 of the same text
when the text is plain ASCII (old 1D-only scanners' readers), and a big Vietnamese label.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import zxingcpp

from ocr.errors import SeparatorSheetError
from ocr.models import Barcode

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

DEFAULT_PREFIX = "STATION-SEPARATOR"
MAX_DOC_TYPE_LENGTH = 64
FONT_REGULAR = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
SHEET_TITLE = "TỜ PHÂN TÁCH TÀI LIỆU"


PATCH_T_TEXT = "PATCHT"  # the Code 39 text NAPS2's and paperless-ngx's Patch-T sheets carry beside the bars


@dataclass(frozen=True)
class Separator:
    """A separator sheet was recognised on a page."""

    doc_type: str | None  # None: start a new document without saying its type
    barcode: Barcode  # the code that said so
    patch: str | None = None  # a Kodak patch sheet: "1", "2", "3", "4", "6" or "T" (document break)

    @property
    def has_type(self) -> bool:
        return self.doc_type is not None


def parse_separator(barcodes: Iterable[Barcode], prefix: str = DEFAULT_PREFIX) -> Separator | None:
    """The separator on a page, from its barcodes (the first matching code wins), or None.

    The station's own sheets say a document type; a Kodak patch code (any of the six; Patch T is the usual
    document break) or a "PATCHT" code only says that a new document starts.
    """
    for barcode in barcodes:
        matched, doc_type = _match(barcode.text, prefix)
        if matched:
            return Separator(doc_type, barcode)
        patch = _patch_of(barcode)
        if patch is not None:
            return Separator(None, barcode, patch)
    return None


def _patch_of(barcode: Barcode) -> str | None:
    if barcode.format == "PatchCode" and barcode.text.startswith("PATCH-"):
        return barcode.text.removeprefix("PATCH-")
    if barcode.text.strip().upper() == PATCH_T_TEXT:
        return "T"
    return None


def is_separator_text(text: str, prefix: str = DEFAULT_PREFIX) -> bool:
    return _match(text, prefix)[0]


def _match(text: str, prefix: str) -> tuple[bool, str | None]:
    """(is a separator, its NFC document type or None)."""
    payload = text.strip()
    if not prefix or not payload.startswith(prefix):
        return False, None
    rest = payload[len(prefix) :]
    if rest == "":
        return True, None
    if not rest.startswith(":"):
        return False, None  # "STATION-SEPARATORX" is another code that happens to share the start
    doc_type = unicodedata.normalize("NFC", rest[1:].strip())
    return True, doc_type or None


def separator_text(doc_type: str | None = None, prefix: str = DEFAULT_PREFIX) -> str:
    """The barcode payload of a separator sheet; raises SeparatorSheetError for an unusable type."""
    if not prefix.strip() or prefix != prefix.strip() or ":" in prefix:
        raise SeparatorSheetError(f"unusable separator prefix {prefix!r}")
    if doc_type is None:
        return prefix
    clean = unicodedata.normalize("NFC", doc_type.strip())
    if not clean:
        raise SeparatorSheetError("empty document type")
    if len(clean) > MAX_DOC_TYPE_LENGTH:
        raise SeparatorSheetError(f"document type longer than {MAX_DOC_TYPE_LENGTH} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in clean):
        raise SeparatorSheetError("document type contains control characters")
    return f"{prefix}:{clean}"


def make_separator_sheet(output: Path, doc_type: str | None = None, prefix: str = DEFAULT_PREFIX) -> Path:
    """Write an A4 separator sheet PDF to `output` and return the path."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    payload = separator_text(doc_type, prefix)
    label_type = payload[len(prefix) + 1 :] if doc_type is not None else None
    try:
        pdfmetrics.registerFont(TTFont("StationSans", FONT_REGULAR))
        pdfmetrics.registerFont(TTFont("StationSans-Bold", FONT_BOLD))
    except Exception as err:  # reportlab raises TTFError and plain IOError
        raise SeparatorSheetError(f"cannot load the label font: {err}") from err

    width, height = A4
    try:
        pdf = canvas.Canvas(str(output), pagesize=A4, pageCompression=1)
    except OSError as err:
        raise SeparatorSheetError(f"cannot write {output}: {err.strerror}") from err
    pdf.setTitle(f"{SHEET_TITLE}" + (f": {label_type}" if label_type else ""))
    pdf.setAuthor("Digitization Station")
    pdf.setSubject(payload)

    pdf.setFont("StationSans-Bold", 30)
    pdf.drawCentredString(width / 2, height - 32 * mm, SHEET_TITLE)
    pdf.setFont("StationSans-Bold", 24)
    type_line = f"Loại tài liệu: {label_type}" if label_type else "Tài liệu mới (không ghi loại)"
    pdf.drawCentredString(width / 2, height - 46 * mm, _fit(pdf, type_line, "StationSans-Bold", 24, width - 30 * mm))

    qr_size = 100 * mm
    _draw_matrix(pdf, _qr_modules(payload), (width - qr_size) / 2, height - 60 * mm - qr_size, qr_size)

    y = height - 60 * mm - qr_size - 12 * mm
    if payload.isascii():
        bar_height = 18 * mm
        modules = _code128_modules(payload)
        bar_width = min(width - 30 * mm, len(modules) * 0.5 * mm)
        _draw_bars(pdf, modules, (width - bar_width) / 2, y - bar_height, bar_width, bar_height)
        y -= bar_height + 8 * mm
    pdf.setFont("StationSans", 11)
    pdf.drawCentredString(width / 2, y, payload)

    pdf.setFont("StationSans", 13)
    lines = (
        "Đặt tờ này NGAY TRƯỚC trang đầu tiên của mỗi tài liệu khi quét cả xấp giấy.",
        "Máy trạm số hóa tự bắt đầu một tài liệu mới sau tờ này"
        + (f" và ghi loại “{label_type}”." if label_type else "."),
        "Tờ phân tách không được đưa vào hồ sơ; có thể dùng lại nhiều lần.",
        "Không gấp, không viết đè lên mã QR và mã vạch.",
    )
    wrapped = [part for line in lines for part in _wrap(pdf, line, "StationSans", 13, width - 40 * mm)]
    y = 20 * mm + 7 * mm * len(wrapped)
    for line in wrapped:
        pdf.drawString(20 * mm, y, line)
        y -= 7 * mm
    pdf.showPage()
    try:
        pdf.save()
    except OSError as err:
        raise SeparatorSheetError(f"cannot write {output}: {err.strerror}") from err
    return output


def _qr_modules(payload: str) -> list[list[bool]]:
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False)
    dark = np.asarray(image) < 128
    return [[bool(v) for v in row] for row in dark]


def _code128_modules(payload: str) -> list[bool]:
    code = zxingcpp.create_barcode(payload, zxingcpp.BarcodeFormat.Code128)
    image = zxingcpp.write_barcode_to_image(code, scale=1, add_quiet_zones=False)
    dark = np.asarray(image) < 128
    return [bool(v) for v in dark[0]]


def _draw_matrix(pdf: Canvas, modules: list[list[bool]], x: float, y: float, size: float) -> None:
    """Dark modules as filled squares; row 0 at the top. Vector output: sharp at any print resolution."""
    n = len(modules)
    step = size / n
    pdf.setFillGray(0)
    for r, row in enumerate(modules):
        c = 0
        while c < n:
            if row[c]:
                start = c
                while c < n and row[c]:
                    c += 1
                pdf.rect(x + start * step, y + size - (r + 1) * step, (c - start) * step, step, stroke=0, fill=1)
            else:
                c += 1


def _draw_bars(pdf: Canvas, modules: list[bool], x: float, y: float, width: float, height: float) -> None:
    step = width / len(modules)
    c = 0
    while c < len(modules):
        if modules[c]:
            start = c
            while c < len(modules) and modules[c]:
                c += 1
            pdf.rect(x + start * step, y, (c - start) * step, height, stroke=0, fill=1)
        else:
            c += 1


def _wrap(pdf: Canvas, text: str, font: str, size: float, max_width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if current and pdf.stringWidth(candidate, font, size) > max_width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(_fit(pdf, current, font, size, max_width))
    return lines


def _fit(pdf: Canvas, text: str, font: str, size: float, max_width: float) -> str:
    """Shorten with an ellipsis when the text would run off the sheet."""
    if pdf.stringWidth(text, font, size) <= max_width:
        return text
    while text and pdf.stringWidth(text + "…", font, size) > max_width:
        text = text[:-1]
    return text + "…"
