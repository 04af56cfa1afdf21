"""Generated test pages: Vietnamese text rendered with a real font, then degraded as a scanner would.

Every function is deterministic for a given seed, so tests and benchmarks can state exact expectations
(the ground-truth text and word boxes, the applied turn and skew).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

Image = npt.NDArray[np.uint8]

FONT_SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
FONT_SERIF_BOLD = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"
FONT_SANS = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
FONT_SANS_BOLD = "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"
FONT_OCRB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf"

A4_MM = (210.0, 297.0)

# Invented administrative prose (no real people or dossiers).
VIETNAMESE_LINES: tuple[str, ...] = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "ĐƠN ĐỀ NGHỊ CẤP GIẤY CHỨNG NHẬN QUYỀN SỬ DỤNG ĐẤT",
    "Kính gửi: Ủy ban nhân dân phường Hòa Bình, thành phố Hà Nội",
    "Tôi tên là Trần Thị Minh Thư, sinh ngày 14 tháng 3 năm 1987.",
    "Số định danh cá nhân được ghi trong thẻ căn cước do cơ quan công an cấp.",
    "Nơi thường trú: số 25 ngõ 112 đường Nguyễn Trãi, phường Thanh Xuân.",
    "Đề nghị cơ quan có thẩm quyền xem xét, giải quyết hồ sơ theo quy định.",
    "Thửa đất số 128, tờ bản đồ số 07, diện tích 96,5 mét vuông.",
    "Mục đích sử dụng: đất ở tại đô thị; thời hạn sử dụng: lâu dài.",
    "Nguồn gốc sử dụng: nhận chuyển nhượng quyền sử dụng đất năm 2009.",
    "Tài sản gắn liền với đất: nhà ở riêng lẻ ba tầng, xây dựng năm 2012.",
    "Giấy tờ kèm theo gồm bản sao hợp đồng chuyển nhượng và sơ đồ thửa đất.",
    "Tôi xin cam đoan nội dung kê khai trên đây là đúng sự thật.",
    "Nếu sai tôi xin hoàn toàn chịu trách nhiệm trước pháp luật.",
    "Ý kiến của cán bộ tiếp nhận: hồ sơ đầy đủ, hợp lệ theo quy định.",
    "Ngày hẹn trả kết quả: thứ Năm, ngày 17 tháng 7 năm 2025.",
    "Phí, lệ phí đã nộp: một trăm năm mươi nghìn đồng chẵn.",
    "Người nộp hồ sơ ký và ghi rõ họ tên ở phía dưới trang này.",
    "Bộ phận tiếp nhận và trả kết quả, Trung tâm Phục vụ hành chính công.",
    "Điều chỉnh thông tin về đất đai sau khi sắp xếp đơn vị hành chính.",
    "Xác nhận của Ủy ban nhân dân cấp xã về tình trạng tranh chấp đất đai.",
    "Đường dây nóng hỗ trợ người dân: gọi tổng đài để được hướng dẫn thêm.",
    "Trường hợp ủy quyền phải có văn bản ủy quyền được chứng thực hợp lệ.",
)


@dataclass(frozen=True)
class WordBox:
    text: str
    bbox: tuple[int, int, int, int]  # x, y, w, h in page pixels
    line: int


@dataclass(frozen=True)
class TextPage:
    image: Image  # gray (H, W) or RGB (H, W, 3)
    text: str  # ground truth, lines joined by "\n"
    words: tuple[WordBox, ...]
    dpi: int


def mm_to_px(mm: float, dpi: int) -> int:
    return round(mm / 25.4 * dpi)


def render_text_page(
    lines: tuple[str, ...] | list[str] = VIETNAMESE_LINES,
    *,
    dpi: int = 300,
    size_mm: tuple[float, float] = A4_MM,
    font_path: str = FONT_SERIF,
    font_pt: float = 12.0,
    margin_mm: float = 20.0,
    line_spacing: float = 1.6,
    color: bool = False,
    ink: int = 20,
) -> TextPage:
    """A page of text lines at `dpi`, black on white; `color` adds a red heading stamp and a blue rule."""
    width, height = mm_to_px(size_mm[0], dpi), mm_to_px(size_mm[1], dpi)
    mode = "RGB" if color else "L"
    canvas = PILImage.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    font = ImageFont.truetype(font_path, size=max(6, round(font_pt / 72 * dpi)))
    left = top = mm_to_px(margin_mm, dpi)
    step = round(font.size * line_spacing)
    ink_color: int | tuple[int, int, int] = (ink, ink, ink) if color else ink
    words: list[WordBox] = []
    y = top
    for line_no, line in enumerate(lines):
        if y + step > height - top:
            break
        x = left
        for word in line.split(" "):
            x0, y0, x1, y1 = draw.textbbox((x, y), word, font=font)
            draw.text((x, y), word, font=font, fill=ink_color)
            words.append(WordBox(word, (int(x0), int(y0), int(x1 - x0), int(y1 - y0)), line_no))
            x = int(x1) + round(font.getlength(" "))
        y += step
    if color:
        draw.ellipse((width - left - dpi, top, width - left, top + dpi), outline=(200, 30, 30), width=dpi // 40)
        draw.rectangle((left, y + step // 2, width - left, y + step // 2 + dpi // 60), fill=(30, 60, 200))
    used = [line for line in lines][: len({w.line for w in words})]
    return TextPage(np.asarray(canvas, dtype=np.uint8), "\n".join(used), tuple(words), dpi)


def blank_page(*, dpi: int = 300, size_mm: tuple[float, float] = A4_MM, value: int = 250) -> Image:
    return np.full((mm_to_px(size_mm[1], dpi), mm_to_px(size_mm[0], dpi)), value, dtype=np.uint8)


def turn(image: Image, degrees_cw: int) -> Image:
    """Turn by a multiple of 90 degrees clockwise (as a page fed the wrong way round would arrive)."""
    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if degrees_cw % 360 == 0:
        return image.copy()
    return np.ascontiguousarray(cv2.rotate(image, codes[degrees_cw % 360]))


def skew(image: Image, degrees_ccw: float, *, fill: int = 255) -> Image:
    """Rotate the content counter-clockwise by `degrees_ccw` around the centre, keeping the page size."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees_ccw, 1.0)
    border = (fill, fill, fill) if image.ndim == 3 else fill
    return np.ascontiguousarray(
        cv2.warpAffine(image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)
    ).astype(np.uint8)


