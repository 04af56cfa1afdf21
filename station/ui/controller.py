"""The dossier in progress, as the GUI sees it: the draft's history, the session journal, per-page results.

Every capture is journalled (by the scan worker, before it is shown); every edit goes through
:meth:`CounterSession.apply`, which records it for undo/redo and rewrites draft.json on a background writer
(in order, off the GUI thread). Analysis results come back from the process pool and may change the draft:
a separator sheet splits the document, the receipt sets the dossier code.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from ocr.models import CitizenId
from scanning.models import Image
from station.counter.capture import ScanTarget, apply_separator, has_page, place_capture
from station.pipeline import PageAnalysis
from station.workflow.draft import Draft, History
from station.workflow.session import SessionStore

log = logging.getLogger(__name__)


@dataclass
class PageInfo:
    thumb: Image
    preview: Image
    dpi: int | None
    analysis: PageAnalysis | None = None
    failed: str | None = None  # analysis error (English, technical)

    @property
    def issues(self) -> tuple[str, ...]:
        if self.analysis is None:
            return ()
        return (*self.analysis.quality_issues, *(("blank",) if self.analysis.blank else ()))


class CounterSession(QObject):
    draftChanged = Signal()
    pageUpdated = Signal(str)  # page id: thumbnail / analysis arrived
    dossierCodeRead = Signal(str)
    cardsRead = Signal(object)  # tuple[CitizenId, ...]
    message = Signal(str)

    def __init__(self, store: SessionStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.history = History()
        self.pages: dict[str, PageInfo] = {}
        self.cards: list[CitizenId] = []
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="draft-writer")
        self._pending_write: Future[None] | None = None
        self._write_lock = threading.Lock()

    # --- the draft ------------------------------------------------------------------------------------
    @property
    def draft(self) -> Draft:
        return self.history.current

    def apply(self, new: Draft) -> None:
        before = self.history.current
        self.history.apply(new)
        if self.history.current is not before:
            self._changed()

    def undo(self) -> None:
        if self.history.can_undo:
            self.history.undo()
            self._changed()

    def redo(self) -> None:
        if self.history.can_redo:
            self.history.redo()
            self._changed()

    def _changed(self) -> None:
        self._save(self.history.current)
        self.draftChanged.emit()

    def _save(self, draft: Draft) -> None:
        self._pending_write = self._writer.submit(self.store.save_draft, draft)

    def flush(self) -> None:
        """Wait until the last draft.json write is on disk (before handing the session over)."""
        if self._pending_write is not None:
            self._pending_write.result()

    def write_now(self) -> None:
        """Write the current draft and wait for it; raises what the write raised (an earlier failed write is
        tried again, never reported twice)."""
        self._save(self.history.current)
        self.flush()

    def ordered_ids(self) -> list[str]:
        return [p.page_id for d in self.draft.documents for p in d.pages]

    # --- captures -------------------------------------------------------------------------------------
    def add_capture(self, page_id: str, info: PageInfo, target: ScanTarget) -> None:
        """A journalled capture arrives from the scanner (GUI thread)."""
        self.pages[page_id] = info
        self.apply(place_capture(self.draft, page_id, target))

    def _has(self, page_id: str) -> bool:
        return has_page(self.draft, page_id)

    def add_restored(self, page_id: str, info: PageInfo) -> None:
        self.pages[page_id] = info
        self.pageUpdated.emit(page_id)

    def set_analysis(self, page_id: str, analysis: PageAnalysis, thumb: Image, preview: Image) -> None:
        info = self.pages.get(page_id)
        if info is None:
            return  # the dossier was finished or discarded meanwhile
        info.analysis, info.thumb, info.preview = analysis, thumb, preview
        self.pageUpdated.emit(page_id)
        if not self._has(page_id):
            return  # deleted before its analysis came back
        if analysis.separator:
            self.apply(apply_separator(self.draft, page_id, analysis.separator_doc_type))
            self.message.emit(self.tr("Separator sheet: a new document starts here"))
            return
        if analysis.dossier_code:
            self._dossier_code_found(page_id, analysis)
        if analysis.cards:
            self.cards.extend(analysis.cards)
            self.cardsRead.emit(tuple(self.cards))

    def set_failed(self, page_id: str, error: str) -> None:
        info = self.pages.get(page_id)
        if info is not None:
            info.failed = error
            self.pageUpdated.emit(page_id)

    def _dossier_code_found(self, page_id: str, analysis: PageAnalysis) -> None:
        code = analysis.dossier_code
        assert code is not None
        draft = self.draft
        if draft.dossier_code is None:
            draft = draft.set_dossier_code(code)
        from_barcode = any(code in b.text for b in analysis.barcodes)
        if from_barcode and self.ordered_ids()[:1] == [page_id]:
            draft = draft.delete(page_id)  # the receipt: it identifies the dossier, it is not one of its documents
        self.apply(draft)
        self.dossierCodeRead.emit(code)

    # --- lifecycle ------------------------------------------------------------------------------------
    def restore(self) -> Draft:
        draft = self.store.restore()
        self.history = History(current=draft)
        self._changed()
        return draft

    def reset(self) -> None:
        """Next citizen: an empty draft; the journal starts afresh."""
        self.flush()
        self.history = History()
        self.pages.clear()
        self.cards.clear()
        self.draftChanged.emit()

    def close(self) -> None:
        try:
            self.flush()
        except Exception:  # the captures are on disk: the next start rebuilds the draft from them
            log.exception("draft not written at close")
        self._writer.shutdown(wait=True)
