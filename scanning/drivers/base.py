"""The narrow scan-driver interface every driver implements (after NAPS2's IScanDriver).

A scan job is a generator: pages come out one by one as the device delivers them, so a GUI worker
thread can hand page 1 to the screen while page 2 is still being fed. Contract for implementers:

- pages already yielded belong to the caller; a fault on page N raises a typed
  :class:`scanning.errors.ScannerError` *after* pages 1..N-1 were yielded, and the device is released;
- an empty feeder ends an ADF job normally (the generator simply returns), except when not even the
  first sheet was there (:class:`scanning.errors.NoDocumentsError`);
- ``cancel`` is checked between pages and, where the driver can, while a page is being read; a
  cancelled job raises :class:`scanning.errors.ScanCancelledError` (so callers can tell it from an
  empty feeder) and never yields a half-read page;
- closing the generator early (``gen.close()`` or dropping it) also releases the device.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from scanning.models import DeviceCapabilities, Page, ScanDevice, ScanOptions


@runtime_checkable
class ScanDriver(Protocol):
    """List devices, describe one, scan a job that yields pages as they arrive."""

    def list_devices(self) -> list[ScanDevice]: ...

    def capabilities(self, device_name: str) -> DeviceCapabilities: ...

    def scan(
        self, device_name: str, options: ScanOptions, cancel: threading.Event | None = None
    ) -> Iterator[Page]: ...