def add_noise(image: Image, sigma: float = 8.0, *, seed: int = 0) -> Image:
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.int16) + rng.normal(0.0, sigma, image.shape).astype(np.int16)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def add_speckles(image: Image, count: int = 300, *, seed: int = 0) -> Image:
    """Dust: isolated dark dots of 1-3 px."""
    rng = np.random.default_rng(seed)
    out = image.copy()
    h, w = out.shape[:2]
    for _ in range(count):
        y, x, r = int(rng.integers(0, h)), int(rng.integers(0, w)), int(rng.integers(1, 3))
        cv2.circle(out, (x, y), r, (40, 40, 40) if out.ndim == 3 else 40, -1)
    return out


def blur(image: Image, sigma: float = 3.0) -> Image:
    return np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), dtype=np.uint8)


def add_dark_border(image: Image, *, top: int = 60, left: int = 80, bottom: int = 40, right: int = 50,
                    value: int = 25) -> Image:
    """Surround the page with a dark scanner-lid band (the page stays in the middle, image grows)."""
    pad = (value, value, value) if image.ndim == 3 else value
    return np.asarray(cv2.copyMakeBorder(image, top, bottom, left, right, cv2.BORDER_CONSTANT, value=pad),
                      dtype=np.uint8)


def add_show_through(image: Image, back: Image, strength: float = 0.12) -> Image:
    """Mirror the back side's ink faintly into this side, as thin paper does."""
    mirrored = cv2.flip(back, 1)
    if mirrored.shape != image.shape:
        mirrored = cv2.resize(mirrored, (image.shape[1], image.shape[0]))
    ink = (255 - mirrored.astype(np.float32)) * strength
    return np.clip(image.astype(np.float32) - ink, 0, 255).astype(np.uint8)


def add_punch_holes(image: Image, *, dpi: int = 300, value: int = 30) -> Image:
    """Two filing holes (6 mm, 80 mm apart) near the left edge, dark as the lid behind them."""
    out = image.copy()
    h = out.shape[0]
    r = mm_to_px(3, dpi)
    x = mm_to_px(12, dpi)
    for dy in (-mm_to_px(40, dpi), mm_to_px(40, dpi)):
        cv2.circle(out, (x, h // 2 + dy), r, (value, value, value) if out.ndim == 3 else value, -1)
    return out


def write_pnm(image: Image, path: Path) -> Path:
    """PGM for gray, PPM for colour: the only formats SANE's pnm backend reads."""
    if image.ndim == 3:
        PILImage.fromarray(image, "RGB").save(path, format="PPM")
    else:
        PILImage.fromarray(image, "L").save(path, format="PPM")
    return path


def character_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over characters / reference length, whitespace runs folded to one space."""
    ref = " ".join(reference.split())
    hyp = " ".join(hypothesis.split())
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, rc in enumerate(ref, 1):
        current = [i]
        for j, hc in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (rc != hc)))
        previous = current
    return previous[-1] / len(ref)
