"""Threads that work for the window, not in it, yield the CPU to the GUI thread.

On a loaded machine (two cores, a test run or a backup beside the app) the GUI thread's event-loop gaps were
time spent runnable but waiting for a core, behind the app's own scan and pool threads. Linux keeps a
niceness per thread, so each background thread lowers its own once, like the analysis workers do
(`analysis_worker.WORKER_NICENESS`); the GUI thread keeps the process's.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading

BACKGROUND_NICENESS = 10


def lower_this_thread() -> None:
    """Lower the calling thread's CPU priority (idempotent; Linux only: elsewhere `setpriority` would change
    the whole process, GUI thread included)."""
    if sys.platform != "linux":
        return
    tid = threading.get_native_id()
    with contextlib.suppress(OSError):
        if os.getpriority(os.PRIO_PROCESS, tid) < BACKGROUND_NICENESS:
            os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICENESS)
