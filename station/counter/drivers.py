"""The scan drivers the counter can use, by device name: SANE for every real (or SANE test) device, and named
drivers of their own — the virtual feeder of sample pages is one of them. The window only ever passes the
device name the officer picked; which driver serves it, and how its options are adapted, is decided here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from scanning.drivers.base import ScanDriver
from scanning.drivers.sane_driver import SaneDriver
from scanning.models import ScanDevice, ScanOptions
from station.workflow.samples import FEEDER_NAME, VirtualFeeder


@dataclass(frozen=True)
class ScanJob:
    """One scan job, ready to run: the driver, the device name it understands, the options it gets."""

    driver: ScanDriver
    device: str
    options: ScanOptions


@dataclass(frozen=True)
class NamedDriver:
    """A device served by a driver of its own. `adapt(options, single)` gives the job's options (`single`:
    one page only, for a rescan or an insert)."""

    driver: ScanDriver
    adapt: Callable[[ScanOptions, bool], ScanOptions]


def feeder_entry(feeder: VirtualFeeder) -> NamedDriver:
    """The virtual feeder: sample sheets at their own resolution, one sheet for a single-page job."""
    return NamedDriver(feeder, lambda options, single: feeder.options(options, pages=1 if single else None))


def _sane_options(options: ScanOptions, single: bool) -> ScanOptions:
    return replace(options, max_pages=1) if single else options


class DriverRegistry:
    """Device name -> driver. Names not registered are SANE device names."""

    def __init__(self, feeder: VirtualFeeder | None = None,
                 sane: Callable[[], ScanDriver] = SaneDriver) -> None:
        self._sane = sane
        self._named: dict[str, NamedDriver] = {}
        self.feeder = feeder or VirtualFeeder()

    @property
    def feeder(self) -> VirtualFeeder:
        """The virtual feeder registered under FEEDER_NAME (tests swap it for one with faults or more pages)."""
        driver = self._named[FEEDER_NAME].driver
        assert isinstance(driver, VirtualFeeder)
        return driver

    @feeder.setter
    def feeder(self, feeder: VirtualFeeder) -> None:
        self.register(FEEDER_NAME, feeder_entry(feeder))

    def register(self, name: str, entry: NamedDriver) -> None:
        self._named[name] = entry

    @property
    def named(self) -> tuple[str, ...]:
        """The devices served by their own drivers, in registration order (shown before SANE's)."""
        return tuple(self._named)

    def list_devices(self) -> list[ScanDevice]:
        """SANE's devices (slow with some backends: call off the GUI thread)."""
        return self._sane().list_devices()

    def job(self, device: str, options: ScanOptions, *, single: bool = False) -> ScanJob:
        entry = self._named.get(device)
        if entry is not None:
            return ScanJob(entry.driver, device, entry.adapt(options, single))
        return ScanJob(self._sane(), device, _sane_options(options, single))

    def close(self) -> None:
        self.feeder.close()
