"""`station separator-sheet`: print a separator sheet (A4 PDF with a QR code and a Vietnamese label)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ocr.separator import DEFAULT_PREFIX, make_separator_sheet, separator_text


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
    parser.add_argument(
        "--prefix", default=DEFAULT_PREFIX, help=f"code prefix the station looks for (default {DEFAULT_PREFIX})"
    )
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="PDF file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    payload = separator_text(args.doc_type, args.prefix)  # validates before anything is written
    output: Path = args.output
    make_separator_sheet(output, args.doc_type, args.prefix)
    print(f"{output}\t{payload}")
    return 0
