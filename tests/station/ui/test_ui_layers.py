"""Only station/ui imports Qt (the counter service, the commands and the libraries run without it), and
`station review` still opens its window through station/ui."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

from station.journal.store import Journal
from tests.backend_fixtures import ROOT

QT_MODULES = ("PySide6", "shiboken6")


def qt_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return [n for n in names if n.split(".")[0] in QT_MODULES]


def test_only_station_ui_imports_qt() -> None:
    offenders = {
        str(path.relative_to(ROOT)): found
        for package in ("station", "scanning", "ocr", "uploader")
        for path in sorted((ROOT / package).rglob("*.py"))
        if not path.is_relative_to(ROOT / "station" / "ui") and (found := qt_imports(path))
    }
    assert offenders == {}


def _review(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STATION_")}
    env.update(STATION_CONFIG_DIR=str(tmp_path / "cấu hình"), STATION_DATA_DIR=str(tmp_path / "dữ liệu"),
               QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "station", "review", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_station_review_opens_the_journal_it_is_given(tmp_path: Path) -> None:
    path = tmp_path / "nhật ký" / "journal.sqlite3"
    path.parent.mkdir()
    Journal(path).close()
    shot = tmp_path / "ảnh" / "duyệt.png"
    result = _review(tmp_path, "--journal", str(path), "--reviewer", "Trần Văn Giám", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_station_review_without_a_journal_says_so(tmp_path: Path) -> None:
    missing = tmp_path / "không có" / "journal.sqlite3"
    result = _review(tmp_path, "--journal", str(missing))
    assert result.returncode == 2 and "không có nhật ký" in result.stderr and "Traceback" not in result.stderr
