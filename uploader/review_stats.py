"""Statistics for supervisors, shared by the station (its own journal) and the reference backend (a whole
service center): productivity per operator and station, rejections by reason, the quality score distribution
and the time from capture to the backend's confirmation. Pure functions over journal rows (any row with the
contract's fields: :class:`~uploader.review_rules.ReviewPage`, :class:`StatsDossier`, :class:`StatsUpload`).

Definitions (the PDF report prints them too):
- pages/hour = pages / active hours, an active hour being a clock hour (station local time) in which an
  operator captured at least one page, counted per operator (a station's or the center's figure is thus the
  rate per working operator); idle hours and breaks do not count.
- dossiers/day = dossiers finished / days on which the operator (station, center) finished at least one.
- rejection rate = rejected pages / reviewed pages (latest decision per page).
- capture to confirmed upload = per attachment the backend confirmed, from the first capture of a page of that
  document (same dossier code and document type) to the confirmation.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from uploader.review_rules import ReviewPage, ReviewState

QUALITY_BINS = 10  # 0-9, 10-19, ..., 90-100


class StatsDossier(Protocol):
    @property
    def station_id(self) -> str: ...
    @property
    def operator_id(self) -> str: ...
    @property
    def finished_at(self) -> str: ...  # ISO 8601 with the station's offset: [:10] is the local date


class StatsUpload(Protocol):
    @property
    def attachment_id(self) -> str: ...
    @property
    def dossier_code(self) -> str: ...
    @property
    def doc_type(self) -> str: ...
    @property
    def station_id(self) -> str: ...
    @property
    def operator_id(self) -> str: ...
    @property
    def confirmed_ts(self) -> float | None: ...


@dataclass(frozen=True)
class GroupStats:
    station_id: str
    operator_id: str  # "" = the whole station (or all stations when station_id is "" too)
    pages: int
    flagged: int
    active_hours: int
    pages_per_hour: float
    dossiers: int
    active_days: int
    dossiers_per_day: float
    reviewed: int
    rejected: int
    rejection_rate: float
    mean_quality: float
    median_upload_min: float | None


@dataclass(frozen=True)
class ReasonStats:
    reason: str
    rejected: int
    rate: float  # of reviewed pages


@dataclass(frozen=True)
class Stats:
    date_from: str | None
    date_to: str | None
    operators: tuple[GroupStats, ...]
    stations: tuple[GroupStats, ...]
    total: GroupStats
    reasons: tuple[ReasonStats, ...]
    quality_bins: tuple[int, ...]  # QUALITY_BINS counts
    upload_delays_min: tuple[float, ...]  # sorted

    @property
    def upload_median_min(self) -> float | None:
        return statistics.median(self.upload_delays_min) if self.upload_delays_min else None

    @property
    def upload_p90_min(self) -> float | None:
        return _percentile(self.upload_delays_min, 0.9)

    def to_json(self) -> dict[str, Any]:
        """The contract's Stats object (GET /api/v1/stats)."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "operators": [asdict(g) for g in self.operators],
            "stations": [asdict(g) for g in self.stations],
            "total": asdict(self.total),
            "reasons": [asdict(r) for r in self.reasons],
            "quality_bins": list(self.quality_bins),
            "upload_delays_min": list(self.upload_delays_min),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Stats:
        return cls(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            operators=tuple(GroupStats(**g) for g in data["operators"]),
            stations=tuple(GroupStats(**g) for g in data["stations"]),
            total=GroupStats(**data["total"]),
            reasons=tuple(ReasonStats(**r) for r in data["reasons"]),
            quality_bins=tuple(int(n) for n in data["quality_bins"]),
            upload_delays_min=tuple(float(d) for d in data["upload_delays_min"]),
        )


def _percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 1))  # ceil(n * q)
    return ordered[int(rank) - 1]


