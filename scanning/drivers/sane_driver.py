"""The SANE scanner driver (python-sane), usable from a worker thread.

SANE calls block; python-sane releases the GIL while reading, so a GUI keeps running while a page is
fed, and ``sane_cancel`` from a watcher thread interrupts a page mid-read.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cv2
import numpy as np
import sane

from scanning.drivers import sane_options as so
from scanning.drivers.sane_errors import STATUS_NO_DOCS, error_for_open, error_for_status
from scanning.drivers.sane_runtime import ensure_initialised
from scanning.errors import (
    DeviceNotFoundError,
    NoDocumentsError,
    ScanCancelledError,
    ScannerError,
    UnsupportedOptionError,
)
from scanning.models import ColorMode, DeviceCapabilities, Image, Page, PageSize, ScanDevice, ScanOptions, Source

log = logging.getLogger(__name__)

SaneValue = str | int | float | bool
OptionSetter = Callable[[str, SaneValue], None]
PageHook = Callable[[int, OptionSetter], None]
"""Called with (page number, set_option) before each sane_start: backend-specific per-sheet settings."""

SaneError: type[Exception] = sane._sane.error  # python-sane's C error; its text is the SANE status string
CANCEL_POLL_S = 0.05  # how fast a cancel request reaches a page being read


@dataclass(frozen=True)
class _Plan:
    """What the configured device will deliver, and what the driver must still do to each frame."""

    dpi: int | None
    source: Source
    mode: ColorMode
    threshold_after: bool  # lineart wanted but the device only gives gray


class SaneDriver:
    """ScanDriver over python-sane. One instance can serve many jobs, one job per device at a time."""

    def __init__(
        self,
        *,
        extra_options: Mapping[str, SaneValue] | None = None,
        before_each_page: PageHook | None = None,
    ) -> None:
        """`extra_options`: backend options set on every job after the station's own (e.g. the pnm
        backend's `filename`, the test backend's `test_picture`)."""
        self._extra_options = dict(extra_options or {})
        self._before_each_page = before_each_page
        self._capabilities: dict[str, DeviceCapabilities] = {}

    def list_devices(self) -> list[ScanDevice]:
        ensure_initialised()
        try:
            found = sane.get_devices()
        except SaneError as err:
            raise error_for_status(str(err), device="(device list)") from err
        return [ScanDevice(name=n, vendor=v, model=m, kind=k, driver="sane") for n, v, m, k in found]

    def capabilities(self, device_name: str) -> DeviceCapabilities:
        if device_name not in self._capabilities:
            handle = _open(device_name)
            try:
                self._capabilities[device_name] = so.capabilities_from(_option_infos(handle))
            finally:
                _close(handle)
        return self._capabilities[device_name]

    def scan(
        self, device_name: str, options: ScanOptions, cancel: threading.Event | None = None
    ) -> Generator[Page, None, None]:
        cancel = cancel or threading.Event()
        _raise_if_cancelled(cancel, device_name)
        handle = _open(device_name)
        try:
            plan = self._configure(handle, device_name, options)
            yield from self._feed(handle, device_name, options, plan, cancel)
        finally:
            _close(handle)

    def _configure(self, handle: Any, device: str, options: ScanOptions) -> _Plan:
        _set_source(handle, device, options.source)
        threshold_after = _set_mode(handle, device, options.mode)
        _set_page_area(handle, device, options.page_size)
        dpi = _set_resolution(handle, options.resolution)
        for name, value in self._extra_options.items():
            set_option(handle, name, value)
        log.info("scanning %s: %s, %s dpi, %s, %s", device, options.source, dpi, options.mode, options.page_size)
        return _Plan(dpi=dpi, source=options.source, mode=options.mode, threshold_after=threshold_after)

    def _feed(
        self, handle: Any, device: str, options: ScanOptions, plan: _Plan, cancel: threading.Event
    ) -> Iterator[Page]:
        limit = options.max_pages if options.max_pages is not None else (1 if plan.source is Source.FLATBED else None)
        number = 0
        while limit is None or number < limit:
            _raise_if_cancelled(cancel, device)
            if self._before_each_page is not None:
                self._before_each_page(number + 1, lambda name, value: set_option(handle, name, value))
            frame = _read_page(handle, device, number + 1, cancel)
            if frame is None:
                return  # the feeder ran empty after at least one page: the normal end of a batch
            if plan.source is Source.FLATBED:
                _end_scan(handle)  # each flatbed page is a scan of its own; only a feeder chains sane_start
            number += 1
            yield Page(
                image=_finish(frame, plan),
                dpi=plan.dpi,
                source=device,
                index=number,
                side=_side(plan.source, number),
                captured_at=datetime.now(UTC),
            )


def set_option(handle: Any, name: str, value: SaneValue) -> None:
    """Set a backend option by its name ('-' or '_'), coercing text such as 'yes' or '300' to its type."""
    key = name.replace("-", "_")
    info = _option_infos(handle).get(key)
    if info is None or not info.active or not info.settable:
        raise UnsupportedOptionError(f"scanner option {name!r} is not available or not settable on this device")
    try:
        setattr(handle, key, _coerce(info, value))
    except (SaneError, AttributeError, TypeError, ValueError) as err:
        raise UnsupportedOptionError(f"scanner refused {name}={value!r}: {err}") from err


def _set_source(handle: Any, device: str, source: Source) -> None:
    names = so.source_names(_option_infos(handle))
    if source not in names:
        offered = so.describe(list(names))
        raise UnsupportedOptionError(f"{device} has no {source} source (offers: {offered})")
    if names[source]:
        set_option(handle, "source", names[source])


def _set_mode(handle: Any, device: str, mode: ColorMode) -> bool:
    """Select the mode; returns True when lineart must be made from gray after capture."""
    infos = _option_infos(handle)
    names = so.mode_names(infos)
    if "mode" not in infos:  # e.g. pnm: the file decides; gray on request where the backend can
        if "grayify" in infos:  # set both ways: the pnm backend remembers it across jobs
            set_option(handle, "grayify", mode is not ColorMode.COLOR)
        return mode is ColorMode.LINEART
    if mode in names:
        set_option(handle, "mode", names[mode])
        if mode is not ColorMode.LINEART:
            _set_depth(handle, 8)
        return False
    if mode is ColorMode.LINEART and ColorMode.GRAY in names:
        set_option(handle, "mode", names[ColorMode.GRAY])
        return not _set_depth(handle, 1)  # the test device: Gray at depth 1 is lineart
    raise UnsupportedOptionError(f"{device} has no {mode} mode (offers: {so.describe(list(names))})")


def _set_depth(handle: Any, depth: int) -> bool:
    info = _option_infos(handle).get("depth")
    if info is None or not info.active or not info.settable or str(depth) not in info.choices:
        return False
    set_option(handle, "depth", depth)
    return True


def _set_resolution(handle: Any, wanted: int) -> int | None:
    infos = _option_infos(handle)
    if "resolution" not in infos:
        return None
    set_option(handle, "resolution", so.nearest_resolution(infos, wanted))
    used = round(float(handle.resolution))  # read back: backends round to what they can do
    if used != wanted:
        log.info("resolution %s dpi requested, device uses %s dpi", wanted, used)
    return used


def _set_page_area(handle: Any, device: str, page_size: PageSize) -> None:
    infos = _option_infos(handle)
    max_w, max_h = so.max_area_mm(infos)
    if max_w <= 0 or max_h <= 0:
        return  # no geometry in mm (pnm, some cameras): the device's whole image
    size = page_size.size_mm
    if size is None:
        auto = so.auto_page_option(infos)
        if auto is not None:
            set_option(handle, auto, True)
        size = (max_w, max_h)
    elif size[0] > max_w + so.FIT_TOLERANCE_MM or size[1] > max_h + so.FIT_TOLERANCE_MM:
        # never silently cut a page: a 200x200 mm bed must not pretend to scan A4
        raise UnsupportedOptionError(f"{page_size} does not fit {device} (max {max_w:g} x {max_h:g} mm)")
    width, height = min(size[0], max_w), min(size[1], max_h)
    for name, value in (("page_width", width), ("page_height", height)):
        if name in infos and infos[name].active and infos[name].settable:
            set_option(handle, name, value)  # sheet-fed backends centre the area on the paper width
    left, top = _range_min(infos.get("tl_x")), _range_min(infos.get("tl_y"))
    for name, value in (("tl_x", left), ("tl_y", top), ("br_x", left + width), ("br_y", top + height)):
        if name in infos:
            set_option(handle, name, value)


def _end_scan(handle: Any) -> None:
    try:
        handle.cancel()
    except SaneError as err:  # the page is already safe in memory; a failing cancel only ends this job
        log.warning("sane_cancel after a flatbed page failed: %s", err)


def _read_page(handle: Any, device: str, number: int, cancel: threading.Event) -> Image | None:
    """One page from sane_start + read; None when the feeder is empty after the first page."""
    try:
        handle.start()
        data, width, height, samples, sample_size = _snap_cancellable(handle, cancel)
    except SaneError as err:
        status = str(err)
        if cancel.is_set():
            raise ScanCancelledError(f"scan on {device} cancelled while reading page {number}") from err
        if status == STATUS_NO_DOCS and number > 1:
            return None
        error = error_for_status(status, device=device, page=number)
        if isinstance(error, NoDocumentsError):
            error = NoDocumentsError(f"no document in the feeder of {device}")
        raise error from err
    _raise_if_cancelled(cancel, device)  # a cancelled read returns a truncated page: never deliver it
    if not data or height <= 0:
        raise ScannerError(f"{device} returned no image data for page {number}")
    return frame_to_image(bytes(data), width, height, samples, sample_size)


def _snap_cancellable(handle: Any, cancel: threading.Event) -> tuple[bytearray, int, int, int, int]:
    """snap() without sane_cancel at the end (the ADF batch goes on) and 16-bit samples kept.

    A watcher thread calls sane_cancel if `cancel` is set mid-page; the read then returns early."""
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if cancel.wait(CANCEL_POLL_S):
                handle.cancel()
                return

    watcher = threading.Thread(target=watch, name="sane-cancel-watch", daemon=True)
    watcher.start()
    try:
        result: tuple[bytearray, int, int, int, int] = handle.dev.snap(True, True)
        return result
    finally:
        done.set()
        watcher.join()


def frame_to_image(data: bytes, width: int, height: int, samples: int, sample_size: int) -> Image:
    """python-sane's raw frame -> (H, W) or (H, W, 3) uint8. 1-bit frames already arrive as 0/255."""
    if sample_size == 2:
        wide = np.frombuffer(data, dtype=np.uint16)
        flat = (wide >> 8).astype(np.uint8)  # 16 -> 8 bit keeps the high byte: no rounding past 255
    else:
        flat = np.frombuffer(data, dtype=np.uint8)
    shape = (height, width) if samples == 1 else (height, width, samples)
    return flat[: height * width * samples].reshape(shape)


