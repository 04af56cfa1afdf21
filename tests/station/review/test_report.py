"""Statistics, the CSV export and the PDF report (`station report`), checked by opening the files."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from station.cli import main
from station.journal import Journal
from station.journal.models import PageFilter
from station.review.sources import JournalSource
from tests.journal_fixtures import make_journal

HEADER = ["Cấp", "Trạm", "Nhân viên", "Số trang", "Trang gắn cờ", "Giờ hoạt động", "Trang/giờ", "Hồ sơ",
          "Ngày hoạt động", "Hồ sơ/ngày", "Trang đã duyệt", "Trang bị từ chối", "Tỷ lệ từ chối",
          "Điểm chất lượng TB", "Trung vị quét→xác nhận (phút)"]
ROWS = [
    ["nhân viên", "quay-01", "hung.pv", "2", "1", "1", "2.00", "1", "1", "1.00", "0", "0", "0.0000", "59.0", "38.50"],
    ["nhân viên", "quay-01", "lan.nt", "7", "2", "2", "3.50", "2", "1", "2.00", "2", "1", "0.5000", "82.0", "17.00"],
    ["nhân viên", "quay-02", "mai.lt", "7", "2", "2", "3.50", "2", "2", "1.00", "2", "1", "0.5000", "81.1", "20.00"],
    ["trạm", "quay-01", "", "9", "3", "3", "3.00", "3", "2", "1.50", "2", "1", "0.5000", "76.9", "20.00"],
    ["trạm", "quay-02", "", "7", "2", "2", "3.50", "2", "2", "1.00", "2", "1", "0.5000", "81.1", "20.00"],
    ["tổng", "", "", "16", "5", "5", "3.20", "5", "2", "2.50", "4", "2", "0.5000", "78.8", "20.00"],
]


@pytest.fixture(autouse=True)
def _own_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))


def reviewed_journal(tmp_path: Path) -> Path:
    journal, ids = make_journal(tmp_path, images=False)
    journal.record_review(ids["000.00.01.H22-250702-0101"][1], "reject", reason="mờ", reviewer="sup")
    journal.record_review(ids["000.00.01.H22-250702-0201"][1], "reject", reason="cắt mất nội dung", reviewer="sup")
    journal.record_review(ids["000.00.01.H22-250702-0102"][0], "approve", reviewer="sup")
    journal.record_review(ids["000.00.01.H22-250703-0202"][2], "approve", reviewer="sup")
    journal.close()
    return tmp_path / "journal.sqlite3"


def test_statistics_of_the_fixture(tmp_path: Path) -> None:
    with Journal(reviewed_journal(tmp_path)) as journal:
        stats = JournalSource(journal).stats(PageFilter(date_from="2025-07-01", date_to="2025-07-31"))
    assert stats.quality_bins == (0, 0, 0, 1, 1, 1, 1, 2, 4, 6)
    assert stats.upload_delays_min == (11, 14, 14, 17, 17, 20, 20, 20, 37, 37, 40, 40)
    assert stats.upload_median_min == 20 and stats.upload_p90_min == 40
    reasons = {r.reason: (r.rejected, r.rate) for r in stats.reasons}
    assert reasons["mờ"] == (1, 0.25) and reasons["cắt mất nội dung"] == (1, 0.25) and reasons["nghiêng"] == (0, 0)
    assert list(reasons)[:7] == ["mờ", "thiếu trang", "sai loại giấy tờ", "cắt mất nội dung", "nghiêng",
                                 "thiếu chữ ký/con dấu", "khác"]
    lan = next(g for g in stats.operators if g.operator_id == "lan.nt")
    assert (lan.pages, lan.active_hours, lan.pages_per_hour, lan.dossiers_per_day) == (7, 2, 3.5, 2.0)


def test_period_and_station_filters(tmp_path: Path) -> None:
    with Journal(reviewed_journal(tmp_path)) as journal:
        day3 = JournalSource(journal).stats(PageFilter(date_from="2025-07-03", date_to="2025-07-03"))
        q2 = JournalSource(journal).stats(PageFilter(station_id="quay-02"))
    assert (day3.total.pages, day3.total.dossiers) == (5, 2)
    assert day3.upload_delays_min == (37, 37, 40, 40)
    assert [g.operator_id for g in q2.operators] == ["mai.lt"] and q2.total.pages == 7


def test_station_report_writes_pdf_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = reviewed_journal(tmp_path)
    pdf, table = tmp_path / "out" / "bao-cao.pdf", tmp_path / "out" / "bao-cao.csv"
    code = main(["report", "--from", "2025-07-02", "--to", "2025-07-03", "-o", str(pdf), "--csv", str(table),
                 "--journal", str(path)])
    assert code == 0
    assert "16 trang, 5 hồ sơ" in capsys.readouterr().out
    with table.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle)) == [HEADER, *ROWS]
    assert table.read_bytes().startswith(b"\xef\xbb\xbf")

    reader = PdfReader(str(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    poppler = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for extracted in (text, poppler):
        for heading in ("Báo cáo chất lượng số hóa hồ sơ", "Năng suất theo nhân viên", "Năng suất theo trạm",
                        "Tỷ lệ từ chối theo lý do", "Phân bố điểm chất lượng",
                        "Thời gian từ lúc quét đến khi máy chủ xác nhận"):
            assert heading in extracted, heading
        assert "từ ngày 02/07/2025 đến ngày 03/07/2025" in extracted
    lines = poppler.splitlines()

    def line_with(*parts: str) -> str:
        found = [ln for ln in lines if all(p in ln for p in parts)]
        assert found, parts
        return found[0]

    assert line_with("Số trang đã quét", "16")
    assert line_with("Số hồ sơ hoàn thành", "5")
    assert line_with("Trang bị từ chối", "2 (50,0%)")
    assert line_with("Từ quét đến xác nhận: trung vị", "20,0 phút")
    assert line_with("90% số tệp trong vòng", "40,0 phút")
    assert line_with("lan.nt", "quay-01", "7", "3,5", "2,0", "50,0%", "82,0").split()[:2] == ["quay-01", "lan.nt"]
    assert line_with("hung.pv", "2,0", "1,0", "0,0%", "59,0")
    assert line_with("mờ", "1", "25,0%")
    assert line_with("cắt mất nội dung", "1", "25,0%")
    assert line_with("Số trang", "0", "1", "2", "4", "6").split()[2:] == ["0", "0", "0", "1", "1", "1", "1", "2", "4",
                                                                          "6"]
    assert reader.metadata is not None and reader.metadata.title == "Báo cáo chất lượng số hóa hồ sơ"
    fonts = {str(f) for page in reader.pages for f in page["/Resources"]["/Font"].values()}  # type: ignore[index]
    assert fonts  # text is real text in embedded fonts, not an image


def test_report_refuses_bad_dates_and_missing_journal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.pdf"
    assert main(["report", "--from", "2025-07-32", "--to", "2025-08-01", "-o", str(out)]) == 2
    assert main(["report", "--from", "2025-08-02", "--to", "2025-08-01", "-o", str(out)]) == 2
    with pytest.raises(SystemExit) as exc:
        main(["report", "--from", "2025-08-01", "--to", "2025-08-01", "-o", str(out),
              "--journal", str(tmp_path / "none.sqlite3")])
    assert exc.value.code == 2
    assert not out.exists()
    assert "YYYY-MM-DD" in capsys.readouterr().err
