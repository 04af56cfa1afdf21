"""`station separator-sheet`: print a separator sheet (A4 PDF with a QR code and a Vietnamese label)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ocr.separator import make_separator_sheet, separator_text
from station.exit_codes import ExitCode
from station.runtime import load_runtime


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "separator-sheet",
        help="make a separator sheet PDF to put between documents in a batch",
        description=(
            "Write an A4 PDF separator sheet. When scanned, it starts a new document "
            "(of type DOC_TYPE when given) and is itself not part of any document."
        ),
    )
    parser.add_argument("--type", dest="doc_type", metavar="DOC_TYPE", help="document type the sheet announces")
    parser.add_argument("--prefix", default=None,
                        help="code prefix the station looks for (default: recognition.separator_prefix of the "
                        "settings, STATION-SEPARATOR)")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="PDF file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # The prefix the station's analysis looks for: a sheet made here is recognised by `process` and the app.
    prefix: str = args.prefix or load_runtime(args).settings.recognition.separator_prefix
    payload = separator_text(args.doc_type, prefix)  # validates before anything is written
    output: Path = args.output
    make_separator_sheet(output, args.doc_type, prefix)
    print(f"{output}\t{payload}")
    return ExitCode.OK
