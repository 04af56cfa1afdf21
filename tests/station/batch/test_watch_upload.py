"""The hot-folder path end to end, through real processes: pages with Vietnamese file names dropped into the
inbox of a running `station watch` -> output folder -> `station upload OUT --wait` -> the reference backend
holds every document, with the type codes it accepts and the bytes the station wrote."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from station.batch.watch import DONE_DIR, FAILED_DIR
from tests.backend_fixtures import BackendProcess, new_dossier_code, station_env
from tests.batch_inputs import save, save_tiff, separator_page, text_page, with_qr
from tests.paths import ROOT
from tests.station.test_cli_watch import WatchProcess

RECEIPT = "Tờ khai đăng ký.png"
LAND_FILE = "Hồ sơ đất đai của Nguyễn Văn Ánh.tif"
NOTE = "Ghi chú của cán bộ.txt"


@pytest.mark.timeout(600)
def test_pages_dropped_into_the_hot_folder_reach_the_backend(live: BackendProcess, tmp_path: Path) -> None:
    form_code, land_code = new_dossier_code(), new_dossier_code()
    for code in (form_code, land_code):
        live.create_dossier(code)
    env = station_env(tmp_path / "dữ liệu trạm", live)
    inbox, out = tmp_path / "thư mục nhận", tmp_path / "kết quả"
    inbox.mkdir()

    with WatchProcess(inbox, out, "--settle", "0.3", env=env) as watch:
        watch.wait_for(lambda: watch.saw("watching "), "the watch to start")
        # A one-page receipt-and-form, a three-page land dossier from the feeder (receipt, a separator sheet
        # printed for "Giấy tờ đất đai", the deed), and a note that is not a page at all.
        save(with_qr(text_page(slice(0, 6)), form_code), inbox / RECEIPT)
        save_tiff([with_qr(text_page(slice(6, 10)), land_code), separator_page("Giấy tờ đất đai"),
                   text_page(slice(10, 14))], inbox / LAND_FILE)
        (inbox / NOTE).write_text("Nguyễn Văn Ánh nộp bổ sung sau", encoding="utf-8")
        watch.wait_for(lambda: len(list((inbox / DONE_DIR).iterdir())) == 2
                       and (inbox / FAILED_DIR / f"{NOTE}.error.txt").exists(), "the three files filed", timeout=400)
        assert watch.stop() == 0
    assert sorted(p.name for p in (inbox / DONE_DIR).iterdir()) == sorted([RECEIPT, LAND_FILE])
    assert f"done   {RECEIPT}: 1 document(s)" in watch.lines
    assert f"done   {LAND_FILE}: 2 document(s)" in watch.lines

    uploaded = subprocess.run([sys.executable, "-m", "station", "upload", str(out), "--wait", "--timeout", "120"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr

    expected = {form_code: ["tai-lieu"], land_code: ["tai-lieu", "giay-to-dat-dai"]}
    for code, types in expected.items():
        manifest = json.loads((out / code / "manifest.json").read_text(encoding="utf-8"))
        assert [d["doc_type"] for d in manifest["documents"]] == types
        held = {a["doc_type"]: a for a in live.dossier(code)["attachments"]}
        assert sorted(held) == sorted(types)
        for document in manifest["documents"]:
            local = (out / code / document["file"]).read_bytes()
            assert held[document["doc_type"]]["sha256"] == hashlib.sha256(local).hexdigest()
            assert held[document["doc_type"]]["pages"] == document["pages"] == 1


@pytest.mark.timeout(600)
def test_two_drops_for_one_dossier_both_reach_the_backend(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    env = station_env(tmp_path / "dữ liệu trạm", live)
    inbox, out = tmp_path / "thư mục nhận", tmp_path / "kết quả"
    inbox.mkdir()
    with WatchProcess(inbox, out, "--settle", "0.3", env=env) as watch:
        watch.wait_for(lambda: watch.saw("watching "), "the watch to start")
        save(with_qr(text_page(slice(0, 6)), code), inbox / RECEIPT)
        watch.wait_for(lambda: (inbox / DONE_DIR / RECEIPT).exists(), "the first drop done", timeout=300)
        save(with_qr(text_page(slice(6, 12)), code), inbox / "Tờ khai bổ sung.png")  # the same dossier, later
        watch.wait_for(lambda: (inbox / DONE_DIR / "Tờ khai bổ sung.png").exists(), "the second drop done",
                       timeout=300)
        assert watch.stop() == 0
    uploaded = subprocess.run([sys.executable, "-m", "station", "upload", str(out), "--wait", "--timeout", "120"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr
    assert len(live.dossier(code)["attachments"]) == 2