def quality_bin(score: int) -> int:
    return min(QUALITY_BINS - 1, max(0, score) // 10)


def _hour_of(page: ReviewPage) -> str:
    return page.captured_at[:13]  # "2025-07-02T08": local date and clock hour


def upload_delays(pages: Sequence[ReviewPage], uploads: Iterable[StatsUpload]) -> dict[str, float]:
    """Minutes from first capture to confirmation, per confirmed attachment whose pages are in `pages`."""
    first_doc: dict[tuple[str, str], float] = {}
    first_dossier: dict[str, float] = {}
    for p in pages:
        if not p.dossier_code:
            continue
        key = (p.dossier_code, p.doc_type or "")
        first_doc[key] = min(first_doc.get(key, p.captured_ts), p.captured_ts)
        first_dossier[p.dossier_code] = min(first_dossier.get(p.dossier_code, p.captured_ts), p.captured_ts)
    out: dict[str, float] = {}
    for u in uploads:
        if u.confirmed_ts is None:
            continue
        start = first_doc.get((u.dossier_code, u.doc_type), first_dossier.get(u.dossier_code))
        if start is None:
            continue
        out[u.attachment_id] = round(max(0.0, u.confirmed_ts - start) / 60.0, 2)
    return out


def _group(station: str, operator: str, pages: Sequence[ReviewPage], dossiers: Sequence[StatsDossier],
           delays: Sequence[float]) -> GroupStats:
    hours = {(p.operator_id, p.station_id, _hour_of(p)) for p in pages}
    days = {d.finished_at[:10] for d in dossiers}
    reviewed = [p for p in pages if p.review_state != ReviewState.PENDING.value]
    rejected = [p for p in reviewed if p.review_state == ReviewState.REJECTED.value]
    return GroupStats(
        station_id=station,
        operator_id=operator,
        pages=len(pages),
        flagged=sum(1 for p in pages if p.flagged),
        active_hours=len(hours),
        pages_per_hour=round(len(pages) / len(hours), 2) if hours else 0.0,
        dossiers=len(dossiers),
        active_days=len(days),
        dossiers_per_day=round(len(dossiers) / len(days), 2) if days else 0.0,
        reviewed=len(reviewed),
        rejected=len(rejected),
        rejection_rate=round(len(rejected) / len(reviewed), 4) if reviewed else 0.0,
        mean_quality=round(sum(p.quality_score for p in pages) / len(pages), 1) if pages else 0.0,
        median_upload_min=round(statistics.median(delays), 2) if delays else None,
    )


def compute(
    pages: Sequence[ReviewPage],
    dossiers: Sequence[StatsDossier],
    uploads: Sequence[StatsUpload],
    *,
    reasons: Sequence[str] = (),
    date_from: str | None = None,
    date_to: str | None = None,
) -> Stats:
    """Statistics of already filtered pages and dossiers (separator sheets are not counted). `reasons`: the
    rejection reasons always listed (in this order), even when no page was rejected for them."""
    pages = [p for p in pages if not p.separator]
    delays = upload_delays(pages, uploads)
    upload_of: dict[tuple[str, str], list[float]] = defaultdict(list)
    for u in uploads:
        if u.attachment_id in delays:
            upload_of[(u.station_id, u.operator_id)].append(delays[u.attachment_id])

    def pick(station: str = "", operator: str = "") -> tuple[list[ReviewPage], list[StatsDossier], list[float]]:
        def ok(s: str, o: str) -> bool:
            return (not station or s == station) and (not operator or o == operator)

        return ([p for p in pages if ok(p.station_id, p.operator_id)],
                [d for d in dossiers if ok(d.station_id, d.operator_id)],
                [v for (s, o), vs in upload_of.items() for v in vs if ok(s, o)])

    pairs = sorted({(p.station_id, p.operator_id) for p in pages} | {(d.station_id, d.operator_id) for d in dossiers})
    operators = tuple(_group(s, o, *pick(s, o)) for s, o in pairs)
    stations = tuple(_group(s, "", *pick(s)) for s in sorted({s for s, _ in pairs}))
    total = _group("", "", *pick())
    counts = Counter(p.review_reason for p in pages
                     if p.review_state == ReviewState.REJECTED.value and p.review_reason)
    names = list(reasons) + sorted(r for r in counts if r not in reasons)
    reason_stats = tuple(
        ReasonStats(r, counts.get(r, 0), round(counts.get(r, 0) / total.reviewed, 4) if total.reviewed else 0.0)
        for r in names
    )
    bins = [0] * QUALITY_BINS
    for p in pages:
        bins[quality_bin(p.quality_score)] += 1
    return Stats(
        date_from=date_from, date_to=date_to, operators=operators, stations=stations, total=total,
        reasons=reason_stats, quality_bins=tuple(bins), upload_delays_min=tuple(sorted(delays.values())),
    )
