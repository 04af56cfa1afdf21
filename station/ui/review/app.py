"""Start the supervisor review window on its own (`station review`): the QApplication first, then the review
source the runtime configuration and the flags ask for (this station's journal, or the backend's central one)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from station.errors import USER_FACING_ERRORS, user_facing


def reviewer_name(args: argparse.Namespace, configured: str) -> str:
    if args.reviewer:
        return str(args.reviewer)
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "supervisor"


def run_review(args: argparse.Namespace) -> int:
    """`args`: --journal, --backend, --reviewer, --screenshot of `station review`."""
    app = QApplication.instance() or QApplication(sys.argv[:1])  # first: it sets the process locale
    from station.journal.api import api_for
    from station.journal.store import Journal
    from station.journal.sync import JournalSync
    from station.review.sources import BackendSource, JournalSource, ReviewSource
    from station.runtime import load_runtime
    from station.ui.errors import ErrorReporter
    from station.ui.review.window import ReviewWindow

    try:
        runtime = load_runtime(args)  # --journal decides the journal path, as everywhere
    except USER_FACING_ERRORS as err:  # any library's typed error (scanning, ocr, uploader)
        typed = user_facing(err)
        assert typed is not None  # every base carries exit_code and user_message
        print(typed.user_message, file=sys.stderr)
        return typed.exit_code
    settings, review = runtime.settings, runtime.review
    station_id = settings.backend.station_id
    source: ReviewSource
    if args.backend and args.journal is None:
        source = BackendSource(api_for(args.backend, station_id), review.rejection_reasons)
    else:
        journal_path = runtime.journal.path
        if not journal_path.exists():
            print(f"station review: không có nhật ký {journal_path} (no journal at this path)", file=sys.stderr)
            return 2
        journal = Journal(journal_path, rejection_reasons=review.rejection_reasons)
        sync = JournalSync(journal, api_for(args.backend, station_id)) if args.backend else None
        source = JournalSource(journal, sync, review.rejection_reasons)
    window = ReviewWindow(source, reviewer=reviewer_name(args, settings.backend.operator_id),
                          sample_rate=review.sample_rate, seed=review.sample_seed)
    ErrorReporter(window).install()  # an error nobody caught is logged and shown in Vietnamese
    window.show()
    if args.screenshot:
        path: Path = args.screenshot

        def grab() -> None:
            if window.review.busy:  # the queue and the first preview load off the GUI thread
                QTimer.singleShot(200, grab)
                return
            path.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(path))
            QApplication.quit()

        QTimer.singleShot(1500, grab)
    return int(app.exec())
