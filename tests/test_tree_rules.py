"""Rules of the test tree itself: tests never sleep hoping something happened (they poll a condition through
tests/waiting.py, wait for a process's line, a file, a port, or use qtbot.waitUntil), and every folder under
tests/ is a package (pytest imports two test files of the same name in different folders only then)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Benchmarks measure time on purpose; the shared wait helper holds the one pause between two polls.
EXEMPT = {TESTS / "benchmarks", TESTS / "waiting.py"}
# Files whose sleeps their owners still have to turn into tests.waiting.wait_until (issue 15 §4); an entry must
# go once its file is clean (checked below). signing_fixtures: the certomancer animator's start-up poll.
STILL_SLEEPING = {"tests/signing_fixtures.py"}


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py")
                  if "__pycache__" not in p.parts and not any(p == e or e in p.parents for e in EXEMPT))


def sleep_calls(source: str) -> list[int]:
    """Lines calling time.sleep, however `time` or `sleep` was imported (module alias, from-import alias)."""
    tree = ast.parse(source)
    modules = {"time"}  # names bound to the time module
    functions: set[str] = set()  # names bound to time.sleep
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {a.asname or a.name for a in node.names if a.name == "time"}
        elif isinstance(node, ast.ImportFrom) and node.module == "time":
            functions |= {a.asname or a.name for a in node.names if a.name == "sleep"}
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (isinstance(func, ast.Attribute) and func.attr == "sleep" and isinstance(func.value, ast.Name)
                and func.value.id in modules) or (isinstance(func, ast.Name) and func.id in functions):
            lines.append(node.lineno)
    return sorted(lines)


def test_the_sleep_finder_sees_every_spelling() -> None:
    source = ("import time\nimport time as t\nfrom time import sleep\nfrom time import sleep as nap\n"
              "time.sleep(1)\nt.sleep(1)\nsleep(1)\nnap(1)\nclock.sleep(1)\nprint('time.sleep(1)')\n")
    assert sleep_calls(source) == [5, 6, 7, 8]


def test_no_test_sleeps() -> None:
    offenders = {str(p.relative_to(TESTS.parent)): lines for p in python_files()
                 if (lines := sleep_calls(p.read_text(encoding="utf-8")))}
    unexpected = {name: lines for name, lines in offenders.items() if name not in STILL_SLEEPING}
    assert unexpected == {}, "poll a condition with tests.waiting.wait_until (or qtbot.waitUntil) instead of sleeping"
    assert set(offenders) >= STILL_SLEEPING, f"clean now, drop from STILL_SLEEPING: {STILL_SLEEPING - set(offenders)}"


def test_every_test_folder_is_a_package() -> None:
    folders = [d for d in [TESTS, *TESTS.rglob("*")]
               if d.is_dir() and "__pycache__" not in d.parts and not d.name.startswith(".")]
    missing = [str(d.relative_to(TESTS.parent)) for d in folders if not (d / "__init__.py").is_file()]
    assert missing == []
