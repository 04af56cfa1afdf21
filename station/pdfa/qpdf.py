"""The one wrapper around the `qpdf` program: argv and stderr logged, always a timeout."""

from __future__ import annotations

import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

QPDF = "qpdf"


@dataclass(frozen=True)
class QpdfResult:
    returncode: int  # 0 ok, 2 errors, 3 warnings; -1 not installed, -2 timed out
    stdout: str
    stderr: str


def run(args: Sequence[str], *, timeout_s: float) -> QpdfResult:
    exe = shutil.which(QPDF)
    if exe is None:
        log.warning("qpdf is not installed")
        return QpdfResult(-1, "", "qpdf not found on PATH (install the qpdf package)")
    argv = [exe, *args]
    log.debug("run %s", argv)
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired:
        log.warning("qpdf timed out after %.0f s: %s", timeout_s, argv)
        return QpdfResult(-2, "", f"qpdf timed out after {timeout_s:.0f} s")
    if proc.stderr:
        log.debug("qpdf stderr: %s", proc.stderr.strip())
    return QpdfResult(proc.returncode, proc.stdout, proc.stderr)


def check(path: Path, *, timeout_s: float = 60.0) -> QpdfResult:
    """`qpdf --check`: structure, xref and every stream's filters decode."""
    return run(["--check", str(path)], timeout_s=timeout_s)
