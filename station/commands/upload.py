"""`station upload DIR [--backend URL] [--wait]`: queue a `station process` output folder for upload."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from station.exit_codes import ExitCode
from station.runtime import load_runtime
from uploader.cliargs import add_common, add_connection
from uploader.client import TokenProvider
from uploader.errors import SenderBusyError, SenderStalledError
from uploader.manifest import read_output
from uploader.models import ItemState, SenderStatus
from uploader.outbox import Outbox
from uploader.sender import Sender

EXIT_FAILED = ExitCode.UPLOAD  # some attachment failed permanently, the sender stalled, or --timeout hit
EXIT_BAD_FOLDER = ExitCode.INPUT  # a dossier folder could not be read


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "upload",
        help="queue processed dossiers for upload to the backend",
        description="Queue the attachments of a `station process` output folder (one dossier folder, or a folder "
        "of dossier folders) in the durable outbox. With --wait, send them now and wait until every one is "
        "confirmed by the backend or has failed permanently (exit status 6 then; 4 when a folder was skipped).",
    )
    parser.add_argument("dir", type=Path, metavar="DIR", help="output folder of `station process`")
    parser.add_argument("--wait", action="store_true", help="send now and wait for the result")
    parser.add_argument("--timeout", type=float, default=None, metavar="S", help="with --wait: give up after S s")
    add_common(parser)
    add_connection(parser)
    parser.set_defaults(run=run)


def _progress(status: SenderStatus) -> None:
    c = status.counts
    print(
        f"\rsent {c.get('sent', 0)}  pending {status.pending}  failed {c.get('failed-permanent', 0)}",
        end="",
        file=sys.stderr,
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    # backend.url, station_id, operator_id, ca_bundle, retention_days as the station app uses them;
    # STATION_* variables over the settings file, the options over both (station/runtime.py).
    config = load_runtime(args).upload
    results = read_output(args.dir, config)
    bad = [r for r in results if r.error is not None]
    for r in bad:
        print(f"station: skipped {r.folder}: {r.error}\n  {r.error.user_message if r.error else ''}", file=sys.stderr)
    ids: list[int] = []
    new = 0
    with Outbox(config.queue_db) as outbox:
        for r in results:
            for job in r.jobs:
                item_id, created = outbox.enqueue(job)
                ids.append(item_id)
                new += created
        print(
            f"queued {new} new attachment(s) from {len(results) - len(bad)} dossier folder(s); "
            f"{len(ids) - new} were already in the queue"
        )
        if not args.wait:
            return EXIT_BAD_FOLDER if bad else ExitCode.OK
        TokenProvider(config).token()  # fail now, clearly, rather than on every item
        sender = Sender(outbox, config, on_status=_progress if sys.stderr.isatty() else None)
        stalled: SenderStalledError | None = None
        try:
            sender.run_until_done(timeout=args.timeout)
        except SenderStalledError as err:
            stalled = err  # reported below, with what was confirmed before
        except SenderBusyError:
            print("another sender (the station app?) is sending this queue; waiting for it", file=sys.stderr)
            deadline = None if args.timeout is None else time.monotonic() + args.timeout
            while outbox.pending() and (deadline is None or time.monotonic() < deadline):
                time.sleep(0.5)
        mine = [outbox.get(i) for i in ids]
        blocked = set(outbox.blocked_ids())
    sent = sum(1 for it in mine if it.state is ItemState.SENT)
    failed = [it for it in mine if it.state is ItemState.FAILED_PERMANENT]
    pending = len(mine) - sent - len(failed)
    print(f"\nconfirmed {sent}/{len(mine)}; failed {len(failed)}; still pending {pending}")
    if stalled is not None:
        print(f"station: stopped waiting: {stalled}\n  {stalled.user_message}", file=sys.stderr)
    for it in failed:
        print(f"  #{it.id} {it.job.dossier_code} {it.job.slot}: {it.error}\n    {it.user_error}", file=sys.stderr)
    waiting = [it for it in mine if it.id in blocked]
    if waiting:
        print(
            f"  {len(waiting)} attachment(s) wait behind a failed one of the same dossier (order is kept):\n"
            "    Các tệp sau của cùng hồ sơ đang chờ tệp bị lỗi phía trước. "
            "Sửa lỗi rồi chạy station queue --retry-all.",
            file=sys.stderr,
        )
    if failed or pending:
        return EXIT_FAILED
    return EXIT_BAD_FOLDER if bad else ExitCode.OK
