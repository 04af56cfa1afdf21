"""The counter's outgoing PDFs wait for the backend sealed at rest: the outbox reads them through the station's
reader, retention deletes them once confirmed, and an altered sealed file is never sent."""

from __future__ import annotations

import hashlib
from pathlib import Path

from station.atrest import is_sealed, read_maybe_sealed, write_sealed
from station.runtime import load_runtime
from tests.backend_fixtures import make_pdf
from tests.uploader.test_uploader_outbox import Clock, receipt
from uploader.models import UploadJob
from uploader.outbox import ClaimedCorrupt, Outbox
from uploader.retention import purge_confirmed

CODE = "000.00.01.H22-250702-0013"


def _sealed_job(tmp_path: Path, slot: str) -> UploadJob:
    folder = tmp_path / "Hồ sơ của Nguyễn Văn Ánh"
    folder.mkdir(parents=True, exist_ok=True)
    path = make_pdf(folder / f"{slot}.pdf")
    plain = path.read_bytes()
    write_sealed(path, plain)
    assert is_sealed(path) and plain not in path.read_bytes()
    return UploadJob(dossier_code=CODE, slot=slot, doc_type="cccd", file_path=path,
                     sha256=hashlib.sha256(plain).hexdigest(), bytes=len(plain), pages=1,
                     station_id="Trạm Phường Bến Nghé", operator_id="Nguyễn Thị Minh Ánh", batch_id="b1")


def test_every_front_end_reads_queued_files_through_the_sealed_reader() -> None:
    config = load_runtime().upload
    assert config.read_file.__name__ == "read_queued_file"


def test_retention_deletes_a_confirmed_sealed_file(tmp_path: Path) -> None:
    clock = Clock()
    job = _sealed_job(tmp_path, "01-cccd")
    with Outbox(tmp_path / "outbox.sqlite3", clock=clock) as outbox:
        outbox.enqueue(job)
        item = outbox.claim()
        assert item is not None and not isinstance(item, ClaimedCorrupt)
        outbox.mark_sent(item.id, receipt(job))
        clock.now += 8 * 86400
        # read plain, a sealed file never matches what the backend confirmed: it would be kept for ever
        assert purge_confirmed(outbox, 7, now=clock.now).kept_changed == 1
    job2 = _sealed_job(tmp_path / "two", "02-cccd")
    with Outbox(tmp_path / "outbox2.sqlite3", clock=clock) as outbox:
        outbox.enqueue(job2)
        item = outbox.claim()
        assert item is not None and not isinstance(item, ClaimedCorrupt)
        outbox.mark_sent(item.id, receipt(job2))
        clock.now += 8 * 86400
        report = purge_confirmed(outbox, 7, now=clock.now, read_file=read_maybe_sealed)
    assert report.deleted == 1 and not job2.file_path.exists()


def test_an_altered_sealed_file_is_not_read(tmp_path: Path) -> None:
    job = _sealed_job(tmp_path, "01-cccd")
    blob = bytearray(job.file_path.read_bytes())
    blob[-5] ^= 0xFF
    job.file_path.write_bytes(bytes(blob))
    try:
        read_maybe_sealed(job.file_path)
    except Exception as err:
        assert "Nguyễn" not in str(err)
    else:
        raise AssertionError("an altered sealed file was read")
