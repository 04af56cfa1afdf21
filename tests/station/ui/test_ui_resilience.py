"""Nothing is lost, nothing freezes: a scanner jam keeps the pages, a killed app restores its session,
the event loop never stalls while 20 pages are scanned and analysed, no display gives a clear message."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from scanning.errors import PaperJamError
from station.workflow.samples import VirtualFeeder
from tests.backend_fixtures import ROOT
from tests.station.ui.window_support import WindowFactory, wait_analyzed, wait_scanned


def test_a_paper_jam_keeps_the_pages_and_says_what_to_do(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(VirtualFeeder(fault_at=(4, "status_jammed")), ocr=False, cccd=False)
    pages, error = wait_scanned(qtbot, window)
    assert isinstance(error, PaperJamError) and pages == 3
    text = window.message_bar.text()
    assert "Kẹt giấy" in text and "gỡ tờ giấy bị kẹt" in text  # the Vietnamese user message: what to do
    assert "3" in text
    assert len(list(window.session.store.captures.glob("*.png"))) == 3
    wait_analyzed(qtbot, window)
    kept = window.page_model.rowCount()
    assert kept == 1  # receipt and separator sheet left the documents; the form page stays
    # The operator clears the jam and scans on: the pages already scanned stay.
    window.feeder = VirtualFeeder()
    pages, error = wait_scanned(qtbot, window)
    assert error is None and pages == 7
    assert len(list(window.session.store.captures.glob("*.png"))) == 10
    assert window.page_model.rowCount() >= kept + 7 - 3


def test_killed_app_offers_to_restore_every_captured_page(qtbot: QtBot, make_window: WindowFactory,
                                                          station_dirs: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(STATION_DATA_DIR=str(station_dirs), STATION_CONFIG_DIR=os.environ["STATION_CONFIG_DIR"],
               STATION_BACKEND_URL="http://127.0.0.1:9", QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1")
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from station.ui.app import run_gui; sys.exit(run_gui(scan_on_start=True))"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    captures = station_dirs / "session" / "current" / "captures"

    def five_captured() -> bool:
        assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
        return len(list(captures.glob("*.png"))) >= 5

    qtbot.waitUntil(five_captured, timeout=60_000)
    os.killpg(child.pid, signal.SIGKILL)  # the app and its analysis worker: no cleanup at all, like a power cut
    child.wait(10)
    on_disk = {p.stem for p in captures.glob("*.png")}
    assert len(on_disk) >= 5

    asked: list[str] = []
    window = make_window(start=False)
    window.ask = lambda title, text: bool(asked.append(text) or True)  # type: ignore[method-assign,func-returns-value]
    window.start()
    assert asked and str(len(on_disk)) in asked[0]
    draft = window.session.draft
    restored = {p.page_id for d in draft.documents for p in d.pages} | set(draft.excluded)
    assert on_disk <= restored  # every capture is back (in a document, or excluded as receipt/separator)
    shown = [p.page_id for d in draft.documents for p in d.pages]
    assert window.page_model.rowCount() == len(shown) > 0
    qtbot.waitUntil(lambda: all(pid in window.session.pages for pid in shown), timeout=30_000)
    # The restored pages are checked again (badges, separators, cards) and can be finished as usual.
    wait_analyzed(qtbot, window)


def test_restore_declined_keeps_the_old_pages_aside(qtbot: QtBot, make_window: WindowFactory,
                                                    station_dirs: Path) -> None:
    window = make_window(ocr=False, cccd=False)
    wait_scanned(qtbot, window)
    wait_analyzed(qtbot, window)
    window.close()
    again = make_window(start=False)
    again.ask = lambda title, text: False  # type: ignore[method-assign]
    again.start()
    assert again.page_model.rowCount() == 0
    aside = list((station_dirs / "session" / "set-aside").glob("*/current/captures/*.png"))
    assert len(aside) == 7  # declined is not deleted


def test_event_loop_never_stalls_while_scanning_20_pages(qtbot: QtBot, make_window: WindowFactory) -> None:
    window = make_window(VirtualFeeder(count=20))
    qtbot.wait(500)  # the window settles (first layout, device list)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    last[0] = time.perf_counter()
    timer.start()
    pages, error = wait_scanned(qtbot, window, timeout=120_000)
    wait_analyzed(qtbot, window, timeout=180_000)
    timer.stop()
    assert error is None and pages == 20
    assert len(window.session.pages) == 20 and all(i.analysis is not None for i in window.session.pages.values())
    assert len(gaps) > 100
    print(f"event loop: {len(gaps)} ticks, longest gap {max(gaps) * 1000:.0f} ms")  # shown with -s
    assert max(gaps) < 0.100, f"event loop stalled {max(gaps) * 1000:.0f} ms"


def test_without_a_display_it_says_how_to_run(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["STATION_DATA_DIR"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "station"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode != 0
    assert re.search(r"xvfb-run -a \S*station ", result.stderr) and re.search(r"\S*station process", result.stderr)
    assert "xvfb-run -a bash .ci/start" in result.stderr
    assert "Không tìm thấy màn hình" in result.stderr and "No display found" in result.stderr
    assert "Traceback" not in result.stderr
