"""Everything the station writes is private to its user (umask 077), whatever umask it was started with."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
from pathlib import Path

from tests.paths import RESOURCES, ROOT


def station(*argv: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The real `station` process, started from a shell with the usual, permissive umask 022."""
    command = " ".join(shlex.quote(a) for a in (sys.executable, "-m", "station", *argv))
    env = {**os.environ, "STATION_DATA_DIR": str(home / "dữ liệu"), "STATION_CONFIG_DIR": str(home / "cấu hình")}
    return subprocess.run(["sh", "-c", f"umask 022 && exec {command}"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=240)


def modes(root: Path) -> dict[str, int]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in [*dirs, *files]:
            path = Path(folder) / name
            found[str(path.relative_to(root))] = stat.S_IMODE(path.lstat().st_mode)
    return found


def test_scan_and_process_write_only_private_files_and_folders(tmp_path: Path) -> None:
    scans = tmp_path / "Giấy tờ đất đai" / "lượt 1"
    done = station("scan", "--virtual", "--pages", "2", "--out", str(scans), home=tmp_path)
    assert done.returncode == 0, done.stderr
    done = station("process", str(RESOURCES / "samples" / "06-cccd-mat-truoc.png"), "--out",
                   str(tmp_path / "kết quả"), "--jobs", "1", "--quiet", "--operator", "Nguyễn Văn Ánh",
                   home=tmp_path)
    assert done.returncode == 0, done.stderr
    found = modes(tmp_path)
    assert {p for p in found if p.endswith(".png")} == {f"Giấy tờ đất đai/lượt 1/page-000{n}.png" for n in (1, 2)}
    assert "dữ liệu/journal.sqlite3" in found and any(p.endswith(".pdf") for p in found)
    folders = {p for p in found if (tmp_path / p).is_dir()}
    assert {p: m for p, m in found.items() if p in folders and m != 0o700} == {}
    assert {p: m for p, m in found.items() if p not in folders and m != 0o600} == {}


def test_scan_pages_are_private_even_in_process_and_never_written_through_a_link(tmp_path: Path) -> None:
    """station.commands.scan on its own (as the GUI's import uses it), under a permissive umask."""
    import numpy as np

    from scanning.models import Page
    from station.commands.scan import write_page

    folder = tmp_path / "trang quét"
    folder.mkdir()
    victim = tmp_path / "elsewhere.png"
    victim.write_bytes(b"untouched")
    (folder / "page-0001.png.part").symlink_to(victim)  # the old temp name, planted
    previous = os.umask(0o022)
    try:
        path = write_page(Page(np.full((40, 30), 200, np.uint8), 300, "Nguyễn Văn Ánh.png", 1), folder)
    finally:
        os.umask(previous)
    assert path.name == "page-0001.png"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert victim.read_bytes() == b"untouched"
