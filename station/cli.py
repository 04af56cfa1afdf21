"""The `station` command line: one subcommand per module in station/commands/."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Protocol, cast

from station import __version__

# Order here is the order in `station --help`.
COMMANDS = (
    "scan",
    "inspect",
    "cccd",
    "separator_sheet",
    "process",
    "watch",
    "backend",
    "upload",
    "queue",
    "review",
    "report",
    "gui",
)

log = logging.getLogger("station")


class UserFacingError(Protocol):
    user_message: str
    exit_code: int


def _command_modules() -> list[ModuleType]:
    modules: list[ModuleType] = []
    for name in COMMANDS:
        qualified = f"station.commands.{name}"
        if importlib.util.find_spec(qualified) is None:
            continue  # a subcommand that has not been built yet
        modules.append(importlib.import_module(qualified))
    return modules


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station",
        description="Digitization Station: scan, clean, recognise, build PDF/A and upload citizens' dossiers.",
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        register = cast("Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]", module.register)
        register(sub)
    return parser


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def invoked_as() -> str:
    """How the user can type this command again: `station` when it is on PATH, else its full path."""
    import shutil
    from pathlib import Path

    if shutil.which("station"):
        return "station"
    beside = Path(sys.executable).parent / "station"
    return str(beside) if beside.exists() else f"{sys.executable} -m station"


def _default_command() -> list[str]:
    """`station` alone opens the app; without the app, it scans from the embedded virtual scanner."""
    if importlib.util.find_spec("station.commands.gui") is not None:
        return ["gui"]
    from datetime import datetime

    from station.settings import data_dir

    return ["scan", "--out", str(data_dir() / "scans" / datetime.now().strftime("%Y%m%d-%H%M%S"))]


def main(argv: Sequence[str] | None = None) -> int:
    # Every file and folder the station writes (captures, journals, queue, keyring fallback, outputs) is
    # private to the station user: ID-card images are sensitive data (Decree 356/2025).
    os.umask(0o077)
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # OpenMP threads make Tesseract 3x slower on 2 cores
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
    if args.command is None:
        args = parser.parse_args([*(argv or []), *_default_command()])
        _configure_logging(args.verbose)
    run = cast(Callable[[argparse.Namespace], int], args.run)
    try:
        return run(args)
    except KeyboardInterrupt:
        print("station: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # typed errors carry their exit code and user message
        if hasattr(err, "user_message") and hasattr(err, "exit_code"):
            typed = cast(UserFacingError, err)
            print(f"station: {err}", file=sys.stderr)
            return typed.exit_code
        raise


if __name__ == "__main__":
    sys.exit(main())
