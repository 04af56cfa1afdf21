"""Run the reference backend with uvicorn (used by `station backend` and `python -m uploader.backend`)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

import uvicorn

from uploader.backend.app import create_app
from uploader.backend.auth import Principal, Role, TokenRegistry, registry_from
from uploader.backend.faults import FaultPlan, Faults
from uploader.backend.store import Store
from uploader.config import default_data_dir
from uploader.errors import UploadError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: <station data dir>/backend)")
    parser.add_argument(
        "--tokens-file",
        type=Path,
        default=None,
        metavar="FILE",
        help="JSON file of station / supervisor / admin tokens, mode 600 (default: $STATION_BACKEND_TOKENS_FILE). "
        "$STATION_BACKEND_TOKEN adds one admin token. With neither, an admin token is generated and printed.",
    )
    # Deprecated: a secret on the command line is visible to every user in `ps`. Still read (with a warning)
    # so an older launcher keeps working; use $STATION_BACKEND_TOKEN or --tokens-file.
    parser.add_argument("--token", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--max-upload-mb", type=int, default=100, help="largest accepted attachment (MB)")
    parser.add_argument("--no-seed", action="store_true", help="start without the sample procedures and dossiers")
    parser.add_argument("--access-log", action="store_true", help="log every request line")
    faults = parser.add_argument_group("fault injection (tests, benchmarks)")
    faults.add_argument("--fail-next", type=int, default=0, metavar="N", help="answer the next N requests with 503")
    faults.add_argument(
        "--fail-ratio", type=float, default=0.0, metavar="R", help="answer this share of requests with 503"
    )
    faults.add_argument("--retry-after", type=int, default=1, metavar="S", help="Retry-After seconds on injected 503")
    faults.add_argument("--drop-next", type=int, default=0, metavar="N", help="drop the connection mid-body N times")
    faults.add_argument("--delay-ms", type=int, default=0, metavar="MS", help="answer every request this much later")
    faults.add_argument("--refuse-auth", action="store_true", help="answer every request with 401")
    faults.add_argument("--seed", type=int, default=None, help="random seed for --fail-ratio")


def tokens_for(args: argparse.Namespace) -> tuple[TokenRegistry, str | None]:
    """The token registry, and the admin token generated for this run (None when tokens were configured)."""
    registry = registry_from(args.tokens_file)
    if args.token:
        print(
            "station backend: --token is deprecated: the token is visible in `ps`; "
            "use STATION_BACKEND_TOKEN or --tokens-file",
            file=sys.stderr,
            flush=True,
        )
        registry.add(args.token, Principal(Role.ADMIN, name="admin"))
    if len(registry):
        return registry, None
    generated = secrets.token_urlsafe(24)
    registry.add(generated, Principal(Role.ADMIN, name="admin"))
    return registry, generated


def run(args: argparse.Namespace) -> int:
    os.umask(0o077)  # everything this process creates is private to its user
    data: Path = args.data or default_data_dir() / "backend"
    tokens, generated = tokens_for(args)
    plan = FaultPlan(
        fail_next=args.fail_next,
        fail_ratio=args.fail_ratio,
        retry_after=args.retry_after,
        drop_next=args.drop_next,
        delay_ms=args.delay_ms,
        refuse_auth=args.refuse_auth,
        seed=args.seed,
    )
    store = Store(data, seed_data=not args.no_seed)
    app = create_app(store, tokens, Faults(plan), max_upload_bytes=args.max_upload_mb * 1024 * 1024)
    print(f"Reference backend: http://{args.host}:{args.port}  data: {data}", flush=True)
    if generated:
        print(f"Generated API token: {generated}", flush=True)
    config = uvicorn.Config(
        app,
        host=args.host,
        port=args.port,
        http="h11",
        lifespan="off",
        log_level="warning",
        access_log=bool(args.access_log),
        timeout_graceful_shutdown=2,
    )
    try:
        uvicorn.Server(config).run()
    finally:
        store.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m uploader.backend", description="Reference processing backend")
    add_arguments(parser)
    try:
        return run(parser.parse_args(argv))
    except UploadError as err:  # e.g. a tokens file others can read: say so, no traceback
        print(f"{parser.prog}: {err}\n  {err.user_message}", file=sys.stderr)
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
