"""CSV export of the statistics: one row per operator, then per station, then the total (UTF-8 with BOM so
spreadsheet programs show the Vietnamese headers; decimal point "." so numbers stay numbers).

Operator and station ids are free text typed at any station (and come from every station with --backend):
a cell that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `+cmd|...`, `-`, `@`, or a leading
tab / CR / LF) gets a leading single quote, as OWASP advises for CSV injection; the text is otherwise kept as
is (Vietnamese included)."""

from __future__ import annotations

import csv
from pathlib import Path

from station.review.stats import GroupStats, Stats

HEADER = (
    "Cấp",
    "Trạm",
    "Nhân viên",
    "Số trang",
    "Trang gắn cờ",
    "Giờ hoạt động",
    "Trang/giờ",
    "Hồ sơ",
    "Ngày hoạt động",
    "Hồ sơ/ngày",
    "Trang đã duyệt",
    "Trang bị từ chối",
    "Tỷ lệ từ chối",
    "Điểm chất lượng TB",
    "Trung vị quét→xác nhận (phút)",
)
LEVELS = {"operator": "nhân viên", "station": "trạm", "total": "tổng"}


def _row(level: str, g: GroupStats) -> list[str]:
    return [
        LEVELS[level],
        str(g.station_id),
        str(g.operator_id),
        str(g.pages),
        str(g.flagged),
        str(g.active_hours),
        f"{g.pages_per_hour:.2f}",
        str(g.dossiers),
        str(g.active_days),
        f"{g.dossiers_per_day:.2f}",
        str(g.reviewed),
        str(g.rejected),
        f"{g.rejection_rate:.4f}",
        f"{g.mean_quality:.1f}",
        "" if g.median_upload_min is None else f"{g.median_upload_min:.2f}",
    ]


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def csv_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows but never evaluates (leading spaces do not hide a trigger)."""
    return "'" + cell if cell.lstrip(" ").startswith(FORMULA_TRIGGERS) else cell


def rows(stats: Stats) -> list[list[str]]:
    out = [list(HEADER)]
    out += [_row("operator", g) for g in stats.operators]
    out += [_row("station", g) for g in stats.stations]
    out.append(_row("total", stats.total))
    return out


def write_csv(stats: Stats, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([csv_safe(cell) for cell in row] for row in rows(stats))
    return path
