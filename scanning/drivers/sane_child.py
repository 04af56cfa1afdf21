"""The SANE child process: serves one request (list, options, or a scan job), then exits.

A fresh child per job means a glibc lock leaked by a cancelled backend thread dies with the child
that leaked it. The child is started ahead of time (sane_init done), so a job does not wait for it.
This module imports no libsane itself: the parent imports it to name the child's entry point.
"""

from __future__ import annotations

import os
import queue
import signal
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Any

from scanning.drivers.sane_wire import Message, error_message, option_to_wire, receive, send
from scanning.errors import ScanCancelledError, ScannerError, UnsupportedOptionError
from scanning.models import ColorMode, PageSize, ScanOptions, Source

PARENT_GONE_EXIT_S = 10.0  # a child whose parent vanished finishes closing the device, or exits anyway


def serve(commands: Connection, replies: Connection, environment: Mapping[str, str]) -> None:
    """Child entry point: take the parent's environment, initialise SANE, answer one request."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the station, which cancels the job
    os.environ.clear()
    os.environ.update(environment)  # SANE_CONFIG_DIR etc. as the parent has them now
    from scanning.drivers import sane_device  # libsane is loaded here, in the child only

    version = sane_device.initialise()
    send(replies, {"ev": "ready", "pid": os.getpid(), "sane": version})
    inbox: queue.Queue[Message] = queue.Queue()
    cancel = threading.Event()
    threading.Thread(target=_listen, args=(commands, inbox, cancel), name="sane-child-inbox", daemon=True).start()
    _Session(sane_device, replies, inbox, cancel).answer(inbox.get())


def _listen(commands: Connection, inbox: queue.Queue[Message], cancel: threading.Event) -> None:
    """Every parent message goes to the inbox; a cancel also raises the flag the page reader watches."""
    while True:
        try:
            message, _ = receive(commands)
        except (EOFError, OSError, ScannerError):  # the parent is gone: stop the job, then leave
            cancel.set()
            inbox.put({"op": "quit"})
            timer = threading.Timer(PARENT_GONE_EXIT_S, os._exit, args=(3,))
            timer.daemon = True  # must not hold up a child that finished closing
            timer.start()
            return
        if message.get("op") == "cancel":
            cancel.set()
        inbox.put(message)


class _Session:
    def __init__(self, device_api: Any, replies: Connection, inbox: queue.Queue[Message],
                 cancel: threading.Event) -> None:
        self._sane = device_api
        self._replies = replies
        self._inbox = inbox
        self._cancel = cancel

    def answer(self, request: Message) -> None:
        op = request.get("op")
        try:
            if op == "list":
                self._send({"ev": "devices", "devices": self._sane.list_devices()})
            elif op == "options":
                self._options(str(request["device"]))
            elif op == "scan":
                self._scan(request)
                return  # _scan reports its own end and close
            elif op != "quit":
                raise ScannerError(f"unknown request {op!r} for the scanner process")
        except ScannerError as err:
            self._send({"ev": "end", "outcome": "error", "error": error_message(err)})
        self._send({"ev": "closed"})

    def _options(self, device: str) -> None:
        handle = self._sane.open_device(device)
        try:
            infos = self._sane.option_infos(handle)
            self._send({"ev": "options", "options": [option_to_wire(i) for i in infos.values()]})
        finally:
            self._sane.close_device(handle)

    def _scan(self, request: Message) -> None:
        device = str(request["device"])
        options = _options_from(request["options"])
        handle = None
        try:
            handle = self._sane.open_device(device)
            plan = self._sane.configure(handle, device, options, dict(request.get("extra", {})))
            self._send({"ev": "plan", "dpi": plan.dpi, "threshold_after": plan.threshold_after})
            self._feed(handle, device, options, bool(request.get("hook")))
            self._send({"ev": "end", "outcome": "done"})
        except ScanCancelledError as err:
            self._send({"ev": "end", "outcome": "cancelled", "error": error_message(err)})
        except ScannerError as err:
            self._send({"ev": "end", "outcome": "error", "error": error_message(err)})
        finally:
            if handle is not None:
                self._sane.close_device(handle)  # may hang on a leaked lock: the parent then kills us
            self._send({"ev": "closed"})

    def _feed(self, handle: Any, device: str, options: ScanOptions, hook: bool) -> None:
        limit = options.max_pages
        if limit is None and options.source is Source.FLATBED:
            limit = 1  # one page on a flatbed unless asked for more
        number = 0
        while limit is None or number < limit:
            self._raise_if_cancelled(device)
            if hook:
                self._run_hook(handle, number + 1, device)
            frame = self._sane.read_page(handle, device, number + 1, self._cancel)
            if frame is None:
                return  # the feeder ran empty after at least one page: the normal end of a batch
            if options.source is Source.FLATBED:
                self._sane.end_scan(handle)
            number += 1
            data, width, height, samples, sample_size = frame
            self._send({"ev": "page", "index": number, "width": width, "height": height, "samples": samples,
                        "sample_size": sample_size}, data)

    def _run_hook(self, handle: Any, number: int, device: str) -> None:
        """The parent's per-sheet hook runs there; its option changes come here one by one, then 'go'."""
        self._send({"ev": "before_page", "number": number})
        while True:
            message = self._inbox.get()
            op = message.get("op")
            if op == "go":
                return
            if op in ("cancel", "quit"):
                raise ScanCancelledError(f"scan on {device} cancelled")
            if op == "set":
                try:
                    self._sane.set_option(handle, str(message["name"]), message["value"])
                except UnsupportedOptionError as err:
                    self._send({"ev": "set_failed", "error": error_message(err)})
                else:
                    self._send({"ev": "set_done"})

    def _raise_if_cancelled(self, device: str) -> None:
        if self._cancel.is_set():
            raise ScanCancelledError(f"scan on {device} cancelled")

    def _send(self, message: Message, payload: bytearray | None = None) -> None:
        try:
            send(self._replies, message, payload)
        except (BrokenPipeError, OSError):  # the parent is gone; the inbox thread ends the job
            self._cancel.set()


def options_to_wire(options: ScanOptions) -> Message:
    return {"source": options.source.value, "resolution": options.resolution, "mode": options.mode.value,
            "page_size": options.page_size.value, "max_pages": options.max_pages}


def _options_from(message: Message) -> ScanOptions:
    max_pages = message.get("max_pages")
    return ScanOptions(
        source=Source(message["source"]),
        resolution=int(message["resolution"]),
        mode=ColorMode(message["mode"]),
        page_size=PageSize(message["page_size"]),
        max_pages=None if max_pages is None else int(max_pages),
    )
