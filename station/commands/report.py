"""`station report`: statistics of a period as a PDF report (and optionally CSV), from this station's journal or
from the backend's central journal (--backend: every station of the service center)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.exit_codes import ExitCode
from station.journal.models import PageFilter
from station.review.stats import Stats, parse_date


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "report",
        help="statistics of a period as a PDF report (and CSV)",
        description="Pages/hour and dossiers/day per operator and station, rejection rate by reason, quality score "
        "distribution and time from capture to confirmed upload, for the days FROM to TO (station local dates, "
        "both included), as a PDF report with charts and optionally a CSV table.",
    )
    parser.add_argument("--from", dest="date_from", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", required=True, metavar="DATE", help="last day, YYYY-MM-DD")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pdf", help="the PDF report")
    parser.add_argument("--csv", type=Path, default=None, metavar="FILE.csv", help="also write the table as CSV")
    parser.add_argument("--station", default=None, metavar="ID", help="only this station")
    parser.add_argument("--operator", default=None, metavar="ID", help="only this operator")
    parser.add_argument("--journal", type=Path, default=None, metavar="PATH",
                        help="journal database (default: the station's, in its data dir)")
    parser.add_argument("--backend", default=None, metavar="URL",
                        help="report on the backend's central journal (all stations) instead of this station's")
    parser.set_defaults(run=run)


def _stats(args: argparse.Namespace, filters: PageFilter) -> Stats:
    from station.runtime import load_runtime

    # Only --journal configures: --station/--operator are filters here, --backend the central journal.
    runtime = load_runtime(argparse.Namespace(journal=args.journal))
    reasons = runtime.review.rejection_reasons
    if args.backend:
        from station.journal.api import api_for

        return Stats.from_json(api_for(args.backend).stats(filters))
    from station.journal.store import Journal
    from station.review.sources import JournalSource

    path = runtime.journal.path
    if not path.exists():
        print(f"station: không có nhật ký {path} (no journal at this path)", file=sys.stderr)
        raise SystemExit(ExitCode.USAGE)
    with Journal(path) as journal:
        return JournalSource(journal, reasons=reasons).stats(filters)


def run(args: argparse.Namespace) -> int:
    try:
        date_from, date_to = parse_date(args.date_from), parse_date(args.date_to)
    except ValueError:
        print("station report: --from/--to phải có dạng YYYY-MM-DD (dates must be YYYY-MM-DD)", file=sys.stderr)
        return ExitCode.USAGE
    if date_from > date_to:
        print("station report: --from phải trước hoặc bằng --to (--from must not be after --to)", file=sys.stderr)
        return ExitCode.USAGE
    filters = PageFilter(station_id=args.station, operator_id=args.operator, date_from=date_from, date_to=date_to)
    stats = _stats(args, filters)
    from station.review.export import write_csv
    from station.review.report import build_report

    scope = ", ".join(part for part in (f"trạm {args.station}" if args.station else "",
                                        f"nhân viên {args.operator}" if args.operator else "",
                                        "toàn trung tâm (máy chủ)" if args.backend else "") if part)
    build_report(stats, args.output, filters=scope)
    print(f"Báo cáo: {args.output}  ({stats.total.pages} trang, {stats.total.dossiers} hồ sơ)")
    if args.csv:
        write_csv(stats, args.csv)
        print(f"CSV: {args.csv}")
    return ExitCode.OK
