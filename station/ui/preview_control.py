"""The large preview of the counter window: which page it shows, rendered once per turn of the event loop, and
the full-resolution cleaned page loaded off the GUI thread when the officer zooms past the preview."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage

from station.ui.calls import Calls
from station.ui.controller import CounterSession
from station.ui.models import PageRole, to_qimage
from station.ui.widgets import PageStrip, PreviewView
from station.workflow.finish import analysis_dir, load_cleaned


class PreviewControl(QObject):
    detailShown = Signal(str)  # page id whose full-resolution page is now in the preview

    def __init__(self, strip: PageStrip, view: PreviewView, session: CounterSession, calls: Calls,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.strip, self.view, self.session, self.calls = strip, view, session, calls
        self.page_id: str | None = None  # the page the large preview shows
        self._key: tuple[int, int] | None = None
        self._detail_loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._render)
        view.zoomChanged.connect(lambda _zoom: self._load_detail())

    def show_current(self) -> None:
        """Coalesced: many changes in one turn of the event loop (a page arrives, is selected, the draft
        changes) render the preview once."""
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _render(self) -> None:
        index = self.strip.currentIndex()
        if not index.isValid():
            self._key = None
            self.page_id = None
            self.view.show_image(None)
            return
        page_id = str(index.data(PageRole.PAGE_ID))
        info = self.session.pages.get(page_id)
        if info is None:
            return
        key = (id(info.preview), int(index.data(PageRole.ROTATION) or 0))
        if key != self._key:
            self._key = key
            self.page_id = page_id
            self.view.show_image(to_qimage(info.preview, key[1]))
        self._load_detail()

    def _load_detail(self) -> None:
        if not self.view.wants_detail() or self._detail_loading or self._key is None:
            return
        index = self.strip.currentIndex()
        if not index.isValid():
            return
        page_id = str(index.data(PageRole.PAGE_ID))
        key = self._key
        folder = analysis_dir(self.session.store)
        self._detail_loading = True

        def load() -> QImage | None:
            cleaned = load_cleaned(folder, page_id)
            return None if cleaned is None else to_qimage(cleaned.image, key[1])

        def loaded(image: QImage | None) -> None:
            self._detail_loading = False
            if self._key != key:  # the page or its turn changed meanwhile: load the one shown now
                self._load_detail()
            elif image is not None:
                self.view.show_detail(image)
                self.detailShown.emit(page_id)

        def failed(_err: BaseException) -> None:
            self._detail_loading = False

        self.calls.run(load, loaded, failed)
