"""Everything that calls libsane (python-sane). Imported only inside the SANE child process.

SANE backends read in threads they cancel asynchronously (sane_cancel -> pthread_cancel); a thread
cancelled inside free() or setlocale() leaves a glibc lock held for good. That is why libsane never
runs in the station's own process: a child that wedges is killed and replaced (sane_worker.py).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

import sane

from scanning.drivers import sane_options as so
from scanning.drivers.sane_errors import STATUS_NO_DOCS, error_for_open, error_for_status
from scanning.errors import (
    DeviceNotFoundError,
    NoDocumentsError,
    ScanCancelledError,
    ScannerError,
    UnsupportedOptionError,
)
from scanning.models import ColorMode, PageSize, ScanOptions, Source

log = logging.getLogger(__name__)

SaneValue = str | int | float | bool
SaneError: type[Exception] = sane._sane.error  # python-sane's C error; its text is the SANE status string
CANCEL_POLL_S = 0.05  # how fast a cancel request reaches a page being read
Frame = tuple[bytearray, int, int, int, int]
"""python-sane's raw frame: data, width, height, samples per pixel, bytes per sample."""


@dataclass(frozen=True)
class Plan:
    """What the configured device will deliver, and what the driver must still do to each frame."""

    dpi: int | None
    threshold_after: bool  # lineart wanted but the device only gives gray


def initialise() -> str:
    """sane_init for this (child) process; returns the SANE version text."""
    version = sane.init()
    return ".".join(str(part) for part in version[1:])


def list_devices() -> list[tuple[str, str, str, str]]:
    try:
        return [(str(n), str(v), str(m), str(k)) for n, v, m, k in sane.get_devices()]
    except SaneError as err:
        raise error_for_status(str(err), device="(device list)") from err


def open_device(device: str) -> Any:
    try:
        return sane.open(device)
    except SaneError as err:
        if not _is_listed(device):  # backends answer "I/O error" or "invalid" for names they do not know
            raise DeviceNotFoundError(f"no scanner named {device}") from err
        raise error_for_open(str(err), device=device) from err


def close_device(handle: Any) -> None:
    for step in (handle.cancel, handle.close):
        try:
            step()
        except SaneError as err:  # a vanished device cannot be closed cleanly; nothing to keep
            log.warning("closing scanner handle: %s", err)


def option_infos(handle: Any) -> dict[str, so.OptionInfo]:
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


def set_option(handle: Any, name: str, value: SaneValue) -> None:
    """Set a backend option by its name ('-' or '_'), coercing text such as 'yes' or '300' to its type."""
    key = name.replace("-", "_")
    info = option_infos(handle).get(key)
    if info is None or not info.active or not info.settable:
        raise UnsupportedOptionError(f"scanner option {name!r} is not available or not settable on this device")
    try:
        setattr(handle, key, _coerce(info, value))
    except (SaneError, AttributeError, TypeError, ValueError) as err:
        raise UnsupportedOptionError(f"scanner refused {name}={value!r}: {err}") from err


def configure(handle: Any, device: str, options: ScanOptions, extra: dict[str, SaneValue]) -> Plan:
    _set_source(handle, device, options.source)
    threshold_after = _set_mode(handle, device, options.mode)
    _set_page_area(handle, device, options.page_size)
    dpi = _set_resolution(handle, options.resolution)
    for name, value in extra.items():
        set_option(handle, name, value)
    log.info("scanning %s: %s, %s dpi, %s, %s", device, options.source, dpi, options.mode, options.page_size)
    return Plan(dpi=dpi, threshold_after=threshold_after)


def end_scan(handle: Any) -> None:
    """Each flatbed page is a scan of its own; only a feeder chains sane_start."""
    try:
        handle.cancel()
    except SaneError as err:  # the page is already safe; a failing cancel only ends this job
        log.warning("sane_cancel after a flatbed page failed: %s", err)


def read_page(handle: Any, device: str, number: int, cancel: threading.Event) -> Frame | None:
    """One page from sane_start + read; None when the feeder is empty after the first page."""
    try:
        handle.start()
        frame = _snap_cancellable(handle, cancel)
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
    if cancel.is_set():  # a cancelled read returns a truncated page: never deliver it
        raise ScanCancelledError(f"scan on {device} cancelled while reading page {number}")
    data, _width, height, _samples, _size = frame
    if not data or height <= 0:
        raise ScannerError(f"{device} returned no image data for page {number}")
    return frame


def _snap_cancellable(handle: Any, cancel: threading.Event) -> Frame:
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
        result: Frame = handle.dev.snap(True, True)
        return result
    finally:
        done.set()
        watcher.join()


def _set_source(handle: Any, device: str, source: Source) -> None:
    names = so.source_names(option_infos(handle))
    if source not in names:
        offered = so.describe(list(names))
        raise UnsupportedOptionError(f"{device} has no {source} source (offers: {offered})")
    if names[source]:
        set_option(handle, "source", names[source])


def _set_mode(handle: Any, device: str, mode: ColorMode) -> bool:
    """Select the mode; returns True when lineart must be made from gray after capture."""
    infos = option_infos(handle)
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
    info = option_infos(handle).get("depth")
    if info is None or not info.active or not info.settable or str(depth) not in info.choices:
        return False
    set_option(handle, "depth", depth)
    return True


def _set_resolution(handle: Any, wanted: int) -> int | None:
    infos = option_infos(handle)
    if "resolution" not in infos:
        return None
    set_option(handle, "resolution", so.nearest_resolution(infos, wanted))
    used = round(float(handle.resolution))  # read back: backends round to what they can do
    if used != wanted:
        log.info("resolution %s dpi requested, device uses %s dpi", wanted, used)
    return used


def _set_page_area(handle: Any, device: str, page_size: PageSize) -> None:
    infos = option_infos(handle)
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


def _is_listed(device: str) -> bool:
    try:
        return any(found[0] == device for found in sane.get_devices())
    except SaneError:
        return False


def _coerce(info: so.OptionInfo, value: SaneValue) -> SaneValue:
    if info.type == so.TYPE_BOOL:
        if isinstance(value, str):
            return value.strip().lower() in ("1", "yes", "true", "on")
        return bool(value)
    if info.type == so.TYPE_INT:
        return round(float(value))
    if info.type == so.TYPE_FIXED:
        return float(value)
    text = str(value)
    if text in info.choices:
        return text  # the device's own word, as python-sane decoded it
    # SANE strings are C bytes and python-sane sends str as latin-1: give it the UTF-8 bytes (file names)
    return text.encode("utf-8", "surrogateescape").decode("latin-1")


def _range_min(info: so.OptionInfo | None) -> float:
    return float(info.range[0]) if info is not None and info.range is not None else 0.0

