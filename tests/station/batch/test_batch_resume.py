"""A `station process` run stopped at any point (crash, kill, full disk) and run again gives exactly the output
of a run that was never stopped: no page lost, none merged into the wrong document."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from station.batch import resume_log
from station.batch.runner import OutputNotWritableError, ProcessOptions, run_batch
from tests.batch_inputs import CODE, make_inputs, output_files


class Crash(Exception):
    """Stands for the process dying: raised from inside the run, nothing after it happens."""


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, bytes]]:
    base = tmp_path_factory.mktemp("resume")
    inputs = make_inputs(base / "inputs")
    out = base / "reference"
    summary = run_batch(inputs, ProcessOptions(out_dir=out, jobs=1))
    assert not summary.failures
    files = output_files(out)
    assert f"{CODE}/manifest.json" in files and len([f for f in files if f.endswith(".pdf")]) == 2
    return inputs, files


@pytest.mark.timeout(600)
@pytest.mark.parametrize("crash_after", [1, 3])
def test_a_run_that_dies_with_pages_in_the_pool_resumes_to_the_same_output(
        reference: tuple[list[Path], dict[str, bytes]], tmp_path: Path, crash_after: int) -> None:
    """With --jobs 2 the page reader runs ahead of the pool: files whose pages were still in flight when the
    run died must not count as done (they did, and the re-run left their pages out)."""
    inputs, expected = reference
    out = tmp_path / "out"

    def die(done: int, source: str) -> None:
        if done >= crash_after:
            raise Crash

    with pytest.raises(Crash):
        run_batch(inputs, ProcessOptions(out_dir=out, jobs=2), progress=die)
    summary = run_batch(inputs, ProcessOptions(out_dir=out, jobs=2))
    assert summary.resumed and not summary.failures
    assert output_files(out) == expected


@pytest.mark.timeout(600)
def test_a_full_disk_stops_the_run_and_the_rerun_gives_the_same_output(
        reference: tuple[list[Path], dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The one mocked fault: the journal's write fails with ENOSPC after a few records (a real full disk is
    in test_batch_crash_property.py)."""
    inputs, expected = reference
    out = tmp_path / "out"
    real_append = resume_log.ResumeLog._append
    writes = {"n": 0}

    def append_until_full(self: resume_log.ResumeLog, record: dict[str, object]) -> None:
        writes["n"] += 1
        if writes["n"] > 4:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_append(self, record)

    monkeypatch.setattr(resume_log.ResumeLog, "_append", append_until_full)
    with pytest.raises(OutputNotWritableError):
        run_batch(inputs, ProcessOptions(out_dir=out, jobs=2))
    monkeypatch.setattr(resume_log.ResumeLog, "_append", real_append)
    summary = run_batch(inputs, ProcessOptions(out_dir=out, jobs=2))
    assert summary.resumed and not summary.failures
    assert output_files(out) == expected
