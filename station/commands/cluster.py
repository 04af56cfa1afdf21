"""`station cluster status --broker URL`: the farm's workers and pages (Celery's inspect API)."""

from __future__ import annotations

import argparse
import json
import os
import sys


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "cluster",
        help="show the workers and pages of a `station process --cluster` farm",
        description="Lists the workers that answer, and the pages queued, in flight and reported unreadable. "
        "Flower shows the same live: celery --broker URL flower (see the README).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    status = actions.add_parser("status", help="workers, pages queued, in flight and failed")
    status.add_argument("--broker", required=True, metavar="URL", help="redis://[:PASSWORD@]HOST:PORT/DB")
    status.add_argument("--json", action="store_true", help="one JSON object instead of text")
    status.add_argument("--timeout", type=float, default=2.0, help="seconds to wait for the workers' answers")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from station.cluster.app import cluster_state
    from station.cluster.config import ClusterUnavailableError, cluster_config
    from station.exit_codes import ExitCode, exit_code_of

    config = cluster_config(args.broker, os.environ)
    try:
        state = cluster_state(config, timeout_s=args.timeout)
    except Exception as err:  # kombu/redis connection errors: said once, in Vietnamese, without the password
        refused = ClusterUnavailableError(f"{config.masked_url}: {type(err).__name__}")
        print(f"station cluster: {refused}\n  {refused.user_message}", file=sys.stderr)
        return exit_code_of(refused.exit_code)
    if args.json:
        print(json.dumps({**asdict(state), "in_flight": state.in_flight, "broker": config.masked_url}))
        return ExitCode.OK
    print(f"broker {config.masked_url}: {len(state.workers)} worker(s), {state.queued} page(s) queued, "
          f"{state.in_flight} in flight, {state.unreadable} failed (unreadable)")
    for worker in state.workers:
        print(f"  {worker.name}: {worker.concurrency} process(es), {worker.active} active, "
              f"{worker.reserved} reserved, {worker.done} done")
    return ExitCode.OK
