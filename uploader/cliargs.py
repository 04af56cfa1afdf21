"""Command-line options shared by `station upload` and `station queue` (argparse only; no I/O)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from uploader.config import UploaderConfig


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="station data dir holding the queue (default: $STATION_DATA_DIR or the user data dir)",
    )


def add_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", default=None, metavar="URL", help="backend URL (default: $STATION_BACKEND_URL)")
    parser.add_argument("--ca-bundle", type=Path, default=None, help="extra CA bundle to verify the backend with")
    parser.add_argument("--station-id", default=None, help="this station's id (default: from the manifest, or host)")
    parser.add_argument("--operator-id", default=None, help="operator id (default: the login name)")
    parser.add_argument("--workers", type=int, default=None, help="parallel uploads (default 1)")
    tuning = parser.add_argument_group("retry tuning")
    tuning.add_argument("--backoff-base", type=float, default=None, metavar="S", help="first retry delay (2 s)")
    tuning.add_argument("--backoff-cap", type=float, default=None, metavar="S", help="longest retry delay (300 s)")
    tuning.add_argument("--read-timeout", type=float, default=None, metavar="S", help="HTTP read timeout (60 s)")


def config_from(args: argparse.Namespace, defaults: Mapping[str, object] | None = None) -> UploaderConfig:
    """The CLI options over ``defaults`` (the station settings) over the built-in defaults."""
    return UploaderConfig.from_env(
        defaults=defaults,
        backend_url=getattr(args, "backend", None),
        data_dir=args.data_dir,
        ca_bundle=getattr(args, "ca_bundle", None),
        station_id=getattr(args, "station_id", None),
        operator_id=getattr(args, "operator_id", None),
        workers=getattr(args, "workers", None),
        backoff_base=getattr(args, "backoff_base", None),
        backoff_cap=getattr(args, "backoff_cap", None),
        read_timeout=getattr(args, "read_timeout", None),
    )
