"""PDF/A-2b documents from page images: encoding, invisible OCR text layer, metadata and a built-in check.

Plain library code: no Qt imports. The public entry points are :func:`build_pdfa`, :func:`build_pdfa_bytes`
and :func:`check_pdfa`.
"""

from __future__ import annotations

from station.pdfa.builder import build_pdfa, build_pdfa_bytes
from station.pdfa.check import check_pdfa
from station.pdfa.errors import (
    IccProfileMissingError,
    InvalidPageError,
    PdfaCheckFailedError,
    PdfaError,
    PdfaWriteError,
)
from station.pdfa.models import (
    BuildReport,
    BuildSettings,
    CheckFailure,
    CheckReport,
    DocumentInfo,
    Encoding,
    EncodingMode,
    PageReport,
    PdfPage,
)

__all__ = [
    "BuildReport",
    "BuildSettings",
    "CheckFailure",
    "CheckReport",
    "DocumentInfo",
    "Encoding",
    "EncodingMode",
    "IccProfileMissingError",
    "InvalidPageError",
    "PageReport",
    "PdfPage",
    "PdfaCheckFailedError",
    "PdfaError",
    "PdfaWriteError",
    "build_pdfa",
    "build_pdfa_bytes",
    "check_pdfa",
]
