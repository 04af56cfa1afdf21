"""libsane runs in SANE child processes: faults there (wedged or killed driver, leaked glibc locks)
never reach the station's own process, and every page received before a fault is kept."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from scanning.drivers.sane_driver import OptionSetter, SaneDriver
from scanning.drivers.sane_errors import DriverStoppedError
from scanning.drivers.sane_worker import serving_pids
from scanning.errors import DeviceGoneError, ScanCancelledError, ScannerError
from scanning.models import Page, PageSize, ScanOptions, Source
from tests.backend_fixtures import ROOT
from tests.pagegen import render_text_page, write_pnm
from tests.sane_fixtures import SLOW, PageWatch, cancel_mid_page, clean_virtual_devices
from tests.waiting import wait_until

__all__ = ["clean_virtual_devices"]  # autouse fixture

CARDS = ScanOptions(source=Source.ADF, resolution=150, page_size=PageSize.ID_CARD)


def slow_from_page(slow_page: int) -> tuple[SaneDriver, PageWatch]:
    """Pages before `slow_page` come at once; from it on the device reads 16 KiB per 0.2 s (about 2 s a card)."""
    watch = PageWatch(slow_page, {**SLOW, "read_limit_size": 16384})
    return SaneDriver(before_each_page=watch.hook, answer_timeout_s=1.0), watch


def the_serving_child() -> int:
    (pid,) = wait_until(serving_pids, 30, "the SANE child serving the job")
    return pid


def is_gone(pid: int) -> bool:
    """True once `pid` is no process or a zombie of someone else's (the forkserver reaps its own)."""
    try:
        status = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return True
    return status == "Z"


def wait_gone(pid: int) -> bool:
    return wait_until(lambda: is_gone(pid), 30, f"SANE child {pid} to be gone")


def run_python(code: str, timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env or dict(os.environ),
                          capture_output=True, text=True, timeout=timeout)


def scan_until(job: Iterator[Page], pages: list[Page], count: int) -> None:
    for page in job:
        pages.append(page)
        if len(pages) == count:
            return


# --- faults in the child ------------------------------------------------------------------------------


def test_a_child_killed_mid_scan_gives_a_typed_error_and_keeps_the_pages() -> None:
    pages: list[Page] = []
    job = slow_from_page(3)[0].scan("test:0", CARDS)
    scan_until(job, pages, 2)
    child = the_serving_child()
    os.kill(child, signal.SIGKILL)  # a vendor driver that segfaults looks the same from here
    with pytest.raises(DriverStoppedError) as caught:
        scan_until(job, pages, 10)
    assert isinstance(caught.value, DeviceGoneError) and "Các trang đã quét vẫn được giữ" in caught.value.user_message
    assert "exit code -9" in str(caught.value) and "page 3" in str(caught.value)
    assert [p.index for p in pages] == [1, 2]
    assert serving_pids() == []
    # the next job gets a fresh child and works
    assert len(list(SaneDriver().scan("test:0", ScanOptions(resolution=75)))) == 1


def test_a_wedged_child_is_killed_when_it_does_not_answer_a_cancel() -> None:
    pages: list[Page] = []
    cancel = threading.Event()
    job = slow_from_page(3)[0].scan("test:0", CARDS, cancel)
    scan_until(job, pages, 2)
    child = the_serving_child()
    os.kill(child, signal.SIGSTOP)  # stands for a driver stuck on a leaked lock: alive, deaf
    cancel.set()
    with pytest.raises(DriverStoppedError, match=r"did not confirm the cancel of .* within 1 s"):
        scan_until(job, pages, 10)
    assert [p.index for p in pages] == [1, 2]
    assert wait_gone(child)
    assert len(list(SaneDriver().scan("test:0", ScanOptions(resolution=75)))) == 1


def test_cancel_mid_page_ends_the_job_and_the_child_closes_cleanly() -> None:
    pages: list[Page] = []
    cancel = threading.Event()
    driver, watch = slow_from_page(2)
    job = driver.scan("test:0", CARDS, cancel)
    scan_until(job, pages, 1)
    child = the_serving_child()
    canceller = cancel_mid_page(watch, cancel)
    with pytest.raises(ScanCancelledError):
        scan_until(job, pages, 10)
    canceller.join(10)
    assert watch.seen_reading  # the cancel came while page 2 was being read ...
    assert [p.index for p in pages] == [1]  # ... and the cut page was not delivered
    assert wait_gone(child) and serving_pids() == []
    (page,) = SaneDriver().scan("test:0", ScanOptions(resolution=75))
    assert page.index == 1


def test_a_scan_fault_keeps_the_pages_and_the_child_is_replaced() -> None:
    def jam_at_3(number: int, set_option: OptionSetter) -> None:
        if number == 3:
            set_option("read_return_value", "SANE_STATUS_JAMMED")

    pages: list[Page] = []
    with pytest.raises(ScannerError, match="page 3") as caught:
        scan_until(SaneDriver(before_each_page=jam_at_3).scan("test:0", CARDS), pages, 10)
    assert "Kẹt giấy" in caught.value.user_message
    assert [p.index for p in pages] == [1, 2]
    assert len(list(SaneDriver().scan("test:0", CARDS))) == 10  # fresh child: the jam did not stay


