"""Start the counter app: settings, SANE, embedded backend, translations, the counter service, the window.

The one place where the settings become the counter service's typed configuration (:func:`counter_service`).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.errors import StationError
from station import settings as st
from station.counter.drivers import DriverRegistry
from station.counter.service import CounterConfig, CounterService
from station.ui.context import AppContext
from station.ui.errors import ErrorReporter
from station.ui.i18n import install_translator
from station.ui.main_window import MainWindow
from station.ui.services import EmbeddedBackend, analysis_options, uploader_config, wants_embedded_backend

log = logging.getLogger(__name__)


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def counter_service(context: AppContext) -> CounterService:
    """The counter service of this window: its analysis, upload and journal configuration from the settings."""
    settings = context.settings
    config = CounterConfig(
        settings=settings,
        upload=uploader_config(settings, context.data_dir, context.embedded_backend),
        analysis=analysis_options(settings),
        journal_path=context.journal_path,
        sessions_root=context.sessions_root,
        out_root=context.out_root,
    )
    return CounterService(config, DriverRegistry(context.feeder))


def run_gui(*, scan_on_start: bool = False, screenshot: Path | None = None, settings_path: Path | None = None) -> int:
    # QApplication first, while this is the only thread: it sets the process locale (setlocale), which must
    # not race a library thread (SANE, OpenCV, Tesseract) touching the locale.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Digitization Station")
    settings = st.load(settings_path)
    data_dir = st.data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.scanner.device:
        use_virtual_devices()  # the virtual feeder and SANE's test devices
    translator = install_translator(app, settings.ui.language)
    embedded = None
    if wants_embedded_backend(settings):
        embedded = EmbeddedBackend(data_dir / "backend")
        embedded.start()
    try:
        context = AppContext(settings, data_dir, embedded, settings_path=settings_path)
        window = MainWindow(context, counter_service(context))
        reporter = ErrorReporter(window)
        reporter.install()  # an error nobody caught is logged and shown in Vietnamese, never only on stderr
        window.resize(1600, 1000)
        window.show()
        if embedded is not None:
            window.calls.run(lambda: embedded.wait_healthy(), lambda ok: window.start())
        else:
            window.start()
        if scan_on_start:
            window.scan()
        if screenshot is not None:
            from station.ui.screenshot import schedule_screenshot

            schedule_screenshot(window, screenshot)
        code = app.exec()
        reporter.uninstall()
        del translator
        return int(code)
    except StationError as err:
        print(err.user_message, file=sys.stderr)
        return err.exit_code
    finally:
        if embedded is not None:
            embedded.stop()
