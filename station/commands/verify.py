"""`station verify FILE.pdf... [--json]`: what the signatures of each file say; exit 0 only when all are valid."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from station.exit_codes import ExitCode
from station.signing.verify import FileVerification, verify_file

SUMMARY = "check the digital signatures of PDF files (signer, role, time, timestamp, trust)"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "verify", help=SUMMARY,
        description="Checks every signature of each FILE with pyHanko: intact, trusted (chains to the roots in "
        "STATION_TRUST_ROOTS or the settings) and covering the whole file (later revisions may only add signatures "
        "and validation data). Exit status 0 only when every file has signatures and all are valid, else 8.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="PDF files")
    parser.add_argument("--json", action="store_true", help="one JSON object per file, one per line")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from station.runtime import load_runtime

    roots = load_runtime(args).signing.trust_roots
    reports = [verify_file(path, roots) for path in args.files]
    for report in reports:
        print(json.dumps(report.to_json(), ensure_ascii=False) if args.json else _text(report))
    return ExitCode.OK if all(r.valid for r in reports) else ExitCode.SIGNATURE


def _text(report: FileVerification) -> str:
    lines = [f"{report.file}: {'HỢP LỆ' if report.valid else 'KHÔNG HỢP LỆ'}"]
    if report.error:
        lines.append(f"  không đọc được tệp ({report.error})")
    elif not report.signatures:
        lines.append("  chưa có chữ ký số")
    for sig in report.signatures:
        lines.append(
            f"  {sig.role.value if sig.role else '?'}: {sig.signer}; ký lúc {sig.signing_time or '?'}; dấu thời gian "
            f"{sig.timestamp or 'không'}; nguyên vẹn: {_yes(sig.intact)}; tin cậy: {_yes(sig.trusted)}; "
            f"phủ toàn bộ tệp: {_yes(sig.covers_whole_document)}")
    return "\n".join(lines)


def _yes(value: bool) -> str:
    return "có" if value else "không"
