"""One ExitCode enum: every code documented, every typed error of the tree on a code, the CLI maps them in one
place and prints the Vietnamese message."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from scanning.errors import ImportFailedError, PaperJamError, StationError
from station.cli import report_error
from station.errors import USER_FACING_ERRORS
from station.exit_codes import MEANINGS, ExitCode
from tests.paths import ROOT
from uploader.errors import ManifestError, SenderStalledError, UploaderError

# Packages whose modules need a display or are the Qt front end: they define no typed error of their own.
SKIPPED = ("station.ui",)


def test_every_code_is_documented_once() -> None:
    assert set(MEANINGS) == set(ExitCode)
    assert all(len(text) > 20 for text in MEANINGS.values())
    assert len(set(MEANINGS.values())) == len(MEANINGS)  # one meaning per code
    assert (int(ExitCode.OK), int(ExitCode.INTERRUPTED)) == (0, 130)  # what shells and scripts expect


def _all_subclasses(base: type[BaseException]) -> set[type[BaseException]]:
    found: set[type[BaseException]] = set()
    todo = [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def _import_tree() -> None:
    for package in ("scanning", "ocr", "uploader", "station"):
        module = importlib.import_module(package)
        for info in pkgutil.walk_packages(module.__path__, f"{package}."):
            if info.name.startswith(SKIPPED) or info.name.endswith("__main__"):
                continue
            importlib.import_module(info.name)


def test_every_typed_error_class_of_the_tree_exits_with_a_documented_code() -> None:
    _import_tree()
    classes = {cls for base in USER_FACING_ERRORS for cls in (base, *_all_subclasses(base))}
    assert len(classes) > 40  # the walk found the tree's errors, not just the bases
    wrong = {cls.__qualname__: getattr(cls, "exit_code", None) for cls in classes
             if getattr(cls, "exit_code", None) not in set(ExitCode) - {ExitCode.OK, ExitCode.INTERRUPTED}}
    assert wrong == {}


@pytest.mark.parametrize(
    ("err", "code"),
    [
        (PaperJamError("ADF jam at page 3"), ExitCode.DEVICE),
        (ImportFailedError("Giấy tờ đất đai.pdf: not a PDF"), ExitCode.INPUT),
        (ManifestError("manifest.json missing"), ExitCode.INPUT),
        (SenderStalledError("sender thread ended"), ExitCode.UPLOAD),
        (StationError("generic"), ExitCode.PARTIAL),
        (UploaderError("generic"), ExitCode.PARTIAL),
    ],
)
def test_the_cli_maps_typed_errors_in_one_place(err: StationError | UploaderError, code: ExitCode,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert report_error(err) is code
    quiet = capsys.readouterr().err
    assert err.user_message in quiet and str(err) not in quiet  # the officer reads Vietnamese
    assert report_error(err, verbose=1) is code
    assert str(err) in capsys.readouterr().err  # -v adds the technical text for support


def test_untyped_errors_are_not_swallowed() -> None:
    assert report_error(ValueError("a bug")) is None


def test_a_typed_error_becomes_the_exit_status_of_station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    from station.cli import main

    folder = tmp_path / "hồ sơ"
    monkeypatch.setenv("STATION_DATA_DIR", str(tmp_path / "data"))
    status = main(["queue", "--retry", "999", "--data-dir", str(folder)])
    assert status == ExitCode.USAGE
    assert "Không có mục này trong hàng đợi" in capsys.readouterr().err


OWNED_COMMANDS = ("inspect", "watch", "scan", "upload", "queue", "report", "backend", "separator_sheet")


@pytest.mark.parametrize("name", OWNED_COMMANDS)
def test_commands_return_exit_codes_not_numbers_and_do_not_import_the_cli(name: str) -> None:
    source = (ROOT / "station" / "commands" / f"{name}.py").read_text(encoding="utf-8")
    assert not re.findall(r"return \d+\b|SystemExit\(\d+\)|EXIT_\w+ = \d+", source)
    assert "station.cli" not in source  # station.cli imports the commands: no cycle
