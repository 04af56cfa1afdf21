"""Synthetic CCCD (2021) and Căn cước (2024) card images for INVENTED people, and pages carrying them.

The layouts follow the public descriptions of the real cards (title, photo on the left, QR top-right on
the 2021 front, MRZ at the bottom of the back, QR top-left on the 2024 back) without copying any real
card. MRZ lines are made by the small independent ICAO 9303 implementation below (not ocr.cccd.mrz), and
that implementation is checked against the public sample in tests/ocr/test_cccd_mrz.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

import cv2
import numpy as np
import qrcode
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

from tests.pagegen import A4_MM, FONT_OCRB, FONT_SANS, FONT_SANS_BOLD, Image, mm_to_px

CARD_MM = (85.6, 54.0)


@dataclass(frozen=True)
class Person:
    """An invented citizen and the data printed on their card."""

    id_number: str
    old_id: str  # "" when none
    full_name: str
    date_of_birth: date
    sex: str  # "Nam" | "Nữ"
    address: str
    issue_date: date
    expiry_date: date
    origin: str = "Xã Hòa Bình, Huyện Thạch Thất, Hà Nội"


PEOPLE: tuple[Person, ...] = (
    Person("001093047064", "", "NGUYỄN VĂN AN", date(1993, 1, 5),
           "Nam", "Số 12 ngõ 45 Nguyễn Trãi, Phường Thanh Xuân, Hà Nội", date(2021, 7, 10), date(2033, 1, 5)),
    Person("079187001234", "025478963", "TRẦN THỊ MINH THƯ", date(1987, 3, 14),
           "Nữ", "25 Lê Lợi, Phường Bến Thành, Thành phố Hồ Chí Minh", date(2022, 4, 2), date(2027, 3, 14)),
    Person("038204006789", "", "LÊ HOÀNG ĐỨC", date(2004, 11, 30),
           "Nam", "Thôn Đông, Xã Quảng Xương, Thanh Hóa", date(2024, 8, 15), date(2029, 11, 30)),
    Person("048301012345", "", "PHẠM NGỌC KHÁNH VY", date(2001, 6, 21),
           "Nữ", "K123/4 Hùng Vương, Phường Hải Châu, Đà Nẵng", date(2024, 9, 3), date(2026, 6, 21)),
    Person("092076543210", "361234567", "VÕ QUỐC BẢO", date(1976, 12, 2),
           "Nam", "Ấp Mỹ Lợi, Xã Thới Lai, Cần Thơ", date(2021, 3, 28), date(2036, 12, 2)),
    Person("036195000123", "162345678", "ĐẶNG THU HÀ", date(1995, 8, 8),
           "Nữ", "Tổ 3, Phường Trần Hưng Đạo, Nam Định", date(2021, 5, 19), date(2035, 8, 8)),
)  # fmt: skip


# -- an independent ICAO 9303 TD1 implementation, deliberately simple ---------------------------------

def icao_check(data: str) -> str:
    total = 0
    for i, ch in enumerate(data):
        value = 0 if ch == "<" else int(ch) if ch.isdigit() else ord(ch) - 55
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def ascii_upper(name: str) -> str:
    text = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c)).upper()


def mrz_lines(p: Person) -> tuple[str, str, str]:
    doc = p.id_number[3:]
    line1 = "IDVNM" + doc + icao_check(doc) + p.id_number + "<<"
    line1 += icao_check(line1[15:29])
    dob = p.date_of_birth.strftime("%y%m%d")
    exp = p.expiry_date.strftime("%y%m%d")
    line2 = dob + icao_check(dob) + ("M" if p.sex == "Nam" else "F") + exp + icao_check(exp) + "VNM" + "<" * 11
    line2 += icao_check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    words = ascii_upper(p.full_name).split()
    line3 = (words[0] + "<<" + "<".join(words[1:]) + "<" * 30)[:30]
    return line1, line2, line3


def expected_fields(p: Person, style: str, side: str) -> dict[str, object]:
    """The JSON fields a card side carries, exactly (QR > MRZ > print); what a side lacks is absent here."""
    has_qr = (style, side) in (("2021", "front"), ("2024", "back"))
    e: dict[str, object] = {"side": side, "card_style": style, "id_number": p.id_number,
                            "date_of_birth": p.date_of_birth.isoformat(), "sex": p.sex}
    if has_qr:
        e |= {"old_id": p.old_id or None, "full_name": p.full_name, "address": p.address,
              "issue_date": p.issue_date.isoformat()}
    if side == "front" and not has_qr:
        e["full_name"] = p.full_name  # printed, read by OCR
    if side == "back" or (style, side) == ("2021", "front"):  # the 2021 front prints "Có giá trị đến"
        e["expiry_date"] = p.expiry_date.isoformat()
        if not has_qr:
            e["full_name"] = " ".join(mrz_lines(p)[2].replace("<", " ").split())
    return e


def qr_payload(p: Person, style: str) -> str:
    fields = [p.id_number, p.old_id, p.full_name, p.date_of_birth.strftime("%d%m%Y"), p.sex, p.address,
              p.issue_date.strftime("%d%m%Y")]
    if style == "2024":
        fields += ["", "", "", ""]
    return "|".join(fields)


def qr_image(text: str, size_px: int) -> PILImage.Image:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=1, box_size=1)
    code.add_data(text.encode("utf-8"))
    code.make(fit=True)
    img: PILImage.Image = code.make_image(fill_color="black", back_color="white").convert("L")
    return img.resize((size_px, size_px), PILImage.Resampling.NEAREST)


# -- card faces -----------------------------------------------------------------------------------------

class _Face:
    def __init__(self, dpi: int, tint: tuple[int, int, int], seed: int) -> None:
        self.dpi = dpi
        self.w, self.h = mm_to_px(CARD_MM[0], dpi), mm_to_px(CARD_MM[1], dpi)
        rng = np.random.default_rng(seed)
        yy, xx = np.mgrid[0 : self.h, 0 : self.w].astype(np.float32)
        base = np.empty((self.h, self.w, 3), np.float32)
        for c in range(3):
            base[..., c] = tint[c] - 10 * (xx / self.w) + 4 * np.sin(yy / 40.0 + c)
        # a faint guilloche
        for k in range(6):
            phase = rng.uniform(0, 6.28)
            wave = np.sin(xx / (25.0 + 7 * k) + phase + 3 * np.sin(yy / 90.0))
            base -= (np.abs(wave) < 0.04)[..., None] * 18
        self.img = PILImage.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
        self.draw = ImageDraw.Draw(self.img)

    def px(self, mm: float) -> int:
        return mm_to_px(mm, self.dpi)

    def font(self, pt: float, bold: bool = False, path: str | None = None) -> ImageFont.FreeTypeFont:
        size = max(6, round(pt / 72 * self.dpi))
        return ImageFont.truetype(path or (FONT_SANS_BOLD if bold else FONT_SANS), size=size)

    def text(self, x_mm: float, y_mm: float, text: str, pt: float, *, bold: bool = False,
             fill: tuple[int, int, int] = (25, 25, 35), center: bool = False) -> None:
        font = self.font(pt, bold)
        x = self.px(x_mm)
        if center:
            x -= round(font.getlength(text) / 2)
        self.draw.text((x, self.px(y_mm)), text, font=font, fill=fill)

    def header(self, title: str) -> None:
        cx, cy, r = self.px(9), self.px(9), self.px(6)
        self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(200, 30, 30))
        star = [(cx + r * 0.6 * np.cos(a), cy + r * 0.6 * np.sin(a)) for a in np.linspace(-np.pi / 2, 3.5 * np.pi, 11)]
        pts = [(star[i][0] if i % 2 == 0 else cx + (star[i][0] - cx) * 0.4,
                star[i][1] if i % 2 == 0 else cy + (star[i][1] - cy) * 0.4) for i in range(10)]
        self.draw.polygon(pts, fill=(250, 210, 40))
        self.text(42, 3, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5.5, bold=True, center=True)
        self.text(42, 6, "Độc lập - Tự do - Hạnh phúc", 5.5, bold=True, center=True)
        self.text(42, 10, title, 9.5, bold=True, fill=(190, 25, 25), center=True)

    def photo(self, x_mm: float, y_mm: float) -> None:
        x0, y0, x1, y1 = self.px(x_mm), self.px(y_mm), self.px(x_mm + 20), self.px(y_mm + 26)
        self.draw.rectangle((x0, y0, x1, y1), fill=(150, 170, 200))
        cx = (x0 + x1) // 2
        self.draw.ellipse((cx - self.px(5), y0 + self.px(5), cx + self.px(5), y0 + self.px(17)), fill=(90, 80, 80))
        self.draw.ellipse((x0 + self.px(2), y0 + self.px(17), x1 - self.px(2), y1 + self.px(10)), fill=(60, 60, 80))
        self.draw.rectangle((x0, y1, x1, y1 + self.px(10)), fill=self.img.getpixel((x0, y1 + self.px(12)) if
                            y1 + self.px(12) < self.h else (x0, self.h - 1)))

    def qr(self, x_mm: float, y_mm: float, size_mm: float, payload: str) -> None:
        self.img.paste(qr_image(payload, self.px(size_mm)).convert("RGB"), (self.px(x_mm), self.px(y_mm)))

    def chip(self, x_mm: float, y_mm: float) -> None:
        x0, y0, x1, y1 = self.px(x_mm), self.px(y_mm), self.px(x_mm + 11), self.px(y_mm + 9)
        self.draw.rounded_rectangle((x0, y0, x1, y1), radius=self.px(1.5), fill=(205, 170, 90), outline=(120, 90, 40),
                                    width=max(1, self.px(0.2)))
        for f in (0.33, 0.66):
            self.draw.line((x0, y0 + (y1 - y0) * f, x1, y0 + (y1 - y0) * f), fill=(120, 90, 40), width=2)
        self.draw.line(((x0 + x1) // 2, y0, (x0 + x1) // 2, y1), fill=(120, 90, 40), width=2)

    def mrz(self, p: Person, override: tuple[str, str, str] | None = None) -> None:
        lines = override or mrz_lines(p)
        font = ImageFont.truetype(FONT_OCRB, size=10)
        scale = self.px(76.0) / font.getlength("<" * 30)
        font = ImageFont.truetype(FONT_OCRB, size=max(8, round(10 * scale)))
        for i, line in enumerate(lines):
            self.draw.text((self.px(4.8), self.px(38.6 + 4.6 * i)), line, font=font, fill=(20, 20, 20))

    def finish(self) -> Image:
        return np.asarray(self.img, dtype=np.uint8)


def render_card(p: Person, *, style: str, side: str, dpi: int = 300, seed: int = 0, qr_text: str | None = None,
                mrz: tuple[str, str, str] | None = None) -> Image:
    """One card side, RGB, at `dpi` (85.6 x 54 mm); `qr_text` / `mrz` replace the correct content (bad input)."""
    tint = (214, 230, 236) if style == "2021" else (226, 226, 240)
    f = _Face(dpi, tint, seed)
    dob = p.date_of_birth.strftime("%d/%m/%Y")
    if side == "front":
        f.header("CĂN CƯỚC CÔNG DÂN" if style == "2021" else "CĂN CƯỚC")
        f.photo(4, 19)
        if style == "2021":
            f.qr(67, 2, 17, qr_text if qr_text is not None else qr_payload(p, "2021"))
            f.text(27, 19.5, "Số / No.:", 6)
            f.text(40, 18.8, p.id_number, 9, bold=True, fill=(200, 30, 30))
            f.text(27, 24, "Họ và tên / Full name:", 5)
            f.text(27, 26.5, p.full_name, 7.5, bold=True)
            f.text(27, 31, f"Ngày sinh / Date of birth: {dob}", 5.5)
            f.text(27, 34.5, f"Giới tính / Sex: {p.sex}    Quốc tịch / Nationality: Việt Nam", 5.5)
            f.text(27, 38, "Quê quán / Place of origin:", 5.5)
            f.text(27, 40.7, p.origin, 6)
            f.text(27, 44, "Nơi thường trú / Place of residence:", 5.5)
            f.text(27, 46.7, p.address, 6)
            f.text(3, 48.5, "Có giá trị đến:", 4.5)
            f.text(3, 50.5, p.expiry_date.strftime("%d/%m/%Y"), 4.5)
        else:
            f.chip(71, 22)
            f.text(27, 19.5, "Số định danh cá nhân / Personal identification number", 5)
            f.text(27, 22, p.id_number, 9, bold=True, fill=(200, 30, 30))
            f.text(27, 27.5, "Họ, chữ đệm và tên khai sinh / Full name", 5)
            f.text(27, 30, p.full_name, 7.5, bold=True)
            f.text(27, 35, f"Ngày, tháng, năm sinh / Date of birth: {dob}", 5.5)
            f.text(27, 38.5, f"Giới tính / Sex: {p.sex}    Quốc tịch / Nationality: Việt Nam", 5.5)
    else:
        if style == "2021":
            f.text(3, 3, "Đặc điểm nhân dạng / Personal identification:", 5)
            f.text(3, 5.5, "Nốt ruồi cách 1cm trên đuôi mắt phải", 5)
            f.text(3, 10, f"Ngày, tháng, năm / Date, month, year: {p.issue_date.strftime('%d/%m/%Y')}", 5)
            f.text(3, 14, "CỤC TRƯỞNG CỤC CẢNH SÁT", 5, bold=True)
            f.text(3, 16.5, "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", 5, bold=True)
            f.draw.ellipse((f.px(6), f.px(20), f.px(18), f.px(32)), outline=(200, 40, 40), width=f.px(0.4))
            f.draw.line((f.px(14), f.px(28), f.px(22), f.px(24), f.px(26), f.px(30), f.px(32), f.px(25)),
                        fill=(30, 30, 90), width=f.px(0.3))
            f.chip(44, 4)
            for x in (60.0, 72.5):
                f.draw.rounded_rectangle((f.px(x), f.px(3), f.px(x + 11), f.px(30)), radius=f.px(2),
                                         outline=(80, 80, 80), width=f.px(0.2))
                for k in range(7):
                    f.draw.arc((f.px(x + 1.5 + k * 0.3), f.px(8 + k), f.px(x + 9.5 - k * 0.3), f.px(26 - k)),
                               180, 360, fill=(70, 70, 70), width=f.px(0.2))
            f.text(61, 31, "Ngón trỏ trái", 4)
            f.text(73, 31, "Ngón trỏ phải", 4)
        else:
            f.qr(3, 3, 17, qr_text if qr_text is not None else qr_payload(p, "2024"))
            f.text(23, 3, "Nơi cư trú / Place of residence:", 5)
            f.text(23, 5.5, p.address, 5)
            f.text(23, 9, "Nơi đăng ký khai sinh / Place of birth:", 5)
            f.text(23, 11.5, p.origin, 5)
            f.text(23, 15.5, f"Ngày, tháng, năm cấp / Date of issue: {p.issue_date.strftime('%d/%m/%Y')}", 5)
            f.text(23, 19, f"Ngày, tháng, năm hết hạn / Date of expiry: {p.expiry_date.strftime('%d/%m/%Y')}", 5)
            f.text(23, 23, "BỘ CÔNG AN / MINISTRY OF PUBLIC SECURITY", 5, bold=True)
            f.draw.ellipse((f.px(62), f.px(24), f.px(74), f.px(36)), outline=(200, 40, 40), width=f.px(0.4))
        f.mrz(p, mrz)
    return f.finish()


def card_alpha(h: int, w: int, dpi: int) -> Image:
    """Rounded corners (3.18 mm, ISO/IEC 7810) as an alpha mask."""
    mask = PILImage.new("L", (w, h), 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, w - 1, h - 1), radius=mm_to_px(3.18, dpi), fill=255)
    return np.asarray(mask, dtype=np.uint8)


def _rotate_rgba(card: Image, alpha: Image, angle_ccw: float) -> tuple[Image, Image]:
    h, w = card.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle_ccw, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    nw, nh = int(h * sin + w * cos) + 2, int(h * cos + w * sin) + 2
    m[0, 2] += nw / 2 - w / 2
    m[1, 2] += nh / 2 - h / 2
    rc = cv2.warpAffine(card, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0))
    ra = cv2.warpAffine(alpha, m, (nw, nh), flags=cv2.INTER_LINEAR, borderValue=0)
    return np.asarray(rc, np.uint8), np.asarray(ra, np.uint8)


@dataclass(frozen=True)
class Placement:
    card: Image  # RGB at the page's dpi
    x_mm: float  # where the rotated card's bounding box starts
    y_mm: float
    angle_ccw: float = 0.0


def flatbed_page(placements: list[Placement], *, dpi: int = 300, background: int = 250, blur_sigma: float = 0.0,
                 noise_sigma: float = 0.0, seed: int = 0, gray: bool = False) -> Image:
    """An A4 flatbed scan with the cards laid on it (the lid is `background`)."""
    w, h = mm_to_px(A4_MM[0], dpi), mm_to_px(A4_MM[1], dpi)
    page = np.full((h, w, 3), background, np.uint8)
    rng = np.random.default_rng(seed)
    for pl in placements:
        alpha = card_alpha(pl.card.shape[0], pl.card.shape[1], dpi)
        rc, ra = _rotate_rgba(pl.card, alpha, pl.angle_ccw)
        x, y = mm_to_px(pl.x_mm, dpi), mm_to_px(pl.y_mm, dpi)
        rh, rw = min(rc.shape[0], h - y), min(rc.shape[1], w - x)
        a = ra[:rh, :rw, None].astype(np.float32) / 255.0
        region = page[y : y + rh, x : x + rw].astype(np.float32) * (1 - a) + rc[:rh, :rw] * a
        if blur_sigma > 0:  # only where there is something to blur: the rest of the lid is uniform
            region = np.asarray(cv2.GaussianBlur(region, (0, 0), blur_sigma), np.float32)
        page[y : y + rh, x : x + rw] = np.clip(region, 0, 255).astype(np.uint8)
    if noise_sigma > 0:  # a tiled noise field: cheap on a whole A4 page, and no visible pattern at this sigma
        tile = rng.normal(0, noise_sigma, (509, 503, 3)).astype(np.float32)
        noise = np.tile(tile, (h // 509 + 1, w // 503 + 1, 1))[:h, :w]
        page = np.asarray(np.clip(page + noise, 0, 255), np.uint8)
    if gray:
        page = np.asarray(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), np.uint8)
    return page


def phone_photo(card: Image, *, size: tuple[int, int] = (2000, 1500), seed: int = 0, tilt: float = 0.08,
                fill: float = 0.7) -> Image:
    """The card photographed on a textured table: perspective, uneven light, noise."""
    rng = np.random.default_rng(seed)
    w, h = size
    tex = rng.normal(0, 1, (h // 8, w // 8)).astype(np.float32)
    tex = np.asarray(cv2.resize(cv2.GaussianBlur(tex, (0, 0), 3), (w, h)), np.float32)
    grain = cv2.GaussianBlur(rng.normal(0, 1, (h, w)).astype(np.float32), (0, 0), 1.2)
    bg = np.empty((h, w, 3), np.float32)
    for c, base in enumerate((120, 90, 60)):
        bg[..., c] = base + 18 * tex + 10 * grain
    ch, cw = card.shape[:2]
    tw = w * fill
    th = tw * ch / cw
    cx, cy = w / 2 + rng.uniform(-0.05, 0.05) * w, h / 2 + rng.uniform(-0.05, 0.05) * h
    dst = np.array([[cx - tw / 2, cy - th / 2], [cx + tw / 2, cy - th / 2], [cx + tw / 2, cy + th / 2],
                    [cx - tw / 2, cy + th / 2]], np.float32)
    dst += rng.uniform(-tilt, tilt, dst.shape).astype(np.float32) * np.array([tw, th], np.float32)
    src = np.array([[0, 0], [cw, 0], [cw, ch], [0, ch]], np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(card, m, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
    alpha = card_alpha(ch, cw, round(cw / CARD_MM[0] * 25.4))
    a = np.asarray(cv2.warpPerspective(alpha, m, (w, h), flags=cv2.INTER_LINEAR), np.float32)[..., None] / 255.0
    out = bg * (1 - a) + warped * a
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 0.75 + 0.3 * (xx / w) * (1 - 0.3 * yy / h)
    out = out * light[..., None] + rng.normal(0, 4, out.shape)
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def faint_photocopy(image: Image, *, contrast: float = 0.25, brightness: int = 200) -> Image:
    """A washed-out gray photocopy: the ink barely darker than the paper."""
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return np.asarray(np.clip(brightness + (gray.astype(np.float32) - 128) * contrast, 0, 255), dtype=np.uint8)
