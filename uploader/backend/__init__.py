"""Reference backend: implements uploader/openapi.yaml with FastAPI, SQLite and files on disk.

It is the embedded default the station uploads to when no backend is configured, and the peer the
uploader's tests talk to. Fault injection (for tests and benchmarks) lives in :mod:`faults`.
"""

from uploader.backend.app import create_app
from uploader.backend.faults import Faults
from uploader.backend.store import Store

__all__ = ["Faults", "Store", "create_app"]
