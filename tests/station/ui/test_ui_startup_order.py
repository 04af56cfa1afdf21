"""QApplication comes first, in the app and in the test session: it sets the process locale (setlocale takes
glibc's locale lock), and a scanner backend's thread cancelled asynchronously can leave that lock held (see
tests/qt_fixtures.py). Nothing that starts threads of ours or initialises SANE may run before it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.backend_fixtures import ROOT
from tests.qt_fixtures import THREADS_AT_QAPPLICATION

PROBE = """
import os, sys
import station.ui.app as app_module
from PySide6.QtWidgets import QApplication
from scanning.drivers import sane_runtime

class Probe(QApplication):
    def __init__(self, argv):
        import threading
        print(threading.active_count(), sane_runtime.initialised_config_dir(), flush=True)
        os._exit(0)

app_module.QApplication = Probe
app_module.run_gui()
"""


def test_the_app_creates_its_qapplication_before_sane_or_any_thread(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(STATION_DATA_DIR=str(tmp_path / "dữ liệu"), STATION_CONFIG_DIR=str(tmp_path / "cấu hình"),
               QT_QPA_PLATFORM="offscreen")
    env.pop("SANE_CONFIG_DIR", None)
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    threads, sane_dir = result.stdout.split()
    assert sane_dir == "None"  # SANE not initialised yet: no backend thread can exist
    assert threads == "1"  # nor any thread of ours (idle native pools of numpy/OpenCV do not touch the locale)


def test_the_session_qapplication_was_created_while_the_process_had_one_thread() -> None:
    assert QApplication.instance() is not None
    assert THREADS_AT_QAPPLICATION == [1]
