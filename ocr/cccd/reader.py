"""Read every citizen ID card side on a page: find, rectify, orient, decode QR / MRZ / printed text.

`read_cards(image, dpi)` is the entry point. Each step is a small function; nothing here logs values
(only masked numbers and check names).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

import cv2
import numpy as np
import zxingcpp

from ocr.cccd.crosscheck import PrintedFields, build_citizen_id, fold_name
from ocr.cccd.detect import CANONICAL_SIZE, FoundCard, find_cards, rectify, to_gray
from ocr.cccd.engine import PSM_SINGLE_BLOCK, PSM_SINGLE_LINE, ocr_line_boxes, ocr_lines, ocr_symbols
from ocr.cccd.mrz import MrzReading, find_mrz_lines, lines_from_symbols, mrz_score, parse_td1
from ocr.cccd.qr import QrReading, normalize_sex, parse_qr_payload
from ocr.models import CardSide, CardStyle, CitizenId, mask_id
from scanning.models import Image

log = logging.getLogger(__name__)

_MIN_MRZ_SCORE = 3  # of 9 (see mrz_score): below it, OCR read something that is not an MRZ
_MRZ_BAND_TOP = 0.64  # the MRZ sits in the bottom third of the back (TD1: bottom 17.9 mm of 54 mm)
_zxing_lock = threading.Lock()
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


@dataclass(frozen=True)
class _Qr:
    text: str
    centre: tuple[float, float]  # in canonical card pixels


def stretch_contrast(gray: Image) -> Image:
    """Map the 1st..99th percentile to 0..255 (faint photocopies, uneven phone light)."""
    lo, hi = np.percentile(gray, (1, 99))
    if hi - lo < 1:
        return gray
    out = (gray.astype(np.float32) - lo) * (255.0 / (hi - lo))
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def too_faint(gray: Image) -> bool:
    """Whether the card's ink is lost in the grain (a washed-out copy): OCR would only read noise."""
    grain = float(np.std(gray.astype(np.int16) - cv2.medianBlur(gray, 3).astype(np.int16)))
    lo, hi = np.percentile(cv2.GaussianBlur(gray, (0, 0), 2), (1, 99))
    return float(hi - lo) < max(4.0, 1.5 * grain)


def denoise(gray: Image) -> Image:
    """Smooth scanner/photo grain when there is much of it (it slows Tesseract down and misleads it)."""
    grain = float(np.std(gray.astype(np.int16) - cv2.medianBlur(gray, 3).astype(np.int16)))
    if grain < 6.0:
        return gray
    return np.asarray(cv2.medianBlur(gray, 3), np.uint8)


def decode_qr_codes(gray: Image, scale: float = 1.0) -> list[_Qr]:
    """QR codes in a gray image (zxing-cpp: exact UTF-8), centres divided by `scale`."""
    with _zxing_lock:
        results = zxingcpp.read_barcodes(gray, formats=_QR_ONLY, try_rotate=True, try_downscale=True)
    found: list[_Qr] = []
    for r in results:
        if not r.valid:
            continue
        p = r.position
        xs = [p.top_left.x, p.top_right.x, p.bottom_right.x, p.bottom_left.x]
        ys = [p.top_left.y, p.top_right.y, p.bottom_right.y, p.bottom_left.y]
        found.append(_Qr(r.text, (sum(xs) / 4 / scale, sum(ys) / 4 / scale)))
    return found


def read_mrz(gray: Image) -> MrzReading | None:
    """OCR the MRZ band at the bottom of an upright card; None when there are no MRZ-like lines."""
    h = gray.shape[0]
    band = gray[int(h * _MRZ_BAND_TOP) :, :]
    symbols = ocr_symbols(band, kind="mrz", psm=PSM_SINGLE_BLOCK)
    picked = lines_from_symbols(symbols)
    if picked is None:
        picked = find_mrz_lines(["".join(c for c, *_ in row) for row in symbols])
    if picked is None:
        return None
    reading = parse_td1(picked)
    return reading if mrz_score(reading) >= _MIN_MRZ_SCORE else None


