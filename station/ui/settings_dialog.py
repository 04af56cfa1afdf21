"""The settings dialog: scanner defaults, profiles, backend and token, station/operator, language, thresholds.

Values are validated by the settings dataclasses themselves (station/settings.py); a wrong value is shown
in the dialog, which stays open. The token goes to the keyring (uploader.client.store_token), never to the
settings file.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station import settings as st
from uploader.client import store_token
from uploader.config import UploaderConfig

SOURCES = ("flatbed", "adf", "duplex")
MODES = ("color", "gray", "lineart")
SIZES = ("a4", "a5", "letter", "id-card", "auto")
PROFILE_COLUMNS = ("name", "source", "resolution", "mode", "page_size")


def _combo(values: tuple[str, ...], current: str) -> QComboBox:
    combo = QComboBox()
    for value in values:
        combo.addItem(value, value)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class SettingsDialog(QDialog):
    def __init__(self, settings: st.Settings, uploader: UploaderConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.setMinimumWidth(720)
        self._settings = settings
        self._uploader = uploader
        self._result: st.Settings = settings
        tabs = QTabWidget()

        scanner = QWidget()
        form = QFormLayout(scanner)
        self.device = QLineEdit(settings.scanner.device)
        self.device.setPlaceholderText(self.tr("empty: the virtual scanner with the sample pages"))
        self.source = _combo(SOURCES, settings.scanner.source)
        self.resolution = QSpinBox()
        self.resolution.setRange(75, 1200)
        self.resolution.setValue(settings.scanner.resolution)
        self.mode = _combo(MODES, settings.scanner.mode)
        self.page_size = _combo(SIZES, settings.scanner.page_size)
        form.addRow(self.tr("Scanner device:"), self.device)
        form.addRow(self.tr("Paper source:"), self.source)
        form.addRow(self.tr("Resolution (dpi):"), self.resolution)
        form.addRow(self.tr("Colour mode:"), self.mode)
        form.addRow(self.tr("Page size:"), self.page_size)
        tabs.addTab(scanner, self.tr("Scanner"))

        profiles = QWidget()
        layout = QVBoxLayout(profiles)
        self.profiles = QTableWidget(0, len(PROFILE_COLUMNS))
        self.profiles.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Source"), self.tr("dpi"),
                                                 self.tr("Mode"), self.tr("Size")])
        self.profiles.horizontalHeader().setStretchLastSection(True)
        for profile in settings.profiles.items:
            self._add_profile_row(profile)
        buttons = QHBoxLayout()
        add = QPushButton(self.tr("Add profile"))
        add.clicked.connect(lambda: self._add_profile_row(st.ScanProfile(self.tr("New profile"))))
        remove = QPushButton(self.tr("Remove profile"))
        remove.clicked.connect(lambda: self.profiles.removeRow(self.profiles.currentRow()))
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addWidget(self.profiles)
        layout.addLayout(buttons)
        tabs.addTab(profiles, self.tr("Profiles"))

        backend = QWidget()
        form = QFormLayout(backend)
        self.url = QLineEdit(settings.backend.url)
        self.url.setPlaceholderText(self.tr("empty: the reference backend started on this computer"))
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText(self.tr("unchanged (stored in the system keyring)"))
        self.station_id = QLineEdit(settings.backend.station_id)
        self.operator_id = QLineEdit(settings.backend.operator_id)
        self.retention = QSpinBox()
        self.retention.setRange(0, 3650)
        self.retention.setValue(settings.backend.retention_days)
        form.addRow(self.tr("Backend URL:"), self.url)
        form.addRow(self.tr("API token:"), self.token)
        form.addRow(self.tr("Station id:"), self.station_id)
        form.addRow(self.tr("Operator id:"), self.operator_id)
        form.addRow(self.tr("Keep sent files (days):"), self.retention)
        tabs.addTab(backend, self.tr("Backend"))

        general = QWidget()
        form = QFormLayout(general)
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(0, self.language.findData(settings.ui.language)))
        self.font_pt = QSpinBox()
        self.font_pt.setRange(8, 32)
        self.font_pt.setValue(settings.ui.font_pt)
        self.min_dpi = QSpinBox()
        self.min_dpi.setRange(50, 1200)
        self.min_dpi.setValue(settings.quality.min_dpi)
        self.max_skew = QDoubleSpinBox()
        self.max_skew.setRange(0.1, 45.0)
        self.max_skew.setValue(settings.quality.max_skew_deg)
        form.addRow(self.tr("Language:"), self.language)
        form.addRow(self.tr("Text size (pt):"), self.font_pt)
        form.addRow(self.tr("Lowest acceptable dpi:"), self.min_dpi)
        form.addRow(self.tr("Largest acceptable skew (°):"), self.max_skew)
        tabs.addTab(general, self.tr("General"))

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color:#c01c28;font-weight:bold;")
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(tabs)
        outer.addWidget(self.error)
        outer.addWidget(box)

    def _add_profile_row(self, profile: st.ScanProfile) -> None:
        row = self.profiles.rowCount()
        self.profiles.insertRow(row)
        self.profiles.setItem(row, 0, QTableWidgetItem(profile.name))
        self.profiles.setCellWidget(row, 1, _combo(SOURCES, profile.source))
        spin = QSpinBox()
        spin.setRange(75, 1200)
        spin.setValue(profile.resolution)
        self.profiles.setCellWidget(row, 2, spin)
        self.profiles.setCellWidget(row, 3, _combo(MODES, profile.mode))
        self.profiles.setCellWidget(row, 4, _combo(SIZES, profile.page_size))

    def _profiles(self) -> tuple[st.ScanProfile, ...]:
        out = []
        for row in range(self.profiles.rowCount()):
            item = self.profiles.item(row, 0)
            source = self.profiles.cellWidget(row, 1)
            spin = self.profiles.cellWidget(row, 2)
            mode = self.profiles.cellWidget(row, 3)
            size = self.profiles.cellWidget(row, 4)
            assert isinstance(source, QComboBox) and isinstance(spin, QSpinBox)
            assert isinstance(mode, QComboBox) and isinstance(size, QComboBox)
            out.append(st.ScanProfile(item.text() if item else "", str(source.currentData()), spin.value(),
                                      str(mode.currentData()), str(size.currentData())))
        return tuple(out)

    def build(self) -> st.Settings:
        """The settings as entered; raises SettingsError naming the wrong value."""
        s = self._settings
        return replace(
            s,
            scanner=st.ScannerSettings(self.device.text().strip(), str(self.source.currentData()),
                                       self.resolution.value(), str(self.mode.currentData()),
                                       str(self.page_size.currentData())),
            quality=replace(s.quality, min_dpi=self.min_dpi.value(), max_skew_deg=self.max_skew.value()),
            backend=replace(s.backend, url=self.url.text().strip(), station_id=self.station_id.text().strip(),
                            operator_id=self.operator_id.text().strip(), retention_days=self.retention.value()),
            ui=replace(s.ui, language=str(self.language.currentData()), font_pt=self.font_pt.value()),
            profiles=replace(s.profiles, items=self._profiles()),
        )

    def accept(self) -> None:
        self.error.clear()
        try:
            self._result = self.build()
        except st.SettingsError as err:
            self.error.setText(self.tr("Not saved: {0}").format(err))
            return
        token = self.token.text().strip()
        if token:
            try:
                store_token(self._uploader, token)
            except Exception as err:  # keyring backends raise their own errors
                self.error.setText(self.tr("The token could not be stored in the keyring: {0}").format(
                    type(err).__name__))
                return
        super().accept()

    def result_settings(self) -> st.Settings:
        return self._result
