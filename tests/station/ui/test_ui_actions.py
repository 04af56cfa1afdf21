"""Page actions through the real window and its shortcuts: rotate, delete, reorder, rescan, insert, split,
merge, undo/redo — with pages scanned from SANE's pnm device (recognition off: only cleanup runs)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from station.ui.main_window import MainWindow
from station.ui.models import PAGE_MIME, PageRole
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned

NO_RECOGNITION = {"ocr": False, "barcodes": False, "cccd": False}


def ids(window: MainWindow) -> list[str]:
    return [window.page_model.page_id(r) for r in range(window.page_model.rowCount())]


def test_page_actions_with_shortcuts_and_undo(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(**NO_RECOGNITION)
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    wait_analyzed(qtbot, window)
    # Without barcode reading nothing is split or excluded: 7 pages, one document.
    assert window.page_model.rowCount() == 7 and len(window.session.draft.documents) == 1
    # Quality flags are known for every page now.
    assert all(window.page_model.index(r).data(PageRole.ANALYZED) for r in range(7))
    original = ids(window)

    window.activateWindow()
    window.strip.setFocus()
    window.select_row(1)
    qtbot.keyClick(window.strip, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # rotate right
    assert window.page_model.index(1).data(PageRole.ROTATION) == 90
    qtbot.keyClick(window.strip, Qt.Key.Key_Delete)
    assert ids(window) == original[:1] + original[2:]
    assert original[1] in window.session.draft.excluded  # kept, never destroyed
    qtbot.keyClick(window.strip, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the delete
    assert ids(window) == original
    assert window.page_model.index(1).data(PageRole.ROTATION) == 90
    qtbot.keyClick(window.strip, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the rotation
    assert window.page_model.index(1).data(PageRole.ROTATION) == 0
    qtbot.keyClick(window.strip, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)  # redo it
    assert window.page_model.index(1).data(PageRole.ROTATION) == 90

    # Split a document at page 4, then merge it back.
    window.select_row(3)
    qtbot.keyClick(window.strip, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert [len(d.pages) for d in window.session.draft.documents] == [3, 4]
    assert window.page_model.index(3).data(PageRole.DOCUMENT) == 1
    assert len(window.documents_panel.combos) == 2
    window.select_row(0)
    qtbot.keyClick(window.strip, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    assert [len(d.pages) for d in window.session.draft.documents] == [7]

    # Drag and drop: the last page before the first (what the view does on a drop).
    mime = QMimeData()
    mime.setData(PAGE_MIME, original[6].encode())
    window.page_model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert ids(window) == [original[6], *original[:6]]
    window.session.undo()
    assert ids(window) == original

    # A document type typed freely (offline) is kept as typed; the PDF slot is made from it.
    window.documents_panel.docTypeChosen.emit(0, "Giấy chứng sinh")
    assert window.session.draft.documents[0].doc_type == "Giấy chứng sinh"

    # Rescan page 3: the new capture takes its place, the old one is kept as excluded.
    window.select_row(2)
    with qtbot.waitSignal(window.scanEnded, timeout=30_000):
        window.rescan_action.trigger()
    after = ids(window)
    assert len(after) == 7 and after[2] not in original and original[2] in window.session.draft.excluded
    # Insert pages before page 1 (a one-sheet job on the virtual feeder).
    window.select_row(0)
    window.feeder.count = 2
    with qtbot.waitSignal(window.scanEnded, timeout=30_000):
        window.insert_action.trigger()
    inserted = ids(window)
    assert len(inserted) == 9 and inserted[2:] == after
    # Every capture is journalled on disk, including the replaced one.
    assert len(list(window.session.store.captures.glob("*.png"))) == 7 + 1 + 2


def test_zooming_in_shows_the_full_resolution_page(qtbot: QtBot, make_window: WindowFactory) -> None:
    """The strip's preview is reduced; zooming past 1:1 swaps in the cleaned page at its scanned resolution."""
    window = make_window(**NO_RECOGNITION)
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    wait_analyzed(qtbot, window)
    second, third = window.page_model.page_id(2), window.page_model.page_id(3)
    window.select_row(2)
    qtbot.waitUntil(lambda: window.preview_page_id == second, timeout=10_000)  # rendering is coalesced
    reduced = window.preview.shown_pixels
    with qtbot.waitSignal(window.detailShown, timeout=20_000, check_params_cb=lambda page: page == second):
        for _ in range(12):  # Ctrl+= until past 1:1 of the reduced preview
            window.zoom_in_action.trigger()
    assert window.preview.detail_shown
    assert window.preview.shown_pixels > 1.5 * reduced  # e.g. 2480 px wide instead of ~850
    # Still zoomed in: the next page comes at full resolution too.
    with qtbot.waitSignal(window.detailShown, timeout=20_000, check_params_cb=lambda page: page == third):
        window.select_row(3)
    assert window.preview_page_id == third and window.preview.shown_pixels > 1.5 * reduced
