"""Which SANE configuration the station's SANE children use: chosen once per station process.

libsane runs in child processes (sane_worker.py), each reading ``SANE_CONFIG_DIR`` at its sane_init.
The station still fixes the folder at its first SANE use, as when libsane ran in-process: every SANE
user goes through :func:`ensure_initialised`, which remembers the folder, and
:func:`use_virtual_devices` refuses (rather than silently listing other scanners than a moment ago)
when another configuration was already in use. This module never loads libsane.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

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
    """Fix the SANE configuration folder for this process (thread-safe); later calls are free."""
    global _initialised_with
    with _lock:
        if _initialised_with is not None:
            return
        config_dir = os.environ.get("SANE_CONFIG_DIR", "")
        _initialised_with = config_dir
    log.info("SANE configured (config dir: %s)", config_dir or "system default")


def sane_environment() -> dict[str, str]:
    """The environment a SANE child gets: this process's, with the SANE folder fixed at first use."""
    ensure_initialised()
    environment = dict(os.environ)
    if _initialised_with:
        environment["SANE_CONFIG_DIR"] = _initialised_with
    else:
        environment.pop("SANE_CONFIG_DIR", None)
    return environment


def initialised_config_dir() -> str | None:
    """The SANE_CONFIG_DIR the SANE children use ("" = system default), or None before the first use."""
    return _initialised_with
