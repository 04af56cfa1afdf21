"""Qt item models: the thumbnail strip (pages of the draft, grouped by document) and the outbox table.

Both are tested without a view. The page model follows the controller: a page appended while scanning is a
row insert (the view keeps its selection and scroll position); any other edit resets the model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QImage

from scanning.models import Image
from station.ui.controller import CounterSession
from uploader.models import ItemState, QueueItem

PAGE_MIME = "application/x-station-page-id"
Index = QModelIndex | QPersistentModelIndex


class PageRole:
    PAGE_ID = Qt.ItemDataRole.UserRole + 1
    DOCUMENT = Qt.ItemDataRole.UserRole + 2  # 0-based document index
    POSITION = Qt.ItemDataRole.UserRole + 3  # 0-based position within the document
    ISSUES = Qt.ItemDataRole.UserRole + 4  # tuple of quality flags (+ "blank")
    ANALYZED = Qt.ItemDataRole.UserRole + 5
    ROTATION = Qt.ItemDataRole.UserRole + 6
    DOC_TYPE = Qt.ItemDataRole.UserRole + 7
    FIRST_OF_DOCUMENT = Qt.ItemDataRole.UserRole + 8


def tr_badge(issue: str) -> str:
    names = {
        "blur": QCoreApplication.translate("Badges", "Blurred"),
        "too_dark": QCoreApplication.translate("Badges", "Dark"),
        "too_light": QCoreApplication.translate("Badges", "Faint"),
        "low_contrast": QCoreApplication.translate("Badges", "Low contrast"),
        "skewed": QCoreApplication.translate("Badges", "Skewed"),
        "cut_off": QCoreApplication.translate("Badges", "Cut off"),
        "low_dpi": QCoreApplication.translate("Badges", "Low dpi"),
        "blank": QCoreApplication.translate("Badges", "Blank"),
    }
    return names.get(issue, issue)


def to_qimage(image: Image, rotation: int = 0) -> QImage:
    """A deep-copied QImage of a gray or RGB array, turned `rotation` degrees clockwise."""
    if rotation:
        image = np.ascontiguousarray(np.rot90(image, k=-(rotation // 90)))
    image = np.ascontiguousarray(image)
    h, w = image.shape[:2]
    if image.ndim == 2:
        qimage = QImage(image.data, w, h, image.strides[0], QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(image.data, w, h, image.strides[0], QImage.Format.Format_RGB888)
    return qimage.copy()  # own the pixels: the array may go away


@dataclass(frozen=True)
class _Row:
    page_id: str
    document: int
    position: int
    rotation: int
    doc_type: str


class PageListModel(QAbstractListModel):
    """One row per page of the draft, in document order."""

    def __init__(self, session: CounterSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._rows: list[_Row] = []
        self._thumbs: dict[tuple[str, int], QImage] = {}
        session.draftChanged.connect(self._sync)
        session.pageUpdated.connect(self._page_updated)
        self._sync()

    # --- reading --------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def page_id(self, row: int) -> str:
        return self._rows[row].page_id

    def row_of(self, page_id: str) -> int:
        for n, row in enumerate(self._rows):
            if row.page_id == page_id:
                return n
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        info = self._session.pages.get(row.page_id)
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("PageListModel", "Doc {0} · p. {1}").format(
                row.document + 1, row.position + 1
            )
        if role == Qt.ItemDataRole.ToolTipRole:
            issues = ", ".join(tr_badge(i) for i in (info.issues if info else ()))
            return issues or QCoreApplication.translate("PageListModel", "No quality problem found")
        if role == Qt.ItemDataRole.DecorationRole:
            return self._thumb(row)
        if role == PageRole.PAGE_ID:
            return row.page_id
        if role == PageRole.DOCUMENT:
            return row.document
        if role == PageRole.POSITION:
            return row.position
        if role == PageRole.ISSUES:
            return info.issues if info else ()
        if role == PageRole.ANALYZED:
            return bool(info and (info.analysis is not None or info.failed))
        if role == PageRole.ROTATION:
            return row.rotation
        if role == PageRole.DOC_TYPE:
            return row.doc_type
        if role == PageRole.FIRST_OF_DOCUMENT:
            return row.position == 0
        return None

    def _thumb(self, row: _Row) -> QImage | None:
        key = (row.page_id, row.rotation)
        if key not in self._thumbs:
            info = self._session.pages.get(row.page_id)
            if info is None:
                return None
            self._thumbs[key] = to_qimage(info.thumb, row.rotation)
        return self._thumbs[key]

    # --- following the draft --------------------------------------------------------------------------
    def _build(self) -> list[_Row]:
        return [
            _Row(page.page_id, d, p, page.rotation, document.doc_type)
            for d, document in enumerate(self._session.draft.documents)
            for p, page in enumerate(document.pages)
        ]

    def _sync(self) -> None:
        new = self._build()
        old = self._rows
        if len(new) > len(old) and new[: len(old)] == old:
            self.beginInsertRows(QModelIndex(), len(old), len(new) - 1)
            self._rows = new
            self.endInsertRows()
        elif new == old:
            return
        elif [r.page_id for r in new] == [r.page_id for r in old]:  # rotation, types, boundaries: same rows
            self._rows = new
            self.dataChanged.emit(self.index(0), self.index(len(new) - 1))
        else:
            self.beginResetModel()
            self._rows = new
            self._thumbs = {k: v for k, v in self._thumbs.items() if k[0] in {r.page_id for r in new}}
            self.endResetModel()

    def _page_updated(self, page_id: str) -> None:
        self._thumbs = {k: v for k, v in self._thumbs.items() if k[0] != page_id}
        row = self.row_of(page_id)
        if row >= 0:
            index = self.index(row)
            self.dataChanged.emit(index, index)

    # --- drag and drop (reorder) -------------------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return Qt.ItemFlag.ItemIsDropEnabled

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PAGE_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        ids = [self._rows[i.row()].page_id for i in indexes if i.isValid()]
        mime.setData(PAGE_MIME, QByteArray("\n".join(ids).encode()))
        return mime

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if action != Qt.DropAction.MoveAction or not data.hasFormat(PAGE_MIME):
            return False
        ids = [i for i in bytes(data.data(PAGE_MIME).data()).decode().split("\n") if i]
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._rows)
        self.move_pages(ids, row)
        return False  # the draft moved the pages; Qt must not remove the source rows itself

    def move_pages(self, page_ids: Sequence[str], to_row: int) -> None:
        """Move pages so they sit before the page now at `to_row` (or at the end), as one undoable edit."""
        draft = self._session.draft
        anchor = next((r.page_id for r in self._rows[to_row:] if r.page_id not in page_ids), None)
        for page_id in page_ids:
            if anchor is None:
                last = len(draft.documents) - 1
                draft = draft.move(page_id, last, len(draft.documents[last].pages))
            else:
                d, p = draft.locate(anchor)
                pd, pp = draft.locate(page_id)
                # Draft.move counts the target index after taking the page out
                draft = draft.move(page_id, d, p - 1 if pd == d and pp < p else p)
        self._session.apply(draft)


OUTBOX_COLUMNS = ("dossier", "document", "pages", "state", "problem")


class OutboxModel(QAbstractTableModel):
    """The outbox rows for the upload panel, newest first."""

    STATE_COLORS: ClassVar[dict[str, str]] = {
        ItemState.QUEUED.value: "#5f6b7a",
        ItemState.SENDING.value: "#1a5fb4",
        ItemState.SENT.value: "#26a269",
        ItemState.FAILED_RETRYING.value: "#c64600",
        ItemState.FAILED_PERMANENT.value: "#c01c28",
    }

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[QueueItem] = []

    def set_items(self, items: Sequence[QueueItem]) -> None:
        ordered = sorted(items, key=lambda i: i.id, reverse=True)
        if [(i.id, i.state, i.attempts) for i in ordered] == [(i.id, i.state, i.attempts) for i in self._items]:
            return
        self.beginResetModel()
        self._items = ordered
        self.endResetModel()

    def item(self, row: int) -> QueueItem:
        return self._items[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(OUTBOX_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        labels = (
            QCoreApplication.translate("OutboxModel", "Dossier"),
            QCoreApplication.translate("OutboxModel", "Document"),
            QCoreApplication.translate("OutboxModel", "Pages"),
            QCoreApplication.translate("OutboxModel", "State"),
            QCoreApplication.translate("OutboxModel", "Problem"),
        )
        return labels[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        column = OUTBOX_COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "dossier":
                return item.job.dossier_code
            if column == "document":
                return item.job.slot
            if column == "pages":
                return item.job.pages
            if column == "state":
                return state_label(item.state)
            return item.user_error or ""
        if role == Qt.ItemDataRole.ForegroundRole and column == "state":
            from PySide6.QtGui import QColor

            return QColor(self.STATE_COLORS.get(item.state.value, "#000000"))
        if role == Qt.ItemDataRole.ToolTipRole and column == "problem":
            return item.user_error or None
        if role == Qt.ItemDataRole.UserRole:
            return item.id
        return None


def state_label(state: ItemState) -> str:
    return {
        ItemState.QUEUED: QCoreApplication.translate("OutboxModel", "Queued"),
        ItemState.SENDING: QCoreApplication.translate("OutboxModel", "Sending"),
        ItemState.SENT: QCoreApplication.translate("OutboxModel", "Sent"),
        ItemState.FAILED_RETRYING: QCoreApplication.translate("OutboxModel", "Failed, will retry"),
        ItemState.FAILED_PERMANENT: QCoreApplication.translate("OutboxModel", "Failed"),
    }[state]
