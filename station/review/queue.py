"""The review queue: all flagged pages first, then a reproducible random sample of unflagged ones."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from station.journal.models import PageRow, ReviewState


class QueueReason(StrEnum):
    FLAGGED = "flagged"  # a quality issue or a blank page
    SAMPLE = "sample"  # unflagged, drawn for a second look


@dataclass(frozen=True)
class QueueEntry:
    page: PageRow
    reason: QueueReason


def sample_key(seed: int, page_id: str) -> float:
    """A page's draw in [0, 1): the same seed always draws the same pages, and a page's draw does not depend
    on which other pages exist (adding a day of pages does not reshuffle the earlier sample).
    The reference backend computes the same key (uploader/backend/review.py)."""
    digest = hashlib.sha256(f"{seed}:{page_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_sample(seed: int, page_id: str, rate: float) -> bool:
    return sample_key(seed, page_id) < rate


def build_queue(
    pages: Iterable[PageRow], *, sample_rate: float, seed: int, include_reviewed: bool = False
) -> list[QueueEntry]:
    """Flagged pages (lowest quality score first, then capture order), then sampled unflagged pages in
    capture order. Pages already reviewed are left out unless include_reviewed."""
    flagged: list[PageRow] = []
    sampled: list[PageRow] = []
    for page in pages:
        if page.separator or (not include_reviewed and page.review_state != ReviewState.PENDING.value):
            continue
        if page.flagged:
            flagged.append(page)
        elif in_sample(seed, page.page_id, sample_rate):
            sampled.append(page)
    flagged.sort(key=lambda p: (p.quality_score, p.captured_ts, p.page_id))
    sampled.sort(key=lambda p: (p.captured_ts, p.page_id))
    return [QueueEntry(p, QueueReason.FLAGGED) for p in flagged] + [QueueEntry(p, QueueReason.SAMPLE) for p in sampled]
