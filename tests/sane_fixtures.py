"""Helpers for tests on SANE's virtual devices.

The `test` and `pnm` backends keep option values for the life of the SANE library, across
sane_open/sane_close: a jam injected by one test would jam the next. `reset_virtual_devices`
puts every option tests touch back to the backends' defaults.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sane

from scanning.drivers.sane_runtime import use_virtual_devices

TEST_DEFAULTS: dict[str, object] = {
    "read_return_value": "Default",
    "read_delay": False,
    "read_limit": False,
    "test_picture": "Solid black",
    "mode": "Gray",
    "depth": 8,
    "source": "Flatbed",
}
PNM_FLAGS = ("status_eof", "status_jammed", "status_nodocs", "status_coveropen", "status_ioerror", "grayify")


def reset_virtual_devices() -> None:
    use_virtual_devices()
    for name in ("test:0", "test:1"):
        with sane.open(name) as device:
            for option, value in TEST_DEFAULTS.items():
                setattr(device, option, value)
    for name in ("pnm:0", "pnm:1"):
        with sane.open(name) as device:
            for option in PNM_FLAGS:
                setattr(device, option, False)
            device.status = True


@pytest.fixture(autouse=True)
def clean_virtual_devices() -> Iterator[None]:
    reset_virtual_devices()
    yield
    reset_virtual_devices()
