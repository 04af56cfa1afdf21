"""Regenerate the embedded sample pages (run from the project root: `.venv/bin/python resources/samples/generate.py`).

Everything here is invented: the applicant, the card, the forms. The receipt's dossier code is one the
reference backend is seeded with (uploader/backend/seed.py), so the whole counter flow works offline.
Pages are 300 dpi gray PNGs (the virtual feeder turns them into PGM for SANE's pnm device at run time).
This script may import the test generators (tests/pagegen.py, tests/cardgen.py); the station never does.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pypdfium2
import qrcode
from PIL import Image as PILImage

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from ocr.separator import make_separator_sheet  # noqa: E402
from tests.cardgen import Person, Placement, flatbed_page, render_card  # noqa: E402
from tests.pagegen import render_text_page  # noqa: E402

DPI = 300
DOSSIER_CODE = "000.00.01.H22-250702-0013"
APPLICANT = Person(
    "001190012345", "", "NGUYỄN THỊ MINH ANH", date(1990, 4, 12), "Nữ",
    "Số 8 ngõ 21 Kim Mã, Phường Ba Đình, Hà Nội", date(2021, 6, 2), date(2030, 4, 12),
)  # fmt: skip

RECEIPT_LINES = (
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
    f"Mã hồ sơ: {DOSSIER_CODE}",
    "Tiếp nhận hồ sơ của: bà Nguyễn Thị Minh Anh",
    "Nội dung yêu cầu giải quyết: Đăng ký khai sinh",
    "Thành phần hồ sơ nộp gồm:",
    "1. Tờ khai đăng ký khai sinh (bản chính)",
    "2. Giấy chứng sinh (bản chính)",
    "3. Căn cước công dân của người đi đăng ký (bản sao)",
    "Thời gian nhận hồ sơ: 08 giờ 15 phút, ngày 02 tháng 7 năm 2025",
    "Thời gian trả kết quả: ngày 04 tháng 7 năm 2025",
    "Người nộp hồ sơ                    Người tiếp nhận hồ sơ",
)
FORM_PAGE_1 = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân phường Ba Đình, thành phố Hà Nội",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Thị Minh Anh",
    "Nơi cư trú: số 8 ngõ 21 Kim Mã, phường Ba Đình, Hà Nội",
    "Quan hệ với người được khai sinh: mẹ",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Họ, chữ đệm, tên: Trần Minh Khôi",
    "Ngày, tháng, năm sinh: 20 tháng 6 năm 2025",
    "Giới tính: Nam        Dân tộc: Kinh        Quốc tịch: Việt Nam",
    "Nơi sinh: Bệnh viện Phụ sản Hà Nội",
    "Quê quán: xã Hòa Bình, thành phố Hà Nội",
)
FORM_PAGE_2 = (
    "Họ, chữ đệm, tên người mẹ: Nguyễn Thị Minh Anh",
    "Năm sinh: 1990        Dân tộc: Kinh        Quốc tịch: Việt Nam",
    "Họ, chữ đệm, tên người cha: Trần Văn Hùng",
    "Năm sinh: 1988        Dân tộc: Kinh        Quốc tịch: Việt Nam",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật,",
    "được sự thỏa thuận nhất trí của các bên liên quan theo quy định pháp luật.",
    "Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.",
    "Đề nghị cấp bản sao trích lục khai sinh: có, số lượng: 02 bản",
    "Làm tại: phường Ba Đình, ngày 02 tháng 7 năm 2025",
    "Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)",
    "Nguyễn Thị Minh Anh",
)


def gray(image: np.ndarray) -> np.ndarray:
    return image if image.ndim == 2 else np.asarray(PILImage.fromarray(image).convert("L"), dtype=np.uint8)


def receipt() -> np.ndarray:
    page = render_text_page(RECEIPT_LINES, dpi=DPI, font_path="/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
                            font_pt=12, margin_mm=22)
    canvas = PILImage.fromarray(gray(page.image))
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2, box_size=1)
    code.add_data(DOSSIER_CODE)
    code.make(fit=True)
    qr = code.make_image(fill_color="black", back_color="white").convert("L")
    size = round(28 / 25.4 * DPI)
    canvas.paste(qr.resize((size, size), PILImage.Resampling.NEAREST), (canvas.width - size - 260, 240))
    return np.asarray(canvas, dtype=np.uint8)


def separator(doc_type: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = make_separator_sheet(Path(tmp) / "sep.pdf", doc_type)
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        bitmap = pdf[0].render(scale=DPI / 72, grayscale=True)
        image = np.asarray(bitmap.to_pil().convert("L"), dtype=np.uint8)
        pdf.close()
    return image


def card_page(side: str) -> np.ndarray:
    card = render_card(APPLICANT, style="2021", side=side, dpi=DPI, seed=7)
    return flatbed_page([Placement(card, 20, 20)], dpi=DPI, gray=True)


def form(lines: tuple[str, ...]) -> np.ndarray:
    return gray(render_text_page(lines, dpi=DPI, font_pt=13).image)


def main() -> int:
    pages = {
        "01-phieu-tiep-nhan": receipt(),
        "02-to-phan-tach-to-khai": separator("to-khai"),
        "03-to-khai-trang-1": form(FORM_PAGE_1),
        "04-to-khai-trang-2": form(FORM_PAGE_2),
        "05-to-phan-tach-cccd": separator("cccd"),
        "06-cccd-mat-truoc": card_page("front"),
        "07-cccd-mat-sau": card_page("back"),
    }
    for old in HERE.glob("*.png"):
        old.unlink()
    for name, image in pages.items():
        path = HERE / f"{name}.png"
        PILImage.fromarray(image, "L").save(path, optimize=True, dpi=(DPI, DPI))
        subprocess.run(["pngquant", "--force", "--skip-if-larger", "--quality", "80-100", "--speed", "1",
                        "--ext", ".png", "16", str(path)], check=False)
        print(f"{path.relative_to(ROOT)}: {image.shape[1]}x{image.shape[0]}, {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
