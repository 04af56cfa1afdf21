"""The dossier side of the counter window: the code typed or read from the receipt, what the backend knows of
the dossier (asked through the counter service, off the GUI thread), and the ID card checked against its
applicant — worded for the officer. Strings are in the "MainWindow" translation context."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QLabel

from ocr.dossier_code import is_valid_dossier_code, normalize_dossier_code
from ocr.models import CitizenId
from station.counter.crosscheck import CardWarning, CardWarningKind
from station.counter.lookup import DossierLookup, LookupFailure
from station.counter.port import Counter
from station.ui.calls import Calls
from station.ui.controller import CounterSession
from station.ui.widgets import DocumentsPanel, DossierPanel
from uploader.models import Dossier


class DossierView(QObject):
    loaded = Signal(object)  # Dossier or None

    def __init__(self, service: Counter, session: CounterSession, calls: Calls, panel: DossierPanel,
                 documents: DocumentsPanel, status: QLabel, changed: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.session, self.calls = service, session, calls
        self.panel, self.documents, self.status, self.changed = panel, documents, status, changed
        self.dossier: Dossier | None = None
        panel.codeEntered.connect(self.enter_code)
        session.dossierCodeRead.connect(self.code_read)
        session.cardsRead.connect(self.show_cards)

    def enter_code(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        code = normalize_dossier_code(text)
        if code is None or not is_valid_dossier_code(code):
            self.panel.set_status(QCoreApplication.translate(
                "MainWindow", "Not a valid dossier code (example: 000.00.01.H22-250702-0013)"), False)
            return
        if code != self.session.draft.dossier_code:
            self.session.apply(self.session.draft.set_dossier_code(code))
        self.panel.set_code(code)
        self.fetch(code)

    def code_read(self, code: str) -> None:
        self.panel.set_code(code)
        self.status.setText(QCoreApplication.translate("MainWindow", "Dossier code read from the receipt: {0}")
                            .format(code))
        self.fetch(code)

    def fetch(self, code: str) -> None:
        if self.dossier is not None and self.dossier.code == code:
            return
        self.panel.set_status(QCoreApplication.translate("MainWindow", "Looking up the dossier…"), None)
        service = self.service
        self.calls.run(lambda: service.lookup(code), self._looked_up)

    def _looked_up(self, found: DossierLookup) -> None:
        if self.session.draft.dossier_code != found.code:
            return  # the counter moved on
        dossier = self.dossier = found.dossier
        if dossier is not None:
            self.panel.show_dossier(dossier)
            if found.is_open:
                self.panel.set_status(QCoreApplication.translate("MainWindow", "Dossier found, open for documents"),
                                      True)
            else:
                self.panel.set_status(QCoreApplication.translate(
                    "MainWindow", "Dossier found, but its status is \"{0}\": check before sending")
                    .format(dossier.status), False)
            self.documents.set_required(dossier.required_documents)
        else:
            self.documents.set_required(())
        self.changed()
        if dossier is not None:
            self.show_cards(tuple(self.session.cards))
        elif found.failure is LookupFailure.NOT_FOUND:
            self.panel.set_status(QCoreApplication.translate(
                "MainWindow", "This code is not on the backend yet; check it. Document types can be typed freely."),
                False)
        elif found.failure is LookupFailure.OFFLINE:
            self.panel.set_status(QCoreApplication.translate(
                "MainWindow", "Backend unreachable: working offline, document types can be typed freely."), False)
        else:
            self.panel.set_status(found.message, False)
        self.loaded.emit(dossier)

    def show_cards(self, cards: tuple[CitizenId, ...]) -> None:
        check = self.service.check_cards(cards, self.dossier)
        warnings = [card_warning(w) for w in check.warnings]
        self.panel.show_applicant(check.card, list(dict.fromkeys(warnings)))

    def clear(self) -> None:
        self.dossier = None
        self.documents.set_required(())
        self.panel.clear()


def card_warning(warning: CardWarning) -> str:
    kind = warning.kind
    if kind is CardWarningKind.CHECK_FAILED:
        return QCoreApplication.translate("MainWindow", "Check failed on the card: {0}").format(warning.detail)
    if kind is CardWarningKind.SIDES_DIFFER:
        return QCoreApplication.translate("MainWindow", "The two sides of the card carry different ID numbers")
    if kind is CardWarningKind.ID_DIFFERS:
        return QCoreApplication.translate("MainWindow", "The ID number differs from the dossier's applicant")
    if kind is CardWarningKind.NAME_DIFFERS:
        return QCoreApplication.translate("MainWindow", "The name differs from the dossier's applicant")
    return warning.detail  # the card reader's own note
