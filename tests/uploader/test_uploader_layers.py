"""The uploader is a library: it never imports the station, Qt or the scanning library, and its client side
never imports the reference backend (a station does not ship a server). Errors map through one Protocol."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import uploader
from scanning.errors import PaperJamError, StationError
from station.errors import USER_FACING_ERRORS, UserFacingError, user_facing
from uploader.errors import BackendRejectedError, QueueStorageError, UploaderError, UploadError

FOREIGN = ("station", "scanning", "ocr", "PySide6")


def _modules(prefix: str, *, backend: bool) -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(uploader.__path__, "uploader.")
             if not m.name.endswith("__main__")]  # __main__ starts a server
    return [n for n in names if n.startswith("uploader.backend") == backend and n.startswith(prefix)]


def _imported_after(modules: list[str]) -> list[str]:
    """Every top-level package and uploader.backend module loaded by importing `modules` in a fresh interpreter."""
    code = ("import importlib, json, sys\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "print(json.dumps(sorted(sys.modules)))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    loaded: list[str] = json.loads(out.stdout)
    return loaded


def test_the_client_side_imports_neither_the_station_nor_the_backend() -> None:
    client = _modules("uploader", backend=False)
    assert "uploader.outbox" in client and "uploader.errors" in client
    loaded = _imported_after(client)
    assert [m for m in loaded if m.split(".")[0] in FOREIGN] == []
    assert [m for m in loaded if m.startswith("uploader.backend") or m == "fastapi"] == []


def test_the_reference_backend_imports_no_station_library() -> None:
    backend = _modules("uploader.backend", backend=True)
    assert "uploader.backend.review" in backend
    loaded = _imported_after(backend)
    assert [m for m in loaded if m.split(".")[0] in FOREIGN] == []


def test_uploader_errors_have_their_own_base_with_exit_code_and_vietnamese_message() -> None:
    err = BackendRejectedError("HTTP 404 for dossier", status=404, error_code="dossier_not_found")
    assert isinstance(err, UploaderError) and isinstance(err, UploadError)
    assert not isinstance(err, StationError)
    assert err.exit_code == 6 and "hồ sơ" in err.user_message  # ExitCode.UPLOAD
    custom = UploaderError("x", user_message="Hồ sơ của Nguyễn Văn Ánh chưa gửi được")
    assert custom.user_message == "Hồ sơ của Nguyễn Văn Ánh chưa gửi được" and custom.exit_code == 1


@pytest.mark.parametrize("err", [QueueStorageError("disk full"), PaperJamError("jammed")])
def test_front_ends_catch_every_library_error_through_one_protocol(err: QueueStorageError | PaperJamError) -> None:
    try:
        raise err
    except USER_FACING_ERRORS as caught:
        typed = user_facing(caught)
        assert typed is not None and isinstance(caught, UserFacingError)
        assert typed.exit_code in (3, 6) and typed.user_message == err.user_message
    assert user_facing(ValueError("not typed")) is None
