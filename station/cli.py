"""The `station` command line: one subcommand per module in station/commands/."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import cast

from station import __version__
from station.errors import user_facing
from station.exit_codes import ExitCode, exit_code_of
from station.invocation import invoked_as

__all__ = ["COMMANDS", "build_parser", "command_name", "invoked_as", "main", "report_error"]

# Module name -> one-line summary, in the order of `station --help`. The summary is shown without importing
# the command (its module pulls in OpenCV, Tesseract or FastAPI); a test keeps it equal to the module's own.
COMMANDS: dict[str, str] = {
    "scan": "scan pages into a folder (PNG, lossless)",
    "inspect": "clean, measure and recognise pages from image/PDF files",
    "cccd": "read citizen ID cards (CCCD / Căn cước) and passports/visas (ICAO MRZ) from images",
    "separator_sheet": "make a separator sheet PDF to put between documents in a batch",
    "process": "digitize files, folders or a scanner's feeder into PDF/A documents per dossier",
    "watch": "process every file dropped into a folder; move it to done/ or failed/",
    "worker": "do pages for `station process --cluster` (a Celery worker on a Redis broker)",
    "cluster": "show the workers and pages of a `station process --cluster` farm",
    "backend": "run the reference processing backend",
    "upload": "queue processed dossiers for upload to the backend",
    "queue": "show and manage the upload queue",
    "review": "open the supervisor review window",
    "report": "statistics of a period as a PDF report (and CSV)",
    "sign": "sign PDF files in place with the officer's or the agency's key (PKCS#11 token)",
    "verify": "check the digital signatures of PDF files (signer, role, time, timestamp, trust)",
    "gui": "open the counter desktop app (the default command)",
}

log = logging.getLogger("station")


def command_name(module: str) -> str:
    """The word typed on the command line for a command module (`separator_sheet` -> `separator-sheet`)."""
    return module.replace("_", "-")


def _selected_command(argv: Sequence[str]) -> str | None:
    """The command module named on the command line, if any: only that one is imported."""
    by_word = {command_name(module): module for module in COMMANDS}
    for token in argv:
        if token == "--":
            break
        if not token.startswith("-"):
            return by_word.get(token)
    return None


def _register(sub: argparse._SubParsersAction[argparse.ArgumentParser], module_name: str) -> None:
    module = importlib.import_module(f"station.commands.{module_name}")
    register = cast("Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]", module.register)
    register(sub)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv`: the named command is loaded in full, the others only by name and summary.

    With `argv=None` every command is loaded (used by tests and documentation tools).
    """
    parser = argparse.ArgumentParser(
        prog="station",
        description="Digitization Station: scan, clean, recognise, build PDF/A and upload citizens' dossiers.",
    )
    parser.add_argument("--version", action="version", version=f"station {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv: debug)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    selected = _selected_command(argv) if argv is not None else None
    for module_name, summary in COMMANDS.items():
        if argv is None or module_name == selected:
            _register(sub, module_name)
        else:
            sub.add_parser(command_name(module_name), help=summary, add_help=False)
    return parser


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)


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
    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    _configure_logging(args.verbose)
    if args.command is None:
        words = [*words, *_default_command()]
        args = build_parser(words).parse_args(words)
        _configure_logging(args.verbose)
    run = cast(Callable[[argparse.Namespace], int], args.run)
    try:
        return int(run(args))
    except KeyboardInterrupt:
        print("station: đã dừng (Ctrl+C).", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as err:
        code = report_error(err, verbose=args.verbose)
        if code is None:
            raise  # not a typed error: a bug, shown with its traceback
        return code


def report_error(err: BaseException, *, verbose: int = 0) -> ExitCode | None:
    """The one place a typed error becomes what the officer reads and the exit status; None if untyped.

    The Vietnamese message says what happened and what to do; the English technical text (log-safe) is
    added with -v, for whoever supports the station.
    """
    typed = user_facing(err)
    if typed is None:
        return None
    print(f"station: {typed.user_message}", file=sys.stderr)
    if verbose:
        print(f"  ({type(err).__name__}: {err})", file=sys.stderr)
    return exit_code_of(typed.exit_code)


if __name__ == "__main__":
    sys.exit(main())
