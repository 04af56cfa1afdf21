"""`station review`: open the supervisor review window directly (queue, large page view, decisions, statistics)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

NO_DISPLAY = """\
Không tìm thấy màn hình (chưa đặt DISPLAY hoặc WAYLAND_DISPLAY), nên không mở được cửa sổ duyệt.
  • Chạy với màn hình ảo:  xvfb-run -a {station} review
  • Hoặc lập báo cáo không cần giao diện:  {station} report --from NGÀY --to NGÀY -o bao-cao.pdf

No display found (DISPLAY and WAYLAND_DISPLAY are not set), so the review window cannot open.
  • Run it on a virtual display:  xvfb-run -a {station} review
  • Or make the report without a window:  {station} report --from DATE --to DATE -o report.pdf
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "review",
        help="open the supervisor review window",
        description="Review scan quality: every flagged page first, then a random sample of the others; approve, "
        "or reject with a reason (the counter that scanned the page gets a rescan request); statistics and "
        "exports. Reviews this station's journal, or with --backend the backend's central journal (all stations "
        "of the service center). With both --journal and --backend, reviews the journal and reports to the backend.",
    )
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH",
                        help="journal database (default: this station's, in its data dir)")
    parser.add_argument("--backend", default=None, metavar="URL",
                        help="review the whole service center through this backend (token: STATION_BACKEND_TOKEN)")
    parser.add_argument("--reviewer", default=None, help="who reviews (default: settings backend.operator_id, or "
                        "the login name)")
    parser.add_argument("--screenshot", type=Path, default=None, metavar="PNG",
                        help="open, select the first page, save a picture of the window to PNG, quit")
    parser.set_defaults(run=run)


def has_display() -> bool:
    if os.environ.get("QT_QPA_PLATFORM", "") in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run(args: argparse.Namespace) -> int:
    if not has_display():
        from station.invocation import invoked_as

        print(NO_DISPLAY.format(station=invoked_as()), file=sys.stderr, end="")
        return 2
    from station.ui.review.app import run_review  # Qt lives in station.ui only

    return run_review(args)
