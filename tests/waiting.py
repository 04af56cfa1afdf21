"""The one way tests wait without Qt: poll a condition until a deadline, fail saying what was awaited and what
was last seen. Tests never sleep hoping something happened (tests/test_tree_rules.py checks it); the short
pause between two polls below is the only sleep allowed in tests/. With Qt, use qtbot.waitUntil."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

POLL_INTERVAL_S = 0.02


def wait_until(
    predicate: Callable[[], T],
    timeout: float,
    message: str,
    *,
    interval: float = POLL_INTERVAL_S,
    seen: Callable[[], object] | None = None,
) -> T:
    """The first truthy value of `predicate()`, polled every `interval` s; AssertionError after `timeout` s.

    The error says `message` and what was last seen: `seen()` if given (e.g. the queue's counts), else the
    predicate's last value. An exception from `predicate` (e.g. an assert that a process is still alive) ends
    the wait at once."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            last = seen() if seen is not None else value
            raise AssertionError(f"timed out after {timeout:g} s waiting for {message}; last seen: {last!r}")
        time.sleep(interval)


def alive(process: subprocess.Popen[str] | subprocess.Popen[bytes], what: str) -> bool:
    """True while `process` runs; AssertionError once it has exited (for predicates: stop waiting at once)."""
    code = process.poll()
    if code is not None:
        raise AssertionError(f"{what} exited with {code} before the awaited moment")
    return True
