"""`station backend`: run the reference processing backend (FastAPI + SQLite + files on disk)."""

from __future__ import annotations

import argparse

from uploader.backend import server


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "backend",
        help="run the reference processing backend",
        description="Run the reference backend that implements uploader/openapi.yaml (for tests, demos, and as "
        "the embedded default when no backend is configured). Tokens come from --tokens-file (per-station and "
        "supervisor tokens) or $STATION_BACKEND_TOKEN (one admin token), never from the command line; with "
        "neither, an admin token is generated and printed.",
    )
    server.add_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.data is None:  # <station data dir>/backend, the data dir decided where every command decides it
        from station.runtime import load_runtime

        args.data = load_runtime(None).data_dir / "backend"
    return server.run(args)
