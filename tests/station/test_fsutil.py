import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from station.fsutil import write_atomic
from tests.paths import ROOT


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


def test_new_files_and_folders_are_private_and_planted_links_replaced_not_followed(tmp_path: Path) -> None:
    import stat

    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"untouched")
    target = tmp_path / "hồ sơ mới" / "Nguyễn Văn Ánh.json"
    previous = os.umask(0o022)
    try:
        write_atomic(target, b"{}")
        (target.parent / "link.json").symlink_to(victim)
        write_atomic(target.parent / "link.json", b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert victim.read_bytes() == b"untouched" and not (target.parent / "link.json").is_symlink()
