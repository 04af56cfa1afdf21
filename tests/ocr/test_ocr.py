"""OCR with the real Tesseract: generated Vietnamese pages with exact ground truth, and a real scan."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from ocr.errors import InvalidImageError, OcrEngineError, OcrTimeoutError
from ocr.models import OcrResult
from ocr.tesseract import OcrConfig, OcrEngine, engine_for, recognize, recognize_cli
from ocr.text import nfc, page_text
from tests.pagegen import (
    FONT_SANS,
    VIETNAMESE_LINES,
    TextPage,
    add_noise,
    blank_page,
    blur,
    character_error_rate,
    render_text_page,
)

MAX_CER = 0.02


@pytest.fixture(scope="module")
def page() -> TextPage:
    return render_text_page()


@pytest.fixture(scope="module")
def result(page: TextPage) -> OcrResult:
    return recognize(page.image, page.dpi)


def iou(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    return inter / (a[2] * a[3] + b[2] * b[3] - inter)


def test_vietnamese_page_text(page: TextPage, result: OcrResult) -> None:
    assert character_error_rate(page.text, result.text) < MAX_CER
    assert result.lang == "vie+eng"
    assert (result.width, result.height) == (page.image.shape[1], page.image.shape[0])
    assert result.text == unicodedata.normalize("NFC", result.text)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in result.text
    assert 80 < result.mean_confidence <= 100


def test_lines_and_paragraphs(page: TextPage, result: OcrResult) -> None:
    # Each generated line is spaced as its own paragraph; the text keeps one line of output per line.
    out_lines = [line for line in result.text.split("\n") if line.strip()]
    assert len(out_lines) == len(page.text.split("\n"))
    assert len({w.line for w in result.words}) == len(out_lines)
    lines = [w.line for w in result.words]
    assert lines == sorted(lines) and lines[0] == 1
    assert all(w.block >= 1 for w in result.words)


def test_word_boxes_match_ground_truth(page: TextPage, result: OcrResult) -> None:
    assert len(result.words) == len(page.words)
    truth = {w.text: w.bbox for w in page.words}
    matched = [iou(w.bbox, truth[w.text]) for w in result.words if w.text in truth]
    assert len(matched) > 0.9 * len(page.words)
    assert np.median(matched) > 0.85
    assert all(0 <= w.confidence <= 100 for w in result.words)


def test_boxes_are_in_input_pixels(page: TextPage, result: OcrResult) -> None:
    """Shifted content: every box moves by the same offset (no scaling or cropping inside)."""
    dx, dy = 150, 90
    shifted = np.full_like(page.image, 255)
    shifted[dy:, dx:] = page.image[:-dy, :-dx]
    moved = recognize(shifted, page.dpi)
    first = {(w.text, w.line): w.bbox for w in result.words}
    pairs = [(first[(w.text, w.line)], w.bbox) for w in moved.words if (w.text, w.line) in first]
    assert len(pairs) > 0.8 * len(result.words)
    offsets = np.array([(b[0] - a[0], b[1] - a[1]) for a, b in pairs])
    assert np.median(offsets[:, 0]) == pytest.approx(dx, abs=2)
    assert np.median(offsets[:, 1]) == pytest.approx(dy, abs=2)


def test_colour_sans_page_scanned(tmp_path: Path) -> None:
    page = render_text_page(VIETNAMESE_LINES[:12], font_path=FONT_SANS, font_pt=11, color=True)
    scanned = add_noise(blur(page.image, 0.8), 5.0)
    out = recognize(scanned, page.dpi)
    assert character_error_rate(page.text, out.text) < MAX_CER


def top_of(page: TextPage, lines: int) -> tuple[np.ndarray, str]:
    """The page's first `lines` text lines (cut halfway to the next line) and their ground truth."""
    inside = [w for w in page.words if w.line < lines]
    bottom = max(w.bbox[1] + w.bbox[3] for w in inside)
    top_next = min(w.bbox[1] for w in page.words if w.line == lines)
    text = "\n".join(page.text.split("\n")[:lines])
    return page.image[: (bottom + top_next) // 2], text


def test_unknown_dpi_is_tolerated(page: TextPage) -> None:
    crop, truth = top_of(page, 10)
    out = recognize(crop, None)
    assert character_error_rate(truth, out.text) < MAX_CER


def test_blank_page() -> None:
    out = recognize(blank_page(), 300)
    assert out.text == "" and out.words == () and out.mean_confidence == 0.0


def test_cli_engine_agrees(page: TextPage) -> None:
    crop, truth = top_of(page, 10)
    cli = recognize_cli(crop, page.dpi, OcrConfig(engine="cli"))
    api = recognize(crop, page.dpi)
    assert character_error_rate(truth, cli.text) < MAX_CER
    assert len(cli.words) == len(api.words)
    assert cli.words[0].bbox == pytest.approx(api.words[0].bbox, abs=3)


def test_english_scan_linn(corpora: Path) -> None:
    with PILImage.open(corpora / "ocrmypdf" / "linn.png") as img:
        image = np.asarray(img.convert("L"), dtype=np.uint8)
    reference = (corpora / "ocrmypdf" / "linn.txt").read_text(encoding="utf-8")
    out = recognize(image, 300, lang="eng")
    assert out.lang == "eng"
    assert character_error_rate(reference, out.text) < 0.03


def test_one_engine_per_thread(page: TextPage) -> None:
    crop = page.image[:700]
    engines: dict[str, OcrEngine] = {}
    texts: dict[str, str] = {}

    def work(name: str) -> None:
        engines[name] = engine_for()
        texts[name] = recognize(crop, 300).text

    threads = [threading.Thread(target=work, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert engines["a"] is not engines["b"]
    assert engine_for() is engine_for()
    assert texts["a"] == texts["b"]
    assert VIETNAMESE_LINES[0] in texts["a"]


def test_missing_language() -> None:
    with pytest.raises(OcrEngineError) as info:
        recognize(blank_page(size_mm=(50, 50)), 300, lang="xyz")
    assert "xyz" in str(info.value)
    assert "tesseract" in info.value.user_message.lower()


def test_bad_tessdata(tmp_path: Path) -> None:
    with pytest.raises(OcrEngineError):
        OcrEngine(OcrConfig(tessdata=str(tmp_path)))


def test_timeout_is_typed(page: TextPage) -> None:
    with pytest.raises(OcrTimeoutError) as info:
        recognize(page.image, page.dpi, config=OcrConfig(timeout_s=0.01))
    assert info.value.user_message
    # the engine stays usable after a timeout
    assert VIETNAMESE_LINES[0] in recognize(page.image[:400], page.dpi, config=OcrConfig(timeout_s=0.01 + 30)).text


@pytest.mark.parametrize(
    "bad",
    [np.zeros((100, 100), dtype=np.float64), np.zeros((100, 100, 4), dtype=np.uint8), np.zeros((2, 100), np.uint8)],
)
def test_invalid_image(bad: np.ndarray) -> None:
    with pytest.raises(InvalidImageError):
        recognize(bad, 300)


def test_unknown_engine() -> None:
    with pytest.raises(OcrEngineError):
        recognize(blank_page(size_mm=(50, 50)), 300, config=OcrConfig(engine="abbyy"))


def test_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Hòa Bình\u00a0Đặng\u200b")
    assert nfc(decomposed) == "Hòa Bình Đặng"


def test_page_text_layout() -> None:
    from ocr.models import OcrWord

    def w(text: str, line: int) -> OcrWord:
        return OcrWord(text, (0, 0, 1, 1), 90.0, 1, line)

    words = [(w("a", 1), True), (w("b", 1), False), (w("c", 2), False), (w("d", 3), True)]
    assert page_text(words) == "a b\nc\n\nd"
    assert page_text([]) == ""
