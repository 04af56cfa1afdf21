"""Half-written files: `station watch` processes a file only once it is stable AND complete; a copy that
pauses longer than --settle waits for the rest, a file that stays cut short goes to failed/ after
--incomplete-timeout, and `.part`/`.tmp`/`~` names are left alone until renamed."""

from __future__ import annotations

import io
import os
from pathlib import Path

import img2pdf
import pikepdf
import pytest
from PIL import Image as PILImage
from PIL import TiffImagePlugin

from station.batch.completeness import incomplete_reason
from station.batch.watch import DONE_DIR, FAILED_DIR, is_in_progress
from tests import pagegen
from tests.station.test_cli_watch import WatchProcess, watch_once


def page_image(lines: slice = slice(0, 4), dpi: int = 100) -> PILImage.Image:
    return PILImage.fromarray(pagegen.render_text_page(pagegen.VIETNAMESE_LINES[lines], dpi=dpi).image)


def encoded(fmt: str, dpi: int = 100) -> bytes:
    """One page (two for TIFF) with Vietnamese text, as a scanner or a phone would write it."""
    image, buffer = page_image(dpi=dpi), io.BytesIO()
    if fmt == "TIFF":
        image.save(buffer, "TIFF", compression="tiff_deflate", save_all=True,
                   append_images=[page_image(slice(4, 8), dpi)], dpi=(dpi, dpi))
    elif fmt == "PDF":
        png = io.BytesIO()
        image.save(png, "PNG", dpi=(dpi, dpi))
        return bytes(img2pdf.convert(png.getvalue()))
    else:
        image.save(buffer, fmt, dpi=(dpi, dpi))
    return buffer.getvalue()


def reason_for(data: bytes, tmp_path: Path) -> str | None:
    path = tmp_path / "tệp"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        return incomplete_reason(fd)
    finally:
        os.close(fd)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "TIFF", "PDF", "BMP", "WEBP"])
