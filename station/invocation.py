"""How the user can type the `station` command again (for messages that tell them what to run next).

Kept out of station/cli.py so that commands never import the CLI module that imports them.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path


def invoked_as() -> str:
    """`station` when it is on PATH, else the full path of the script beside this interpreter, else `-m`."""
    if shutil.which("station"):
        return "station"
    beside = Path(sys.executable).parent / "station"
    return str(beside) if beside.exists() else f"{sys.executable} -m station"