_EXPIRY_LABEL_RE = re.compile(r"GIA T[A-Z]{0,2} DEN|CO GIA TRI|EXPIRY|HET HAN")
_DATE_RE = re.compile(r"([0-9]{1,2})\s*[/.-]\s*([0-9]{1,2})\s*[/.-]\s*([0-9]{4})")


def _date_in(text: str) -> date | None:
    m = _DATE_RE.search(re.sub(r"(?<=[0-9]) (?=[0-9])", "", text))  # OCR splits "11" into "1 1"
    if m is None:
        return None
    try:
        return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def parse_printed(lines: list[str]) -> tuple[PrintedFields, CardStyle | None]:
    """Fields from the OCR lines of a card front, and the style its title says (None: no title read)."""
    folded = [fold_name(line) for line in lines]
    style: CardStyle | None = None
    if any("CAN CUOC CONG DAN" in f for f in folded):
        style = CardStyle.CCCD_2021
    elif any("CAN CUOC" in f for f in folded):
        style = CardStyle.CAN_CUOC_2024
    id_number = None
    for line in lines:
        m = re.search(r"(?<![0-9])([0-9]{12})(?![0-9])", line.replace(" ", ""))
        if m:
            id_number = m.group(1)
            break
    dob = sex = expiry = issue = None
    full_name = None
    for i, (line, f) in enumerate(zip(lines, folded, strict=True)):
        if dob is None and ("BIRTH" in f or "NGAY SINH" in f or "NAM SINH" in f):
            dob = _date_in(line)
        if sex is None and ("SEX" in f or "GIOI TINH" in f):
            m = re.search(r"(?:Sex|tính)\s*[:;.]?\s*([^\W\d_]+)", line, re.IGNORECASE)
            sex = normalize_sex(m.group(1)) if m else None
        if expiry is None and _EXPIRY_LABEL_RE.search(f):
            expiry = _date_in(line) or (_date_in(lines[i + 1]) if i + 1 < len(lines) else None)
        if issue is None and ("DATE OF ISSUE" in f or "NAM CAP" in f):
            issue = _date_in(line)
        if full_name is None and "FULL NAME" in f:
            full_name = next((n for n in map(_uppercase_name, lines[i + 1 : i + 3]) if n), None)
    return PrintedFields(id_number, full_name, dob, sex, issue, expiry), style


def _uppercase_name(text: str) -> str | None:
    """The leading run of upper-case words of an OCR line (a printed name), None if under two words."""
    words: list[str] = []
    for word in text.split():
        letters = [c for c in word if c.isalpha()]
        if not letters or len(letters) != len(word) or not all(c.isupper() for c in letters):
            break
        words.append(word)
    return " ".join(words) if len(words) >= 2 else None


# The most common family names (about 90% of the population) and the two usual middle names. OCR of
# bold capitals confuses stacked diacritics (Ễ/Ê, Ă/Ấ); a printed surname or middle name whose letters
# match one of these but whose accents were misread is snapped to it. The given name is never touched.
_COMMON_SURNAMES = ("NGUYỄN", "TRẦN", "LÊ", "PHẠM", "HOÀNG", "HUỲNH", "PHAN", "VŨ", "VÕ", "ĐẶNG", "BÙI", "ĐỖ",
                    "HỒ", "NGÔ", "DƯƠNG", "LÝ", "ĐINH", "TRƯƠNG", "LƯƠNG", "TRỊNH", "ĐÀO", "MAI", "LÂM")
_COMMON_MIDDLE = ("VĂN", "THỊ")


def _snap_common_name_words(name: str) -> str:
    words = name.split()
    if len(words) < 2:
        return name
    by_fold = {fold_name(w): w for w in _COMMON_SURNAMES}
    if words[0] not in _COMMON_SURNAMES and fold_name(words[0]) in by_fold:
        words[0] = by_fold[fold_name(words[0])]
    middle = {fold_name(w): w for w in _COMMON_MIDDLE}
    for i in range(1, len(words) - 1):
        if words[i] not in _COMMON_MIDDLE and fold_name(words[i]) in middle:
            words[i] = middle[fold_name(words[i])]
    return " ".join(words)