def test_every_cut_of_a_page_file_is_seen_as_incomplete(fmt: str, tmp_path: Path) -> None:
    data = encoded(fmt)
    assert reason_for(data, tmp_path) is None
    # The last byte that matters: a PDF may lose its final newline, Pillow pads a TIFF with 4 bytes.
    last = len(data) - {"PDF": len(b"%%EOF\n"), "TIFF": 5}.get(fmt, 1)
    cuts = sorted({0, 1, 8, 16, *(len(data) * k // 20 for k in range(1, 20)), last - 8, last - 1, last})
    for cut in cuts:
        if 0 <= cut < len(data):
            assert reason_for(data[:cut], tmp_path) is not None, f"{fmt} cut at {cut} of {len(data)}"


def test_a_multi_page_tiff_cut_before_its_last_page_is_incomplete(tmp_path: Path) -> None:
    data = encoded("TIFF")
    with TiffImagePlugin.TiffImageFile(io.BytesIO(data)) as image:
        image.seek(1)
        second_page = min(int(o) for o in image.tag_v2[273])  # where the second page's data starts
    for cut in (second_page - 1, second_page + 10):
        assert reason_for(data[:cut], tmp_path) is not None


def test_real_world_files_are_complete(corpora: Path, tmp_path: Path) -> None:
    """No false alarm on the peers' scans and odd PDFs (a false alarm would delay them by the timeout)."""
    known_broken = {"invalid.pdf", "pe_98_pass-nld.jpg"}  # a damaged PDF; a JPEG really cut short
    checked = 0
    for path in sorted(corpora.rglob("*")):
        if path.suffix.lower() not in (".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff") or path.name in known_broken:
            continue
        fd = os.open(path, os.O_RDONLY)
        try:
            assert incomplete_reason(fd) is None, path
        finally:
            os.close(fd)
        checked += 1
    assert checked > 100
    fd = os.open(corpora / "mrz" / "pe_98_pass-nld.jpg", os.O_RDONLY)
    try:
        assert incomplete_reason(fd) == "no JPEG end marker: the file is cut short"
    finally:
        os.close(fd)


def test_in_progress_names() -> None:
    for name in ("Tờ khai.png.part", "Tờ khai.png.PART", "hồ sơ.pdf.tmp", "Giấy tờ.tif~", ".Tờ khai.png.x1y2",
                 "scan.pdf.crdownload", "ảnh.jpg.partial"):
        assert is_in_progress(name), name
    for name in ("Tờ khai.png", "partner.pdf", "tmp.png"):
        assert not is_in_progress(name), name


def test_once_leaves_a_fresh_cut_file_in_the_inbox_and_fails_an_old_one(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    data = encoded("PNG")
    (inbox / "Tờ khai đang chép.png").write_bytes(data[: len(data) // 2])
    old = inbox / "Giấy tờ hỏng.png"
    old.write_bytes(data[: len(data) // 2])
    os.utime(old, (1_751_423_400, 1_751_423_400))  # unchanged since 2025: no copy is still running
    run = watch_once(inbox, out, "--incomplete-timeout", "600")
    assert run.returncode == 1, run.stderr
    assert "WAITING Tờ khai đang chép.png: no PNG end chunk (IEND): the file is cut short; waiting for the rest" \
        in run.stdout.splitlines()
    assert (inbox / "Tờ khai đang chép.png").exists()
    error = (inbox / FAILED_DIR / "Giấy tờ hỏng.png.error.txt").read_text(encoding="utf-8")
    assert "Giấy tờ hỏng.png: no PNG end chunk (IEND): the file is cut short (unchanged for" in error
    assert not out.exists() or not list(out.glob("batch-*"))


FORMATS = {"Tờ khai đăng ký.png": "PNG", "Ảnh chụp giấy tờ đất đai.jpg": "JPEG", "Hồ sơ hai trang.tif": "TIFF",
           "Biên nhận của Nguyễn Văn Ánh.pdf": "PDF"}


@pytest.mark.timeout(420)
def test_a_copy_that_pauses_longer_than_settle_waits_for_the_rest(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    files = {name: encoded(fmt, dpi=150) for name, fmt in FORMATS.items()}
    with WatchProcess(inbox, out, "--settle", "0.3", "--incomplete-timeout", "600") as watch:
        handles = {}
        for name, data in files.items():  # four copies stall half-way, far longer than --settle
            handles[name] = (inbox / name).open("wb")
            handles[name].write(data[: len(data) // 2])
            handles[name].flush()
        watch.wait_for(lambda: all(watch.saw(f"WAITING {n}: ") for n in files), "the four seen as incomplete")
        assert list((inbox / FAILED_DIR).iterdir()) == [] and list((inbox / DONE_DIR).iterdir()) == []
        for name, data in files.items():  # the copies go on
            handles[name].write(data[len(data) // 2:])
            handles[name].close()
        watch.wait_for(lambda: len(list((inbox / DONE_DIR).iterdir())) == len(files), "all four files done",
                       timeout=300)
        assert watch.stop() == 0
    assert list((inbox / FAILED_DIR).iterdir()) == []
    for name, data in files.items():
        assert (inbox / DONE_DIR / name).read_bytes() == data
    pdfs = sorted(out.glob("batch-*/01-tai-lieu.pdf"))
    assert len(pdfs) == 4
    assert sorted(len(pikepdf.open(p).pages) for p in pdfs) == [1, 1, 1, 2]  # the TIFF kept both pages


def test_a_file_that_stays_cut_short_goes_to_failed_after_the_timeout(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    data = encoded("JPEG")
    with WatchProcess(inbox, out, "--settle", "0.2", "--incomplete-timeout", "1.5") as watch:
        (inbox / "Giấy tờ đất đai.jpg").write_bytes(data[: len(data) * 2 // 3])
        error = inbox / FAILED_DIR / "Giấy tờ đất đai.jpg.error.txt"
        watch.wait_for(error.exists, "the cut file to be filed as failed", timeout=60)
        assert watch.saw("WAITING Giấy tờ đất đai.jpg: no JPEG end marker")
        assert watch.stop() == 0
    assert "no JPEG end marker: the file is cut short (unchanged for" in error.read_text(encoding="utf-8")
    assert (inbox / FAILED_DIR / "Giấy tờ đất đai.jpg").read_bytes() == data[: len(data) * 2 // 3]


def test_partial_copy_names_are_ignored_until_renamed(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    data = encoded("PNG")
    with WatchProcess(inbox, out, "--settle", "0.2") as watch:
        for name in ("Tờ khai.png.part", "Giấy tờ.png~", "Biên nhận.png.tmp"):
            (inbox / name).write_bytes(data)
        (inbox / "Phiếu tiếp nhận.png").write_bytes(data)  # a file dropped after them is done first
        watch.wait_for(lambda: (inbox / DONE_DIR / "Phiếu tiếp nhận.png").exists(), "the plain file done")
        assert sorted(p.name for p in inbox.iterdir() if p.is_file()) == \
            ["Biên nhận.png.tmp", "Giấy tờ.png~", "Tờ khai.png.part"]
        (inbox / "Tờ khai.png.part").rename(inbox / "Tờ khai.png")
        watch.wait_for(lambda: (inbox / DONE_DIR / "Tờ khai.png").exists(), "the renamed copy done")
        assert watch.stop() == 0
    assert list((inbox / FAILED_DIR).iterdir()) == []
    assert not any(line.startswith(("FAILED", "WAITING")) for line in watch.lines), watch.lines
