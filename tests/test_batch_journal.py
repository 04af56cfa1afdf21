import os
from pathlib import Path

from station.batch.journal import WORK_DIR_NAME, BatchJournal, batch_identity


def test_identity_changes_with_inputs_and_settings(tmp_path: Path) -> None:
    a = tmp_path / "a.png"
    a.write_bytes(b"one")
    first = batch_identity([a], {"lang": "vie"})
    assert batch_identity([a], {"lang": "vie"}) == first
    assert batch_identity([a], {"lang": "eng"}) != first
    a.write_bytes(b"longer content")
    assert batch_identity([a], {"lang": "vie"}) != first


def test_records_survive_reopen_and_torn_line_is_ignored(tmp_path: Path) -> None:
    journal = BatchJournal(tmp_path, "abc")
    journal.record_page(0, {"source": "a.png", "page": 1})
    journal.record_page(1, {"source": "a.png", "page": 2})
    journal.record_document("000.00.01.H22-250702-0013/01-don.pdf", {"sha256": "f" * 64})
    created = journal.created
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "page", "position": 2, "sou')  # the process died mid-write
    reopened = BatchJournal(tmp_path, "abc")
    assert reopened.resumed
    assert sorted(reopened.pages) == [0, 1]
    assert reopened.documents["000.00.01.H22-250702-0013/01-don.pdf"]["sha256"] == "f" * 64
    assert reopened.created == created
    assert not reopened.complete


def test_complete_drops_page_data_but_keeps_journal(tmp_path: Path) -> None:
    journal = BatchJournal(tmp_path, "xyz")
    (journal.page_dir() / "000001.bin").write_bytes(os.urandom(100))
    journal.mark_complete()
    assert not (journal.work_dir / "pages").exists()
    assert BatchJournal(tmp_path, "xyz").complete
    assert (tmp_path / WORK_DIR_NAME / "xyz" / "journal.jsonl").exists()


def test_a_file_is_recorded_done_only_after_every_one_of_its_pages(tmp_path: Path) -> None:
    """Pages still in the worker pool are not done: the file that holds them must be read again on resume."""
    journal = BatchJournal(tmp_path, "inflight")
    journal.record_page(0, {"source": "Hồ sơ Nguyễn Văn Ánh/a.tiff", "page": 1})
    journal.file_read("Hồ sơ Nguyễn Văn Ánh/a.tiff", 0, 3)  # read to the end, pages 2 and 3 in flight
    assert "Hồ sơ Nguyễn Văn Ánh/a.tiff" not in BatchJournal(tmp_path, "inflight").files
    journal.record_page(2, {"source": "Hồ sơ Nguyễn Văn Ánh/a.tiff", "page": 3})
    assert BatchJournal(tmp_path, "inflight").file_done("Hồ sơ Nguyễn Văn Ánh/a.tiff", 0) is None
    journal.record_page(1, {"source": "Hồ sơ Nguyễn Văn Ánh/a.tiff", "page": 2})
    reopened = BatchJournal(tmp_path, "inflight")
    assert reopened.file_done("Hồ sơ Nguyễn Văn Ánh/a.tiff", 0) == 3


def test_a_torn_last_line_is_cut_off_so_the_next_record_is_not_lost(tmp_path: Path) -> None:
    journal = BatchJournal(tmp_path, "torn")
    journal.record_page(0, {"source": "a.png", "page": 1})
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "page", "position": 1, "sou')  # the disk filled up mid-write
    resumed = BatchJournal(tmp_path, "torn")
    resumed.record_page(1, {"source": "Giấy tờ đất đai.png", "page": 1})
    assert sorted(BatchJournal(tmp_path, "torn").pages) == [0, 1]
