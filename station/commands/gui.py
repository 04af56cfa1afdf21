"""`station gui` (and `station` with no arguments): the counter desktop app."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

NO_DISPLAY = """\
Không tìm thấy màn hình (chưa đặt DISPLAY hoặc WAYLAND_DISPLAY), nên không mở được cửa sổ quầy.
  • Chạy với màn hình ảo:  xvfb-run -a {station}   (Quick start: xvfb-run -a bash .ci/start)
  • Hoặc dùng lệnh không giao diện:  {station} process --help

No display found (DISPLAY and WAYLAND_DISPLAY are not set), so the counter window cannot open.
  • Run it on a virtual display:  xvfb-run -a {station}   (Quick start: xvfb-run -a bash .ci/start)
  • Or use the headless command:  {station} process --help
"""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "gui",
        help="open the counter desktop app (the default command)",
        description="Open the counter app: scan, check, attach and send one citizen's dossier at a time. With "
        "nothing configured it scans the sample pages through SANE's virtual pnm device and sends to a "
        "reference backend it starts on 127.0.0.1.",
    )
    parser.add_argument("--scan", action="store_true", help="start scanning as soon as the window is open")
    parser.add_argument("--screenshot", type=Path, default=None, metavar="PNG",
                        help="scan, wait for the pages to be checked, save a picture of the window to PNG, quit")
    parser.add_argument("--settings", type=Path, default=None, help="settings file (default: the user's)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from station.ui.app import has_display

    if not has_display():
        from station.invocation import invoked_as

        print(NO_DISPLAY.format(station=invoked_as()), file=sys.stderr, end="")
        return 2
    from station.ui.app import run_gui

    return run_gui(scan_on_start=bool(args.scan or args.screenshot), screenshot=args.screenshot,
                   settings_path=args.settings)