def _read_name_line(card: Image, box: tuple[int, int, int, int]) -> str | None:
    """OCR one printed line again on its own (single-line mode reads diacritics of bold capitals better)."""
    x0, y0, x1, y1 = box
    pad = 8
    crop = np.ascontiguousarray(card[max(0, y0 - pad) : y1 + pad, max(0, x0 - pad) : x1 + pad])
    if crop.size == 0:
        return None
    lines = ocr_lines(crop, kind="vie", psm=PSM_SINGLE_LINE, timeout_ms=800)
    return _uppercase_name(lines[0][0]) if lines else None


def _read_printed(card: Image) -> tuple[PrintedFields, CardStyle | None, float]:
    lines = ocr_line_boxes(card, kind="vie", psm=PSM_SINGLE_BLOCK)
    texts = [t for t, _, _ in lines]
    fields, style = parse_printed(texts)
    for i, text in enumerate(texts[:-1]):
        if "FULL NAME" in fold_name(text):
            for _, _, box in lines[i + 1 : i + 3]:  # the name line, or the one after a stray mark
                name = _read_name_line(card, box)
                if name is not None:
                    fields = replace(fields, full_name=_snap_common_name_words(unicodedata.normalize("NFC", name)))
                    break
            break
    if fields.expiry_date is None:  # 2021 front: "Có giá trị đến" in small print under the photo
        h, w = card.shape[:2]
        for text, _, (x0, y0, _, _) in lines:
            if x0 < w * 0.2 and y0 > h * 0.85 and (found := _date_in(text)) is not None:
                fields = replace(fields, expiry_date=found)
                break
    conf = float(np.mean([c for _, c, _ in lines])) if lines else 0.0
    return fields, style, conf


def _emblem_corner(card: Image) -> str | None:
    """Where the red national emblem of a card front is: "top-left" (upright), "bottom-right", or None
    (a gray scan, or no clear answer)."""
    if card.ndim != 3:
        return None
    h, w = card.shape[:2]
    rgb = card.astype(np.int16)
    red = (rgb[..., 0] - np.maximum(rgb[..., 1], rgb[..., 2])) > 60
    qh, qw = h // 3, w // 4
    top_left = float(np.mean(red[:qh, :qw]))
    bottom_right = float(np.mean(red[h - qh :, w - qw :]))
    if max(top_left, bottom_right) < 0.05:
        return None
    if top_left > 3 * bottom_right:
        return "top-left"
    if bottom_right > 3 * top_left:
        return "bottom-right"
    return None


def _has_qr_like_block(gray: Image, *, right: bool) -> bool:
    """A dense, high-contrast square where a QR code would be (the code itself may be unreadable)."""
    h, w = gray.shape
    size = int(h * 0.36)
    region = gray[int(h * 0.03) : int(h * 0.03) + size, (w - size - int(w * 0.02)) if right else int(w * 0.03) :][
        :, :size
    ]
    if region.size == 0:
        return False
    _, binary = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = float(np.mean(binary == 0))
    transitions = float(np.mean(np.abs(np.diff(binary.astype(np.int16), axis=1)) > 0))
    return 0.3 <= dark <= 0.7 and transitions > 0.08


