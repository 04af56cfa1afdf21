"""The sender never dies silently: outbox failures (disk full in SQLite, injected: the one fault here that cannot
be produced for real without root) are logged, shown in the sender's health, retried with backoff, and
`run_until_done` ends with a clear error instead of waiting forever. Corrupt rows are reported by `station queue`."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest

from tests.backend_fixtures import ROOT, BackendProcess, station_cmd, station_env
from tests.uploader.test_uploader_sender import assert_exactly_once, config_for, queue_dossiers
from uploader.errors import QueueStorageError, SenderStalledError
from uploader.models import Attachment, ItemState, QueueItem, SenderStatus
from uploader.outbox import ClaimedCorrupt, Outbox
from uploader.sender import Sender

DISK_FULL = "database or disk is full"


class FlakyOutbox(Outbox):
    """An outbox whose claim() / mark_sent() fail like a full disk the first N times (N < 0: always)."""

    def __init__(self, path: Path, *, claim_failures: int = 0, sent_failures: int = 0) -> None:
        super().__init__(path)
        self.claim_failures = claim_failures
        self.sent_failures = sent_failures
        self.failed = {"claim": 0, "mark_sent": 0}

    def claim(self) -> QueueItem | ClaimedCorrupt | None:
        if self.claim_failures:
            self.claim_failures -= 1
            self.failed["claim"] += 1
            raise sqlite3.OperationalError(DISK_FULL)
        return super().claim()

    def mark_sent(self, item_id: int, receipt: Attachment) -> None:
        if self.sent_failures:
            self.sent_failures -= 1
            self.failed["mark_sent"] += 1
            raise sqlite3.OperationalError(DISK_FULL)
        super().mark_sent(item_id, receipt)


def test_claim_failures_are_retried_and_the_thread_survives(live: BackendProcess, tmp_path: Path) -> None:
    outbox = FlakyOutbox(tmp_path / "station" / "outbox.sqlite3", claim_failures=2)
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=2)
    seen: list[SenderStatus] = []
    sender = Sender(outbox, config_for(live, tmp_path), on_status=seen.append)
    counts = sender.run_until_done(timeout=60)
    assert outbox.failed["claim"] == 2 and counts["sent"] == 2
    assert any(s.problem == QueueStorageError.code and s.last_user_error and "ổ đĩa" in s.last_user_error
               for s in seen)
    assert_exactly_once(live, jobs)


def test_mark_sent_failure_keeps_the_receipt_and_retries(live: BackendProcess, tmp_path: Path) -> None:
    outbox = FlakyOutbox(tmp_path / "station" / "outbox.sqlite3", sent_failures=2)
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=2)
    before = live.stats()
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert outbox.failed["mark_sent"] == 2
    assert [i.state for i in outbox.items()] == [ItemState.SENT, ItemState.SENT]
    assert live.stats()["created"] - before["created"] == 2  # no resend was needed
    assert_exactly_once(live, jobs)


def test_wait_without_timeout_ends_when_the_disk_stays_full(live: BackendProcess, tmp_path: Path) -> None:
    outbox = FlakyOutbox(tmp_path / "station" / "outbox.sqlite3", sent_failures=-1)
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    sender = Sender(outbox, config_for(live, tmp_path))
    with pytest.raises(SenderStalledError) as stalled:
        sender.run_until_done()  # no timeout: must end by itself
    assert "ổ đĩa" in stalled.value.user_message and DISK_FULL in str(stalled.value)
    assert not sender.running
    # the disk has room again: the next sender recovers the row and the backend replays the same receipt
    outbox.sent_failures = 0
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert outbox.items()[0].state is ItemState.SENT
    assert_exactly_once(live, jobs)


def test_a_sender_that_cannot_start_is_not_waited_for(tmp_path: Path, live: BackendProcess) -> None:
    outbox = Outbox(tmp_path / "station" / "outbox.sqlite3")
    queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    sender = Sender(outbox, config_for(live, tmp_path, backend_url="ftp://bad.example"))
    done = threading.Event()

    def wait() -> None:
        with pytest.raises(SenderStalledError):
            sender.run_until_done()
        done.set()

    worker = threading.Thread(target=wait, daemon=True)
    worker.start()
    worker.join(30)
    assert done.is_set(), "run_until_done waited forever for a sender whose thread had ended"
    assert sender.status().alive is False
    assert outbox.items()[0].state is ItemState.QUEUED  # nothing lost


def test_corrupt_rows_are_counted_and_shown_by_station_queue(live: BackendProcess, tmp_path: Path) -> None:
    data = tmp_path / "station"
    outbox = Outbox(data / "outbox.sqlite3")
    queue_dossiers(live, tmp_path, outbox, n=2, docs=1)
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    raw = sqlite3.connect(outbox.path)
    raw.execute("UPDATE items SET sha256 = 'hỏng' WHERE id = (SELECT MIN(id) FROM items)")  # a sent row
    raw.commit()
    raw.close()
    assert len(outbox.items()) == 1
    (bad,) = outbox.corrupt_rows()
    assert "sha256" in str(bad.error)
    env = station_env(data, live)
    table = subprocess.run(station_cmd("queue"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert table.returncode == 0
    assert "CORRUPT ROW" in table.stdout and "corrupt: 1" in table.stdout
    assert "bị hỏng" in table.stderr
    rows = json.loads(
        subprocess.run(station_cmd("queue", "--json"), cwd=ROOT, env=env, capture_output=True, text=True,
                       timeout=60).stdout
    )
    assert [r["corrupt"] is not None for r in rows] == [True, False]
