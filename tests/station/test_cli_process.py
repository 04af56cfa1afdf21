"""`station process` end to end: real pages -> cleanup, OCR, barcodes -> PDF/A files + manifest, resumably."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import qrcode
from PIL import Image as PILImage
from pypdf import PdfReader

from station.batch.resume_log import WORK_DIR_NAME
from station.batch.split import SplitMode
from station.cli import main
from station.pdfa.check import check_pdfa
from tests import pagegen
from tests.paths import ROOT
from tests.waiting import wait_until

DPI = 200
CODE = "000.00.01.H22-250702-0013"


def with_qr(image: np.ndarray, text: str, *, size_mm: float = 30, at: tuple[float, float] = (150, 20)) -> np.ndarray:
    qr = qrcode.make(text, border=2).get_image().convert("L")
    side = pagegen.mm_to_px(size_mm, DPI)
    canvas = PILImage.fromarray(image)
    canvas.paste(qr.resize((side, side), PILImage.Resampling.NEAREST),
                 (pagegen.mm_to_px(at[0], DPI), pagegen.mm_to_px(at[1], DPI)))
    return np.asarray(canvas)


def save(image: np.ndarray, path: Path) -> Path:
    PILImage.fromarray(image).save(path, dpi=(DPI, DPI))
    os.utime(path, (1_751_423_400, 1_751_423_400))  # a fixed "scan time": 2025-07-02 09:30 +07
    return path


def text(lines: slice, **kw: object) -> np.ndarray:
    return pagegen.render_text_page(pagegen.VIETNAMESE_LINES[lines], dpi=DPI, **kw).image  # type: ignore[arg-type]


def make_inbox(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    save(with_qr(text(slice(0, 8)), CODE), folder / "01-receipt.png")
    save(text(slice(8, 16)), folder / "02-form.png")
    sheet = with_qr(pagegen.blank_page(dpi=DPI, value=255), "STATION-SEPARATOR:Giấy tờ đất đai", size_mm=80,
                    at=(65, 100))
    save(sheet, folder / "03-separator.png")
    save(pagegen.turn(text(slice(16, 24), color=True), 180), folder / "04-deed-upside-down.png")
    save(pagegen.add_noise(pagegen.blank_page(dpi=DPI), 5.0), folder / "05-blank.png")
    return folder


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    base = tmp_path_factory.mktemp("process")
    inbox = make_inbox(base / "inbox")
    status, stdout, _ = run_cli("process", str(inbox), "--out", str(base / "out"), "--jobs", "2", "--quiet")
    return base, status, stdout


def test_dossier_folder_documents_and_manifest(processed: tuple[Path, int, str]) -> None:
    base, status, stdout = processed
    assert status == 0, stdout
    folder = base / "out" / CODE
    assert sorted(p.name for p in folder.iterdir()) == ["01-tai-lieu.pdf", "02-giay-to-dat-dai.pdf", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["schema"] == 2 and manifest["dossier_code"] == CODE
    # The code the backend accepts, and the name the separator sheet gave beside it.
    assert [(d["file"], d["doc_type"], d["doc_title"], d["pages"]) for d in manifest["documents"]] == [
        ("01-tai-lieu.pdf", "tai-lieu", None, 2), ("02-giay-to-dat-dai.pdf", "giay-to-dat-dai", "Giấy tờ đất đai", 1)]
    # Inputs are named by their index in the run and their SHA-256, never by their (often personal) file name.
    inputs = sorted((base / "inbox").iterdir())
    reasons = [(inputs[e["input"]].name, e["page"], e["reason"]) for e in manifest["excluded_pages"]]
    assert reasons == [("03-separator.png", 1, "separator"), ("05-blank.png", 1, "blank")]
    assert all(e["input_sha256"] == sha256_of(inputs[e["input"]]) for e in manifest["excluded_pages"])
    raw = (folder / "manifest.json").read_bytes()
    assert not [p.name for p in inputs if p.stem.encode() in raw]
    for document in manifest["documents"]:
        data = (folder / document["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == document["sha256"] and len(data) == document["bytes"]
        assert document["text_chars"] > 100
    deed = manifest["documents"][1]["source_pages"][0]
    assert deed["rotation_applied"] == 180 and inputs[deed["input"]].name == "04-deed-upside-down.png"
    assert deed["input_sha256"] == sha256_of(inputs[deed["input"]]) and "source" not in deed
    assert {"batch_id", "station_id", "created", "cccd", "warnings"} <= set(manifest)


def test_documents_are_valid_pdfa_with_vietnamese_text(processed: tuple[Path, int, str]) -> None:
    folder = processed[0] / "out" / CODE
    first = folder / "01-tai-lieu.pdf"
    assert check_pdfa(first).ok
    with pikepdf.open(first) as pdf:
        assert len(pdf.pages) == 2
        assert str(pdf.open_metadata().get("pdfaid:part")) == "2"
        width_pt = float(pdf.pages[0].MediaBox[2])
    assert width_pt == pytest.approx(210 / 25.4 * 72, abs=1.5)  # 100 % scale
    extracted = PdfReader(first).pages[1].extract_text()
    assert "Mục đích sử dụng: đất ở tại đô thị" in extracted
    deed_text = PdfReader(folder / "02-giay-to-dat-dai.pdf").pages[0].extract_text()
    assert "Xác nhận của Ủy ban nhân dân cấp xã" in deed_text  # read after turning it upright


def test_rerun_of_a_finished_batch_changes_nothing(processed: tuple[Path, int, str]) -> None:
    base = processed[0]
    before = {p: p.read_bytes() for p in (base / "out" / CODE).glob("*.pdf")}
    status, stdout, _ = run_cli("process", str(base / "inbox"), "--out", str(base / "out"), "--jobs", "1", "--quiet")
    assert status == 0 and "(resumed)" in stdout
    assert {p: p.read_bytes() for p in (base / "out" / CODE).glob("*.pdf")} == before


def test_killed_run_resumes_to_identical_files(processed: tuple[Path, int, str], tmp_path: Path) -> None:
    inbox = processed[0] / "inbox"
    out = tmp_path / "out"
    command = [sys.executable, "-m", "station", "process", str(inbox), "--out", str(out), "--jobs", "1", "--quiet"]
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    journals = out / WORK_DIR_NAME

    def two_pages_journalled() -> bool:
        assert child.poll() is None, "the run finished before it could be killed"
        lines = [line for j in journals.glob("*/journal.jsonl") for line in j.read_text().splitlines()]
        return sum('"kind": "page"' in line for line in lines) >= 2

    wait_until(two_pages_journalled, 120, "two pages in the run's journal")
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert not list((out / CODE).glob("*.pdf")) if (out / CODE).exists() else True
    status, stdout, _ = run_cli("process", str(inbox), "--out", str(out), "--jobs", "1", "--quiet")
    assert status == 0 and "(resumed)" in stdout
    reference = processed[0] / "out" / CODE
    for pdf in reference.glob("*.pdf"):
        assert (out / CODE / pdf.name).read_bytes() == pdf.read_bytes()
    assert not list(out.rglob("*.tmp"))


def test_unreadable_file_is_listed_and_the_rest_is_built(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    save(text(slice(0, 5)), inbox / "a.png")
    (inbox / "b.pdf").write_bytes(b"%PDF-1.4\nthis is not a pdf at all")
    save(text(slice(5, 10)), inbox / "c.png")
    status, _, stderr = run_cli("process", str(inbox), "--out", str(tmp_path / "out"), "--jobs", "1",
                                     "--quiet", "--split", "file")
    assert status == 1
    assert "b.pdf" in stderr and "Traceback" not in stderr
    [folder] = [p for p in (tmp_path / "out").iterdir() if p.name.startswith("batch-")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [d["pages"] for d in manifest["documents"]] == [1, 1]
    assert [(e["input"], e["reason"]) for e in manifest["excluded_pages"]] == [(1, "unreadable")]  # b.pdf
    assert manifest["excluded_pages"][0]["input_sha256"] == sha256_of(inbox / "b.pdf")


def test_output_that_cannot_be_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    inbox = make_inbox(tmp_path / "inbox")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    status, _, stderr = run_cli("process", str(inbox), "--out", str(blocker / "out"), "--quiet")
    assert status == 5
    assert "not writable" in stderr and "Traceback" not in stderr


def test_full_disk_stops_cleanly_without_partial_pdfs(tmp_path: Path) -> None:
    """A real write failure: the child may not write files over 30 KB (RLIMIT_FSIZE, EFBIG like ENOSPC)."""
    inbox = make_inbox(tmp_path / "inbox")
    out = tmp_path / "out"

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))

    result = subprocess.run(
        [sys.executable, "-m", "station", "process", str(inbox), "--out", str(out), "--jobs", "1", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=limit_file_size,
    )
    assert result.returncode == 5, result.stderr
    assert "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in out.rglob("*") if p.suffix in (".pdf", ".tmp") or p.name == "manifest.json"]


def test_pages_and_dossier_reach_the_station_journal(processed: tuple[Path, int, str]) -> None:
    """Supervisor review sees every processed page, filed under its dossier and document, with a preview."""
    from station.journal.store import Journal
    from station.runtime import load_runtime

    manifest = json.loads((processed[0] / "out" / CODE / "manifest.json").read_text(encoding="utf-8"))
    with Journal(load_runtime().journal.path) as journal:
        pages = [p for p in journal.pages() if p.page_id.startswith(manifest["batch_id"])]
        dossiers = [d for d in journal.dossiers() if d.dossier_code == CODE]
        assert len(pages) == 4  # the separator sheet is not a page of any document
        assert {p.dossier_code for p in pages if not p.blank} == {CODE}
        assert sorted(p.doc_type or "" for p in pages if not p.blank) == ["giay-to-dat-dai", "tai-lieu", "tai-lieu"]
        assert [p.blank for p in pages].count(True) == 1
        assert all(journal.preview_bytes(p.page_id) for p in pages)
        assert dossiers and dossiers[-1].pages == 3 and dossiers[-1].documents == 2


def test_device_feeder_batch_becomes_one_document(tmp_path: Path) -> None:
    """`--device`: the SANE `test` device's feeder gives 10 sheets and then runs empty (the normal end)."""
    from tests.sane_fixtures import reset_virtual_devices

    reset_virtual_devices()
    out = tmp_path / "out"
    status, stdout, stderr = run_cli("process", "--device", "test:0", "--set", "test_picture=Grid",
                                     "--resolution", "100", "--mode", "gray", "--out", str(out), "--jobs", "1",
                                     "--quiet")
    assert status == 0, stderr
    assert "10 page(s), 1 document(s)" in stdout, stdout + stderr
    [folder] = [p for p in out.iterdir() if p.name.startswith("batch-")]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert [(d["file"], d["pages"]) for d in manifest["documents"]] == [("01-tai-lieu.pdf", 10)]
    with pikepdf.open(folder / "01-tai-lieu.pdf") as pdf:
        assert len(pdf.pages) == 10
    assert not list((out / WORK_DIR_NAME).glob("scan-*"))  # captures removed once the batch succeeded
    assert "10 page(s), 1 document(s)" in stdout