# --- the station's own process ------------------------------------------------------------------------

HEALTH = """
import locale, threading
ok = []
def probe():
    locale.setlocale(locale.LC_ALL, "")  # glibc's setlocale lock
    bytearray(64 << 20)  # the allocator's locks
    ok.append(str(OSError(5, "")))  # strerror
t = threading.Thread(target=probe, daemon=True)
t.start()
t.join(30)
print("healthy" if ok else "WEDGED", flush=True)
"""

JAM_CANCEL_LOOP = """
import json, sys, threading
from scanning.drivers.sane_driver import SaneDriver
from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.errors import PaperJamError, ScanCancelledError, ScannerError
from scanning.models import PageSize, ScanOptions, Source
use_virtual_devices()
outcomes = {}
slow = {"read_delay": True, "read_delay_duration": 2000, "read_limit": True, "read_limit_size": 4096}
for i in range(200):
    if i % 2 == 0:  # the feeder jams on the first sheet; the driver then calls sane_cancel
        driver = SaneDriver(extra_options={"read_return_value": "SANE_STATUS_JAMMED"})
        cancel = threading.Event()
    else:  # a cancel lands while the backend's reader thread is writing the page
        driver = SaneDriver(extra_options=slow)
        cancel = threading.Event()
        threading.Timer(0.02 + (i % 7) * 0.01, cancel.set).start()
    try:
        list(driver.scan("test:0", ScanOptions(source=Source.ADF, resolution=75, page_size=PageSize.A5), cancel))
        outcomes["finished"] = outcomes.get("finished", 0) + 1
    except ScannerError as err:
        outcomes[type(err).__name__] = outcomes.get(type(err).__name__, 0) + 1
print(json.dumps(outcomes), flush=True)
print("sane loaded" if {"sane", "_sane"} & set(sys.modules) else "sane not loaded", flush=True)
""" + HEALTH


@pytest.mark.timeout(600)
def test_jam_then_cancel_loop_leaves_the_station_process_healthy() -> None:
    done = run_python(JAM_CANCEL_LOOP, timeout=540)  # a leaked lock would hang: the timeout fails the test
    assert done.returncode == 0, done.stderr[-3000:]
    counts_line, loaded, health = done.stdout.split("\n")[:3]
    counts = json.loads(counts_line)
    assert counts.get("PaperJamError") == 100
    assert counts.get("ScanCancelledError", 0) + counts.get("DriverStoppedError", 0) == 100
    assert loaded == "sane not loaded"
    assert health == "healthy"


def test_the_station_process_never_loads_libsane(tmp_path: Path) -> None:
    source = write_pnm(render_text_page(dpi=75).image, tmp_path / "Giấy tờ đất đai của Nguyễn Văn Ánh.pgm")
    code = f"""
import multiprocessing, sys
from scanning.drivers.sane_driver import SaneDriver
from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.models import PageSize, ScanOptions
use_virtual_devices()
names = [d.name for d in SaneDriver().list_devices()]
caps = SaneDriver().capabilities("test:0")
(test,) = SaneDriver().scan("test:0", ScanOptions(resolution=75, page_size=PageSize.A5))
(pnm,) = SaneDriver(extra_options={{"filename": {str(source)!r}}}).scan(
    "pnm:0", ScanOptions(resolution=75, page_size=PageSize.AUTO))
print("test:0" in names, bool(caps.resolutions), test.image.shape, pnm.image.shape)
print(sorted({{"sane", "_sane"}} & set(sys.modules)))
print(" ".join(str(p.pid) for p in multiprocessing.active_children()))
"""
    done = run_python(code, timeout=120)
    assert done.returncode == 0, done.stderr
    scanned, loaded, children = done.stdout.split("\n")[:3]
    assert scanned.startswith("True True (620, 437)")
    assert loaded == "[]"
    assert children  # the spare child was running at the end ...
    assert all(wait_gone(int(pid)) for pid in children.split())  # ... and is gone with the station


def test_the_environment_reaches_children_of_an_older_forkserver() -> None:
    """The forkserver keeps the environment it started with; the child must still get today's."""
    code = """
from multiprocessing import forkserver
forkserver.ensure_running()  # started while SANE_CONFIG_DIR is not set
from scanning.drivers.sane_driver import SaneDriver
from scanning.drivers.sane_runtime import use_virtual_devices
use_virtual_devices()
print(sorted(d.name for d in SaneDriver().list_devices()))
"""
    env = {k: v for k, v in os.environ.items() if k != "SANE_CONFIG_DIR"}
    done = run_python(code, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert "'test:0'" in done.stdout and "'pnm:0'" in done.stdout
