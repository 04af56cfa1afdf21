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
from scanning.drivers.sane_worker import shutdown_children
from station import settings as st
from station.counter.drivers import DriverRegistry
from station.counter.service import CounterService
from station.errors import USER_FACING_ERRORS, user_facing
from station.runtime import Runtime, load_runtime
from station.ui.context import AppContext
from station.ui.errors import ErrorReporter
from station.ui.i18n import install_translator
from station.ui.main_window import MainWindow
from station.ui.services import EmbeddedBackend, embedded_upload, wants_embedded_backend

log = logging.getLogger(__name__)


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform in ("offscreen", "minimal", "vnc"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def counter_service(context: AppContext) -> CounterService:
    """The counter service of this window, configured with the runtime's typed sections."""
    runtime = context.runtime
    return CounterService(
        settings=runtime.settings,
        analysis=runtime.analysis,
        upload=embedded_upload(runtime.upload, context.embedded_backend),
        journal=runtime.journal,
        review=runtime.review,
        sessions_root=context.sessions_root,
        out_root=context.out_root,
        drivers=DriverRegistry(context.feeder),
    )


def counter_runtime(settings_path: Path | None = None) -> Runtime:
    """The runtime of the counter app; `settings_path` (`station gui --settings`) stands in for the user's
    settings.json (it must carry that name: the runtime reads settings.json of a config folder)."""
    if settings_path is None:
        return load_runtime(None)
    if settings_path.name != st.SETTINGS_FILE:
        raise st.SettingsError(f"--settings must name a {st.SETTINGS_FILE} file (got {settings_path.name!r})",
                               user_message=f"Tuỳ chọn --settings phải chỉ tới một tệp {st.SETTINGS_FILE}.")
    return load_runtime(None, environ={**os.environ, "STATION_CONFIG_DIR": str(settings_path.parent)})


def run_gui(*, scan_on_start: bool = False, screenshot: Path | None = None, settings_path: Path | None = None) -> int:
    # QApplication first, while this is the only thread: it sets the process locale (setlocale), which must
    # not race a library thread (SANE, OpenCV, Tesseract) touching the locale.
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Digitization Station")
    try:
        runtime = counter_runtime(settings_path)
    except USER_FACING_ERRORS as err:  # a bad settings file or variable: say which, in Vietnamese
        typed = user_facing(err)
        assert typed is not None  # every base carries exit_code and user_message
        print(typed.user_message, file=sys.stderr)
        return typed.exit_code
    settings = runtime.settings
    runtime.data_dir.mkdir(parents=True, exist_ok=True)
    if not settings.scanner.device:
        use_virtual_devices()  # the virtual feeder and SANE's test devices
    translator = install_translator(app, settings.ui.language)
    embedded = None
    if wants_embedded_backend(runtime):
        embedded = EmbeddedBackend(runtime.data_dir / "backend")
        embedded.start()
    try:
        context = AppContext(runtime, embedded, settings_path=settings_path)
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
        shutdown_children()  # the spare SANE child now, not at interpreter exit
        reporter.uninstall()
        del translator
        return int(code)
    except USER_FACING_ERRORS as err:  # any library's typed error (scanning, ocr, uploader)
        typed = user_facing(err)
        assert typed is not None  # every base carries exit_code and user_message
        print(typed.user_message, file=sys.stderr)
        return typed.exit_code
    finally:
        if embedded is not None:
            embedded.stop()
