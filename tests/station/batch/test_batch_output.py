"""station/output: the one document-type rule and the one manifest writer of the counter and the batch."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.output.doctype import DEFAULT_DOC_TYPE, DocType, doc_type, slug
from station.output.manifest import write_manifest
from uploader.manifest import Manifest, ManifestDocument, check_schema
from uploader.models import DOC_TYPE_PATTERN


@pytest.mark.parametrize(("name", "expected"), [
    ("Giấy tờ đất đai", DocType("giay-to-dat-dai", "Giấy tờ đất đai")),
    ("  Giấy chứng sinh ", DocType("giay-chung-sinh", "Giấy chứng sinh")),
    ("ĐƠN ĐỀ NGHỊ / bản sao", DocType("don-de-nghi-ban-sao", "ĐƠN ĐỀ NGHỊ / bản sao")),
    ("cccd", DocType("cccd")),
    ("to-khai", DocType("to-khai")),
    ("CCCD", DocType("cccd", "CCCD")),
    ("ｇｉａｙ", DocType("giay", "ｇｉａｙ")),  # full-width letters fold too
    (None, DocType(DEFAULT_DOC_TYPE)),
    ("   ", DocType(DEFAULT_DOC_TYPE)),
    ("///", DocType(DEFAULT_DOC_TYPE, "///")),
    ("Giấy tờ\r\nđất\tđai\x00", DocType("giay-to-dat-dai", "Giấy tờ đất đai")),  # one line, no control character
])
def test_a_name_becomes_a_code_the_backend_accepts_and_keeps_its_title(name: str | None, expected: DocType) -> None:
    assert doc_type(name) == expected


@given(st.text(max_size=5000))
def test_every_name_gives_a_type_the_manifest_accepts(name: str) -> None:
    kind = doc_type(name)
    document = ManifestDocument(f"01-{kind.code}.pdf", kind.code, 1, 1, "a" * 64, doc_title=kind.title)
    check_schema(Manifest("000.00.01.H22-250702-0013", "b1", "Trạm", "2025-07-02T02:30:00+00:00",
                          (document,)).to_json())


@given(st.text(max_size=200))
def test_every_name_gives_a_valid_code(name: str) -> None:
    code = doc_type(name).code
    assert re.fullmatch(DOC_TYPE_PATTERN, code), code
    assert slug(name) == code or doc_type(name).title is None


def test_the_manifest_is_written_whole_private_and_with_code_and_title(tmp_path: Path) -> None:
    folder = tmp_path / "000.00.01.H22-250702-0013"
    folder.mkdir()
    (folder / ".manifest.json.abc123.tmp").write_text("{\"sch")  # a writer killed mid-way
    kind = doc_type("Giấy tờ đất đai")
    manifest = Manifest(dossier_code=folder.name, batch_id="b1", station_id="quầy-01",
                        created="2025-07-02T02:30:00+00:00", operator_id="Nguyễn Văn Ánh",
                        documents=(ManifestDocument("01-giay-to-dat-dai.pdf", kind.code, 2, 1234, "a" * 64,
                                                    doc_title=kind.title),))
    path = write_manifest(folder, manifest)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["schema"] == 2 and data["operator_id"] == "Nguyễn Văn Ánh"
    assert data["documents"][0]["doc_type"] == "giay-to-dat-dai"
    assert data["documents"][0]["doc_title"] == "Giấy tờ đất đai"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in folder.iterdir()] == ["manifest.json"]


@pytest.mark.timeout(600)
def test_a_later_batch_for_the_same_dossier_never_overwrites_the_first(tmp_path: Path) -> None:
    """Two drops for one dossier (a hot folder makes each file its own batch): the second goes beside the first,
    and `station upload` finds both."""
    from station.batch.runner import ProcessOptions, run_batch
    from tests.batch_inputs import CODE, save, text_page, with_qr
    from uploader.config import UploaderConfig
    from uploader.manifest import read_output

    first = save(with_qr(text_page(slice(0, 6)), CODE), tmp_path / "Tờ khai.png")
    later = save(with_qr(text_page(slice(6, 12)), CODE), tmp_path / "Tờ khai bổ sung.png")
    out = tmp_path / "kết quả"
    made = run_batch([first], ProcessOptions(out_dir=out, jobs=1))
    before = {p.name: p.read_bytes() for p in (out / CODE).iterdir()}
    again = run_batch([later], ProcessOptions(out_dir=out, jobs=1))
    assert {p.name: p.read_bytes() for p in (out / CODE).iterdir()} == before
    assert [d.parent.name for d in again.documents] == [f"{CODE}-{again.batch_id}"]
    results = read_output(out, UploaderConfig())
    assert [r.error for r in results] == [None, None]
    jobs = [job for r in results for job in r.jobs]
    assert {job.dossier_code for job in jobs} == {CODE} and {job.batch_id for job in jobs} == {made.batch_id,
                                                                                               again.batch_id}
    assert run_batch([later], ProcessOptions(out_dir=out, jobs=1)).documents == again.documents  # no third folder


def test_a_symlink_planted_as_the_dossier_folder_is_refused(tmp_path: Path) -> None:
    from station.batch.resume_log import UnsafeWorkDirError, private_dir

    elsewhere = tmp_path / "nơi khác"
    elsewhere.mkdir()
    (tmp_path / "000.00.01.H22-250702-0013").symlink_to(elsewhere)
    with pytest.raises(UnsafeWorkDirError):
        private_dir(tmp_path / "000.00.01.H22-250702-0013")
