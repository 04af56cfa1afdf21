"""Supervisor review rules shared by the station and the reference backend (contract tags journal/review):
review states and decisions, page flags, the page filters and the review queue. Pure: no I/O, no web
framework; they work on any row that has the fields of the contract's JournalPage (:class:`ReviewPage`).

The queue holds every flagged page first (lowest quality score first, then capture order), then a seeded,
reproducible sample of the unflagged ones in capture order (:func:`sample_key`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol, TypeVar

# The reasons a supervisor picks from when rejecting a page (the station's settings may configure others).
DEFAULT_REJECTION_REASONS: tuple[str, ...] = (
    "mờ", "thiếu trang", "sai loại giấy tờ", "cắt mất nội dung", "nghiêng", "thiếu chữ ký/con dấu", "khác",
)
ANY_FLAG = "*"  # PageFilter.flag: pages with any flag
BLANK_FLAG = "blank"


class ReviewDecision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class ReviewState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


def state_after(decision: ReviewDecision) -> ReviewState:
    return ReviewState.APPROVED if decision is ReviewDecision.APPROVE else ReviewState.REJECTED


class QueueReason(StrEnum):
    FLAGGED = "flagged"  # a quality issue or a blank page
    SAMPLE = "sample"  # unflagged, drawn for a second look


def page_flags(quality_issues: Sequence[str], blank: bool) -> tuple[str, ...]:
    """Why a supervisor should look at a page: its quality issues, plus "blank"."""
    return (*quality_issues, *((BLANK_FLAG,) if blank else ()))


class ReviewPage(Protocol):
    """What the rules read of a journal page (the station's PageRow, the backend's stored row)."""

    @property
    def page_id(self) -> str: ...
    @property
    def station_id(self) -> str: ...
    @property
    def operator_id(self) -> str: ...
    @property
    def captured_at(self) -> str: ...  # ISO 8601 with the station's offset: [:10] local date, [:13] local hour
    @property
    def captured_ts(self) -> float: ...
    @property
    def dossier_code(self) -> str | None: ...
    @property
    def procedure_code(self) -> str | None: ...
    @property
    def doc_type(self) -> str | None: ...
    @property
    def quality_score(self) -> int: ...
    @property
    def separator(self) -> bool: ...
    @property
    def flags(self) -> tuple[str, ...]: ...
    @property
    def flagged(self) -> bool: ...
    @property
    def local_date(self) -> str: ...
    @property
    def review_state(self) -> str: ...
    @property
    def review_reason(self) -> str | None: ...


@dataclass(frozen=True)
class PageFilter:
    """Which pages a query returns. Dates are the station's local dates, inclusive ("2025-07-02")."""

    station_id: str | None = None
    operator_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    flag: str | None = None  # a quality issue ("blur", ...), "blank", or "*" = any flag
    procedure_code: str | None = None
    review_state: str | None = None  # pending | approved | rejected

    def matches(self, row: ReviewPage) -> bool:
        if self.station_id and row.station_id != self.station_id:
            return False
        if self.operator_id and row.operator_id != self.operator_id:
            return False
        if self.date_from and row.local_date < self.date_from:
            return False
        if self.date_to and row.local_date > self.date_to:
            return False
        if self.procedure_code and row.procedure_code != self.procedure_code:
            return False
        if self.review_state and row.review_state != self.review_state:
            return False
        if self.flag == ANY_FLAG:
            return row.flagged
        return not (self.flag and self.flag not in row.flags)


def filter_sql(filters: PageFilter, *, review_state: bool = True, procedure: bool = True) -> tuple[str, list[Any]]:
    """The SQL conditions (each starting with " AND") and arguments of the filters a table can answer by its
    columns station_id, operator_id, local_date and optionally procedure_code, review_state. The flag is
    not among them: apply :meth:`PageFilter.matches` to the rows read."""
    columns = [("station_id", filters.station_id), ("operator_id", filters.operator_id)]
    if procedure:
        columns.append(("procedure_code", filters.procedure_code))
    if review_state:
        columns.append(("review_state", filters.review_state))
    sql = ""
    args: list[Any] = []
    for column, value in columns:  # column names come from this list, never from input
        if value:
            sql += f" AND {column} = ?"
            args.append(value)
    if filters.date_from:
        sql += " AND local_date >= ?"
        args.append(filters.date_from)
    if filters.date_to:
        sql += " AND local_date <= ?"
        args.append(filters.date_to)
    return sql, args


def sample_key(seed: int, page_id: str) -> float:
    """A page's draw in [0, 1): the same seed always draws the same pages, and a page's draw does not depend
    on which other pages exist (adding a day of pages does not reshuffle the earlier sample)."""
    digest = hashlib.sha256(f"{seed}:{page_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_sample(seed: int, page_id: str, rate: float) -> bool:
    return sample_key(seed, page_id) < rate


P = TypeVar("P", bound=ReviewPage)


def build_queue(
    pages: Iterable[P], *, sample_rate: float, seed: int, include_reviewed: bool = False
) -> list[tuple[P, QueueReason]]:
    """Flagged pages (lowest quality score first, then capture order), then sampled unflagged pages in
    capture order. Separator sheets are left out, and pages already reviewed unless include_reviewed."""
    flagged: list[P] = []
    sampled: list[P] = []
    for page in pages:
        if page.separator or (not include_reviewed and page.review_state != ReviewState.PENDING.value):
            continue
        if page.flagged:
            flagged.append(page)
        elif in_sample(seed, page.page_id, sample_rate):
            sampled.append(page)
    flagged.sort(key=lambda p: (p.quality_score, p.captured_ts, p.page_id))
    sampled.sort(key=lambda p: (p.captured_ts, p.page_id))
    return [(p, QueueReason.FLAGGED) for p in flagged] + [(p, QueueReason.SAMPLE) for p in sampled]
