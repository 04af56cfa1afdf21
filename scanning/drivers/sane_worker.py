"""The station's side of a SANE child process: start it, talk to it with deadlines, kill it.

One child serves one request and exits (see sane_child.py). A spare child is kept started, SANE
initialised, so a job does not wait for one; it is replaced as soon as it is taken.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
import time
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess

from scanning.drivers.sane_child import serve
from scanning.drivers.sane_errors import DriverStoppedError
from scanning.drivers.sane_runtime import sane_environment
from scanning.drivers.sane_wire import Message, receive, send

log = logging.getLogger(__name__)

START_METHOD = "forkserver"  # never 'fork': the station is threaded (GUI, OpenCV, workers)
READY_TIMEOUT_S = 60.0  # process start + sane_init, on a loaded machine
POLL_S = 0.05  # how often a wait looks at the caller's cancel flag


class SaneChild:
    """One child process and its two pipes (commands down, replies up)."""

    def __init__(self, context: BaseContext, environment: dict[str, str]) -> None:
        commands_read, self._commands = context.Pipe(duplex=False)
        self._replies, replies_write = context.Pipe(duplex=False)
        self.environment = environment
        self._process: BaseProcess = context.Process(  # type: ignore[attr-defined]
            target=serve, args=(commands_read, replies_write, environment), name="sane-child", daemon=True
        )
        self._process.start()
        self._pid: int | None = self._process.pid  # kept: a closed Process object no longer says it
        commands_read.close()
        replies_write.close()
        self._ready = False
        self.released = False  # the process is gone and its pipes are closed
        self._exitcode: int | None = None

    @property
    def pid(self) -> int | None:
        return self._pid

    def is_alive(self) -> bool:
        return not self.released and self._process.is_alive()

    def wait_ready(self, timeout: float = READY_TIMEOUT_S) -> None:
        if self._ready:
            return
        message, _ = self.next_event(timeout=timeout)
        if message.get("ev") != "ready":
            self.kill()
            raise DriverStoppedError(f"scanner process {self.pid} did not start cleanly")
        self._ready = True

    def send(self, message: Message) -> None:
        try:
            send(self._commands, message)
        except OSError as err:
            self.kill()
            raise DriverStoppedError(f"scanner process {self.pid} is gone ({self._exit_text()})") from err

    def next_event(
        self, *, timeout: float | None, cancel: threading.Event | None = None
    ) -> tuple[Message, bytes | None]:
        """The next message; an empty dict when `cancel` was set first. Kills the child and raises
        DriverStoppedError when it died or did not answer within `timeout` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if cancel is not None and cancel.is_set():
                return {}, None
            step = POLL_S if cancel is not None else None
            if deadline is not None:
                left = max(0.0, deadline - time.monotonic())
                step = left if step is None else min(step, left)
            ready = wait([self._replies, self._process.sentinel], step)
            if self._replies in ready:  # read what the child said before it died, if anything
                try:
                    return receive(self._replies)
                except (EOFError, OSError) as err:
                    self.kill()
                    raise DriverStoppedError(f"scanner process {self.pid} stopped ({self._exit_text()})") from err
            if self._process.sentinel in ready:
                self.kill()
                raise DriverStoppedError(f"scanner process {self.pid} stopped ({self._exit_text()})")
            if deadline is not None and time.monotonic() >= deadline:
                self.kill()
                raise DriverStoppedError(f"scanner process {self.pid} did not answer within {timeout:g} s; killed")

    def wait_closed(self, timeout: float) -> bool:
        """Wait for the child to report the device closed and exit; kill it otherwise. True if it did."""
        try:
            while self.next_event(timeout=timeout)[0].get("ev") != "closed":
                pass  # pages read ahead after a cancel, the end notice: nothing to keep
        except DriverStoppedError as err:
            log.warning("%s", err)
            return False
        self._process.join(timeout)
        if self._process.is_alive():
            self.kill()
            return False
        self._release()
        return True

    def kill(self) -> None:
        if self.released:
            return
        if self._process.is_alive():
            self._process.kill()  # SIGKILL: a wedged driver ignores everything else
        self._process.join(READY_TIMEOUT_S)
        self._release()

    def _release(self) -> None:
        self._exitcode = self._process.exitcode
        self.released = True
        for conn in (self._commands, self._replies):
            conn.close()
        self._process.close()

    def _exit_text(self) -> str:
        code = self._exitcode if self.released else self._process.exitcode
        return "still running" if code is None else f"exit code {code}"


class ChildPool:
    """Hands out fresh SANE children, keeping one started ahead (for the current environment)."""

    def __init__(self, start_method: str = START_METHOD) -> None:
        self._context = multiprocessing.get_context(start_method)
        self._lock = threading.Lock()
        self._spare: SaneChild | None = None
        self._serving: list[SaneChild] = []

    def take(self) -> SaneChild:
        """A child for one request, ready (SANE initialised); a new spare starts right away."""
        environment = sane_environment()
        with self._lock:
            child, self._spare = self._spare, None
            if child is not None and (child.environment != environment or not child.is_alive()):
                child.kill()  # started before SANE_CONFIG_DIR changed, or died
                child = None
            if child is None:
                child = SaneChild(self._context, environment)
            self._spare = SaneChild(self._context, environment)
            self._serving = [c for c in self._serving if not c.released] + [child]
        child.wait_ready()
        return child

    def serving_pids(self) -> list[int]:
        """Process ids of the children serving a request now (for diagnostics and fault tests)."""
        with self._lock:
            return [c.pid for c in self._serving if not c.released and c.pid is not None]

    def shutdown(self) -> None:
        """Stop the spare (it holds no device). Jobs still running end when their generator closes."""
        with self._lock:
            spare, self._spare = self._spare, None
        if spare is not None:
            spare.kill()


_pool: ChildPool | None = None
_pool_lock = threading.Lock()


def pool() -> ChildPool:
    """The process-wide pool (SANE children are a per-process resource, like libsane was)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ChildPool()
        return _pool


def serving_pids() -> list[int]:
    """Process ids of the SANE children serving a request (a scan job, a device list) right now."""
    return pool().serving_pids()


def shutdown_children() -> None:
    """Stop the spare SANE child; call at exit (also registered with atexit). Idempotent."""
    with _pool_lock:
        current = _pool
    if current is not None:
        current.shutdown()


atexit.register(shutdown_children)
