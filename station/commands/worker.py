"""`station worker --broker URL`: a Celery worker doing the station's page work for `station process --cluster`."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from station.cluster.config import DEFAULT_MAX_ATTEMPTS, DEFAULT_VISIBILITY_TIMEOUT_S

    parser = sub.add_parser(
        "worker",
        help="do pages for `station process --cluster` (a Celery worker on a Redis broker)",
        description="Takes pages from the broker's queue and does to each what `station process` does locally "
        "(cleanup, quality, recognition, PDF image encoding), reading and writing the batch's work folder on the "
        "shared folder (it must be mounted at the same path as on the coordinator). The password may come from "
        "STATION_REDIS_PASSWORD instead of the URL; rediss:// checks the server against STATION_REDIS_CA "
        "(or the system's CAs). Every station of the farm must share the at-rest key (at-rest.key).",
    )
    parser.add_argument("--broker", required=True, metavar="URL", help="redis://[:PASSWORD@]HOST:PORT/DB or rediss://")
    parser.add_argument("--concurrency", type=int, default=None, help="pages in parallel (default: cores)")
    parser.add_argument("--shared-root", type=Path, default=None,
                        help="only work on batches under this folder (refuse messages naming other paths)")
    parser.add_argument("--visibility-timeout", type=float, default=DEFAULT_VISIBILITY_TIMEOUT_S,
                        help="seconds after which a page taken by a vanished worker is handed out again; longer "
                        "than the slowest page (default: %(default)s)")
    parser.add_argument("--max-attempts", type=int, default=DEFAULT_MAX_ATTEMPTS,
                        help="deliveries of a page that crashes its worker before it is reported unreadable")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from station.cluster.app import run_worker
    from station.cluster.config import cluster_config
    from station.exit_codes import ExitCode
    from station.pipeline import default_jobs

    concurrency = args.concurrency or default_jobs()
    if concurrency < 1 or args.max_attempts < 1 or args.visibility_timeout <= 0:
        print("station worker: --concurrency and --max-attempts must be at least 1, --visibility-timeout "
              "above 0\n  Các tham số phải là số dương.", file=sys.stderr)
        return ExitCode.USAGE
    config = cluster_config(args.broker, os.environ, visibility_timeout_s=args.visibility_timeout,
                            max_attempts=args.max_attempts)
    print(f"station worker: {concurrency} process(es) on {config.masked_url}", file=sys.stderr, flush=True)
    loglevel = "INFO" if args.verbose else "WARNING"
    return run_worker(config, concurrency=concurrency, shared_root=args.shared_root, loglevel=loglevel)
