"""The review queue over a real journal: flagged pages first, a reproducible sample of the rest, filters."""

from __future__ import annotations

from pathlib import Path

from station.journal.models import PageFilter
from station.review.queue import QueueReason, build_queue, in_sample, sample_key
from tests.journal_fixtures import make_journal

FLAGGED_SCORES = [33, 45, 58, 66, 76]  # every flagged page of the fixture, worst first


def test_flagged_pages_come_first_worst_first_then_the_sample_in_capture_order(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    queue = build_queue(journal.pages(), sample_rate=0.5, seed=7)
    reasons = [e.reason for e in queue]
    assert [e.page.quality_score for e in queue[:5]] == FLAGGED_SCORES
    assert reasons[:5] == [QueueReason.FLAGGED] * 5 and set(reasons[5:]) == {QueueReason.SAMPLE}
    sample = queue[5:]
    assert all(not e.page.flagged for e in sample)
    assert [e.page.captured_ts for e in sample] == sorted(e.page.captured_ts for e in sample)
    unflagged = [p for p in journal.pages() if not p.flagged]
    expected = [p.page_id for p in unflagged if sample_key(7, p.page_id) < 0.5]
    assert [e.page.page_id for e in sample] == expected


def test_sample_is_reproducible_and_its_size_follows_the_rate(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    pages = journal.pages()
    first = [e.page.page_id for e in build_queue(pages, sample_rate=0.3, seed=11)]
    again = [e.page.page_id for e in build_queue(list(reversed(pages)), sample_rate=0.3, seed=11)]
    assert first == again
    assert len(build_queue(pages, sample_rate=0.0, seed=11)) == 5  # flagged only
    assert len(build_queue(pages, sample_rate=1.0, seed=11)) == 16  # everything
    # over many ids the share drawn is close to the rate, and another seed draws other pages
    ids = [f"page-{n}" for n in range(4000)]
    drawn = [i for i in ids if in_sample(1, i, 0.1)]
    assert 320 < len(drawn) < 480
    assert drawn != [i for i in ids if in_sample(2, i, 0.1)]


def test_adding_pages_does_not_reshuffle_the_earlier_sample(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)
    before = {e.page.page_id for e in build_queue(journal.pages(), sample_rate=0.5, seed=3)}
    for _n in range(5):
        journal.record_page(station_id="quay-09", operator_id="x", quality_score=90)
    after = {e.page.page_id for e in build_queue(journal.pages(), sample_rate=0.5, seed=3)}
    assert before <= after


def test_reviewed_pages_leave_the_queue(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    worst = ids["000.00.01.H22-250703-0103"][0]
    journal.record_review(worst, "reject", reason="mờ", reviewer="sup")
    queue = build_queue(journal.pages(), sample_rate=0.0, seed=0)
    assert [e.page.quality_score for e in queue] == FLAGGED_SCORES[1:]
    with_reviewed = build_queue(journal.pages(), sample_rate=0.0, seed=0, include_reviewed=True)
    assert with_reviewed[0].page.page_id == worst


def test_queue_filters(tmp_path: Path) -> None:
    journal, _ = make_journal(tmp_path, images=False)

    def scores(**kw: str) -> list[int]:
        return [e.page.quality_score for e in build_queue(journal.pages(PageFilter(**kw)), sample_rate=0, seed=0)]

    assert scores(station_id="quay-02") == [58, 66]
    assert scores(operator_id="lan.nt") == [45, 76]
    assert scores(date_from="2025-07-03") == [33, 66]
    assert scores(flag="blur") == [45, 66]
    assert scores(procedure_code="1.000656") == [45, 58]
