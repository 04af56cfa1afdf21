"""Text normalisation for recognised Vietnamese: NFC, and the page text rebuilt from words."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from ocr.models import OcrWord

# Characters Tesseract's models emit that a Vietnamese text layer should not carry.
_REPLACEMENTS = str.maketrans({"\u00a0": " ", "\u200b": None, "\ufeff": None, "\u00ad": None})


def nfc(text: str) -> str:
    """NFC with stray invisible characters removed: "Hòa" typed or recognised as o + combining grave -> "ò"."""
    return unicodedata.normalize("NFC", text.translate(_REPLACEMENTS))


def page_text(words: Iterable[tuple[OcrWord, bool]]) -> str:
    """Lines joined by "\\n", paragraphs by a blank line.

    `words` are in reading order, each with a flag saying whether a new paragraph starts at it.
    """
    paragraphs: list[list[str]] = []
    lines: list[str] = []
    current: list[str] = []
    last_line: int | None = None
    for word, new_paragraph in words:
        if new_paragraph and (current or lines):
            if current:
                lines.append(" ".join(current))
            paragraphs.append(lines)
            lines, current = [], []
        elif last_line is not None and word.line != last_line and current:
            lines.append(" ".join(current))
            current = []
        current.append(word.text)
        last_line = word.line
    if current:
        lines.append(" ".join(current))
    if lines:
        paragraphs.append(lines)
    return "\n\n".join("\n".join(p) for p in paragraphs if p)
