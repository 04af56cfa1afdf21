"""Helpers for tests on SANE's virtual devices.

The `test` and `pnm` backends keep option values for the life of the SANE library, across
sane_open/sane_close. libsane now lives in SANE child processes, one per request, so a jam injected
by one job dies with its child; `reset_virtual_devices` still points SANE at the virtual devices
and drops the spare child, so each test starts from a freshly initialised library.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanning.drivers.sane_runtime import use_virtual_devices
from scanning.drivers.sane_worker import shutdown_children


def reset_virtual_devices() -> None:
    use_virtual_devices()
    shutdown_children()


@pytest.fixture(autouse=True)
def clean_virtual_devices() -> Iterator[None]:
    reset_virtual_devices()
    yield
    reset_virtual_devices()
