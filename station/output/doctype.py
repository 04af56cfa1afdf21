"""The one document-type rule: what a document type typed or printed by a person becomes in file names, in
the manifest and at the backend.

The backend accepts a code (`uploader.models.DOC_TYPE_PATTERN`: lower-case ASCII, digits, `.`, `_`, `-`). A
valid code is kept as it is ("cccd", "to-khai"); anything else is a human name ("Giấy tờ đất đai") whose code
is its ASCII slug ("giay-to-dat-dai") and whose name is kept beside it as the title.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from uploader.models import DOC_TYPE_PATTERN

DEFAULT_DOC_TYPE = "tai-lieu"
MAX_CODE_LENGTH = 64
MAX_TITLE_LENGTH = 200
_CODE = re.compile(DOC_TYPE_PATTERN)


@dataclass(frozen=True)
class DocType:
    code: str  # what the backend and the file names get
    title: str | None = None  # the human name it came from, when that was not already the code


def slug(text: str) -> str:
    """A code made of free text: "Đơn đề nghị (bản chính)" -> "don-de-nghi-ban-chinh"; nothing left: the default."""
    folded = unicodedata.normalize("NFKD", text.replace("Đ", "D").replace("đ", "d"))
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    code = re.sub(r"[^a-z0-9._]+", "-", ascii_text.lower()).strip("-._")[:MAX_CODE_LENGTH].rstrip("-._")
    return code or DEFAULT_DOC_TYPE


def is_code(text: str) -> bool:
    return _CODE.fullmatch(text) is not None


def doc_type(name: str | None) -> DocType:
    """The document type of a name as a person gave it (separator sheet, counter); None or blank: the default.
    The title is one line of at most MAX_TITLE_LENGTH characters: a separator sheet's QR code can carry anything,
    and the manifest refuses control characters and titles longer than that."""
    text = unicodedata.normalize("NFC", name or "").strip()
    if not text:
        return DocType(DEFAULT_DOC_TYPE)
    if is_code(text):
        return DocType(text)
    return DocType(slug(text), _one_line(text))


def _one_line(text: str) -> str | None:
    """Line breaks and tabs as single spaces, other control characters dropped, at most MAX_TITLE_LENGTH."""
    line = "".join(c for c in " ".join(text.split()) if unicodedata.category(c)[0] != "C")
    return line[:MAX_TITLE_LENGTH].strip() or None
