"""Privacy: after recording pages with a CCCD, no clear-text id number or name is anywhere in the journal
database file bytes (main file and WAL), nor in the logs; card pages get only a pixelated preview."""

from __future__ import annotations

import logging
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.journal import Journal
from tests.journal_fixtures import CARD_NAME, CARD_NUMBER, make_journal, page_image


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and "journal" in p.name)


def test_no_clear_text_id_or_name_in_database_or_logs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    journal, ids = make_journal(tmp_path)
    card_pages = [journal.page(i) for v in ids.values() for i in v if journal.page(i).doc_type == "cccd"]
    assert len(card_pages) == 2 and all(p.cccd_read for p in card_pages)
    # what is kept: the masked number and a keyed hash, the same for both pages of the same card
    assert card_pages[0].cccd_masked == ("001*******45",)
    assert card_pages[0].cccd_hashes == card_pages[1].cccd_hashes and len(card_pages[0].cccd_hashes[0]) == 16
    journal.record_review(card_pages[0].page_id, "reject", reason="mờ", reviewer="sup")
    wal = tmp_path / "journal.sqlite3-wal"
    assert wal.exists() and wal.stat().st_size > 0  # the check below also covers the write-ahead log
    data = _all_bytes(tmp_path)
    journal.close()
    data += _all_bytes(tmp_path)
    for secret in (CARD_NUMBER, CARD_NAME, "Hàng Bạc"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert secret.encode(encoding) not in data, (secret, encoding)
    assert b"001*******45" in data  # the test really reads the rows
    logged = caplog.text + " ".join(str(r.args) for r in caplog.records)
    assert CARD_NUMBER not in logged and CARD_NAME not in logged
    assert any("recorded" in r.getMessage() for r in caplog.records)  # the journal does log (page ids)


def test_card_pages_get_only_a_pixelated_preview(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path)
    rows = [journal.page(i) for v in ids.values() for i in v]
    card = next(r for r in rows if r.doc_type == "cccd")
    other = next(r for r in rows if r.doc_type != "cccd")
    assert card.preview_kind == "pixelated" and other.preview_kind == "full"
    assert card.preview_path is not None and other.preview_path is not None

    def distinct_blocks(page_id: str) -> int:
        jpeg = journal.preview_bytes(page_id)
        assert jpeg is not None
        img = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_GRAYSCALE)
        assert img is not None
        # a mosaic of <= 32 cells on the long side: shrinking it to 32 px and back loses (almost) nothing
        h, w = img.shape
        small = cv2.resize(img, (max(1, w * 32 // h), 32), interpolation=cv2.INTER_AREA)
        back = cv2.resize(small, (w, h), interpolation=cv2.INTER_NEAREST)
        return int(np.mean(np.abs(img.astype(int) - back.astype(int))))

    assert distinct_blocks(card.page_id) < 6 <= distinct_blocks(other.page_id)


def test_a_page_filed_as_cccd_is_pixelated_even_when_no_card_was_read(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journal.sqlite3")
    page_id = journal.record_page(station_id="s", operator_id="o", quality_score=50, doc_type="cccd",
                                  image=page_image(3))
    row = journal.page(page_id)
    assert row.preview_kind == "pixelated" and not row.cccd_read
