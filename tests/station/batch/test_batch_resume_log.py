import json
import stat
from pathlib import Path

import pytest

from station.batch.resume_log import (
    WORK_DIR_NAME,
    DocumentRecord,
    PageRecord,
    ResumeLog,
    UnsafeWorkDirError,
    batch_identity,
    finished_documents,
)
from uploader.manifest import CardSummary


def test_identity_changes_with_inputs_and_settings(tmp_path: Path) -> None:
    a = tmp_path / "a.png"
    a.write_bytes(b"one")
    first = batch_identity([a], {"lang": "vie"})
    assert batch_identity([a], {"lang": "vie"}) == first
    assert batch_identity([a], {"lang": "eng"}) != first
    a.write_bytes(b"longer content")
    assert batch_identity([a], {"lang": "vie"}) != first


def test_records_survive_reopen_and_torn_line_is_ignored(tmp_path: Path) -> None:
    journal = ResumeLog(tmp_path, "abc")
    journal.record_page(PageRecord(0, 0, 1, quality_issues=("blur",), cards=(CardSummary("front", "2021"),)))
    journal.record_page(PageRecord(1, 0, 2, separator=True, separator_doc_type="Giấy tờ đất đai"))
    journal.record_document(DocumentRecord("000.00.01.H22-250702-0013/01-đơn.pdf", "f" * 64, 1234, 2))
    created = journal.created
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "page", "position": 2, "sou')  # the process died mid-write
    reopened = ResumeLog(tmp_path, "abc")
    assert reopened.resumed
    assert sorted(reopened.pages) == [0, 1]
    assert reopened.pages[0] == journal.pages[0] and reopened.pages[1].separator_doc_type == "Giấy tờ đất đai"
    assert reopened.documents["000.00.01.H22-250702-0013/01-đơn.pdf"].sha256 == "f" * 64
    assert reopened.created == created


def test_a_record_of_the_wrong_shape_is_ignored_and_the_page_redone(tmp_path: Path) -> None:
    journal = ResumeLog(tmp_path, "shape")
    journal.record_page(PageRecord(0, 0, 1))
    good = json.loads(journal.path.read_text(encoding="utf-8").splitlines()[-1])
    with journal.path.open("a", encoding="utf-8") as handle:
        for change in ({"position": "1"}, {"input": None}, {"cards": [{"side": 1}]}, {"blank": 1}):
            handle.write(json.dumps({**good, "position": 1, **change}) + "\n")
    assert sorted(ResumeLog(tmp_path, "shape").pages) == [0]


def test_a_file_is_recorded_done_only_after_every_one_of_its_pages(tmp_path: Path) -> None:
    """Pages still in the worker pool are not done: the file that holds them must be read again on resume."""
    journal = ResumeLog(tmp_path, "inflight")
    journal.record_page(PageRecord(0, 0, 1))
    journal.file_read(0, 0, 3)  # read to the end, pages 2 and 3 in flight
    assert 0 not in ResumeLog(tmp_path, "inflight").files
    journal.record_page(PageRecord(2, 0, 3))
    assert ResumeLog(tmp_path, "inflight").file_done(0, 0) is None
    journal.record_page(PageRecord(1, 0, 2))
    assert ResumeLog(tmp_path, "inflight").file_done(0, 0) == 3


def test_a_torn_last_line_is_cut_off_so_the_next_record_is_not_lost(tmp_path: Path) -> None:
    journal = ResumeLog(tmp_path, "torn")
    journal.record_page(PageRecord(0, 0, 1))
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "page", "position": 1, "sou')  # the disk filled up mid-write
    resumed = ResumeLog(tmp_path, "torn")
    resumed.record_page(PageRecord(1, 1, 1, dossier_code="000.00.01.H22-250702-0013"))
    assert sorted(ResumeLog(tmp_path, "torn").pages) == [0, 1]


def test_work_folder_is_private_and_removed_when_the_batch_succeeded(tmp_path: Path) -> None:
    journal = ResumeLog(tmp_path, "xyz")
    (journal.page_dir() / "000001.page").write_bytes(b"sealed page")
    for folder in (tmp_path / WORK_DIR_NAME, journal.work_dir, journal.page_dir()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(journal.path.stat().st_mode) == 0o600
    dossier = tmp_path / "000.00.01.H22-250702-0013"
    dossier.mkdir()
    pdf = dossier / "01-giay-to-dat-dai.pdf"
    pdf.write_bytes("%PDF-1.7 Giấy tờ đất đai".encode())
    journal.finish(tmp_path, [pdf])
    assert not journal.work_dir.exists()
    assert finished_documents(tmp_path, "xyz") == [pdf]
    pdf.write_bytes(b"%PDF-1.7 changed")
    assert finished_documents(tmp_path, "xyz") is None  # a changed output is made again
    assert list((tmp_path / WORK_DIR_NAME).iterdir()) == []


def test_a_symlinked_work_folder_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "nơi khác"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / WORK_DIR_NAME).symlink_to(elsewhere)
    with pytest.raises(UnsafeWorkDirError):
        ResumeLog(out, "abc")
    assert list(elsewhere.iterdir()) == []
