"""The review rules are one implementation: the station's journal rows and the reference backend's stored rows
go through the same functions (uploader/review_rules.py, uploader/review_stats.py) and give the same answers."""

from __future__ import annotations

from pathlib import Path

from station.journal import Journal
from station.journal.models import PageRow
from tests.journal_fixtures import populate
from uploader.backend.review import ReportedPage
from uploader.review_rules import PageFilter, QueueReason, build_queue, filter_sql, page_flags
from uploader.review_stats import compute


def _reported(page: PageRow) -> ReportedPage:
    return ReportedPage.from_json({**page.to_json(), "review_state": page.review_state,
                                   "review_reason": page.review_reason})


def test_station_rows_and_backend_rows_give_the_same_queue_and_statistics(tmp_path: Path) -> None:
    with Journal(tmp_path / "journal.sqlite3") as journal:
        populate(journal, images=False)
        rejected = journal.pages(PageFilter(station_id="quay-02", flag="blur"))[0]
        journal.record_review(rejected.page_id, "reject", reviewer="Trần Thị Bích", reason="mờ",
                              note="Giấy tờ đất đai mờ")
        pages = journal.pages()
        dossiers, uploads = journal.dossiers(), journal.uploads()
    central = [_reported(p) for p in pages]
    for rate, seed in ((0.5, 7), (1.0, 0), (0.0, 3)):
        here = [(p.page_id, r) for p, r in build_queue(pages, sample_rate=rate, seed=seed, include_reviewed=True)]
        there = [(p.page_id, r) for p, r in build_queue(central, sample_rate=rate, seed=seed, include_reviewed=True)]
        assert here == there
    flagged = [p.quality_score for p, r in build_queue(central, sample_rate=0.0, seed=0) if r is QueueReason.FLAGGED]
    assert flagged == [33, 45, 58, 76]  # worst first; the rejected page (66, blur) has left the queue
    for flt in (PageFilter(flag="*"), PageFilter(flag="blur"),
                PageFilter(operator_id="mai.lt", date_from="2025-07-03")):
        assert [p.page_id for p in pages if flt.matches(p)] == [p.page_id for p in central if flt.matches(p)]
    here_stats = compute(pages, dossiers, uploads, reasons=("mờ", "nghiêng"))
    assert here_stats.total.rejected == 1 and here_stats.reasons[0].rejected == 1
    assert compute(central, dossiers, uploads, reasons=("mờ", "nghiêng")) == here_stats


def test_filters_become_sql_conditions_without_the_flag() -> None:
    flt = PageFilter(station_id="quầy-01", operator_id="Nguyễn Văn Ánh", date_from="2025-07-02", flag="blur",
                     procedure_code="1.000656", review_state="pending")
    assert filter_sql(flt) == (" AND station_id = ? AND operator_id = ? AND procedure_code = ? AND review_state = ?"
                               " AND local_date >= ?", ["quầy-01", "Nguyễn Văn Ánh", "1.000656", "pending",
                                                        "2025-07-02"])
    assert filter_sql(flt, review_state=False, procedure=False)[1] == ["quầy-01", "Nguyễn Văn Ánh", "2025-07-02"]
    assert page_flags(("blur",), True) == ("blur", "blank") and page_flags((), False) == ()
