"""The station journal (real SQLite in tmp): recording pages, dossiers, uploads, reviews, rescan requests."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.journal import Journal
from station.journal.models import PageFilter
from station.journal.store import InvalidReviewError, UnknownPageError
from station.pipeline import PageAnalysis
from tests.journal_fixtures import VN, make_journal, page_image


def test_database_is_wal_and_rows_survive_reopening(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    journal.close()
    db = sqlite3.connect(tmp_path / "journal.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    again = Journal(tmp_path / "journal.sqlite3")
    assert len(again.pages()) == sum(len(v) for v in ids.values()) == 16
    assert len(again.dossiers()) == 5


def test_page_row_keeps_metrics_flags_and_local_date(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    row = journal.page(ids["000.00.01.H22-250703-0103"][0])
    assert row.station_id == "quay-01" and row.operator_id == "hung.pv"
    assert row.quality_score == 33 and row.quality_issues == ("too_dark", "low_contrast")
    assert row.flagged and row.flags == ("too_dark", "low_contrast")
    assert row.quality_metrics["sharpness"] == pytest.approx(102.3)
    assert row.captured_at == "2025-07-03T14:00:00+07:00" and row.local_date == "2025-07-03"
    assert row.procedure_code == "2.000908" and row.doc_type == "ban-chinh"
    assert row.review_state == "pending"


def test_filters(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    assert len(journal.pages(PageFilter(station_id="quay-02"))) == 7
    assert len(journal.pages(PageFilter(operator_id="lan.nt"))) == 7
    assert len(journal.pages(PageFilter(date_from="2025-07-03", date_to="2025-07-03"))) == 5
    assert len(journal.pages(PageFilter(flag="blur"))) == 2
    assert len(journal.pages(PageFilter(flag="*"))) == 5
    assert len(journal.pages(PageFilter(procedure_code="1.000656"))) == 8
    assert len(journal.dossiers(PageFilter(date_to="2025-07-02"))) == 3


def test_record_analysis_from_the_pipeline_writes_a_reduced_preview(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "j.sqlite3", preview_long_side=1000)
    image = page_image(7, 2480, 3508)
    analysis = PageAnalysis(source="/scans/batch/p1.png", index=3, width=2480, height=3508, dpi=300, clean=None,
                            rotation_applied=90, skew_deg=1.5, blank=False, quality_score=64,
                            quality_issues=("blur",), quality_metrics={"sharpness": 12.5})
    page_id = journal.record_analysis(analysis, station_id="s", operator_id="o", image=image,
                                      at=datetime(2025, 7, 2, 9, 30, tzinfo=VN))
    row = journal.page(page_id)
    assert row.source == "tệp .png" and row.page_index == 3 and row.rotation == 90 and row.flags == ("blur",)
    assert row.preview_kind == "full" and row.preview_path
    jpeg = journal.preview_bytes(page_id)
    assert jpeg is not None
    decoded = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_UNCHANGED)
    assert decoded is not None
    assert max(decoded.shape[:2]) == 1000 and decoded.shape[0] > decoded.shape[1]


def test_rejection_opens_a_rescan_request_for_the_pages_station(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    page_id = ids["000.00.01.H22-250702-0201"][1]
    review = journal.record_review(page_id, "reject", reason="cắt mất nội dung", note="mất lề phải",
                                   reviewer="truong.nv")
    assert journal.page(page_id).review_state == "rejected"
    assert journal.pending_rescan_requests("quay-01") == []
    (req,) = journal.pending_rescan_requests("quay-02")
    assert (req.page_id, req.reason, req.note, req.dossier_code, req.doc_type, req.page_index) == (
        page_id, "cắt mất nội dung", "mất lề phải", "000.00.01.H22-250702-0201", "giay-chung-sinh", 2)
    assert req.review_id == review.review_id and req.operator_id == "mai.lt"
    # a replayed review (same id) changes nothing
    journal.record_review(page_id, "reject", reason="mờ", reviewer="x", review_id=review.review_id)
    assert len(journal.pending_rescan_requests("quay-02")) == 1
    journal.resolve_rescan_request(req.request_id, new_page_id="new")
    assert journal.pending_rescan_requests("quay-02") == []
    assert journal.rescan_requests(status="done")[0].resolved_page_id == "new"


def test_approval_withdraws_an_open_request(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    page_id = ids["000.00.01.H22-250702-0101"][1]
    journal.record_review(page_id, "reject", reason="mờ", reviewer="a")
    journal.record_review(page_id, "approve", reviewer="b", reason="mờ")
    assert journal.pending_rescan_requests("quay-01") == []
    row = journal.page(page_id)
    assert row.review_state == "approved" and row.review_reason is None
    assert [r.decision for r in journal.reviews(page_id)] == ["reject", "approve"]


def test_rejection_needs_a_reason_from_the_list_and_a_known_page(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    with pytest.raises(InvalidReviewError):
        journal.record_review(ids["000.00.01.H22-250702-0101"][0], "reject", reason="không thích", reviewer="a")
    with pytest.raises(InvalidReviewError):
        journal.record_review(ids["000.00.01.H22-250702-0101"][0], "reject", reviewer="a")
    with pytest.raises(UnknownPageError):
        journal.record_review("nope", "approve", reviewer="a")
    assert journal.reviews() == []


def test_uploads_keep_the_first_confirmation(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    uploads = {u.attachment_id: u for u in journal.uploads()}
    first = uploads["0101-to-khai"]
    assert first.state == "sent"
    assert first.confirmed_ts == datetime(2025, 7, 2, 8, 20, tzinfo=VN).timestamp()
    journal.record_upload(attachment_id="0101-to-khai", dossier_code=first.dossier_code, doc_type="to-khai",
                          state="sent", station_id="quay-01", operator_id="lan.nt",
                          at=datetime(2025, 7, 2, 11, 0, tzinfo=VN))
    assert {u.attachment_id: u for u in journal.uploads()}["0101-to-khai"].confirmed_ts == first.confirmed_ts


def test_unsynced_rows_are_reported_once_per_change(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    rows = journal.unsynced("pages", limit=100)
    assert len(rows) == 16
    journal.mark_synced("pages", {r["page_id"]: r["rev"] for r in rows})
    assert journal.unsynced("pages") == []
    journal.record_review(ids["000.00.01.H22-250702-0101"][0], "approve", reviewer="a")
    assert [r["page_id"] for r in journal.unsynced("pages")] == [ids["000.00.01.H22-250702-0101"][0]]
    assert len(journal.unsynced("reviews")) == 1


def test_record_queue_item_follows_the_real_outbox(tmp_path: Path) -> None:
    from uploader.models import Attachment, QueueItem, UploadJob
    from uploader.outbox import Outbox

    journal = Journal(tmp_path / "journal.sqlite3")
    outbox = Outbox(tmp_path / "outbox.sqlite3")
    job = UploadJob(dossier_code="000.00.01.H22-250702-0013", slot="01-to-khai", doc_type="to-khai",
                    file_path=tmp_path / "01-to-khai.pdf", sha256="a" * 64, bytes=1234, pages=2,
                    station_id="quay-01", operator_id="lan.nt")
    item_id, _ = outbox.enqueue(job)
    journal.record_queue_item(outbox.get(item_id))
    (row,) = journal.uploads()
    assert (row.state, row.confirmed_ts, row.pages, row.bytes) == ("queued", None, 2, 1234)
    claimed = outbox.claim()
    assert isinstance(claimed, QueueItem)
    outbox.mark_sent(item_id, Attachment(id=job.attachment_id, doc_type="to-khai", sha256="a" * 64, bytes=1234,
                                         pages=2, received_at="2025-07-02T01:20:00Z"))
    sent = outbox.get(item_id)
    journal.record_queue_item(sent)
    (row,) = journal.uploads()
    assert row.state == "sent" and row.attachment_id == job.attachment_id
    assert row.confirmed_ts == pytest.approx(sent.sent_at)
    outbox.close()
