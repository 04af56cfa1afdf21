"""The Qt models without a view: the page strip follows the draft (inserts while scanning, resets on edits),
drag-and-drop reorders through the draft, the outbox table shows a real outbox's states."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QModelIndex, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from station.counter.capture import ScanTarget, TargetKind, apply_separator
from station.pipeline import PageAnalysis
from station.ui.controller import CounterSession, PageInfo
from station.ui.models import PAGE_MIME, OutboxModel, PageListModel, PageRole, to_qimage
from station.workflow.draft import Draft, DraftPage
from station.workflow.session import SessionStore
from uploader.errors import BackendRejectedError
from uploader.models import ItemState, UploadJob
from uploader.outbox import Outbox


def info(value: int = 200) -> PageInfo:
    return PageInfo(np.full((30, 20), value, np.uint8), np.full((60, 40), value, np.uint8), 300)


def analysis(**changes: object) -> PageAnalysis:
    base: dict[str, object] = dict(source="pnm:0", index=1, width=20, height=30, dpi=300, clean=None,
                                   rotation_applied=0, skew_deg=0.0, blank=False, quality_score=90,
                                   quality_issues=(), quality_metrics={})
    base.update(changes)
    return PageAnalysis(**base)  # type: ignore[arg-type]


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[CounterSession]:
    s = CounterSession(SessionStore(tmp_path / "session"))
    yield s
    s.close()


def add(session: CounterSession, page_id: str, target: ScanTarget | None = None) -> None:
    session.add_capture(page_id, info(), target or ScanTarget())


def ids(model: PageListModel) -> list[str]:
    return [model.page_id(r) for r in range(model.rowCount())]


def test_pages_arriving_are_row_inserts_and_edits_reset(qtbot: QtBot, session: CounterSession) -> None:
    model = PageListModel(session)
    inserted: list[tuple[int, int]] = []
    resets: list[bool] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.modelReset.connect(lambda: resets.append(True))
    for n in range(3):
        add(session, f"p{n}")
    assert inserted == [(0, 0), (1, 1), (2, 2)] and not resets
    assert ids(model) == ["p0", "p1", "p2"]
    index = model.index(1)
    assert index.data(PageRole.PAGE_ID) == "p1"
    assert index.data(PageRole.DOCUMENT) == 0 and index.data(PageRole.POSITION) == 1
    assert index.data(PageRole.ANALYZED) is False
    thumb = index.data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(thumb, QImage) and (thumb.width(), thumb.height()) == (20, 30)
    # A rotation keeps the rows (no reset: the view keeps its selection) and turns the thumbnail.
    session.apply(session.draft.rotate("p1", 90))
    assert not resets
    turned = model.index(1).data(Qt.ItemDataRole.DecorationRole)
    assert (turned.width(), turned.height()) == (30, 20)
    session.apply(session.draft.delete("p0"))
    assert resets and ids(model) == ["p1", "p2"]
    session.undo()
    assert ids(model) == ["p0", "p1", "p2"]
    session.redo()
    assert ids(model) == ["p1", "p2"]


def test_quality_badges_come_with_the_analysis(qtbot: QtBot, session: CounterSession) -> None:
    model = PageListModel(session)
    add(session, "p0")
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom: changed.append(top.row()))
    image = np.full((30, 20), 120, np.uint8)
    session.set_analysis("p0", analysis(quality_issues=("blur", "too_dark"), blank=True), image, image)
    assert changed == [0]
    assert model.index(0).data(PageRole.ISSUES) == ("blur", "too_dark", "blank")
    assert model.index(0).data(PageRole.ANALYZED) is True
    assert "Blurred" in model.index(0).data(Qt.ItemDataRole.ToolTipRole) or "Mờ" in model.index(0).data(
        Qt.ItemDataRole.ToolTipRole)


def test_a_separator_splits_even_when_later_pages_already_arrived(qtbot: QtBot, session: CounterSession) -> None:
    for page_id in ("a", "b", "sep", "c", "d"):
        add(session, page_id)
    image = np.zeros((10, 10), np.uint8)
    session.set_analysis("sep", analysis(separator=True, separator_doc_type="cccd"), image, image)
    docs = [(d.doc_type, [p.page_id for p in d.pages]) for d in session.draft.documents]
    assert docs == [("tai-lieu", ["a", "b"]), ("cccd", ["c", "d"])]
    assert "sep" in session.draft.excluded
    session.undo()  # the automatic split is an edit like any other
    assert [p.page_id for p in session.draft.documents[0].pages] == ["a", "b", "sep", "c", "d"]


def test_apply_separator_cases() -> None:
    def draft_of(*docs: list[str]) -> Draft:
        d = Draft()
        for n, pages in enumerate(docs):
            if n:
                d = d.start_document(None)
            for p in pages:
                d = d.append_page(DraftPage(p))
        return d

    def shape(d: Draft) -> list[tuple[str, list[str]]]:
        return [(doc.doc_type, [p.page_id for p in doc.pages]) for doc in d.documents]

    # First page of the draft: the (empty) first document takes the type.
    assert shape(apply_separator(draft_of(["s"]), "s", "to-khai")) == [("to-khai", [])]
    # Last page so far: the next pages start a new document.
    after = apply_separator(draft_of(["a", "s"]), "s", "cccd").append_page(DraftPage("b"))
    assert shape(after) == [("tai-lieu", ["a"]), ("cccd", ["b"])]
    # Opening a document that already has pages: that document takes the type.
    assert shape(apply_separator(draft_of(["a"], ["s", "b"]), "s", "x")) == [("tai-lieu", ["a"]), ("x", ["b"])]


def test_receipt_sets_the_code_and_leaves_the_documents(qtbot: QtBot, session: CounterSession) -> None:
    from ocr.models import Barcode

    add(session, "receipt")
    add(session, "form")
    codes: list[str] = []
    session.dossierCodeRead.connect(codes.append)
    code = "000.00.01.H22-250702-0013"
    image = np.zeros((10, 10), np.uint8)
    session.set_analysis("receipt", analysis(dossier_code=code, barcodes=(Barcode("QRCode", code, (0, 0, 5, 5)),)),
                         image, image)
    assert codes == [code] and session.draft.dossier_code == code
    assert [p.page_id for p in session.draft.documents[0].pages] == ["form"]
    # A code found in the text of a later page does not remove that page.
    session.set_analysis("form", analysis(dossier_code=code), image, image)
    assert [p.page_id for p in session.draft.documents[0].pages] == ["form"]


def test_insert_and_replace_targets(qtbot: QtBot, session: CounterSession) -> None:
    model = PageListModel(session)
    add(session, "a")
    add(session, "b")
    add(session, "x", ScanTarget(TargetKind.INSERT, "b"))
    add(session, "y", ScanTarget(TargetKind.INSERT, "b"))
    assert ids(model) == ["a", "x", "y", "b"]
    add(session, "a2", ScanTarget(TargetKind.REPLACE, "a"))
    assert ids(model) == ["a2", "x", "y", "b"] and "a" in session.draft.excluded


def test_drop_reorders_through_the_draft(qtbot: QtBot, session: CounterSession) -> None:
    model = PageListModel(session)
    for page_id in "abcd":
        add(session, page_id)
    session.apply(session.draft.split("c"))
    assert model.supportedDropActions() == Qt.DropAction.MoveAction
    mime = model.mimeData([model.index(0)])
    assert mime.hasFormat(PAGE_MIME)
    # Drop page a before d (row 3): it moves into the second document.
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 3, 0, QModelIndex()) is False
    assert ids(model) == ["b", "c", "a", "d"]
    assert [len(d.pages) for d in session.draft.documents] == [1, 3]
    # Dropped past the end.
    mime = QMimeData()
    mime.setData(PAGE_MIME, b"b")
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert ids(model) == ["c", "a", "d", "b"]
    session.undo()
    assert ids(model) == ["b", "c", "a", "d"]


def test_to_qimage_gray_and_colour() -> None:
    gray = np.arange(12, dtype=np.uint8).reshape(3, 4)
    q = to_qimage(gray)
    assert (q.width(), q.height(), q.format()) == (4, 3, QImage.Format.Format_Grayscale8)
    assert q.pixelColor(3, 2).red() == 11
    rgb = np.zeros((2, 3, 3), np.uint8)
    rgb[0, 0] = (255, 0, 0)
    q = to_qimage(rgb, rotation=90)
    assert (q.width(), q.height()) == (2, 3)
    assert q.pixelColor(1, 0).red() == 255  # top-left turned clockwise goes to the top-right


def test_outbox_model_shows_a_real_outbox(qtbot: QtBot, tmp_path: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.7\n")
    with Outbox(tmp_path / "outbox.sqlite3") as outbox:
        ids_ = []
        for slot in ("01-to-khai", "02-cccd"):
            job = UploadJob("000.00.01.H22-250702-0013", slot, slot[3:], pdf, "0" * 64, 9, 1, "s", "o")
            ids_.append(outbox.enqueue(job)[0])
        claimed = outbox.claim()
        assert claimed is not None
        outbox.mark_failed(ids_[0], BackendRejectedError("nope", status=422, error_code="bad"))
        model = OutboxModel()
        model.set_items(outbox.items())
    assert model.rowCount() == 2 and model.columnCount() == 5
    states = {model.index(r, 1).data(): model.item(r).state for r in range(2)}
    assert states == {"01-to-khai": ItemState.FAILED_PERMANENT, "02-cccd": ItemState.QUEUED}
    failed_row = next(r for r in range(2) if model.item(r).state is ItemState.FAILED_PERMANENT)
    assert model.index(failed_row, 4).data()  # the Vietnamese reason is shown
    assert model.index(0, 0).data() == "000.00.01.H22-250702-0013"
