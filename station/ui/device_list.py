"""The scanner choice of the counter window: the devices the service detects, listed off the GUI thread (a slow
SANE backend never blocks the window), the configured one selected. Strings are in the "MainWindow" context."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QComboBox, QLabel

from scanning.models import ScanDevice
from station.counter.port import Counter
from station.errors import user_facing
from station.ui.calls import Calls


class DeviceList(QObject):
    def __init__(self, service: Counter, combo: QComboBox, status: QLabel, calls: Calls,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.service, self.combo, self.status, self.calls = service, combo, status, calls

    def refresh(self) -> None:
        self.calls.run(self.service.list_devices, self._listed, self._failed)

    def _listed(self, devices: list[ScanDevice]) -> None:
        for device in devices:
            if self.combo.findData(device.name) < 0:
                self.combo.addItem(device.label, device.name)
        wanted = self.service.settings.scanner.device
        self.combo.setCurrentIndex(max(0, self.combo.findData(wanted) if wanted else 0))

    def _failed(self, err: BaseException) -> None:
        typed = user_facing(err)
        message = typed.user_message if typed is not None else str(err)
        self.status.setText(QCoreApplication.translate("MainWindow", "Scanner list unavailable: {0}")
                            .format(message))
