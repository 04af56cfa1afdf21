"""Crash-resume as a property, through real processes: `station process --jobs 2` killed with SIGKILL (the
whole process group: parent and pool workers) at many moments, or stopped by a real full disk, then run
again, writes exactly the bytes of a run that was never stopped — every PDF and every manifest."""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest

from tests.batch_inputs import CODE, make_inputs, output_files
from tests.paths import ROOT
from tests.waiting import wait_until

SEED = 20_250_702
KILLS = 8
JOURNAL_LINES = 18  # start + 8 pages + 6 files + 1 dossier + 2 documents: analysis and build of the inputs


def command(inputs: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "station", "process", str(inputs), "--out", str(out), "--jobs", "2", "--quiet"]


def environment(base: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["STATION_DATA_DIR"] = str(base / "station-data")
    return env


def journal_lines(out: Path) -> int:
    lines = 0
    for journal in out.glob(".station-work/*/journal.jsonl"):
        with contextlib.suppress(OSError):  # removed by the run finishing just now
            lines += journal.read_bytes().count(b"\n")
    return lines


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    base = tmp_path_factory.mktemp("crash")
    inputs = base / "hồ sơ đầu vào"
    make_inputs(inputs)
    out = base / "reference"
    result = subprocess.run(command(inputs, out), cwd=ROOT, env=environment(base), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    files = output_files(out)
    assert f"{CODE}/manifest.json" in files and sum(f.endswith(".pdf") for f in files) == 2
    return base, inputs, files


def pool_workers(parent: psutil.Process) -> list[psutil.Process]:
    """The run's pool worker processes (multiprocessing's spawn children)."""
    with contextlib.suppress(psutil.Error):  # the run ending just now
        return [p for p in parent.children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
    return []


def run_killed_at(argv: list[str], env: dict[str, str], moment: str,
                  reached: Callable[[psutil.Process], bool]) -> bool:
    """Start the run and SIGKILL it with its pool as soon as `reached(run)`; False if it finished first."""
    child = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    run = psutil.Process(child.pid)
    wait_until(lambda: child.poll() is not None or reached(run), 120, f"{moment} or the run's end")
    killed = child.poll() is None
    if killed:
        os.killpg(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    return killed


@pytest.mark.timeout(900)
def test_killed_at_random_moments_the_rerun_equals_an_uninterrupted_run(
        reference: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    base, inputs, expected = reference
    out = tmp_path / "out"
    rng = random.Random(SEED)
    # Kill points spread over the whole run, each an event seen from outside, never a guessed time: two during
    # start-up (the output folder made, the pool's workers up), the others right after the journal reached a
    # random milestone (pages in the pool, files half done, documents being built).
    milestones = sorted(rng.sample(range(2, JOURNAL_LINES), KILLS - 2))
    plan: list[tuple[str, Callable[[psutil.Process], bool]]] = [
        ("the output folder made", lambda _run: out.is_dir()),
        ("the pool's workers up", lambda run: bool(pool_workers(run))),
    ]

    def journal_at(lines: int) -> Callable[[psutil.Process], bool]:
        return lambda _run: journal_lines(out) >= lines

    plan += [(f"{m} journal lines", journal_at(m)) for m in milestones]
    killed_mid_run = sum(run_killed_at(command(inputs, out), environment(base), moment, reached)
                         for moment, reached in plan)
    assert killed_mid_run >= KILLS // 2, "the runs finished before they could be killed"
    result = subprocess.run(command(inputs, out), cwd=ROOT, env=environment(base), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert output_files(out) == expected
    assert not list(out.rglob("*.tmp"))


def _can_mount_privately() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--mount", "--propagation", "private", "true"], capture_output=True)
    return probe.returncode == 0


FULL_DISK_SCRIPT = """
set -u
mount -t tmpfs -o size="$SIZE" tmpfs "$OUT" || exit 90
"$@" 2> "$LOGS/first.err"; echo $? > "$LOGS/first"
mount -o remount,size=256m "$OUT" || exit 91
"$@" 2> "$LOGS/second.err"; echo $? > "$LOGS/second"
cp -a "$OUT/." "$COPY/"
"""


@pytest.mark.timeout(900)
@pytest.mark.skipif(not _can_mount_privately(), reason="needs a private mount namespace (root) for a real small disk")
@pytest.mark.parametrize("fraction", [0.25, 0.7, 1.3])
def test_a_real_full_disk_stops_cleanly_and_the_rerun_equals_an_uninterrupted_run(
        reference: tuple[Path, Path, dict[str, bytes]], tmp_path: Path, fraction: float) -> None:
    """A tmpfs of a fraction of what the run needs, mounted in a private mount namespace (it vanishes with the
    namespace, whatever happens to the test), is the full disk; remounting it larger is the space coming back."""
    base, inputs, expected = reference
    out, logs, copy = tmp_path / "out", tmp_path / "logs", tmp_path / "copy"
    for folder in (out, logs, copy):
        folder.mkdir()
    needed = sum(len(data) for data in expected.values())
    env = environment(base) | {"SIZE": str(max(64 * 1024, int(needed * fraction))), "OUT": str(out),
                               "LOGS": str(logs), "COPY": str(copy)}
    script = subprocess.run(["unshare", "--mount", "--propagation", "private", "sh", "-c", FULL_DISK_SCRIPT, "sh",
                             *command(inputs, out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert script.returncode == 0, script.stderr
    first_err = (logs / "first.err").read_text(encoding="utf-8")
    assert (logs / "first").read_text().strip() == "5", first_err
    assert "Traceback" not in first_err and "đầy ổ đĩa" in first_err
    assert (logs / "second").read_text().strip() == "0", (logs / "second.err").read_text(encoding="utf-8")
    assert output_files(copy) == expected
    assert not list(copy.rglob("*.tmp"))
    assert not list(out.iterdir())  # the small disk is gone with its namespace: nothing was left mounted


@pytest.mark.timeout(900)
def test_a_worker_killed_mid_page_stops_the_run_and_the_rerun_equals_an_uninterrupted_run(
        reference: tuple[Path, Path, dict[str, bytes]], tmp_path: Path) -> None:
    """The OOM killer taking one pool worker: its pages are not 'unreadable' (they were, and stayed out of their
    documents for good); the run stops with a clear error and the re-run makes them."""
    base, inputs, expected = reference
    out = tmp_path / "out"
    child = subprocess.Popen(command(inputs, out), cwd=ROOT, env=environment(base), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    parent = psutil.Process(child.pid)

    def a_busy_worker() -> list[psutil.Process]:
        assert child.poll() is None, "the run ended before a pool worker was seen"
        return pool_workers(parent) if journal_lines(out) >= 2 else []  # the pool is at work

    victim, *_ = wait_until(a_busy_worker, 120, "a pool worker at work")
    victim.kill()
    _, stderr = child.communicate(timeout=300)
    assert child.returncode == 1, stderr
    assert "Traceback" not in stderr and "dừng đột ngột" in stderr
    result = subprocess.run(command(inputs, out), cwd=ROOT, env=environment(base), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    assert output_files(out) == expected
