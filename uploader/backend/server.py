"""Run the reference backend with uvicorn (used by `station backend` and `python -m uploader.backend`)."""

from __future__ import annotations

import argparse
import secrets
import sys
from pathlib import Path

import uvicorn

from uploader.backend.app import create_app
from uploader.backend.faults import FaultPlan, Faults
from uploader.backend.store import Store
from uploader.config import default_data_dir


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port (default 8080)")
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: <station data dir>/backend)")
    parser.add_argument("--token", default=None, help="API token to accept (default: generate one and print it)")
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


def run(args: argparse.Namespace) -> int:
    data: Path = args.data or default_data_dir() / "backend"
    data.mkdir(parents=True, exist_ok=True)
    token = args.token or secrets.token_urlsafe(24)
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
    app = create_app(store, token, Faults(plan), max_upload_bytes=args.max_upload_mb * 1024 * 1024)
    print(f"Reference backend: http://{args.host}:{args.port}  data: {data}", flush=True)
    if not args.token:
        print(f"Generated API token: {token}", flush=True)
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
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
