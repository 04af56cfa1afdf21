"""The station's review queue entries. The rules (flagged pages first, then a reproducible sample of the
unflagged ones) are the contract's, shared with the reference backend: uploader/review_rules.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from station.journal.models import PageRow
from uploader import review_rules
from uploader.review_rules import QueueReason, in_sample, sample_key

__all__ = ["QueueEntry", "QueueReason", "build_queue", "in_sample", "sample_key"]


@dataclass(frozen=True)
class QueueEntry:
    page: PageRow
    reason: QueueReason


def build_queue(
    pages: Iterable[PageRow], *, sample_rate: float, seed: int, include_reviewed: bool = False
) -> list[QueueEntry]:
    """See :func:`uploader.review_rules.build_queue`."""
    return [QueueEntry(page, reason) for page, reason in review_rules.build_queue(
        pages, sample_rate=sample_rate, seed=seed, include_reviewed=include_reviewed)]
