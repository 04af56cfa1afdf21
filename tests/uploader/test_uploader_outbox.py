"""The durable outbox (SQLite WAL) and retention, without a network."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from tests.backend_fixtures import make_pdf
from uploader.errors import BackendBusyError, LocalFileError, QueueItemNotFoundError
from uploader.models import Attachment, ItemState, UploadJob, attachment_id_for
from uploader.outbox import ClaimedCorrupt, Outbox
from uploader.retention import purge_confirmed

A = "000.00.01.H22-250702-0101"
B = "000.00.01.H22-250702-0102"


class Clock:
    def __init__(self) -> None:
        self.now = 1_750_000_000.0

    def __call__(self) -> float:
        return self.now


def job(tmp_path: Path, code: str, slot: str, seed: int = 0) -> UploadJob:
    folder = tmp_path / code
    folder.mkdir(exist_ok=True)
    path = make_pdf(folder / f"{slot}.pdf", seed=seed)
    data = path.read_bytes()
    return UploadJob(
        code, slot, slot.split("-", 1)[1], path, hashlib.sha256(data).hexdigest(), len(data), 1, "st", "op"
    )


def receipt(j: UploadJob) -> Attachment:
    return Attachment(j.attachment_id, j.doc_type, j.sha256, j.bytes, j.pages, "2025-07-02T01:00:00Z")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path: Path, clock: Clock) -> Outbox:
    return Outbox(tmp_path / "q" / "outbox.sqlite3", clock=clock)


def test_wal_mode_and_idempotent_enqueue(outbox: Outbox, tmp_path: Path) -> None:
    j = job(tmp_path, A, "01-cccd")
    first = outbox.enqueue(j)
    again = outbox.enqueue(j)
    assert first[1] is True and again == (first[0], False)
    assert len(outbox.rows()) == 1
    mode = sqlite3.connect(outbox.path).execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


def test_idempotency_key_is_dossier_slot_and_content() -> None:
    base = attachment_id_for(A, "01-cccd", "a" * 64)
    assert base == attachment_id_for(A, "01-cccd", "a" * 64)
    assert (
        len(
            {
                base,
                attachment_id_for(B, "01-cccd", "a" * 64),
                attachment_id_for(A, "02-cccd", "a" * 64),
                attachment_id_for(A, "01-cccd", "b" * 64),
            }
        )
        == 4
    )


def test_claim_keeps_order_per_dossier(outbox: Outbox, tmp_path: Path, clock: Clock) -> None:
    a1, a2 = job(tmp_path, A, "01-to-khai", 1), job(tmp_path, A, "02-cccd", 2)
    b1 = job(tmp_path, B, "01-to-khai", 3)
    ids = [outbox.enqueue(j)[0] for j in (a1, a2, b1)]
    first = outbox.claim()
    second = outbox.claim()
    assert not isinstance(first, ClaimedCorrupt) and not isinstance(second, ClaimedCorrupt)
    assert first is not None and second is not None
    assert (first.id, second.id) == (ids[0], ids[2])  # a2 waits while a1 is in flight
    assert outbox.claim() is None
    # a1 fails for now: a2 still waits (the dossier's order holds through retries)
    outbox.mark_retry(first.id, BackendBusyError("busy", status=503, retry_after=5), clock.now + 5)
    assert outbox.claim() is None
    clock.now += 6
    again = outbox.claim()
    assert again is not None and not isinstance(again, ClaimedCorrupt)
    assert again.id == ids[0] and again.attempts == 2
    outbox.mark_sent(again.id, receipt(a1))
    nxt = outbox.claim()
    assert nxt is not None and not isinstance(nxt, ClaimedCorrupt) and nxt.id == ids[1]


def test_permanent_failure_holds_the_rest_of_its_dossier_only(outbox: Outbox, tmp_path: Path) -> None:
    a1, a2 = job(tmp_path, A, "01-to-khai", 1), job(tmp_path, A, "02-cccd", 2)
    b1 = job(tmp_path, B, "01-to-khai", 3)
    id1, id2, id3 = outbox.enqueue(a1)[0], outbox.enqueue(a2)[0], outbox.enqueue(b1)[0]
    item = outbox.claim()
    assert item is not None and not isinstance(item, ClaimedCorrupt) and item.id == id1
    outbox.mark_failed(item.id, LocalFileError("vanished"))
    nxt = outbox.claim()
    assert nxt is not None and not isinstance(nxt, ClaimedCorrupt) and nxt.id == id3  # the other dossier goes on
    assert outbox.claim() is None  # a2 waits behind a1: never a later document without the earlier one
    assert outbox.blocked_ids() == [id2] and outbox.counts()["blocked"] == 1
    assert outbox.pending() == 1  # b1 in flight; a2 is blocked, not pending
    failed = outbox.get(id1)
    assert failed.state is ItemState.FAILED_PERMANENT
    assert failed.error_code == "local_file" and failed.user_error and "Thử lại" in failed.user_error
    outbox.retry(id1)
    assert outbox.get(id1).state is ItemState.QUEUED and outbox.blocked_ids() == []
    again = outbox.claim()
    assert again is not None and not isinstance(again, ClaimedCorrupt) and again.id == id1
    with pytest.raises(QueueItemNotFoundError):
        outbox.retry(999)


def test_interrupted_sending_goes_back_to_queued(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "outbox.sqlite3"
    first = Outbox(path, clock=clock)
    item_id = first.enqueue(job(tmp_path, A, "01-cccd"))[0]
    assert first.claim() is not None
    assert first.get(item_id).state is ItemState.SENDING
    del first  # the process dies here, without closing anything
    second = Outbox(path, clock=clock)
    assert second.recover_interrupted() == 1
    assert second.get(item_id).state is ItemState.QUEUED


def test_corrupted_row_is_reported_and_the_queue_goes_on(outbox: Outbox, tmp_path: Path) -> None:
    bad = outbox.enqueue(job(tmp_path, A, "01-cccd", 1))[0]
    good = outbox.enqueue(job(tmp_path, B, "01-cccd", 2))[0]
    bogus_state = outbox.enqueue(job(tmp_path, B, "02-cccd", 3))[0]
    raw = sqlite3.connect(outbox.path)
    raw.execute("UPDATE items SET sha256 = 'not-a-hash', pages = 'many' WHERE id = ?", (bad,))
    raw.execute("UPDATE items SET state = 'exploded' WHERE id = ?", (bogus_state,))
    raw.commit()
    raw.close()
    assert outbox.recover_interrupted() == 0
    first = outbox.claim()
    assert isinstance(first, ClaimedCorrupt) and first.id == bad
    assert "corrupted" in str(first.error)
    second = outbox.claim()
    assert second is not None and not isinstance(second, ClaimedCorrupt) and second.id == good
    rows = {r["id"]: r for r in outbox.rows()}
    assert rows[bad]["state"] == "failed-permanent" and rows[bad]["error_code"] == "corrupt_queue_item"
    assert rows[bogus_state]["state"] == "failed-permanent"


def test_reenqueue_requeues_a_permanent_failure(outbox: Outbox, tmp_path: Path) -> None:
    j = job(tmp_path, A, "01-cccd")
    item_id = outbox.enqueue(j)[0]
    outbox.claim()
    outbox.mark_failed(item_id, LocalFileError("vanished"))
    assert outbox.enqueue(j) == (item_id, False)
    assert outbox.get(item_id).state is ItemState.QUEUED


def test_retention_deletes_only_confirmed_files_after_the_period(outbox: Outbox, tmp_path: Path, clock: Clock) -> None:
    sent, changed, unsent = (
        job(tmp_path, A, "01-cccd", 1),
        job(tmp_path, A, "02-to-khai", 2),
        job(tmp_path, B, "01-cccd", 3),
    )
    (tmp_path / A / "manifest.json").write_text("{}")
    for j in (sent, changed, unsent):
        outbox.enqueue(j)
    for j in (sent, changed):
        item = outbox.claim()
        assert item is not None and not isinstance(item, ClaimedCorrupt)
        outbox.mark_sent(item.id, receipt(j))
    changed.file_path.write_bytes(b"%PDF-1.7 re-created with other content")
    clock.now += 6 * 86400
    assert purge_confirmed(outbox, 7, now=clock.now).deleted == 0  # not yet 7 days
    assert sent.file_path.exists()
    clock.now += 2 * 86400
    report = purge_confirmed(outbox, 7, now=clock.now)
    assert (report.deleted, report.kept_changed) == (1, 1)
    assert not sent.file_path.exists()
    assert changed.file_path.exists() and unsent.file_path.exists()
    assert (tmp_path / A).is_dir()  # still holds a file
    assert purge_confirmed(outbox, 7, now=clock.now).deleted == 0  # nothing twice
