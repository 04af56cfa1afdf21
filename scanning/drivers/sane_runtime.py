"""One SANE library per process: initialise it once, with the right configuration folder.

SANE reads ``SANE_CONFIG_DIR`` exactly once, in the first ``sane.init()`` of a process, and python-sane
offers no way to ask which folder it used. So every SANE user in the station goes through
:func:`ensure_initialised`, which remembers the folder it initialised with, and
:func:`use_virtual_devices` refuses (rather than silently listing the wrong scanners) when SANE is
already running with another configuration.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

import sane

from scanning.errors import ScannerError

log = logging.getLogger(__name__)

VIRTUAL_CONFIG_DIR = Path(__file__).resolve().parents[2] / "resources" / "sane"
"""The project's SANE configuration: only the `test` and `pnm` virtual backends, A4-sized geometry."""

_lock = threading.Lock()
_initialised_with: str | None = None  # the SANE_CONFIG_DIR value SANE was initialised with ("" = unset)


class SaneConfigError(ScannerError):
    """SANE is already running in this process with another configuration folder."""

    exit_code = 2
    default_user_message = (
        "Không thể chuyển sang máy quét ảo khi thư viện SANE đã khởi động với cấu hình khác. "
        "Khởi động lại chương trình rồi chọn lại."
    )


def use_virtual_devices() -> Path:
    """Point SANE at resources/sane (virtual `test` and `pnm` devices). Call before the first scan.

    Idempotent; raises :class:`SaneConfigError` if SANE was already initialised with another folder.
    """
    wanted = str(VIRTUAL_CONFIG_DIR)
    with _lock:
        if _initialised_with is not None and _initialised_with != wanted:
            raise SaneConfigError(
                f"SANE already initialised with SANE_CONFIG_DIR={_initialised_with or '<system default>'!s}; "
                f"cannot switch to {wanted} in the same process"
            )
        os.environ["SANE_CONFIG_DIR"] = wanted
    ensure_initialised()
    return VIRTUAL_CONFIG_DIR


def ensure_initialised() -> None:
    """Initialise SANE once per process (thread-safe); later calls are free."""
    global _initialised_with
    with _lock:
        if _initialised_with is not None:
            return
        config_dir = os.environ.get("SANE_CONFIG_DIR", "")
        version = sane.init()
        _initialised_with = config_dir
    log.info("SANE %s initialised (config dir: %s)", version[1:], config_dir or "system default")


def initialised_config_dir() -> str | None:
    """The SANE_CONFIG_DIR SANE was initialised with ("" = system default), or None before init."""
    return _initialised_with