def _finish(frame: Image, plan: _Plan) -> Image:
    """Bring the frame to the requested mode (devices without gray/lineart) and freeze it."""
    image = frame
    if plan.mode is not ColorMode.COLOR and image.ndim == 3:
        image = np.asarray(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), dtype=np.uint8)
    if plan.mode is ColorMode.LINEART and (plan.threshold_after or not _is_binary(image)):
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


def _open(device: str) -> Any:
    ensure_initialised()
    try:
        return sane.open(device)
    except SaneError as err:
        if not _is_listed(device):  # backends answer "I/O error" or "invalid" for names they do not know
            raise DeviceNotFoundError(f"no scanner named {device}") from err
        raise error_for_open(str(err), device=device) from err


def _is_listed(device: str) -> bool:
    try:
        return any(found[0] == device for found in sane.get_devices())
    except SaneError:
        return False


def _close(handle: Any) -> None:
    for step in (handle.cancel, handle.close):
        try:
            step()
        except SaneError as err:  # a vanished device cannot be closed cleanly; nothing to keep
            log.warning("closing scanner handle: %s", err)


def _raise_if_cancelled(cancel: threading.Event, device: str) -> None:
    if cancel.is_set():
        raise ScanCancelledError(f"scan on {device} cancelled")


def _option_infos(handle: Any) -> dict[str, so.OptionInfo]:
    infos = [
        so.OptionInfo(
            name=o.py_name,
            type=o.type,
            unit=o.unit,
            constraint=o.constraint,
            active=bool(o.is_active()),
            settable=bool(o.is_settable()),
        )
        for o in handle.opt.values()
    ]
    return so.options_by_name(infos)


def _coerce(info: so.OptionInfo, value: SaneValue) -> SaneValue:
    if info.type == so.TYPE_BOOL:
        if isinstance(value, str):
            return value.strip().lower() in ("1", "yes", "true", "on")
        return bool(value)
    if info.type == so.TYPE_INT:
        return round(float(value))
    if info.type == so.TYPE_FIXED:
        return float(value)
    return str(value)


def _range_min(info: so.OptionInfo | None) -> float:
    return float(info.range[0]) if info is not None and info.range is not None else 0.0
