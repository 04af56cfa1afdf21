"""Odd file names never crash `station watch`: every file is processed or filed under failed/ with a readable
(escaped) name in its message, and the files after it are processed too."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from station.batch.watch import DONE_DIR, FAILED_DIR
from station.safe_fs import NAME_MAX, display_name, fit_name
from tests.station.test_cli_watch import page_png, watch_once

NFC = unicodedata.normalize("NFC", "Tờ khai đăng ký.png")
NFD = unicodedata.normalize("NFD", NFC)
LONG_STEM = ("Giấy tờ đất đai của Nguyễn Văn Ánh " * 10).encode()[:240].decode("utf-8", "ignore")


def names(folder: Path) -> set[bytes]:
    return set(os.listdir(os.fsencode(folder)))


def test_display_name_escapes_what_cannot_be_shown_and_keeps_vietnamese() -> None:
    assert display_name(os.fsdecode(b"h\xf4 s\xe1.png")) == "h\\xf4 s\\xe1.png"
    assert display_name("dòng 1\ndòng 2.png") == "dòng 1\\ndòng 2.png"
    assert display_name(NFD) == NFD and display_name("Nguyễn Văn Ánh.pdf") == "Nguyễn Văn Ánh.pdf"
    long_name = fit_name(LONG_STEM * 2, "-12.png", reserve=len(".error.txt"))
    assert len(os.fsencode(long_name)) <= NAME_MAX - len(".error.txt") and long_name.endswith("-12.png")
    long_name.encode("utf-8")  # cut on a character boundary, never inside one


def test_odd_names_are_processed_or_failed_and_never_stop_the_loop(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    page = page_png(tmp_path / "trang.png").read_bytes()
    good = [
        b"h\xf4 s\xe1.png",  # Latin-1 bytes from an old Windows share: not UTF-8
        "dòng 1\ndòng 2.png".encode(),
        (LONG_STEM + ".png").encode(),
        b"-rf --help.png",
        NFC.encode(),
        NFD.encode(),  # the same words as macOS writes them: a second, distinct file
    ]
    bad_undecodable = b"ghi ch\xfa.txt"
    bad_long = (LONG_STEM + ".txt").encode()  # its .error.txt would not fit beside it under NAME_MAX
    for raw, data in [*((n, page) for n in good), *((n, "không phải ảnh".encode()) for n in (bad_undecodable,
                                                                                             bad_long))]:
        with open(os.path.join(os.fsencode(inbox), raw), "wb") as handle:
            handle.write(data)

    run = watch_once(inbox, out)

    assert "Traceback" not in run.stderr, run.stderr
    assert run.returncode == 1, run.stderr  # the two text files failed; everything else went through
    assert names(inbox / DONE_DIR) == set(good)
    failed = names(inbox / FAILED_DIR)
    assert {bad_undecodable, bad_undecodable + b".error.txt"} <= failed
    assert len(failed) == 4 and all(len(name) <= NAME_MAX for name in failed)
    long_error = next(n for n in failed if n.endswith(b".txt.error.txt") and n != bad_undecodable + b".error.txt")
    assert long_error.startswith(LONG_STEM[:100].encode())
    message = (inbox / FAILED_DIR / os.fsdecode(bad_undecodable + b".error.txt")).read_text(encoding="utf-8")
    assert "ghi ch\\xfa.txt: unsupported file type" in message
    assert [n for n in os.listdir(inbox) if n not in (DONE_DIR, FAILED_DIR)] == []
    assert len(list(out.glob("batch-*/01-tai-lieu.pdf"))) == len(good)  # one batch per dropped file
    lines = run.stdout.splitlines()
    assert "done   h\\xf4 s\\xe1.png: 1 document(s)" in lines
    assert "done   dòng 1\\ndòng 2.png: 1 document(s)" in lines  # one event, one line
    assert "done   -rf --help.png: 1 document(s)" in lines
    assert f"done   {NFC}: 1 document(s)" in lines and f"done   {NFD}: 1 document(s)" in lines
    assert "FAILED ghi ch\\xfa.txt: unsupported file type (use PDF, PNG, JPEG, TIFF, BMP or WebP)" in lines