def read_card_image(card: Image, *, hires: Image | None = None) -> CitizenId:
    """Read one rectified card side (CANONICAL_SIZE, landscape, possibly upside down).

    `hires` is the same card rectified at a higher resolution, tried for the QR code when the canonical
    image does not decode.
    """
    if too_faint(to_gray(card)):
        return build_citizen_id(side=None, card_style=None, warnings=(
            "card image too faint or noisy to read (low contrast): scan again darker or from the original",))
    raw_gray = stretch_contrast(to_gray(card))
    gray = denoise(raw_gray)
    h, w = gray.shape
    notes: list[str] = []
    qrs = decode_qr_codes(raw_gray)
    if not qrs and hires is not None:
        scale = hires.shape[1] / w
        qrs = decode_qr_codes(stretch_contrast(to_gray(hires)), scale)
    readings: list[tuple[QrReading, _Qr]] = []
    for q in qrs:
        parsed = parse_qr_payload(q.text)
        if parsed is None:
            notes.append("a QR code on the card is not a citizen ID payload")
        else:
            readings.append((parsed, q))
    qr, qr_pos = (readings[0][0], readings[0][1].centre) if readings else (None, None)
    if len(readings) > 1:
        notes.append("more than one citizen ID QR code on one card: the first was used")

    upright: bool | None = None
    if qr_pos is not None:
        upright = qr_pos[1] < h / 2
    emblem = _emblem_corner(card)  # only fronts carry the red emblem: no MRZ to look for
    if upright is None and emblem is not None:
        upright = emblem == "top-left"
    mrz: MrzReading | None = None
    if emblem is not None:
        pass
    elif upright is not False:
        mrz = read_mrz(gray)
        if mrz is not None and (upright is True or mrz.checks.get("mrz_check_digits")):
            upright = True
    if emblem is None and (upright is None or (upright is False and mrz is None)):
        # No QR to tell which way up, and no clean MRZ at the bottom: the card may be upside down.
        other = read_mrz(np.ascontiguousarray(gray[::-1, ::-1]))
        if other is not None and (mrz is None or mrz_score(other) > mrz_score(mrz)):
            mrz, upright = other, False
        elif mrz is not None:
            upright = True
    if upright is False:
        gray = np.ascontiguousarray(gray[::-1, ::-1])
        if qr_pos is not None:
            qr_pos = (w - qr_pos[0], h - qr_pos[1])

    printed: PrintedFields | None = None
    side: CardSide | None
    style: CardStyle | None
    if mrz is not None:
        side = CardSide.BACK
        if qr_pos is not None or (qr is None and _has_qr_like_block(gray, right=False)):
            style = CardStyle.CAN_CUOC_2024
            if qr is None:
                notes.append("the QR code on this back side could not be decoded")
        else:
            style = CardStyle.CCCD_2021
    elif qr is not None and qr_pos is not None:
        if qr_pos[0] > w / 2:
            side, style = CardSide.FRONT, CardStyle.CCCD_2021
        else:
            side, style = CardSide.BACK, CardStyle.CAN_CUOC_2024
            notes.append("no MRZ could be read on this back side")
        printed, _, _ = _read_printed(gray) if side is CardSide.FRONT else (None, None, 0.0)
    else:
        printed, title_style, conf = _read_printed(gray)
        if upright is None and printed.empty:
            turned = np.ascontiguousarray(gray[::-1, ::-1])
            printed2, title2, conf2 = _read_printed(turned)
            if not printed2.empty or conf2 > conf:
                printed, title_style, gray = printed2, title2, turned
        # Without a QR or an MRZ, only the card's title or two card fields make it a card: a lone 12-digit
        # number read on an ordinary text page is not one.
        side = CardSide.FRONT if title_style is not None or printed.field_count >= 2 else None
        style = title_style
        if title_style is CardStyle.CCCD_2021:
            notes.append("the QR code on this 2021 front could not be decoded")
        if side is None:
            notes.append("card side not recognised: no QR code, MRZ or printed fields could be read")
    if qr is not None and qr.style_hint is not None and style is not None and qr.style_hint != style:
        notes.append("the QR payload's field count does not match the card style")
    result = build_citizen_id(side=side, card_style=style, qr=qr, mrz=mrz, printed=printed, warnings=tuple(notes))
    log.debug("card side read: %s", result)  # CitizenId's repr is masked
    return result


def read_cards(image: Image, dpi: int | None = None) -> list[CitizenId]:
    """Every card side found on `image` (a page scan or a photo), in reading order (top to bottom)."""
    found = sorted(find_cards(image, dpi), key=lambda c: (float(c.quad[:, 1].min()), float(c.quad[:, 0].min())))
    results: list[CitizenId] = []
    for card in found:
        results.append(_read_found(image, card))
    log.info("cards found: %d (%s)", len(results), ", ".join(str(mask_id(r.id_number)) for r in results))
    return results


def _read_found(image: Image, card: FoundCard) -> CitizenId:
    edge = float(np.linalg.norm(card.quad[1] - card.quad[0]))
    hires = None
    if edge > CANONICAL_SIZE[0] * 1.3:  # the input has more detail than the canonical image keeps
        hires = rectify(image, card.quad, (round(edge), round(edge * CANONICAL_SIZE[1] / CANONICAL_SIZE[0])))
    else:
        hires = rectify(image, card.quad, (CANONICAL_SIZE[0] * 2, CANONICAL_SIZE[1] * 2))
    return read_card_image(card.image, hires=hires)
