"""The typed page record (PageEntry): `Journal.record(entry, image)` is the journal's page API, and the
keyword form `record_page(...)` the existing callers use stores exactly the same row."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from ocr.models import CardSide, CardStyle, CitizenId
from station.journal import Journal, PageEntry
from tests.journal_fixtures import VN, page_image

CARD = CitizenId(side=CardSide.FRONT, card_style=CardStyle.CCCD_2021, id_number="001190012345",
                 full_name="Nguyễn Văn Ánh", address="Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội", sources=("qr",))
AT = datetime(2025, 7, 2, 9, 30, tzinfo=VN)


def _row(path: Path, page_id: str) -> dict[str, object]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    row = dict(conn.execute("SELECT * FROM pages WHERE page_id = ?", (page_id,)).fetchone())
    conn.close()
    return row


def test_the_typed_record_and_the_keyword_form_store_the_same_row(tmp_path: Path) -> None:
    key = b"k" * 32
    fields: dict[str, Any] = dict(station_id="quầy-01", operator_id="Trần Thị Bích", quality_score=58,
                  quality_issues=("blur", "skewed", "blur"), quality_metrics={"sharpness": 12.34567},
                  profile="Hồ sơ thông thường", source="/scans/Nguyễn Văn Ánh - CCCD.png", page_index=2,
                  dossier_code="000.00.01.H22-250702-0101", procedure_code="1.000656", doc_type="Giấy tờ đất đai",
                  rotation=90, skew_deg=1.23456, dpi=300, width=2480, height=3508, barcodes=1, ocr_chars=812,
                  ocr_confidence=88.456, at=AT)
    with Journal(tmp_path / "a.sqlite3", key=key) as typed, Journal(tmp_path / "b.sqlite3", key=key) as keywords:
        entry = PageEntry(**fields, page_id="p-1", **PageEntry.card_fields([CARD]))
        assert typed.record(entry, page_image(1)) == "p-1"
        assert keywords.record_page(**fields, page_id="p-1", cards=[CARD], image=page_image(1)) == "p-1"
    a, b = _row(tmp_path / "a.sqlite3", "p-1"), _row(tmp_path / "b.sqlite3", "p-1")
    assert {k: v for k, v in a.items() if k != "preview_path"} == {k: v for k, v in b.items() if k != "preview_path"}
    assert a["quality_issues"] == '["blur", "skewed"]' and a["source"] == "tệp .png"
    assert a["preview_kind"] == "pixelated" and a["cccd_masked"] == '["001*******45"]'


def test_a_page_entry_never_shows_a_card_number_in_its_repr() -> None:
    entry = PageEntry(station_id="quầy-01", operator_id="Nguyễn Văn Ánh", quality_score=90,
                      **PageEntry.card_fields([CARD]))
    assert entry.card_numbers == ("001190012345",) and entry.has_card
    assert "001190012345" not in repr(entry) and "Hàng Bạc" not in repr(entry)
    assert PageEntry(station_id="s", operator_id="o", quality_score=1, doc_type="cccd").has_card
    assert not PageEntry(station_id="s", operator_id="o", quality_score=1, doc_type="Giấy tờ đất đai").has_card
