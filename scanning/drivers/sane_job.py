"""One scan job as the station sees it: requests to a SANE child, raw frames back, bounded waits.

Reading a page has no deadline (a feeder may wait, a lamp may warm up); everything else does:
opening and configuring, each per-sheet option, and above all the answer to a cancel. A child that
misses a deadline or dies is killed, and the job ends with DriverStoppedError after the pages it
already delivered.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from scanning.drivers.sane_child import options_to_wire
from scanning.drivers.sane_errors import DriverStoppedError
from scanning.drivers.sane_wire import Message, error_from, error_message
from scanning.drivers.sane_worker import SaneChild
from scanning.errors import ScanCancelledError, ScannerError
from scanning.models import ScanOptions

SaneValue = str | int | float | bool
OptionSetter = Callable[[str, SaneValue], None]
PageHook = Callable[[int, OptionSetter], None]

STEP_TIMEOUT_S = 60.0  # open + configure, one option, a device list: slow backends probe the network
ANSWER_TIMEOUT_S = 10.0  # a cancel must be answered (device closed) within this, or the child is killed


@dataclass(frozen=True)
class Frame:
    """A raw page from the child: bytes plus python-sane's frame description."""

    index: int  # 1-based within the job
    data: bytes
    width: int
    height: int
    samples: int
    sample_size: int


@dataclass(frozen=True)
class Plan:
    dpi: int | None
    threshold_after: bool


class SaneJob:
    """Run one scan request on `child`; iterate :meth:`frames` after :meth:`start`."""

    def __init__(self, child: SaneChild, device: str, *, answer_timeout_s: float = ANSWER_TIMEOUT_S) -> None:
        self._child = child
        self._device = device
        self._answer_timeout_s = answer_timeout_s
        self._over = False
        self._page: int | None = None  # the sheet the per-page hook is preparing

    def start(self, options: ScanOptions, extra: dict[str, SaneValue], hook: bool, cancel: threading.Event) -> Plan:
        self._send({"op": "scan", "device": self._device, "options": options_to_wire(options),
                          "extra": extra, "hook": hook}, None)
        message = self._event(STEP_TIMEOUT_S, cancel, page=1)
        if message.get("ev") != "plan":
            self._unexpected(message)
        dpi = message.get("dpi")
        return Plan(dpi=None if dpi is None else int(dpi), threshold_after=bool(message.get("threshold_after")))

    def frames(self, hook: PageHook | None, cancel: threading.Event) -> Iterator[Frame]:
        number = 1
        while True:
            message, payload = self._next(None, cancel, page=number)
            kind = message.get("ev")
            if kind == "before_page" and hook is not None:
                self._page = number
                hook(int(message["number"]), self._set_option)
                self._send({"op": "go"}, number)
            elif kind == "page" and payload is not None:
                if cancel.is_set():  # arrived together with the cancel: not delivered
                    self._cancel(page=number)
                yield Frame(int(message["index"]), payload, int(message["width"]), int(message["height"]),
                            int(message["samples"]), int(message["sample_size"]))
                number += 1
            elif kind == "end" and message.get("outcome") == "done":
                self._end()
                return
            else:
                self._unexpected(message)

    def close(self) -> None:
        """Release the device whatever happened: ask the child to stop, kill it if it does not answer."""
        if self._over:
            return
        self._over = True
        try:
            self._child.send({"op": "cancel"})
        except DriverStoppedError:
            return
        self._child.wait_closed(self._answer_timeout_s)

    def _set_option(self, name: str, value: SaneValue) -> None:
        self._send({"op": "set", "name": name, "value": value}, self._page)
        message = self._event(STEP_TIMEOUT_S, None, page=self._page)
        if message.get("ev") == "set_failed":
            raise error_from(message.get("error", {}))
        if message.get("ev") != "set_done":
            self._unexpected(message)

    def _send(self, message: Message, page: int | None) -> None:
        try:
            self._child.send(message)
        except DriverStoppedError as err:
            self._over = True
            raise DriverStoppedError(f"{err}: scan on {self._where(page)} ended") from err

    def _event(self, timeout: float | None, cancel: threading.Event | None, page: int | None) -> Message:
        return self._next(timeout, cancel, page)[0]

    def _next(self, timeout: float | None, cancel: threading.Event | None, page: int | None
              ) -> tuple[Message, bytes | None]:
        try:
            message, payload = self._child.next_event(timeout=timeout, cancel=cancel)
        except DriverStoppedError as err:
            self._over = True
            raise DriverStoppedError(f"{err}: scan on {self._where(page)} ended") from err
        if not message:  # the caller's cancel flag
            self._cancel(page)
        return message, payload

    def _cancel(self, page: int | None) -> None:
        self._send({"op": "cancel"}, page)
        self._over = True
        if not self._child.wait_closed(self._answer_timeout_s):
            raise DriverStoppedError(
                f"scanner process did not confirm the cancel of {self._where(page)} within "
                f"{self._answer_timeout_s:g} s; killed"
            )
        raise ScanCancelledError(f"scan on {self._device} cancelled")

    def _end(self) -> None:
        """The child reported the end of the job: let it close the device (bounded), then it exits."""
        self._over = True
        self._child.wait_closed(self._answer_timeout_s)

    def _unexpected(self, message: Message) -> None:
        if message.get("ev") == "end":
            self._end()
            raise error_from(message.get("error") or error_message(ScannerError("scanner job ended")))
        self._over = True
        self._child.kill()
        raise ScannerError(f"scanner process sent {message.get('ev')!r} unexpectedly during {self._device}")

    def _where(self, page: int | None) -> str:
        return self._device if page is None else f"{self._device}, page {page}"
