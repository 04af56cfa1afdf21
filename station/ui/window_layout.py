"""The counter window's widgets, actions and toolbars, built once. No behaviour: MainWindow (main_window.py)
connects them to the counter service. Strings are in the "MainWindow" translation context, as the window's own."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from station import settings as st
from station.ui.models import OutboxModel, PageListModel
from station.ui.widgets import DocumentsPanel, DossierPanel, MessageBar, PageStrip, PreviewView, UploadPanel
from station.workflow.samples import FEEDER_NAME

Slot = Callable[[], None]
Shortcut = QKeySequence.StandardKey | str | list[str] | None


@dataclass(frozen=True)
class ActionSlots:
    """What each action of the window does."""

    scan: Slot
    stop: Slot
    rescan: Slot
    insert: Slot
    rotate_left: Slot
    rotate_right: Slot
    delete: Slot
    split: Slot
    merge: Slot
    undo: Slot
    redo: Slot
    zoom_in: Slot
    zoom_out: Slot
    zoom_fit: Slot
    code: Slot
    finish: Slot
    settings: Slot
    review: Slot


class CounterWindowLayout(QMainWindow):
    """Widgets, actions and toolbars of the counter window."""

    def _build_ui(self, settings: st.Settings, page_model: PageListModel, outbox_model: OutboxModel) -> None:
        self.setWindowTitle(QCoreApplication.translate("MainWindow", "Digitization Station — counter"))
        font = QFont(self.font())
        font.setPointSize(settings.ui.font_pt)
        self.setFont(font)
        self.device_combo = QComboBox()
        self.device_combo.setMinimumWidth(260)
        self.device_combo.addItem(QCoreApplication.translate("MainWindow", "Virtual scanner (sample pages)"),
                                  FEEDER_NAME)
        self.profile_combo = QComboBox()
        self.profile_combo.setMinimumWidth(320)
        self.profile_combo.addItem(QCoreApplication.translate("MainWindow", "Scanner defaults"), "")
        for profile in settings.profiles.items:
            self.profile_combo.addItem(profile.name, profile.name)
        selected = self.profile_combo.findData(settings.profiles.selected)
        self.profile_combo.setCurrentIndex(max(0, selected))

        self.message_bar = MessageBar()
        self.strip = PageStrip()
        self.strip.setModel(page_model)
        self.strip.setMinimumWidth(2 * 160)
        self.preview = PreviewView()
        self.documents_panel = DocumentsPanel()
        self.dossier_panel = DossierPanel()
        self.upload_panel = UploadPanel(outbox_model)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.strip, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.dossier_panel)
        right_layout.addWidget(self.documents_panel)
        right_layout.addWidget(self.upload_panel, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.addWidget(right)
        for column, stretch in enumerate((2, 3, 2)):
            splitter.setStretchFactor(column, stretch)
        splitter.setSizes([440, 560, 600])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.message_bar)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.status_label = QLabel()
        self.upload_status = QLabel()
        self.rescan_button = QPushButton()
        self.rescan_button.setStyleSheet("font-weight:bold;color:#a51d2d;")
        self.rescan_button.hide()
        self.statusBar().addWidget(self.status_label, 1)
        self.statusBar().addPermanentWidget(self.rescan_button)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.upload_status)

    def _action(self, text: str, shortcut: Shortcut, slot: Slot) -> QAction:
        action = QAction(text, self)
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if shortcut:
            keys = ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts())
            action.setToolTip(f"{text} ({keys})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self, slots: ActionSlots) -> None:
        translate = QCoreApplication.translate
        self.scan_action = self._action(translate("MainWindow", "Scan"), "F5", slots.scan)
        self.stop_action = self._action(translate("MainWindow", "Stop"), "Esc", slots.stop)
        self.rescan_action = self._action(translate("MainWindow", "Rescan page"), "Ctrl+Shift+R", slots.rescan)
        self.insert_action = self._action(translate("MainWindow", "Insert pages"), "Ctrl+I", slots.insert)
        self.rotate_left_action = self._action(translate("MainWindow", "Rotate left"), "Ctrl+L", slots.rotate_left)
        self.rotate_right_action = self._action(translate("MainWindow", "Rotate right"), "Ctrl+R",
                                                slots.rotate_right)
        self.delete_action = self._action(translate("MainWindow", "Delete page"), "Del", slots.delete)
        self.split_action = self._action(translate("MainWindow", "Split here"), "Ctrl+T", slots.split)
        self.merge_action = self._action(translate("MainWindow", "Merge with next"), "Ctrl+M", slots.merge)
        self.undo_action = self._action(translate("MainWindow", "Undo"), "Ctrl+Z", slots.undo)
        self.redo_action = self._action(translate("MainWindow", "Redo"), ["Ctrl+Y", "Ctrl+Shift+Z"], slots.redo)
        self.zoom_in_action = self._action(translate("MainWindow", "Zoom in"), ["Ctrl++", "Ctrl+="], slots.zoom_in)
        self.zoom_out_action = self._action(translate("MainWindow", "Zoom out"), "Ctrl+-", slots.zoom_out)
        self.zoom_fit_action = self._action(translate("MainWindow", "Fit page"), "Ctrl+0", slots.zoom_fit)
        self.code_action = self._action(translate("MainWindow", "Dossier code"), "F2", slots.code)
        self.finish_action = self._action(translate("MainWindow", "Finish and send"), ["Ctrl+Return", "Ctrl+Enter"],
                                          slots.finish)
        self.settings_action = self._action(translate("MainWindow", "Settings"), "Ctrl+,", slots.settings)
        self.review_action = self._action(translate("MainWindow", "Quality review"), "F9", slots.review)
        bar = QToolBar(translate("MainWindow", "Main"))
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.addWidget(QLabel(translate("MainWindow", "Scanner:") + " "))
        bar.addWidget(self.device_combo)
        bar.addWidget(QLabel("  " + translate("MainWindow", "Profile:") + " "))
        bar.addWidget(self.profile_combo)
        bar.addSeparator()
        for action in (self.scan_action, self.stop_action):
            bar.addAction(action)
        self.addToolBar(bar)
        edit = QToolBar(translate("MainWindow", "Pages"))
        edit.setObjectName("edit-toolbar")
        edit.setMovable(False)
        for action in (self.rotate_left_action, self.rotate_right_action, self.delete_action, self.rescan_action,
                       self.insert_action, self.split_action, self.merge_action, self.undo_action,
                       self.redo_action, self.zoom_in_action, self.zoom_out_action, self.zoom_fit_action):
            edit.addAction(action)
        edit.addSeparator()
        edit.addAction(self.finish_action)
        edit.addAction(self.review_action)
        edit.addAction(self.settings_action)
        self.addToolBarBreak()
        self.addToolBar(edit)
        _style(edit.widgetForAction(self.finish_action), "#26a269", "12px")
        _style(bar.widgetForAction(self.scan_action), "#1a5fb4", "16px")

    def _update_actions(self, *, has_pages: bool, scanning: bool, can_undo: bool, can_redo: bool) -> None:
        self.scan_action.setEnabled(not scanning)
        self.stop_action.setEnabled(scanning)
        for action in (self.rescan_action, self.insert_action, self.rotate_left_action, self.rotate_right_action,
                       self.delete_action, self.split_action, self.merge_action):
            action.setEnabled(has_pages and not scanning)
        self.undo_action.setEnabled(can_undo and not scanning)
        self.redo_action.setEnabled(can_redo and not scanning)
        self.finish_action.setEnabled(has_pages and not scanning)


def _style(button: QWidget | None, background: str, padding: str) -> None:
    if button is not None:
        button.setStyleSheet(f"font-weight:bold;color:white;background:{background};padding:4px {padding};"
                             "border-radius:4px;")