def test_device_fault_keeps_the_captures_and_says_how_to_finish(tmp_path: Path) -> None:
    from tests.sane_fixtures import reset_virtual_devices

    reset_virtual_devices()
    out = tmp_path / "out"
    try:
        status, _, stderr = run_cli("process", "--device", "test:0", "--set", "read_return_value=SANE_STATUS_JAMMED",
                                    "--resolution", "100", "--out", str(out), "--quiet")
    finally:
        reset_virtual_devices()
    assert status == 1
    assert "scanner stopped after 0 page(s)" in stderr and "Kẹt giấy" in stderr
    assert "station process" in stderr and "--split separator" in stderr


def test_captures_kept_until_success_are_sealed_and_still_make_the_batch(tmp_path: Path) -> None:
    """Feeder captures wait beside the output until the batch succeeded: sealed at rest (a scanned ID card is
    sensitive data), yet `station process` on them gives the pages back."""
    import argparse
    import stat

    from station import atrest
    from station.batch.runner import ProcessOptions, run_batch
    from station.commands.process import _capture_from_device
    from station.runtime import load_runtime
    from tests.sane_fixtures import reset_virtual_devices

    reset_virtual_devices()
    work = tmp_path / "Ảnh chụp của Nguyễn Văn Ánh"
    work.mkdir(mode=0o700)
    args = argparse.Namespace(device="test:0", resolution=100, mode="gray", backend_options=["test_picture=Grid"])
    files, fault = _capture_from_device(args, load_runtime(args), work)
    assert not fault and len(files) == 10
    for path in files:
        assert atrest.is_sealed(path) and not path.read_bytes().startswith(b"\x89PNG")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    summary = run_batch(files, ProcessOptions(out_dir=tmp_path / "out", jobs=1, split=SplitMode.SEPARATOR))
    assert summary.pages == 10 and not summary.failures and len(summary.documents) == 1
