"""The README's batch path end to end, through real processes: separator sheets printed with Vietnamese document
types -> `station process` -> `station upload --wait` -> the reference backend holds every document with the
type code it accepts, and each PDF still carries the type's Vietnamese name."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from tests.backend_fixtures import BackendProcess, new_dossier_code, station_env
from tests.batch_inputs import save, text_page, with_qr
from tests.paths import ROOT

TYPES = {"Giấy tờ đất đai": "giay-to-dat-dai", "Giấy chứng sinh": "giay-chung-sinh"}


def station(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "station", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.timeout(600)
def test_separator_types_in_vietnamese_reach_the_backend_as_codes(live: BackendProcess, tmp_path: Path) -> None:
    code = new_dossier_code()
    live.create_dossier(code)
    env = station_env(tmp_path / "station-data", live)
    inbox = tmp_path / "hồ sơ của Nguyễn Văn Ánh"
    inbox.mkdir()
    save(with_qr(text_page(slice(0, 6)), code), inbox / "01-giấy-biên-nhận.png")
    for number, name in ((2, "Giấy tờ đất đai"), (4, "Giấy chứng sinh")):
        made = station("separator-sheet", "--type", name, "-o", str(inbox / f"0{number}-tờ-phân-tách.pdf"), env=env)
        assert made.returncode == 0, made.stderr
    save(text_page(slice(8, 12)), inbox / "03-thửa-đất.png")
    save(text_page(slice(12, 16)), inbox / "05-giấy-chứng-sinh.png")

    out = tmp_path / "kết quả"
    processed = station("process", str(inbox), "--out", str(out), "--jobs", "2", "--quiet", env=env)
    assert processed.returncode == 0, processed.stderr
    manifest = json.loads((out / code / "manifest.json").read_text(encoding="utf-8"))
    assert [(d["doc_type"], d["doc_title"]) for d in manifest["documents"]] == [
        ("tai-lieu", None), *((c, n) for n, c in TYPES.items())]

    uploaded = station("upload", str(out), "--wait", "--timeout", "120", env=env)
    assert uploaded.returncode == 0, uploaded.stdout + uploaded.stderr

    held = {a["doc_type"]: a for a in live.dossier(code)["attachments"]}
    assert sorted(held) == sorted(["tai-lieu", *TYPES.values()])
    for document in manifest["documents"]:
        local = out / code / document["file"]
        assert held[document["doc_type"]]["sha256"] == hashlib.sha256(local.read_bytes()).hexdigest()
        assert held[document["doc_type"]]["pages"] == document["pages"] == 1
        if document["doc_title"]:
            with pikepdf.open(local) as pdf:
                assert str(pdf.docinfo["/Title"]).startswith(document["doc_title"])  # the human name travels too
