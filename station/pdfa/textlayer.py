"""The invisible OCR text layer: a glyphless CID font and the text operators that place words on the page.

The font follows Tesseract's / OCRmyPDF's "GlyphLessFont" idea: a Type0 font whose CIDs are the Unicode code
points (Identity-H, two bytes per character), every CID drawn by one glyph of width 500/1000 em, and a
ToUnicode CMap that maps each CID back to the same code point. Words are stretched with Tz to their boxes and
drawn in text render mode 3 (invisible), so selection and search land on the scanned words.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ocr.models import OcrResult, OcrWord

FONT_NAME = "GlyphLessFont"
CHAR_WIDTH = 500  # glyph advance in 1/1000 em (font units: unitsPerEm = 1000)
ASCENT = 1000
DESCENT = 0
_MIN_TZ = 1.0


@lru_cache(maxsize=1)
def glyphless_font_program() -> bytes:
    """A TrueType program with .notdef and one box glyph, both 500 units wide. Built deterministically."""
    from fontTools.fontBuilder import FontBuilder  # type: ignore[import-untyped]
    from fontTools.pens.ttGlyphPen import TTGlyphPen  # type: ignore[import-untyped]

    builder = FontBuilder(unitsPerEm=1000, isTTF=True)
    builder.font.recalcTimestamp = False
    glyph_order = [".notdef", "cell"]
    builder.setupGlyphOrder(glyph_order)
    builder.setupCharacterMap({0x20: "cell"})
    # The one glyph is a box filling its cell (never visible: text render mode 3). A box rather than an empty
    # glyph gives viewers a real glyph extent, so tight character boxes (pdfium) cover the word's line.
    pen = TTGlyphPen(None)
    pen.moveTo((0, DESCENT))
    pen.lineTo((0, ASCENT))
    pen.lineTo((CHAR_WIDTH, ASCENT))
    pen.lineTo((CHAR_WIDTH, DESCENT))
    pen.closePath()
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "cell": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (CHAR_WIDTH, 0), "cell": (CHAR_WIDTH, 0)})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=0)
    builder.setupPost()
    builder.setupHead(unitsPerEm=1000, created=0, modified=0)
    out = io.BytesIO()
    builder.font.save(out)
    return out.getvalue()


@lru_cache(maxsize=1)
def cid_to_gid_map() -> bytes:
    """Every CID 1..65535 -> glyph 1; CID 0 -> .notdef (never used: code point 0 is never drawn)."""
    return b"\x00\x00" + b"\x00\x01" * 0xFFFF


@lru_cache(maxsize=1)
def to_unicode_cmap() -> bytes:
    """Identity CID -> Unicode for the BMP, surrogates excluded, in bfrange blocks of at most 100 entries."""
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF]
    blocks: list[str] = []
    for start in range(0, len(ranges), 100):
        chunk = ranges[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    return (
        "/CIDInit /ProcSet findresource begin\n"
        "12 dict begin\n"
        "begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n"
        "/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\n"
        "CMapName currentdict /CMap defineresource pop\n"
        "end\nend\n"
    ).encode("ascii")


def encodable(text: str) -> str:
    """NFC, only BMP characters that are neither controls nor surrogates (CID 0 / .notdef never drawn)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        code = ord(ch)
        if code > 0xFFFF or 0xD800 <= code <= 0xDFFF or unicodedata.category(ch) in ("Cc", "Cs"):
            continue
        out.append(ch)
    return "".join(out)


def _hex(text: str) -> str:
    return "<" + "".join(f"{ord(ch):04X}" for ch in text) + ">"


def fmt_num(value: float) -> str:
    """Fixed 3-decimal formatting: deterministic and compact."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class _Line:
    words: tuple[OcrWord, ...]


def group_lines(words: Sequence[OcrWord]) -> list[_Line]:
    """Lines in the order OCR first met them (reading order); words in a line left to right."""
    order: dict[tuple[int, int], list[OcrWord]] = {}
    for word in words:
        if encodable(word.text).strip() == "" or word.bbox[2] <= 0 or word.bbox[3] <= 0:
            continue
        order.setdefault((word.block, word.line), []).append(word)
    return [_Line(tuple(sorted(ws, key=lambda w: w.bbox[0]))) for ws in order.values()]


def text_operators(ocr: OcrResult, page_width_pt: float, page_height_pt: float, font_resource: str) -> bytes:
    """The content-stream operators of the invisible text of one page ("" when there are no words)."""
    if ocr.width <= 0 or ocr.height <= 0:
        return b""
    sx = page_width_pt / ocr.width
    sy = page_height_pt / ocr.height
    lines = group_lines(ocr.words)
    if not lines:
        return b""
    ops: list[str] = ["BT", "3 Tr"]
    for line in lines:
        top = min(w.bbox[1] for w in line.words)
        bottom = max(w.bbox[1] + w.bbox[3] for w in line.words)
        size = max((bottom - top) * sy, 1.0)
        baseline = page_height_pt - bottom * sy
        ops.append(f"/{font_resource} {fmt_num(size)} Tf")
        for index, word in enumerate(line.words):
            text = encodable(word.text).strip()
            x, _, w, _ = word.bbox
            natural = len(text) * CHAR_WIDTH / 1000 * size
            tz = max(_MIN_TZ, 100.0 * w * sx / natural)
            ops.append(f"{fmt_num(tz)} Tz 1 0 0 1 {fmt_num(x * sx)} {fmt_num(baseline)} Tm {_hex(text)} Tj")
            if index + 1 < len(line.words):
                gap = (line.words[index + 1].bbox[0] - (x + w)) * sx
                space_tz = max(_MIN_TZ, 100.0 * gap / (CHAR_WIDTH / 1000 * size))
                ops.append(f"{fmt_num(space_tz)} Tz <0020> Tj")
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")


def words_of(ocr: OcrResult | None) -> int:
    return 0 if ocr is None else sum(len(line.words) for line in group_lines(ocr.words))


def all_text(results: Iterable[OcrResult | None]) -> str:
    return "\n".join(r.text for r in results if r is not None)
