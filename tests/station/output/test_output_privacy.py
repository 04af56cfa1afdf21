"""The manifest and the resume log never name an input: file and folder names are often the citizen's name.
Pages are referred to by the input's index in the run, its page number and the input file's SHA-256."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from pathlib import Path

import pytest

from station.batch.resume_log import WORK_DIR_NAME
from station.batch.runner import ProcessOptions, run_batch
from station.pipeline import AnalysisOptions
from tests import pagegen
from tests.batch_inputs import save, text_page

CITIZEN = "Nguyễn Văn Ánh"


class Crash(Exception):
    pass


def spellings(text: str) -> set[bytes]:
    folded = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    forms = {unicodedata.normalize(nf, t) for t in (text, folded) for nf in ("NFC", "NFD")}
    return {f.encode() for f in forms} | {json.dumps(f)[1:-1].encode() for f in forms}


def named(data: bytes) -> bool:
    return any(form in data for form in spellings(CITIZEN))


@pytest.mark.timeout(600)
def test_no_input_name_in_the_manifest_nor_the_resume_log(tmp_path: Path) -> None:
    inbox = tmp_path / f"hồ sơ {CITIZEN}"
    inbox.mkdir()
    broken = inbox / f"{CITIZEN} - bản hỏng.pdf"
    broken.write_bytes("%PDF-1.4\nkhông phải PDF".encode())
    inputs = [
        broken,
        save(text_page(slice(0, 6)), inbox / f"{CITIZEN} - tờ khai.png"),
        save(pagegen.add_noise(pagegen.blank_page(dpi=150), 5.0), inbox / f"{CITIZEN} - trang trắng.png"),
    ]
    options = ProcessOptions(out_dir=tmp_path / "kết quả", jobs=1,
                             analysis=AnalysisOptions(ocr=False, cccd=False, keep_image=True))

    def die_before_building(done: int, source: str) -> None:
        if done == 2:
            raise Crash

    with pytest.raises(Crash):  # a run that died leaves its resume log behind
        run_batch(inputs, options, progress=die_before_building)
    [log] = list((options.out_dir / WORK_DIR_NAME).glob("*/journal.jsonl"))
    assert b'"unreadable": true' in log.read_bytes() and not named(log.read_bytes())

    summary = run_batch(inputs, options)
    assert summary.resumed and [Path(f.split(":")[0]).name for f in summary.failures] == [broken.name]
    [manifest_path] = summary.manifests
    raw = manifest_path.read_bytes()
    assert not named(raw) and b"tr\xe1\xba\xafng" not in raw and str(inbox).encode() not in raw
    manifest = json.loads(raw)
    sha = [hashlib.sha256(p.read_bytes()).hexdigest() for p in inputs]
    [document] = manifest["documents"]
    assert [(p["input"], p["page"], p["input_sha256"]) for p in document["source_pages"]] == [(1, 1, sha[1])]
    assert [(e["input"], e["page"], e["input_sha256"], e["reason"]) for e in manifest["excluded_pages"]] == [
        (0, 1, sha[0], "unreadable"), (2, 1, sha[2], "blank")]
    assert "input 0 page 1: unreadable" in manifest["warnings"]


def test_an_operator_id_no_manifest_can_hold_is_refused_before_the_first_page(tmp_path: Path) -> None:
    from station.batch.runner import InvalidIdError

    page = save(text_page(slice(0, 6)), tmp_path / "tờ khai.png")
    options = ProcessOptions(out_dir=tmp_path / "kết quả", jobs=1, operator=f"{CITIZEN}\r\nX-Giả: 1",
                             analysis=AnalysisOptions(ocr=False, cccd=False, keep_image=True))
    with pytest.raises(InvalidIdError, match="operator_id") as caught:
        run_batch([page], options)
    assert caught.value.exit_code == 2 and "--operator" in caught.value.user_message
    assert CITIZEN not in str(caught.value)
    assert not options.out_dir.exists()
