"""`station queue`: the upload outbox: status table, --json, --retry ID, --watch, --purge, --store-token."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from datetime import datetime
from typing import Any

from station.exit_codes import ExitCode
from station.runtime import load_runtime
from uploader.cliargs import add_common
from uploader.client import store_token
from uploader.outbox import Outbox
from uploader.retention import purge_confirmed

_FIELDS = (
    "id",
    "state",
    "dossier_code",
    "slot",
    "doc_type",
    "attempts",
    "bytes",
    "sha256",
    "enqueued_at",
    "next_attempt_at",
    "sent_at",
    "purged_at",
    "error_code",
    "error",
    "user_error",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "queue",
        help="show and manage the upload queue",
        description="Show the upload outbox: one line per attachment with its state (queued, sending, sent, "
        "failed-retrying with the next attempt time, failed-permanent with the reason).",
    )
    add_common(parser)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--retry", type=int, metavar="ID", action="append", help="queue a failed item again")
    parser.add_argument("--retry-all", action="store_true", help="queue every failed item again")
    parser.add_argument("--watch", action="store_true", help="refresh the table until Ctrl+C")
    parser.add_argument("--interval", type=float, default=2.0, help="--watch refresh interval (s)")
    parser.add_argument("--purge", action="store_true", help="delete confirmed local files past the retention")
    parser.add_argument("--store-token", action="store_true", help="read the backend token from stdin into the keyring")
    parser.set_defaults(run=run)


def _when(ts: Any) -> str:
    if not isinstance(ts, int | float):
        return ""
    return datetime.fromtimestamp(ts).strftime("%m-%d %H:%M:%S")


def _table(rows: list[dict[str, Any]], corrupt: dict[int, str], blocked: set[int]) -> str:
    lines = [f"{'ID':>5}  {'STATE':<16} {'DOSSIER':<27} {'SLOT':<20} {'TRIES':>5}  {'WHEN':<14} REASON"]
    for r in rows:
        state = str(r.get("state"))
        when = _when(r.get("next_attempt_at")) if state == "failed-retrying" else _when(r.get("sent_at"))
        reason = r.get("error") or ""
        if r["id"] in corrupt:
            reason = f"CORRUPT ROW: {corrupt[r['id']]}"
        elif r["id"] in blocked:
            reason = "waits behind a failed item of the same dossier (order is kept)"
        lines.append(
            f"{r['id']:>5}  {state:<16} {str(r.get('dossier_code'))[:27]:<27} {str(r.get('slot'))[:20]:<20} "
            f"{r.get('attempts')!s:>5}  {when:<14} {reason}"
        )
        if r.get("user_error") and state.startswith("failed"):
            lines.append(f"{'':>7}{r['user_error']}")
    counts: dict[str, int] = {}
    for r in rows:
        counts[str(r.get("state"))] = counts.get(str(r.get("state")), 0) + 1
    if corrupt:
        counts["corrupt"] = len(corrupt)
    if blocked:
        counts["blocked"] = len(blocked)
    lines.append("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "the queue is empty")
    return "\n".join(lines)


CORRUPT_WARNING = (
    "Hàng đợi có {n} mục bị hỏng (xem các dòng CORRUPT ROW). Đưa lại thư mục hồ sơ của các mục đó vào hàng đợi "
    "bằng station upload; tệp gốc vẫn được giữ."
)


def run(args: argparse.Namespace) -> int:
    config = load_runtime(args).upload  # the station's settings: backend.url, station_id, retention_days, ...
    if args.store_token:
        token = getpass.getpass("Backend token: ") if sys.stdin.isatty() else sys.stdin.readline().strip()
        store_token(config, token)
        print("token stored in the keyring")
        return ExitCode.OK
    with Outbox(config.queue_db) as outbox:
        for item_id in args.retry or ():
            outbox.retry(item_id)
            print(f"item {item_id} queued again")
        if args.retry_all:
            print(f"{outbox.retry_all_failed()} item(s) queued again")
        if args.purge:
            report = purge_confirmed(outbox, config.retention_days, read_file=config.read_file)
            print(f"deleted {report.deleted} confirmed local file(s)")
        if args.retry or args.retry_all or args.purge:
            return ExitCode.OK
        while True:
            rows = outbox.rows()
            corrupt = {c.id: str(c.error) for c in outbox.corrupt_rows()}
            blocked = set(outbox.blocked_ids())
            if args.json:
                out = [
                    {**{k: r.get(k) for k in _FIELDS}, "corrupt": corrupt.get(r["id"]), "blocked": r["id"] in blocked}
                    for r in rows
                ]
                print(json.dumps(out, ensure_ascii=False, indent=1))
            else:
                if args.watch and sys.stdout.isatty():
                    print("\x1b[2J\x1b[H", end="")
                print(_table(rows, corrupt, blocked))
            if corrupt:
                print(CORRUPT_WARNING.format(n=len(corrupt)), file=sys.stderr)
            if not args.watch:
                return ExitCode.OK
            time.sleep(args.interval)
