"""The SANE scanner driver, usable from a worker thread; libsane itself runs in child processes.

Every libsane call happens in a short-lived child (sane_child.py), as NAPS2 does with its worker
processes: SANE backends cancel their reader threads asynchronously, which can leave a glibc lock
(malloc, setlocale) held forever in whatever process hosts them. Here that process is a child the
station kills and replaces; the station only receives raw frames through a pipe, so it never holds
the interpreter lock while a page is read either.
"""

from __future__ import annotations

import threading
from collections.abc import Generator, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime

import cv2
import numpy as np

from scanning.drivers import sane_options as so
from scanning.drivers.sane_errors import error_for_status
from scanning.drivers.sane_job import ANSWER_TIMEOUT_S, STEP_TIMEOUT_S, OptionSetter, PageHook, Plan, SaneJob
from scanning.drivers.sane_job import SaneValue as SaneValue
from scanning.drivers.sane_wire import Message, error_from, option_from_wire
from scanning.drivers.sane_worker import SaneChild, pool
from scanning.errors import DeviceBusyError, ScanCancelledError, ScannerError
from scanning.models import ColorMode, DeviceCapabilities, Image, Page, ScanDevice, ScanOptions, Source

__all__ = ["OptionSetter", "PageHook", "SaneDriver", "SaneValue", "frame_to_image"]

_busy: set[str] = set()  # devices with a job running in this process: one job per device at a time
_busy_lock = threading.Lock()


class SaneDriver:
    """ScanDriver over SANE. One instance can serve many jobs, one job per device at a time."""

    def __init__(
        self,
        *,
        extra_options: Mapping[str, SaneValue] | None = None,
        before_each_page: PageHook | None = None,
        answer_timeout_s: float = ANSWER_TIMEOUT_S,
    ) -> None:
        """`extra_options`: backend options set on every job after the station's own (e.g. the pnm
        backend's `filename`, the test backend's `test_picture`). `before_each_page(n, set_option)`
        runs here before each sane_start; its options are set in the child. `answer_timeout_s`: how
        long a cancelled or finished job may take to close the device before its child is killed."""
        self._extra_options = dict(extra_options or {})
        self._before_each_page = before_each_page
        self._answer_timeout_s = answer_timeout_s
        self._capabilities: dict[str, DeviceCapabilities] = {}

    def list_devices(self) -> list[ScanDevice]:
        message = _ask(pool().take(), {"op": "list"}, "devices", "(device list)")
        return [ScanDevice(name=str(n), vendor=str(v), model=str(m), kind=str(k), driver="sane")
                for n, v, m, k in message.get("devices", [])]

    def capabilities(self, device_name: str) -> DeviceCapabilities:
        if device_name not in self._capabilities:
            with _device_in_use(device_name):
                message = _ask(pool().take(), {"op": "options", "device": device_name}, "options", device_name)
            infos = so.options_by_name(option_from_wire(o) for o in message.get("options", []))
            self._capabilities[device_name] = so.capabilities_from(infos)
        return self._capabilities[device_name]

    def scan(
        self, device_name: str, options: ScanOptions, cancel: threading.Event | None = None
    ) -> Generator[Page, None, None]:
        cancel = cancel or threading.Event()
        _raise_if_cancelled(cancel, device_name)
        with _device_in_use(device_name):
            job = SaneJob(pool().take(), device_name, answer_timeout_s=self._answer_timeout_s)
            try:
                plan = job.start(options, self._extra_options, self._before_each_page is not None, cancel)
                yield from self._pages(job, device_name, options, plan, cancel)
            finally:
                job.close()

    def _pages(self, job: SaneJob, device: str, options: ScanOptions, plan: Plan, cancel: threading.Event
               ) -> Iterator[Page]:
        for frame in job.frames(self._before_each_page, cancel):
            image = frame_to_image(frame.data, frame.width, frame.height, frame.samples, frame.sample_size)
            yield Page(
                image=_finish(image, options.mode, plan.threshold_after),
                dpi=plan.dpi,
                source=device,
                index=frame.index,
                side=_side(options.source, frame.index),
                captured_at=datetime.now(UTC),
            )


def _ask(child: SaneChild, request: Message, answer: str, device: str) -> Message:
    """A one-answer request (device list, option descriptors) to a fresh child."""
    try:
        child.send(request)
        message, _ = child.next_event(timeout=STEP_TIMEOUT_S)
    except ScannerError:
        child.kill()
        raise
    if message.get("ev") == "end":
        child.wait_closed(ANSWER_TIMEOUT_S)
        raise error_from(message.get("error") or {})
    child.wait_closed(ANSWER_TIMEOUT_S)
    if message.get("ev") != answer:
        raise error_for_status(f"unexpected answer {message.get('ev')!r}", device=device)
    return message


@contextmanager
def _device_in_use(device: str) -> Iterator[None]:
    with _busy_lock:
        if device in _busy:
            raise DeviceBusyError(f"{device} is busy: another scan job of this station is using it")
        _busy.add(device)
    try:
        yield
    finally:
        with _busy_lock:
            _busy.discard(device)


def frame_to_image(data: bytes, width: int, height: int, samples: int, sample_size: int) -> Image:
    """python-sane's raw frame -> (H, W) or (H, W, 3) uint8. 1-bit frames already arrive as 0/255."""
    if sample_size == 2:
        wide = np.frombuffer(data, dtype=np.uint16)
        flat = (wide >> 8).astype(np.uint8)  # 16 -> 8 bit keeps the high byte: no rounding past 255
    else:
        flat = np.frombuffer(data, dtype=np.uint8)
    shape = (height, width) if samples == 1 else (height, width, samples)
    return flat[: height * width * samples].reshape(shape)


def _finish(frame: Image, mode: ColorMode, threshold_after: bool) -> Image:
    """Bring the frame to the requested mode (devices without gray/lineart) and freeze it."""
    image = frame
    if mode is not ColorMode.COLOR and image.ndim == 3:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    if mode is ColorMode.LINEART and (threshold_after or not _is_binary(image)):
        _, binary = cv2.threshold(image, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
        image = np.asarray(binary, dtype=np.uint8)
    image = np.ascontiguousarray(image)
    image.flags.writeable = False  # a Page is the capture as delivered: never modified afterwards
    return image


def _is_binary(image: Image) -> bool:
    return bool(np.all((image == 0) | (image == 255)))


def _side(source: Source, number: int) -> str | None:
    if source is not Source.DUPLEX:
        return None
    return "front" if number % 2 == 1 else "back"


def _raise_if_cancelled(cancel: threading.Event, device: str) -> None:
    if cancel.is_set():
        raise ScanCancelledError(f"scan on {device} cancelled")
