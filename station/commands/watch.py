"""`station watch INBOX --out DIR`: a hot folder for batch digitization."""

from __future__ import annotations

import argparse
import os
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
        "growing and is complete (its format's end marker is there), then moved to INBOX/done/ or INBOX/failed/ "
        "(with FILE.error.txt). Survives restarts. Copy tools should write to a name ending in .part, .tmp or ~ "
        "(or a hidden .name) and rename when done: such names are ignored until then. Symbolic links are never "
        "followed: a link in INBOX is reported and left alone, and a linked done/ or failed/ stops the watch.",
    )
    parser.add_argument("inbox", type=Path, metavar="INBOX")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the inbox")
    parser.add_argument("--settle", type=float, default=2.0, help="seconds a file must stay unchanged")
    parser.add_argument("--incomplete-timeout", type=float, default=None,
                        help="seconds a file that still looks cut short may stay unchanged before it goes to "
                        "failed/ (default: 300)")
    parser.add_argument("--once", action="store_true",
                        help="process what is there now, then exit (1 when a file failed or was left in INBOX)")
    parser.add_argument("--jobs", type=int, default=None, help="pages in parallel (default: cores)")
    parser.add_argument("--cluster", metavar="URL", default=None,
                        help="send the pages to `station worker`s on this Redis broker "
                        "(see `station process --cluster`)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from scanning.errors import StationError
    from station.batch.watch import DEFAULT_INCOMPLETE_TIMEOUT_S, HotFolder, WatchEvent
    from station.cluster.dispatch import on_cluster
    from station.exit_codes import ExitCode
    from station.runtime import load_runtime

    # The same analysis as `station process` and the counter app: OCR/barcode/CCCD switches, quality limits.
    runtime = load_runtime(args)
    if not args.inbox.is_dir():
        print(f"station watch: {args.inbox} is not a folder\n  Thư mục {args.inbox} không tồn tại hoặc không "
              "phải thư mục.", file=sys.stderr)
        return ExitCode.USAGE
    options = on_cluster(runtime.process_options(args.out), args.cluster, os.environ)
    unfinished = 0

    def report(event: WatchEvent) -> None:
        nonlocal unfinished
        reasons = [r.removeprefix(f"{event.name}: ") for r in event.reasons]  # the name is said once
        if event.outcome == "done":
            docs = len(event.summary.documents) if event.summary else 0
            print(f"done   {event.name}: {'; '.join([f'{docs} document(s)', *reasons])}", flush=True)
            if event.moved_to is not None:
                return
        unfinished += 1
        if event.outcome != "done":
            label = {"failed": "FAILED", "skipped": "SKIPPED", "waiting": "WAITING"}.get(event.outcome, "?")
            print(f"{label} {event.name}: {'; '.join(reasons)}", flush=True)

    stop = threading.Event()

    def request_stop(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        timeout = DEFAULT_INCOMPLETE_TIMEOUT_S if args.incomplete_timeout is None else args.incomplete_timeout
        folder = HotFolder(args.inbox, options, settle_s=args.settle, incomplete_timeout_s=timeout, on_event=report)
        with folder:
            if not args.once:
                print(f"watching {args.inbox} -> {args.out} (Ctrl+C to stop)", flush=True)
            folder.run(stop, interval_s=args.interval, once=args.once)
    except StationError as err:  # an unsafe done/failed folder, a full output disk: stop, files stay in INBOX
        print(f"station watch: {err}\n{err.user_message}", file=sys.stderr, flush=True)
        return err.exit_code  # ExitCode.USAGE for a refused folder, OUTPUT for a full disk
    return ExitCode.PARTIAL if unfinished and args.once else ExitCode.OK
