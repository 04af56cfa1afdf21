"""Command-line options shared by `station upload` and `station queue` (argparse only; no I/O).

The station turns them into an :class:`~uploader.config.UploaderConfig` with the settings and the environment
in one place (``station.runtime.load_runtime``); a flag left out is ``None`` and does not count.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="station data dir holding the queue and journal (default: $STATION_DATA_DIR or the user data dir)",
    )


def add_connection(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backend", default=None, metavar="URL",
                        help="backend URL (default: $STATION_BACKEND_URL, else the settings)")
    parser.add_argument("--ca-bundle", type=Path, default=None,
                        help="extra CA bundle to verify the backend with (default: $STATION_CA_BUNDLE, else the "
                        "settings)")
    parser.add_argument("--station-id", default=None,
                        help="this station's id (default: $STATION_ID, else the settings, else the host name)")
    parser.add_argument("--operator-id", default=None,
                        help="operator id (default: $STATION_OPERATOR_ID, else the settings, else the login name)")
    parser.add_argument("--workers", type=int, default=None, help="parallel uploads (default 1)")
    tuning = parser.add_argument_group("retry tuning")
    tuning.add_argument("--backoff-base", type=float, default=None, metavar="S", help="first retry delay (2 s)")
    tuning.add_argument("--backoff-cap", type=float, default=None, metavar="S", help="longest retry delay (300 s)")
    tuning.add_argument("--read-timeout", type=float, default=None, metavar="S", help="HTTP read timeout (60 s)")
