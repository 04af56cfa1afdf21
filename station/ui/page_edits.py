"""The officer's edits on the pages selected in the strip: turn, delete, split, merge, document type. Each is a
new draft handed to the session (undo/redo and draft.json come with it)."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel

from station.ui.controller import CounterSession
from station.ui.models import PageListModel
from station.ui.widgets import PageStrip


class PageEdits:
    def __init__(self, strip: PageStrip, model: PageListModel, session: CounterSession) -> None:
        self.strip, self.model, self.session = strip, model, session

    def selected_ids(self) -> list[str]:
        rows = sorted(i.row() for i in self.strip.selectionModel().selectedIndexes())
        if not rows and self.strip.currentIndex().isValid():
            rows = [self.strip.currentIndex().row()]
        return [self.model.page_id(r) for r in rows if r < self.model.rowCount()]

    def select_row(self, row: int) -> None:
        index = self.model.index(row)
        self.strip.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def rotate(self, degrees: int) -> None:
        draft = self.session.draft
        for page_id in self.selected_ids():
            draft = draft.rotate(page_id, degrees)
        self.session.apply(draft)

    def delete(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        row = self.model.row_of(ids[0])
        draft = self.session.draft
        for page_id in ids:
            draft = draft.delete(page_id)
        self.session.apply(draft)
        if self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))

    def split(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.session.apply(self.session.draft.split(ids[0]))

    def merge(self) -> None:
        ids = self.selected_ids()
        if ids:
            d, _ = self.session.draft.locate(ids[0])
            self.session.apply(self.session.draft.merge_with_next(d))

    def set_doc_type(self, document: int, doc_type: str) -> None:
        if document < len(self.session.draft.documents):
            self.session.apply(self.session.draft.set_doc_type(document, doc_type))
