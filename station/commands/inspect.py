"""`station inspect PATH... [--json]`: clean, measure and recognise pages from files, one record per page."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from scanning.drivers.files import SUPPORTED_SUFFIXES, import_file
from scanning.errors import ImportFailedError
from scanning.models import Page
from station.exit_codes import ExitCode
from station.pipeline import PageAnalysis, analyze_stream, default_jobs, to_inspect_record
from station.runtime import load_runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "inspect",
        help="clean, measure and recognise pages from image/PDF files",
        description="Prints one record per page: orientation, skew, blank, quality flags, barcodes, separator, "
        "dossier code, OCR text, citizen ID cards and ICAO documents (passports, ID cards, visas). "
        "Exit status 1 if any input failed (after all others).",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders (read in name order)")
    parser.add_argument("--json", action="store_true", help="JSON Lines, one object per page (schema 1)")
    parser.add_argument("--jobs", type=int, default=default_jobs(), help="pages processed in parallel (default: cores)")
    parser.add_argument("--pdf-dpi", type=int, default=300, help="resolution for rendering PDF pages (default 300)")
    parser.add_argument("--no-ocr", action="store_true", help="skip text recognition (faster)")
    parser.add_argument("--no-barcodes", action="store_true", help="skip barcode, separator and dossier-code reading")
    parser.add_argument("--no-cccd", action="store_true", help="skip citizen ID card reading")
    parser.add_argument("--lang", default=None, help="Tesseract languages (default from settings: vie+eng)")
    parser.set_defaults(run=run)


def expand_inputs(paths: list[Path]) -> Iterator[Path]:
    """Files as given; folders as the supported files inside them, recursively, in name order."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                (p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES),
                key=lambda p: str(p),
            )
        else:
            yield path


def _pages(paths: list[Path], pdf_dpi: int, failures: list[str]) -> Iterator[Page]:
    for path in expand_inputs(paths):
        try:
            yield from import_file(path, pdf_dpi=pdf_dpi)
        except ImportFailedError as err:
            failures.append(str(path))
            print(f"station: {err}", file=sys.stderr)
        except OSError as err:
            failures.append(str(path))
            print(f"station: {path}: cannot read: {err.strerror or err}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    runtime = load_runtime(args)  # --no-ocr/--no-barcodes/--no-cccd/--lang over the settings
    options = runtime.analysis
    failures: list[str] = []
    out: TextIO = sys.stdout
    if not args.json:
        print(_TABLE_HEADER, file=out)
    pages = _pages(args.paths, runtime.batch.pdf_dpi, failures)
    for page, outcome in analyze_stream(pages, options, jobs=runtime.batch.jobs):
        if isinstance(outcome, BaseException):
            failures.append(f"{page.source}#{page.index}")
            print(f"station: {page.source}: page {page.index}: analysis failed: {outcome}", file=sys.stderr)
            continue
        if args.json:
            out.write(json.dumps(to_inspect_record(outcome), ensure_ascii=False) + "\n")
        else:
            out.write(_table_row(outcome) + "\n")
        out.flush()
    return ExitCode.PARTIAL if failures else ExitCode.OK


_TABLE_HEADER = f"{'source':<40} {'page':>4} {'size':>11} {'dpi':>4} {'turn':>4} {'skew':>6} {'blank':>5} " \
                f"{'score':>5}  issues / findings"


def _table_row(a: PageAnalysis) -> str:
    source = a.source if len(a.source) <= 40 else "…" + a.source[-39:]
    findings: list[str] = list(a.quality_issues)
    if a.separator:
        findings.append("SEPARATOR" + (f":{a.separator_doc_type}" if a.separator_doc_type else ""))
    if a.dossier_code:
        findings.append(f"code={a.dossier_code}")
    if a.barcodes:
        findings.append(f"{len(a.barcodes)} barcode(s)")
    if a.cards:
        findings.append(f"{len(a.cards)} ID card(s)")
    if a.documents:
        findings.append(", ".join(f"{doc.document_type} {doc.format}" for doc in a.documents))
    if a.ocr is not None:
        findings.append(f"{len(a.ocr.text)} chars")
    row: dict[str, Any] = {
        "size": f"{a.width}x{a.height}",
        "dpi": "?" if a.dpi is None else str(a.dpi),
    }
    return (
        f"{source:<40} {a.index:>4} {row['size']:>11} {row['dpi']:>4} {a.rotation_applied:>4} "
        f"{a.skew_deg:>6.2f} {'yes' if a.blank else 'no':>5} {a.quality_score:>5}  {', '.join(findings)}"
    )
