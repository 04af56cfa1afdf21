"""What the counter records in the station journal: each analysed capture, each finished dossier, each outbox
state, and the supervisor's rescan requests coming back. No Qt: the counter service calls these from worker
threads.

Document types are recorded as their code (station.output.doctype: "Giấy tờ đất đai" -> "giay-to-dat-dai"),
the same code the manifest, the file names and the backend carry, so the journal's pages match the uploads.

The journal serves supervisor review; it must never stop the counter. Every call here logs and carries on if
the journal or the backend is unavailable.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from scanning.models import Image
from station.journal.models import RescanRequest
from station.journal.store import Journal, JournalError
from station.journal.sync import JournalSync
from station.output.doctype import doc_type
from station.pipeline import PageAnalysis
from station.settings import REJECTION_REASONS
from station.workflow.draft import Draft
from uploader.config import UploaderConfig
from uploader.models import QueueItem

log = logging.getLogger(__name__)


class CounterJournal:
    """The counter's view of the station journal: records, never raises into the counter's flow."""

    def __init__(self, journal: Journal, *, station_id: str, operator_id: str, profile: str = "",
                 uploader: UploaderConfig | None = None) -> None:
        self.journal = journal
        self.station_id = station_id
        self.operator_id = operator_id
        self.profile = profile
        self.sync: JournalSync | None = None
        if uploader is not None:
            from station.journal.api import JournalApi

            self.sync = JournalSync(journal, JournalApi(uploader))
        self._states: dict[str, str] = {}
        self._sync_lock = threading.Lock()  # one sync at a time; a timer tick during a slow sync is skipped

    @classmethod
    def open(cls, path: Path, *, station_id: str, operator_id: str, profile: str = "",
             preview_long_side: int = 1000, uploader: UploaderConfig | None = None,
             rejection_reasons: Sequence[str] = REJECTION_REASONS) -> CounterJournal | None:
        """`rejection_reasons`: the configured `review.rejection_reasons` — the journal refuses any other, so a
        rejection made from the counter's review window must be checked against the same list."""
        try:
            journal = Journal(path, preview_long_side=preview_long_side, rejection_reasons=rejection_reasons)
        except (JournalError, OSError) as err:
            log.warning("station journal unavailable, supervisor review will miss this session: %s", err)
            return None
        return cls(journal, station_id=station_id, operator_id=operator_id, profile=profile, uploader=uploader)

    def page_analyzed(self, page_id: str, analysis: PageAnalysis, preview: Image | None,
                      dossier_code: str | None = None) -> None:
        try:
            separator = analysis.separator_doc_type
            self.journal.record_analysis(analysis, station_id=self.station_id, operator_id=self.operator_id,
                                         profile=self.profile, dossier_code=dossier_code, image=preview,
                                         page_id=page_id, doc_type=doc_type(separator).code if separator else None)
        except Exception as err:
            log.warning("journal: page not recorded: %s", err)

    def dossier_finished(self, draft: Draft, *, procedure_code: str | None = None,
                         at: datetime | None = None) -> str | None:
        """File every page under its dossier and document slot, and record the dossier itself."""
        try:
            page_ids: list[str] = []
            for document in draft.documents:
                ids = [p.page_id for p in document.pages]
                page_ids.extend(ids)
                self.journal.assign_pages(ids, dossier_code=draft.dossier_code, procedure_code=procedure_code,
                                          doc_type=doc_type(document.doc_type).code)
            moment = at or datetime.now(UTC)
            return self.journal.record_dossier(
                draft.dossier_code, station_id=self.station_id, operator_id=self.operator_id,
                procedure_code=procedure_code, profile=self.profile, pages=len(page_ids),
                documents=sum(1 for d in draft.documents if d.pages), page_ids=page_ids, at=moment,
                dossier_id=f"{draft.dossier_code}-{moment:%Y%m%dT%H%M%S}",
            )
        except Exception as err:
            log.warning("journal: dossier not recorded: %s", err)
            return None

    def outbox_changed(self, items: Iterable[QueueItem]) -> int:
        """Record the items whose state changed since the last call; returns how many."""
        changed = 0
        for item in items:
            key = str(item.id)
            if self._states.get(key) == item.state.value:
                continue
            try:
                self.journal.record_queue_item(item)
            except Exception as err:
                log.warning("journal: upload state not recorded: %s", err)
                return changed
            self._states[key] = item.state.value
            changed += 1
        return changed

    def sync_now(self) -> list[RescanRequest]:
        """Report the journal to the backend and fetch rescan requests; returns the open ones for this
        station (from the local journal when the backend cannot be reached)."""
        if self.sync is not None and self._sync_lock.acquire(blocking=False):
            try:
                self.sync.run(self.station_id)
            except Exception as err:  # offline or refused: the journal keeps everything for the next sync
                log.info("journal sync postponed: %s", err)
            finally:
                self._sync_lock.release()
        return self.pending_rescans()

    def pending_rescans(self) -> list[RescanRequest]:
        try:
            return self.journal.pending_rescan_requests(self.station_id)
        except Exception as err:
            log.warning("journal: rescan requests not readable: %s", err)
            return []

    def resolve(self, request_id: str, new_page_id: str | None = None) -> None:
        self.journal.resolve_rescan_request(request_id, new_page_id)

    def close(self) -> None:
        self.journal.close()
