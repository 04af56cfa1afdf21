"""Statistics for supervisors. The definitions and the computation are the contract's, shared with the
reference backend (uploader/review_stats.py); the station computes them over its own journal rows."""

from __future__ import annotations

from datetime import datetime

from uploader.review_stats import QUALITY_BINS, GroupStats, ReasonStats, Stats, compute, quality_bin, upload_delays

__all__ = ["QUALITY_BINS", "GroupStats", "ReasonStats", "Stats", "compute", "parse_date", "quality_bin",
           "upload_delays"]


def parse_date(text: str) -> str:
    """Validate YYYY-MM-DD (the CLI's --from/--to)."""
    return datetime.strptime(text, "%Y-%m-%d").date().isoformat()
