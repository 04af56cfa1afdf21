"""`station watch INBOX --out DIR`: a hot folder for batch digitization."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path
from types import FrameType


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "watch",
        help="process every file dropped into a folder; move it to done/ or failed/",
        description="Each file in INBOX is processed like `station process FILE --out DIR` once it has stopped "
        "growing, then moved to INBOX/done/ or INBOX/failed/ (with FILE.error.txt). Survives restarts.",
    )
    parser.add_argument("inbox", type=Path, metavar="INBOX")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the inbox")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds a file must stay unchanged")
    parser.add_argument("--once", action="store_true", help="process what is there now, then exit")
    parser.add_argument("--jobs", type=int, default=None, help="pages in parallel (default: cores)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from station import settings as station_settings
    from station.batch.runner import ProcessOptions
    from station.batch.watch import HotFolder, WatchEvent
    from station.journal.store import configured_journal_path
    from station.pipeline import AnalysisOptions, default_jobs

    settings = station_settings.load()
    if not args.inbox.is_dir():
        print(f"station watch: {args.inbox} is not a folder", file=sys.stderr)
        return 2
    options = ProcessOptions(
        out_dir=args.out,
        jobs=args.jobs or default_jobs(),
        station_id=settings.backend.station_id,
        operator=settings.backend.operator_id,
        analysis=AnalysisOptions(lang=settings.recognition.ocr_lang,
                                 separator_prefix=settings.recognition.separator_prefix, keep_image=True),
        journal_path=configured_journal_path(),
        preview_long_side=settings.review.preview_long_side,
    )
    failed = 0

    def report(event: WatchEvent) -> None:
        nonlocal failed
        if event.outcome == "failed":
            failed += 1
            print(f"FAILED {event.file.name}: {'; '.join(event.reasons)}", flush=True)
        else:
            docs = len(event.summary.documents) if event.summary else 0
            print(f"done   {event.file.name}: {docs} document(s)", flush=True)

    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    folder = HotFolder(args.inbox, options, settle_s=args.settle, on_event=report)
    if not args.once:
        print(f"watching {args.inbox} -> {args.out} (Ctrl+C to stop)", flush=True)
    folder.run(stop, interval_s=args.interval, once=args.once)
    return 1 if failed and args.once else 0
