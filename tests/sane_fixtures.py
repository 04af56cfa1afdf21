"""Helpers for tests on SANE's virtual devices.

The `test` and `pnm` backends keep option values for the life of the SANE library, across
sane_open/sane_close. libsane now lives in SANE child processes, one per request, so a jam injected
by one job dies with its child; `reset_virtual_devices` still points SANE at the virtual devices
and drops the spare child, so each test starts from a freshly initialised library.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from scanning.drivers.sane_driver import OptionSetter, SaneValue
from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.drivers.sane_worker import serving_pids, shutdown_children
from tests.waiting import wait_until

# The `test` device made slow: each sane_read gets at most `read_limit_size` bytes, then the backend pauses
# 0.2 s. Tests make a page slower than they could ever wait for by lowering the read size.
SLOW: dict[str, SaneValue] = {"read_delay": True, "read_delay_duration": 200_000, "read_limit": True,
                              "read_limit_size": 65536}
# More than any request the station sends a child after a page's hook ("go", "cancel"): received page data.
PAGE_DATA_BYTES = 16384


def reset_virtual_devices() -> None:
    use_virtual_devices()
    shutdown_children()


@pytest.fixture(autouse=True)
def clean_virtual_devices() -> Iterator[None]:
    reset_virtual_devices()
    yield
    reset_virtual_devices()


def bytes_read(pid: int) -> int:
    """All the bytes process `pid` has read so far (its sane_read calls drain the backend's pipe)."""
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError(f"/proc/{pid}/io has no rchar")


class PageWatch:
    """Tells, without any timing guess, when the SANE child is in the middle of reading sheet `page`: its
    hook (pass :meth:`hook` as the driver's `before_each_page`) has run and page data came through sane_read
    since. `options` are set at that sheet's hook; the `test` backend keeps them for the rest of the job."""

    def __init__(self, page: int, options: Mapping[str, SaneValue] | None = None) -> None:
        self.page = page
        self.seen_reading = False  # set once reading() saw the page under way
        self._options = dict(options or {})
        self._started: tuple[int, int] | None = None  # (child pid, bytes it had read when the hook ran)

    def hook(self, number: int, set_option: OptionSetter) -> None:
        if number != self.page:
            return
        for name, value in self._options.items():
            set_option(name, value)
        (pid,) = serving_pids()
        self._started = (pid, bytes_read(pid))

    def reading(self) -> bool:
        if self._started is not None and not self.seen_reading:
            pid, before = self._started
            self.seen_reading = bytes_read(pid) - before >= PAGE_DATA_BYTES
        return self.seen_reading

    def wait_reading(self, timeout: float = 60) -> None:
        wait_until(self.reading, timeout, f"the SANE child reading page {self.page}")


def cancel_mid_page(watch: PageWatch, cancel: threading.Event) -> threading.Thread:
    """Set `cancel` from another thread once `watch` sees its page being read (the test's own thread is inside
    the scan then). The cancel is set even if that wait fails, so the scan ends; tests then check
    `watch.seen_reading`."""

    def run() -> None:
        try:
            watch.wait_reading()
        finally:
            cancel.set()

    thread = threading.Thread(target=run, name="cancel-mid-page", daemon=True)
    thread.start()
    return thread
