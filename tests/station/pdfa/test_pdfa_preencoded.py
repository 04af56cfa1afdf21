"""Pages encoded elsewhere (in `station process` workers) build the very same file as raw pages."""

from __future__ import annotations

from datetime import datetime

import pytest

from station.pdfa.builder import build_pdfa_bytes
from station.pdfa.encode import PreEncodedPage, encode_page
from station.pdfa.errors import InvalidPageError
from station.pdfa.models import BuildSettings, DocumentInfo, PdfPage, image_sha256
from tests import pagegen

INFO = DocumentInfo(title="Đơn đề nghị", doc_type="don", station_id="st-1", operator="op-1",
                    captured_at=datetime(2025, 7, 2, 9, 30))


def test_pre_encoded_pages_give_byte_identical_pdf() -> None:
    settings = BuildSettings()
    pages = [pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:6], dpi=200).image,
             pagegen.render_text_page(pagegen.VIETNAMESE_LINES[6:12], dpi=200, color=True).image]
    raw = [PdfPage(image, 200) for image in pages]
    pre = [PreEncodedPage(encode_page(image, 200, settings)[0], image.shape[1], image.shape[0], 200,
                          sha256=image_sha256(image)) for image in pages]
    direct, _ = build_pdfa_bytes(raw, INFO, settings)
    assembled, report = build_pdfa_bytes(pre, INFO, settings)
    assert assembled == direct
    assert report.page_count == 2


def test_pre_encoded_page_without_source_hash_is_refused() -> None:
    image = pagegen.blank_page(dpi=100)
    page = PreEncodedPage(encode_page(image, 100, BuildSettings())[0], image.shape[1], image.shape[0], 100)
    with pytest.raises(InvalidPageError, match="SHA-256"):
        build_pdfa_bytes([page], INFO)
