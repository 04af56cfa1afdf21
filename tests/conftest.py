"""Shared fixtures. SANE is pointed at the project's virtual devices before anything initialises it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from tests.paths import CORPORA, RESOURCES

# Must happen before the first sane.init() in this process: SANE reads it once.
os.environ["SANE_CONFIG_DIR"] = str(RESOURCES / "sane")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Never touch the real user's settings, queue or journal: one throw-away station home for the whole run.
_STATION_HOME = Path(tempfile.mkdtemp(prefix="station-tests-"))
os.environ["STATION_DATA_DIR"] = str(_STATION_HOME / "data")
os.environ["STATION_CONFIG_DIR"] = str(_STATION_HOME / "config")
os.environ.pop("STATION_BACKEND_URL", None)
os.environ.pop("STATION_BACKEND_TOKEN", None)
# Never touch the real user's keyring either (on a bare machine keyrings.alt writes under ~/.local/share):
# the uploader then uses its file keyring in the test data dir, the at-rest key its file in the test config dir.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.is_dir():
        pytest.fail(f"peer corpora missing at {CORPORA} (expected ../shared/corpora beside the project)")
    return CORPORA


@pytest.fixture(scope="session")
def resources() -> Path:
    return RESOURCES

# Fixtures that start the reference backend in a subprocess (shared by uploader, GUI and review tests).
pytest_plugins = ("tests.backend_fixtures", "tests.qt_fixtures", "tests.redis_fixtures")
