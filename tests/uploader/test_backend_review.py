"""The central journal and review endpoints of the reference backend, over real HTTP on 127.0.0.1, fed by a
real station journal through JournalSync."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from station.journal import Journal
from station.journal.api import JournalApi
from station.journal.models import PageFilter, ReviewDecision
from station.journal.sync import JournalSync
from station.review.sources import BackendSource, JournalSource
from tests.backend_fixtures import BackendProcess
from tests.journal_fixtures import CARD_NAME, CARD_NUMBER, make_journal
from uploader.config import UploaderConfig
from uploader.errors import BackendRejectedError, TransportError


def api_for(backend: BackendProcess, tmp_path: Path, station: str = "quay-01") -> JournalApi:
    cfg = UploaderConfig(backend_url=backend.url, token=backend.token, station_id=station, data_dir=tmp_path)
    return JournalApi(cfg)


@pytest.fixture
def synced(own_backend: BackendProcess, tmp_path: Path) -> Iterator[tuple[Journal, dict[str, list[str]], JournalApi]]:
    journal, ids = make_journal(tmp_path)
    api = api_for(own_backend, tmp_path)
    report = JournalSync(journal, api).push()
    assert report.sent == {"pages": 16, "dossiers": 5, "uploads": 12, "previews": 16}
    yield journal, ids, api
    journal.close()


def test_backend_queue_and_stats_agree_with_the_station(synced: tuple[Journal, dict[str, list[str]], JournalApi],
                                                         own_backend: BackendProcess) -> None:
    journal, ids, api = synced
    local = JournalSource(journal)
    central = BackendSource(api)
    for rate, seed in ((0.5, 7), (0.3, 11), (0.0, 0)):
        here = [(e.page.page_id, e.reason) for e in local.queue(PageFilter(), sample_rate=rate, seed=seed)]
        there = [(e.page.page_id, e.reason) for e in central.queue(PageFilter(), sample_rate=rate, seed=seed)]
        assert here == there and here
    flt = PageFilter(station_id="quay-02", flag="blur")
    assert [e.page.quality_score for e in central.queue(flt, sample_rate=0.0, seed=0)] == [66]
    # decisions made at the station reach the backend, then both compute the same statistics
    local.sync = JournalSync(journal, api)
    local.decide(ids["000.00.01.H22-250702-0101"][1], ReviewDecision.REJECT, reason="mờ", note="", reviewer="sup")
    local.decide(ids["000.00.01.H22-250702-0102"][0], ReviewDecision.APPROVE, reason=None, note="", reviewer="sup")
    for flt in (PageFilter(), PageFilter(station_id="quay-01"), PageFilter(date_from="2025-07-03")):
        assert central.stats(flt).to_json() == local.stats(flt).to_json()
    assert central.stats(PageFilter()).total.rejected == 1


def test_reporting_is_idempotent(synced: tuple[Journal, dict[str, list[str]], JournalApi]) -> None:
    journal, _, api = synced
    assert JournalSync(journal, api).push().total == 0  # nothing changed, nothing sent
    row = journal.unsynced("pages") or []
    assert row == []
    from station.journal.sync import page_json

    raw = [dict(r) for r in journal._db.execute("SELECT * FROM pages LIMIT 3")]
    result = api.post_rows("pages", [page_json(r) for r in raw])
    assert result == {"received": 3, "created": 0, "updated": 3}
    assert len(api.review_queue(PageFilter(), sample_rate=1.0, seed=0)) == 16  # no duplicates


def test_rejection_at_the_station_becomes_a_rescan_request_for_the_right_station(
        synced: tuple[Journal, dict[str, list[str]], JournalApi]) -> None:
    journal, ids, api = synced
    source = JournalSource(journal, JournalSync(journal, api))
    page_id = ids["000.00.01.H22-250702-0201"][1]
    outcome = source.decide(page_id, ReviewDecision.REJECT, reason="cắt mất nội dung", note="mất lề phải",
                            reviewer="truong.nv")
    assert outcome.saved and outcome.reported
    (local,) = journal.pending_rescan_requests("quay-02")
    (remote,) = api.rescan_requests("quay-02")
    assert api.rescan_requests("quay-01") == []
    assert remote.request_id == local.request_id and remote.page_id == page_id
    assert (remote.reason, remote.note, remote.doc_type, remote.operator_id) == (
        "cắt mất nội dung", "mất lề phải", "giay-chung-sinh", "mai.lt")
    # the counter rescans: resolved locally, reported by the next sync
    journal.resolve_rescan_request(local.request_id, new_page_id="rescan-1")
    JournalSync(journal, api).push()
    assert api.rescan_requests("quay-02") == []
    (done,) = api.rescan_requests("quay-02", status="done")
    assert done.resolved_page_id == "rescan-1"


def test_supervisor_at_the_center_rejects_and_the_counter_pulls_the_request(
        synced: tuple[Journal, dict[str, list[str]], JournalApi], tmp_path: Path) -> None:
    _journal, ids, api = synced
    central = BackendSource(api)
    page_id = ids["000.00.01.H22-250703-0103"][0]
    central.decide(page_id, ReviewDecision.REJECT, reason="mờ", note="quá tối", reviewer="sup")
    queue_ids = [e.page.page_id for e in central.queue(PageFilter(), sample_rate=0.0, seed=0)]
    assert page_id not in queue_ids and len(queue_ids) == 4
    # the counter of quay-01 is another PC with its own journal (here: a fresh one)
    counter = Journal(tmp_path / "counter" / "journal.sqlite3")
    assert JournalSync(counter, api).pull_rescan_requests("quay-01") == 1
    (req,) = counter.pending_rescan_requests("quay-01")
    assert (req.page_id, req.reason, req.note, req.dossier_code) == (page_id, "mờ", "quá tối",
                                                                     "000.00.01.H22-250703-0103")
    assert counter.pending_rescan_requests("quay-02") == []
    # an approval afterwards withdraws it
    central.decide(page_id, ReviewDecision.APPROVE, reason=None, note="", reviewer="sup")
    assert api.rescan_requests("quay-01") == []


def test_previews_are_served_and_card_pages_stay_pixelated(
        synced: tuple[Journal, dict[str, list[str]], JournalApi], own_backend: BackendProcess) -> None:
    journal, ids, api = synced
    for page_id in (ids["000.00.01.H22-250702-0101"][0], ids["000.00.01.H22-250702-0101"][3]):
        assert api.get_preview(page_id) == journal.preview_bytes(page_id)
    card = next(p for p in api.review_queue(PageFilter(), sample_rate=1.0, seed=0) if p[0].doc_type == "cccd")[0]
    assert card.preview_kind == "pixelated" and card.cccd_masked == ("001*******45",)
    # the central journal's files (backend.sqlite3 holds the seeded dossiers' applicants, not ours)
    files = [p for p in own_backend.data_dir.rglob("*") if p.is_file() and p.name != "backend.sqlite3"
             and not p.name.startswith("backend.sqlite3-")]
    assert any(p.name.startswith("review.sqlite3") for p in files)
    data = b"".join(p.read_bytes() for p in files)
    for secret in (CARD_NUMBER, CARD_NAME):
        assert secret.encode() not in data


def test_contract_errors(live: BackendProcess, tmp_path: Path) -> None:
    url = live.url
    r = requests.get(url + "/api/v1/review/queue", timeout=5)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    r = requests.post(url + "/api/v1/journal/pages", json={"pages": [{"page_id": "x"}]}, headers=live.auth,
                      timeout=5)
    assert r.status_code == 422 and "pages[0]" in r.json()["error"]["message"]
    r = requests.post(url + "/api/v1/journal/pages", data="pages", headers=live.auth, timeout=5)
    assert r.status_code == 415
    r = requests.post(f"{url}/api/v1/review/{uuid.uuid4().hex}", json={"decision": "approve", "reviewer": "a"},
                      headers=live.auth, timeout=5)
    assert r.status_code == 404 and r.json()["error"]["code"] == "page_not_found"
    r = requests.get(url + "/api/v1/stats", params={"from": "2025-13-01"}, headers=live.auth, timeout=5)
    assert r.status_code == 422
    r = requests.get(url + "/api/v1/review/rescan-requests", params={"status": "maybe"}, headers=live.auth,
                     timeout=5)
    assert r.status_code == 422
    api = api_for(live, tmp_path)
    with pytest.raises(BackendRejectedError) as err:
        api.post_review("nope", {"decision": "reject", "reviewer": "a"})
    assert err.value.status == 422  # a rejection without a reason


def test_decision_is_kept_locally_when_the_backend_is_down(tmp_path: Path) -> None:
    journal, ids = make_journal(tmp_path, images=False)
    cfg = UploaderConfig(backend_url="http://127.0.0.1:9", token="t", station_id="quay-01", data_dir=tmp_path,
                         connect_timeout=1.0)
    source = JournalSource(journal, JournalSync(journal, JournalApi(cfg)))
    outcome = source.decide(ids["000.00.01.H22-250702-0101"][1], ReviewDecision.REJECT, reason="mờ", note="",
                            reviewer="sup")
    assert outcome.saved and not outcome.reported and "chưa gửi được" in outcome.message
    assert len(journal.pending_rescan_requests("quay-01")) == 1
    assert len(journal.unsynced("reviews")) == 1  # goes with the next sync
    with pytest.raises(TransportError):
        JournalSync(journal, JournalApi(cfg)).push()


def test_station_report_for_the_whole_center(synced: tuple[Journal, dict[str, list[str]], JournalApi],
                                              own_backend: BackendProcess, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    from station.cli import main

    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("STATION_BACKEND_TOKEN", own_backend.token)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    out = tmp_path / "center.csv"
    assert main(["report", "--from", "2025-07-02", "--to", "2025-07-02", "-o", str(tmp_path / "c.pdf"),
                 "--csv", str(out), "--backend", own_backend.url]) == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [r[2] for r in rows[1:3]] == ["lan.nt", "mai.lt"]  # day 2 only: hung.pv worked on day 3
    assert rows[-1][:4] == ["tổng", "", "", "11"]
    assert (tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
