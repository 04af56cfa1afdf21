"""The background sender against the real reference backend (subprocess on 127.0.0.1) with injected faults."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest

from tests.backend_fixtures import BackendProcess, make_output, new_dossier_code
from tests.waiting import wait_until
from uploader.config import UploaderConfig
from uploader.manifest import read_output
from uploader.models import ItemState, SenderStatus, UploadJob
from uploader.outbox import Outbox
from uploader.sender import Sender, backoff_delay


def config_for(backend: BackendProcess, tmp_path: Path, **kw: object) -> UploaderConfig:
    base: dict[str, object] = {
        "backend_url": backend.url,
        "token": backend.token,
        "data_dir": tmp_path / "station",
        "station_id": "st-01",
        "operator_id": "op-01",
        "backoff_base": 0.05,
        "backoff_cap": 0.2,
        "poll_interval": 0.05,
        "read_timeout": 10.0,
        "connect_timeout": 2.0,
    }
    base.update(kw)
    return UploaderConfig(**base)  # type: ignore[arg-type]


def queue_dossiers(
    backend: BackendProcess, tmp_path: Path, outbox: Outbox, n: int = 2, docs: int = 3, pad: int = 0
) -> list[UploadJob]:
    root = tmp_path / "out"
    for i in range(n):
        code = new_dossier_code()
        backend.create_dossier(code)
        make_output(
            root,
            code,
            [(t, 1) for t in ("to-khai", "cccd", "giay-chung-sinh", "giay-ket-hon")[:docs]],
            pad_bytes=pad,
            seed=i + int(time.time() * 1000) % 100000,
        )
    cfg = UploaderConfig(station_id="x", operator_id="y", data_dir=tmp_path)
    jobs = [j for r in read_output(root, cfg) for j in r.jobs]
    for j in jobs:
        outbox.enqueue(j)
    return jobs


def assert_exactly_once(backend: BackendProcess, jobs: list[UploadJob]) -> None:
    by_code: dict[str, list[UploadJob]] = {}
    for j in jobs:
        by_code.setdefault(j.dossier_code, []).append(j)
    for code, expected in by_code.items():
        got = backend.dossier(code)["attachments"]
        assert sorted((a["id"], a["sha256"], a["bytes"]) for a in got) == sorted(
            (j.attachment_id, j.sha256, j.bytes) for j in expected
        )


@pytest.fixture
def outbox(tmp_path: Path) -> Outbox:
    return Outbox(tmp_path / "station" / "outbox.sqlite3")


def test_backoff_honours_retry_after_and_grows() -> None:
    cfg = UploaderConfig(backoff_base=1.0, backoff_cap=30.0, max_retry_after=600.0)
    assert all(7.0 <= backoff_delay(1, 7.0, cfg) <= 7.7 for _ in range(50))
    assert backoff_delay(1, 10_000.0, cfg) <= 660.0  # clamped
    assert all(0.5 <= backoff_delay(1, None, cfg) <= 1.0 for _ in range(50))
    assert all(4.0 <= backoff_delay(4, None, cfg) <= 8.0 for _ in range(50))
    assert all(15.0 <= backoff_delay(12, None, cfg) <= 30.0 for _ in range(50))


def test_sends_everything_once_in_order(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=2, docs=3)
    statuses: list[SenderStatus] = []
    sender = Sender(outbox, config_for(live, tmp_path, workers=2), on_status=statuses.append)
    counts = sender.run_until_done(timeout=60)
    assert counts["sent"] == 6 and outbox.pending() == 0
    assert_exactly_once(live, jobs)
    for code in {j.dossier_code for j in jobs}:
        got = live.dossier(code)["attachments"]
        order = [a["id"] for a in sorted(got, key=lambda a: a["received_at"])]
        assert order == [j.attachment_id for j in jobs if j.dossier_code == code]
    assert statuses and statuses[-1].counts["sent"] == 6 and statuses[-1].online is True
    assert all(j.file_path.exists() for j in jobs)  # retention period not over: files kept


def test_503_burst_is_retried(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=2, docs=2)
    before = live.stats()
    live.faults(fail_next=5, retry_after=0)
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert outbox.counts()["sent"] == 4
    assert sum(i.attempts for i in outbox.items()) == 4 + 5
    assert live.stats()["created"] - before["created"] == 4
    assert_exactly_once(live, jobs)


def test_connection_dropped_mid_body(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=3, pad=300_000)
    live.faults(drop_next=2)
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert live.faults()["injected"]["drop"] == 2
    assert outbox.counts()["sent"] == 3
    assert any(i.attempts > 1 for i in outbox.items())
    assert_exactly_once(live, jobs)


def test_slow_response_times_out_then_the_retry_gets_the_same_receipt(
    live: BackendProcess, tmp_path: Path, outbox: Outbox
) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    before = live.stats()
    live.faults(delay_ms=1500, delay_next=1)
    Sender(outbox, config_for(live, tmp_path, read_timeout=0.5)).run_until_done(timeout=60)
    (item,) = outbox.items()
    assert item.state is ItemState.SENT and item.attempts >= 2
    after = live.stats()
    assert after["created"] - before["created"] == 1  # the slow first request stored it; no duplicate
    assert_exactly_once(live, jobs)


def test_captive_portal_html_is_transient_and_keeps_the_dossier_order(
    live: BackendProcess, tmp_path: Path, outbox: Outbox
) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=3)
    live.faults(html_next=1)  # the first upload gets a Wi-Fi login page with HTTP 200
    seen: list[SenderStatus] = []
    Sender(outbox, config_for(live, tmp_path), on_status=seen.append).run_until_done(timeout=60)
    items = outbox.items()
    assert [i.state for i in items] == [ItemState.SENT] * 3
    assert items[0].attempts == 2 and [i.attempts for i in items[1:]] == [1, 1]
    assert any(s.problem == "wrong_network" and s.last_user_error and "đăng nhập mạng" in s.last_user_error
               for s in seen)
    got = live.dossier(jobs[0].dossier_code)["attachments"]
    assert [a["id"] for a in sorted(got, key=lambda a: a["received_at"])] == [j.attachment_id for j in jobs]
    assert_exactly_once(live, jobs)


def test_vanished_file_fails_that_item_and_can_be_retried(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=3)
    saved = jobs[1].file_path.read_bytes()
    jobs[1].file_path.unlink()
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    states = [i.state for i in outbox.items()]
    # the third document waits behind the second: the backend never gets a dossier with a gap
    assert states == [ItemState.SENT, ItemState.FAILED_PERMANENT, ItemState.QUEUED]
    assert outbox.blocked_ids() == [outbox.items()[2].id] and outbox.pending() == 0
    assert len(live.dossier(jobs[0].dossier_code)["attachments"]) == 1
    failed = outbox.items()[1]
    assert failed.error_code == "local_file" and "vanished" in (failed.error or "")
    jobs[1].file_path.write_bytes(saved)  # the operator restores the file
    outbox.retry(failed.id)
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert outbox.counts()["sent"] == 3
    assert_exactly_once(live, jobs)


def test_changed_file_is_not_sent(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    jobs[0].file_path.write_bytes(b"%PDF-1.7 something else")
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    (item,) = outbox.items()
    assert item.state is ItemState.FAILED_PERMANENT and "changed" in (item.error or "")
    assert live.dossier(jobs[0].dossier_code)["attachments"] == []


def test_corrupted_row_does_not_stop_the_queue(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    import sqlite3

    jobs = queue_dossiers(live, tmp_path, outbox, n=2, docs=1)
    raw = sqlite3.connect(outbox.path)
    raw.execute("UPDATE items SET dossier_code = 'garbage' WHERE id = (SELECT MIN(id) FROM items)")
    raw.commit()
    raw.close()
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    rows = outbox.rows()
    assert [r["state"] for r in rows] == ["failed-permanent", "sent"]
    assert rows[0]["error_code"] == "corrupt_queue_item"
    assert_exactly_once(live, jobs[1:])


def test_one_refused_token_pauses_the_queue_then_it_goes_on(
    live: BackendProcess, tmp_path: Path, outbox: Outbox
) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=2)
    live.faults(refuse_auth_next=1)
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    items = outbox.items()
    assert [i.state for i in items] == [ItemState.SENT, ItemState.SENT] and items[0].attempts == 2
    got = live.dossier(jobs[0].dossier_code)["attachments"]
    assert [a["id"] for a in sorted(got, key=lambda a: a["received_at"])] == [j.attachment_id for j in jobs]


def test_a_token_refused_for_good_pauses_without_failing_items_and_wait_ends(
    live: BackendProcess, tmp_path: Path, outbox: Outbox
) -> None:
    from uploader.errors import SenderStalledError

    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=2)
    live.faults(refuse_auth=True)
    with pytest.raises(SenderStalledError) as stalled:
        Sender(outbox, config_for(live, tmp_path)).run_until_done()  # no timeout: ends by itself
    assert "khoá truy cập" in stalled.value.user_message.lower()
    items = outbox.items()
    assert [i.state for i in items] == [ItemState.FAILED_RETRYING, ItemState.QUEUED]  # nothing failed for good
    assert items[0].error_code == "rejected:unauthorized" and items[1].attempts == 0
    live.reset_faults()  # the token is fixed
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    assert outbox.counts()["sent"] == 2
    assert_exactly_once(live, jobs)


def test_unknown_dossier_is_permanent_with_clear_reason(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    make_output(tmp_path / "out", "000.00.01.H22-250702-9998", [("cccd", 1)])
    (result,) = read_output(tmp_path / "out", UploaderConfig(data_dir=tmp_path))
    outbox.enqueue(result.jobs[0])
    Sender(outbox, config_for(live, tmp_path)).run_until_done(timeout=60)
    (item,) = outbox.items()
    assert item.state is ItemState.FAILED_PERMANENT and item.error_code == "rejected:dossier_not_found"
    assert "HTTP 404" in (item.error or "") and item.user_error and "mã hồ sơ" in item.user_error


def test_backend_killed_mid_upload_then_restarted(own_backend: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(own_backend, tmp_path, outbox, n=2, docs=3, pad=100_000)
    own_backend.faults(delay_ms=700)  # every answer is slow: uploads are in flight when the kill comes
    sender = Sender(outbox, config_for(own_backend, tmp_path, workers=2))
    sender.start()
    try:
        wait_until(lambda: outbox.counts()["sent"] >= 1 and outbox.counts()["sending"] >= 1, 30,
                   "one item sent and one in flight", seen=outbox.counts)
        own_backend.kill()
        wait_until(lambda: outbox.counts()["failed-retrying"] >= 1, 30, "an upload failed by the kill",
                   seen=outbox.counts)
        assert sender.status().online is False
        own_backend.start()  # same port, same data; faults are gone with the process
        wait_until(lambda: not outbox.pending(), 60, "the queue emptied after the restart", seen=outbox.counts)
    finally:
        sender.stop()
    assert outbox.counts()["sent"] == 6
    assert_exactly_once(own_backend, jobs)
    assert not list((own_backend.data_dir / "files").rglob("*.tmp"))
    for j in jobs:  # what is on disk is what was sent
        (stored,) = list((own_backend.data_dir / "files" / j.dossier_code).glob(f"{j.attachment_id}.pdf"))
        assert stored.read_bytes() == j.file_path.read_bytes()


def test_start_stop_and_wake(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    seen: list[SenderStatus] = []
    got_one = threading.Event()

    def on_status(s: SenderStatus) -> None:
        seen.append(s)
        if s.counts.get("sent"):
            got_one.set()

    sender = Sender(outbox, config_for(live, tmp_path, poll_interval=5.0), on_status=on_status)
    sender.start()
    assert sender.running
    with pytest.raises(Exception, match="another sender"):
        Sender(outbox, config_for(live, tmp_path)).start()  # one sender per queue
    queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    sender.wake()
    assert got_one.wait(30)
    sender.stop()
    assert not sender.running and seen[-1].running is False


def test_token_never_logged(
    live: BackendProcess, tmp_path: Path, outbox: Outbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    queue_dossiers(live, tmp_path, outbox, n=1, docs=1)
    live.faults(fail_next=1, retry_after=0)
    cfg = config_for(live, tmp_path)
    Sender(outbox, cfg).run_until_done(timeout=60)
    assert outbox.counts()["sent"] == 1
    assert caplog.records  # there was logging at all
    assert live.token not in caplog.text
    assert live.token not in repr(cfg)
    assert "Đỗ Thị Thử" not in caplog.text  # applicant data never logged


def test_retention_after_confirmation(live: BackendProcess, tmp_path: Path, outbox: Outbox) -> None:
    jobs = queue_dossiers(live, tmp_path, outbox, n=1, docs=2)
    jobs[1].file_path.unlink()  # this one will fail: its folder must not be purged blindly
    Sender(outbox, config_for(live, tmp_path, retention_days=0.0)).run_until_done(timeout=60)
    # run_until_done ends with a retention pass: a confirmed file past the (zero) retention is gone
    assert not jobs[0].file_path.exists() and outbox.items()[0].purged_at is not None
    assert (jobs[0].file_path.parent / "manifest.json").exists()  # the failed item's folder stays
