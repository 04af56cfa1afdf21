import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from station.fsutil import write_atomic

ROOT = Path(__file__).resolve().parent.parent


def test_replaces_content_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.json"
    write_atomic(target, b"old")
    write_atomic(target, b"new", durable=False)
    assert target.read_bytes() == b"new"
    assert [p.name for p in target.parent.iterdir()] == ["a.json"]


def test_failed_write_keeps_the_old_file_and_no_temp(tmp_path: Path) -> None:
    """A real write failure (the file size limit, like a full disk) in a child process."""
    target = tmp_path / "a.bin"
    target.write_bytes(b"old content")

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))

    code = ("from pathlib import Path; from station.fsutil import write_atomic; "
            f"write_atomic(Path({str(target)!r}), b'x' * 5000)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                            preexec_fn=limit, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode != 0 and "File too large" in result.stderr
    assert target.read_bytes() == b"old content"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_missing_parent_that_is_a_file_raises(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        write_atomic(tmp_path / "file" / "a.bin", b"data")
