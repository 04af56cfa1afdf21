"""OCR character error rate on clean 300 dpi Vietnamese pages, turned and skewed ones included, and where the
errors come from.

Run: ``.venv/bin/python -m tests.benchmarks.bench_ocr_cer [--pages N] [--settings]``

Inputs, kept apart in the output:
- generated: A4 pages rendered here from sentences that no other test or benchmark uses (invented
  administrative prose), in serif and sans fonts at 10-12 pt, upright, turned 90/180/270° and skewed
  ±2-6°; each goes through the station's own cleanup (``scanning.cleanup.clean_page``) and page OCR
  (``ocr.tesseract.recognize``), exactly as ``station inspect`` does;
- real: ``../shared/corpora/ocrmypdf/linn.png`` (a scanned English page with its transcription, the only
  real page with a reference in the corpora).

Errors are classified on the aligned characters: a Vietnamese diacritic lost or wrong on the right base
letter, letter case, punctuation, digits, spaces (word splits/joins), other letters. With ``--settings``,
the same upright pages are read again with other Tesseract settings (language models and their order,
dictionaries, page segmentation, resolution given to Tesseract, binarisation) to say which one matters.

Prints figures, asserts nothing, never prints recognised text beyond single characters.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before anything loads Tesseract

import cv2
import numpy as np
from PIL import Image as PILImage

from ocr.tesseract import open_api, recognize
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import clean_page
from scanning.models import Page
from tests import pagegen
from tests.paths import CORPORA

# Invented prose for this benchmark only (the OCR tests and bench_recognition use pagegen.VIETNAMESE_LINES).
FRESH_LINES: tuple[str, ...] = (
    "THÔNG BÁO VỀ VIỆC TIẾP NHẬN HỒ SƠ ĐĂNG KÝ KẾT HÔN",
    "Căn cứ Luật Hộ tịch và các văn bản hướng dẫn thi hành hiện hành;",
    "Ủy ban nhân dân xã Quỳnh Lưu đã nhận đủ giấy tờ của ông Phùng Quốc Huy.",
    "Bà Nguyễn Thị Thùy Dương, sinh năm 1992, quê quán tỉnh Nghệ An, đề nghị",
    "được cấp bản sao trích lục khai sinh cho con là cháu Phùng Gia Khiêm.",
    "Hồ sơ gồm: tờ khai theo mẫu, giấy xác nhận tình trạng hôn nhân, ảnh 4x6.",
    "Thời hạn giải quyết là năm ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Lệ phí đăng ký: mười lăm nghìn đồng; miễn cho hộ nghèo, người khuyết tật.",
    "Người được ủy quyền phải xuất trình giấy tờ tùy thân còn giá trị sử dụng.",
    "Địa chỉ nhận kết quả: Bộ phận một cửa, tầng 1, trụ sở Ủy ban nhân dân xã.",
    "Điện thoại liên hệ: 0238 3864 172; thư điện tử: motcua@quynhluu.gov.vn",
    "Trường hợp hồ sơ chưa đầy đủ, cán bộ hướng dẫn bổ sung một lần bằng văn bản.",
    "Việc chuyển đổi dữ liệu sang môi trường điện tử được thực hiện đồng bộ.",
    "Xin trân trọng cảm ơn sự hợp tác của quý ông, bà trong thời gian qua.",
    "Khoản 2 Điều 18 quy định rõ trách nhiệm của công chức tư pháp - hộ tịch.",
    "Ngày 09 tháng 11 năm 2025, tại thôn Đồng Xuân, xã Sơn Hải, tỉnh Nghệ An.",
    "Ông Lưu Văn Khải trình bày: gia đình đã sinh sống ổn định từ năm 1998.",
    "Diện tích đo đạc thực tế 142,7 m², chênh lệch 3,1 m² so với giấy chứng nhận.",
    "Kết luận: đủ điều kiện cấp đổi; chuyển văn phòng đăng ký đất đai xử lý tiếp.",
    "Ý kiến khác (nếu có): không; người viết đơn ký, ghi rõ họ và tên dưới đây.",
)


@dataclass(frozen=True)
class Case:
    label: str
    group: str  # "upright", "turned", "skewed"
    page: pagegen.TextPage
    image: np.ndarray  # what the scanner delivered (turned / skewed)


def generated_cases(count: int) -> list[Case]:
    fonts = [(pagegen.FONT_SERIF, 12.0), (pagegen.FONT_SANS, 11.0), (pagegen.FONT_SERIF, 10.0),
             (pagegen.FONT_SANS, 10.0)]
    pages: list[tuple[str, pagegen.TextPage]] = []
    for i, (font, pt) in enumerate(fonts[: max(1, count)]):
        lines = FRESH_LINES[i * 5 :] + FRESH_LINES[: i * 5]  # each page starts elsewhere in the prose
        name = f"{'serif' if 'Serif' in font else 'sans'} {pt:g}pt"
        pages.append((name, pagegen.render_text_page(lines, font_path=font, font_pt=pt)))
    cases: list[Case] = []
    for k, (name, page) in enumerate(pages):
        cases.append(Case(name, "upright", page, page.image))
        turn = (90, 180, 270)[k % 3]
        cases.append(Case(f"{name} turned {turn}", "turned", page, pagegen.turn(page.image, turn)))
        angle = (2.0, -3.5, 6.0, -5.0)[k % 4]
        cases.append(Case(f"{name} skewed {angle:+g}", "skewed", page, pagegen.skew(page.image, angle)))
    return cases


# ---------------------------------------------------------------- error classes


def _base(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)).replace(
        "đ", "d").replace("Đ", "D")


def _align(ref: str, hyp: str) -> list[tuple[str, str]]:
    """Levenshtein alignment as (reference char or "", hypothesis char or "") pairs, errors only."""
    n, m = len(ref), len(hyp)
    rows = [list(range(m + 1))]
    for i in range(1, n + 1):
        prev, row, rc = rows[-1], [i], ref[i - 1]
        for j in range(1, m + 1):
            row.append(min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (rc != hyp[j - 1])))
        rows.append(row)
    pairs: list[tuple[str, str]] = []
    i, j = n, m
    while i > 0 or j > 0:
        if i > 0 and j > 0 and rows[i][j] == rows[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            if ref[i - 1] != hyp[j - 1]:
                pairs.append((ref[i - 1], hyp[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and rows[i][j] == rows[i - 1][j] + 1:
            pairs.append((ref[i - 1], ""))
            i -= 1
        else:
            pairs.append(("", hyp[j - 1]))
            j -= 1
    return pairs[::-1]


def error_class(ref: str, hyp: str) -> str:
    chars = ref + hyp
    if ref and hyp and _base(ref).lower() == _base(hyp).lower() and ref.lower() != hyp.lower():
        return "diacritic"
    if ref and hyp and ref.lower() == hyp.lower():
        return "case"
    if chars.isspace():
        return "space"
    if all(unicodedata.category(c).startswith(("P", "S")) for c in chars):
        return "punctuation"
    if any(c.isdigit() for c in chars):
        return "digit"
    return "letter"


def _fold(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Tally:
    chars: int = 0
    errors: int = 0
    classes: Counter[str] | None = None
    pairs: Counter[tuple[str, str]] | None = None

    def add(self, reference: str, hypothesis: str) -> float:
        ref, hyp = _fold(reference), _fold(hypothesis)
        pairs = _align(ref, hyp)
        self.chars += len(ref)
        self.errors += len(pairs)
        self.classes = (self.classes or Counter()) + Counter(error_class(r, h) for r, h in pairs)
        self.pairs = (self.pairs or Counter()) + Counter(pairs)
        return len(pairs) / max(1, len(ref))

    @property
    def cer(self) -> float:
        return self.errors / max(1, self.chars)


# ---------------------------------------------------------------- station path


def station_ocr(image: np.ndarray, dpi: int) -> tuple[str, int, float]:
    """Cleanup then page OCR, as `station inspect` runs them: text, turn applied, skew found."""
    clean = clean_page(Page(image=image, dpi=dpi, source="bench", index=1), CleanupConfig())
    return recognize(clean.image, dpi).text, clean.rotation_applied, clean.skew_deg


def bench_station(cases: Sequence[Case]) -> None:
    print("\n== Generated pages (fresh prose), 300 dpi, station cleanup + page OCR (vie+eng, psm 3)")
    print(f"{'page':32s} {'turn':>4s} {'skew':>6s} {'CER %':>6s} {'s':>5s}")
    groups: dict[str, Tally] = {}
    total = Tally()
    for case in cases:
        t0 = time.perf_counter()
        text, turn, skew = station_ocr(case.image, case.page.dpi)
        seconds = time.perf_counter() - t0
        cer = groups.setdefault(case.group, Tally()).add(case.page.text, text)
        total.add(case.page.text, text)
        print(f"{case.label:32s} {turn:>4d} {skew:>6.2f} {cer * 100:>6.2f} {seconds:>5.1f}")
    for group, tally in groups.items():
        print(f"{'mean ' + group:32s} {'':>4s} {'':>6s} {tally.cer * 100:>6.2f}   ({tally.errors}/{tally.chars} chars)")
    print(f"{'all generated':32s} {'':>4s} {'':>6s} {total.cer * 100:>6.2f}   ({total.errors}/{total.chars} chars)")
    _explain(total)


def _explain(tally: Tally) -> None:
    classes = tally.classes or Counter()
    print("   error classes: " + ", ".join(f"{k} {v}" for k, v in classes.most_common()) if classes else
          "   no errors")
    pairs = tally.pairs or Counter()
    if pairs:
        print("   most frequent (reference -> read): " + ", ".join(
            f"{r or '∅'!r}->{h or '∅'!r} x{n}" for (r, h), n in pairs.most_common(12)))


def bench_real() -> None:
    linn = CORPORA / "ocrmypdf" / "linn.png"
    if not linn.exists():
        print("\n(../shared/corpora/ocrmypdf/linn.png missing: no real page measured)")
        return
    with PILImage.open(linn) as img:
        image = np.asarray(img.convert("L"), dtype=np.uint8)
        dpi = round(float(img.info.get("dpi", (300, 300))[0])) or 300
    reference = (CORPORA / "ocrmypdf" / "linn.txt").read_text(encoding="utf-8")
    print("\n== Real scan ../shared/corpora/ocrmypdf/linn.png (English; the only real page with a reference)")
    for lang in ("eng", "vie+eng"):
        clean = clean_page(Page(image=image, dpi=dpi, source="linn", index=1), CleanupConfig())
        tally = Tally()
        cer = tally.add(reference, recognize(clean.image, dpi, lang=lang).text)
        print(f"lang {lang:8s} CER {cer * 100:5.2f} % ({tally.errors}/{tally.chars} chars)")
        _explain(tally)


# ---------------------------------------------------------------- settings


Reader = Callable[[np.ndarray, int], str]


def _reader(lang: str, psm: int = 3, variables: dict[str, str] | None = None,
            prepare: Callable[[np.ndarray], np.ndarray] | None = None, dpi_factor: float = 1.0) -> Reader:
    api = open_api(lang, psm=psm, variables=variables)

    def read(image: np.ndarray, dpi: int) -> str:
        img = prepare(image) if prepare is not None else image
        if dpi_factor != 1.0:
            img = np.asarray(cv2.resize(img, None, fx=dpi_factor, fy=dpi_factor, interpolation=cv2.INTER_CUBIC),
                             np.uint8)
        pil = PILImage.fromarray(img)
        api.SetImage(pil)
        api.SetSourceResolution(round(dpi * dpi_factor))
        text = str(api.GetUTF8Text())
        api.Clear()
        return unicodedata.normalize("NFC", text)

    return read


def _otsu(image: np.ndarray) -> np.ndarray:
    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return np.asarray(cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[1], np.uint8)


def bench_settings(cases: Sequence[Case]) -> None:
    upright = [c for c in cases if c.group == "upright"]
    no_dict = {"load_system_dawg": "0", "load_freq_dawg": "0"}
    settings: dict[str, Reader] = {
        "vie+eng psm 3 (station)": _reader("vie+eng"),
        "vie alone": _reader("vie"),
        "eng+vie (order)": _reader("eng+vie"),
        "vie+eng no dictionaries": _reader("vie+eng", variables=no_dict),
        "vie+eng psm 4 (one column)": _reader("vie+eng", psm=4),
        "vie+eng psm 6 (one block)": _reader("vie+eng", psm=6),
        "vie+eng Otsu bilevel": _reader("vie+eng", prepare=_otsu),
        "vie+eng upscaled x1.33 (400 dpi)": _reader("vie+eng", dpi_factor=4 / 3),
        "vie+eng downscaled x0.67 (200 dpi)": _reader("vie+eng", dpi_factor=2 / 3),
    }
    print(f"\n== Settings on the {len(upright)} upright generated pages (no cleanup; CER %, seconds per page)")
    for name, read in settings.items():
        tally = Tally()
        seconds: list[float] = []
        for case in upright:
            t0 = time.perf_counter()
            tally.add(case.page.text, read(case.image, case.page.dpi))
            seconds.append(time.perf_counter() - t0)
        classes = tally.classes or Counter()
        print(f"{name:36s} CER {tally.cer * 100:5.2f}  {statistics.mean(seconds):5.2f} s   "
              + ", ".join(f"{k} {v}" for k, v in classes.most_common(4)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=4, help="generated pages (each also turned and skewed)")
    parser.add_argument("--settings", action="store_true", help="compare Tesseract settings on upright pages")
    args = parser.parse_args(argv)
    print(f"python {sys.version.split()[0]}, OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT')}")
    cases = generated_cases(args.pages)
    bench_station(cases)
    bench_real()
    if args.settings:
        bench_settings(cases)
    return 0


if __name__ == "__main__":
    sys.exit(main())
