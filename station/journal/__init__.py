"""The station journal: a local SQLite (WAL) record of every page and dossier the station handles.

No Qt here. Usage (the counter app and `station process`)::

    journal = Journal(data_dir() / "journal.sqlite3")
    page_id = journal.record_analysis(analysis, station_id="station-01", operator_id="op-1",
                                      profile="Hồ sơ thông thường", dossier_code=code, doc_type="to-khai")
    page_id = journal.record(PageEntry(station_id="station-01", operator_id="op-1", quality_score=88), image)
    journal.record_dossier(code, station_id="station-01", operator_id="op-1", procedure_code="1.000656", pages=4)
    journal.record_queue_item(item)      # an uploader QueueItem, after every outbox state change
    journal.pending_rescan_requests("station-01")  # rejected pages the counter must scan again

Personal data never enters the journal in clear text: see station/journal/privacy.py.

Modules: store.py (`Journal`, the entry point), schema.py (tables, migrations), pages.py (`PageEntry`, the
typed page record), dossiers.py, reviews.py (review policy, decisions, rescan requests), preview_store.py,
retention.py, syncstate.py + sync.py + api.py (reporting to the backend), paths.py, errors.py. The review
rules (filters, queue, statistics) are the contract's: uploader/review_rules.py, uploader/review_stats.py.
"""

from station.journal.models import (
    PageRow,
    RescanRequest,
    ReviewDecision,
    ReviewRow,
)
from station.journal.pages import PageEntry
from station.journal.store import Journal, JournalError, default_journal_path

__all__ = [
    "Journal",
    "JournalError",
    "PageEntry",
    "PageRow",
    "RescanRequest",
    "ReviewDecision",
    "ReviewRow",
    "default_journal_path",
]
