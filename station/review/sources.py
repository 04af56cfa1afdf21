"""Where the review window gets its pages and sends its decisions: this station's journal (optionally
reporting to the backend), or the backend's central journal (a whole service center)."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

from station.journal.api import JournalApi
from station.journal.models import PageFilter, ReviewDecision
from station.journal.store import Journal
from station.journal.sync import JournalSync
from station.review import stats as stats_mod
from station.review.queue import QueueEntry, QueueReason, build_queue
from station.settings import REJECTION_REASONS
from uploader.errors import UploadError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DecisionOutcome:
    saved: bool  # recorded where the queue comes from
    reported: bool  # the backend has it too (always True for the backend source)
    message: str = ""  # why it was not reported (Vietnamese, for the status bar)


@dataclass(frozen=True)
class FilterChoices:
    stations: tuple[str, ...]
    operators: tuple[str, ...]
    procedures: tuple[str, ...]
    flags: tuple[str, ...]


class ReviewSource(Protocol):
    label: str
    reasons: tuple[str, ...]

    def queue(self, filters: PageFilter, *, sample_rate: float, seed: int,
              include_reviewed: bool = False) -> list[QueueEntry]: ...

    def decide(self, page_id: str, decision: ReviewDecision, *, reason: str | None, note: str,
               reviewer: str) -> DecisionOutcome: ...

    def preview(self, page_id: str) -> bytes | None: ...

    def stats(self, filters: PageFilter) -> stats_mod.Stats: ...

    def choices(self) -> FilterChoices: ...


def _choices(rows: list[tuple[str, str, str | None, tuple[str, ...]]]) -> FilterChoices:
    return FilterChoices(
        stations=tuple(sorted({r[0] for r in rows})),
        operators=tuple(sorted({r[1] for r in rows})),
        procedures=tuple(sorted({r[2] for r in rows if r[2]})),
        flags=tuple(sorted({f for r in rows for f in r[3]})),
    )


class JournalSource:
    """The station's own journal; decisions are reported to the backend at once when a sync is given
    (and later, by the next sync, when the backend cannot be reached)."""

    def __init__(self, journal: Journal, sync: JournalSync | None = None,
                 reasons: tuple[str, ...] = REJECTION_REASONS) -> None:
        self.journal = journal
        self.sync = sync
        self.reasons = reasons
        self.label = f"Nhật ký trên máy này: {journal.path}" + (
            f" (báo cáo về {sync.api.config.backend_url})" if sync else "")

    def queue(self, filters: PageFilter, *, sample_rate: float, seed: int,
              include_reviewed: bool = False) -> list[QueueEntry]:
        return build_queue(self.journal.pages(filters), sample_rate=sample_rate, seed=seed,
                           include_reviewed=include_reviewed)

    def decide(self, page_id: str, decision: ReviewDecision, *, reason: str | None, note: str,
               reviewer: str) -> DecisionOutcome:
        self.journal.record_review(page_id, decision, reason=reason, note=note, reviewer=reviewer)
        if self.sync is None:
            return DecisionOutcome(True, False)
        try:
            self.sync.push()
        except UploadError as err:
            log.warning("review: decision saved locally, not reported yet: %s", err)
            return DecisionOutcome(True, False, "Đã lưu trên máy này; chưa gửi được lên máy chủ, sẽ gửi lại sau.")
        return DecisionOutcome(True, True)

    def preview(self, page_id: str) -> bytes | None:
        return self.journal.preview_bytes(page_id)

    def stats(self, filters: PageFilter) -> stats_mod.Stats:
        pages = self.journal.pages(PageFilter(station_id=filters.station_id, operator_id=filters.operator_id,
                                              date_from=filters.date_from, date_to=filters.date_to,
                                              procedure_code=filters.procedure_code))
        return stats_mod.compute(pages, self.journal.dossiers(filters), self.journal.uploads(),
                                 reasons=self.reasons, date_from=filters.date_from, date_to=filters.date_to)

    def choices(self) -> FilterChoices:
        return _choices([(p.station_id, p.operator_id, p.procedure_code, p.flags) for p in self.journal.pages()])


class BackendSource:
    """The backend's central journal: every station of the service center."""

    def __init__(self, api: JournalApi, reasons: tuple[str, ...] = REJECTION_REASONS) -> None:
        self.api = api
        self.reasons = reasons
        self.label = f"Máy chủ (cả trung tâm): {api.config.backend_url}"

    def queue(self, filters: PageFilter, *, sample_rate: float, seed: int,
              include_reviewed: bool = False) -> list[QueueEntry]:
        items = self.api.review_queue(filters, sample_rate=sample_rate, seed=seed, include_reviewed=include_reviewed)
        return [QueueEntry(page, QueueReason(reason)) for page, reason in items]

    def decide(self, page_id: str, decision: ReviewDecision, *, reason: str | None, note: str,
               reviewer: str) -> DecisionOutcome:
        self.api.post_review(page_id, {"review_id": uuid.uuid4().hex, "decision": decision.value, "reason": reason,
                                       "note": note, "reviewer": reviewer})
        return DecisionOutcome(True, True)

    def preview(self, page_id: str) -> bytes | None:
        return self.api.get_preview(page_id)

    def stats(self, filters: PageFilter) -> stats_mod.Stats:
        return stats_mod.Stats.from_json(self.api.stats(filters))

    def choices(self) -> FilterChoices:
        items = self.api.review_queue(PageFilter(), sample_rate=1.0, seed=0, include_reviewed=True)
        return _choices([(p.station_id, p.operator_id, p.procedure_code, p.flags) for p, _ in items])
