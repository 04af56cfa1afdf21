"""Realistic journal contents for the review, report and UI tests: two stations, three operators, two days.

Every number the tests check (pages per operator, flagged pages, rejections, quality bins, upload delays)
follows from the table below, so a test can say exactly what it expects.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np

from ocr.models import CardSide, CardStyle, CitizenId
from station.journal import Journal

VN = timezone(timedelta(hours=7))
CARD_NUMBER = "001190012345"
CARD_NAME = "Nguyễn Thị Minh Anh"

# (station, operator, day, start hour, dossier code, procedure, [(doc_type, score, issues), ...])
DOSSIERS: tuple[tuple[str, str, int, int, str, str, tuple[tuple[str, int, tuple[str, ...]], ...]], ...] = (
    ("quay-01", "lan.nt", 2, 8, "000.00.01.H22-250702-0101", "1.000656",
     (("to-khai", 92, ()), ("to-khai", 45, ("blur",)), ("giay-chung-sinh", 88, ()), ("cccd", 81, ()))),
    ("quay-01", "lan.nt", 2, 9, "000.00.01.H22-250702-0102", "1.001612",
     (("to-khai-cu-tru", 76, ("skewed",)), ("giay-to-cho-o", 95, ()), ("giay-to-cho-o", 97, ()))),
    ("quay-01", "hung.pv", 3, 14, "000.00.01.H22-250703-0103", "2.000908",
     (("ban-chinh", 33, ("too_dark", "low_contrast")), ("ban-sao", 85, ()))),
    ("quay-02", "mai.lt", 2, 10, "000.00.01.H22-250702-0201", "1.000656",
     (("to-khai", 90, ()), ("giay-chung-sinh", 58, ("cut_off",)), ("cccd", 84, ()), ("to-khai", 99, ()))),
    ("quay-02", "mai.lt", 3, 8, "000.00.01.H22-250703-0202", "1.001612",
     (("to-khai-cu-tru", 71, ()), ("giay-to-cho-o", 66, ("blur",)), ("giay-to-cho-o", 100, ()))),
)


def page_image(seed: int, width: int = 1240, height: int = 1754) -> np.ndarray:
    """A gray A4-shaped page with a few lines of 'text' (bars) and a heading."""
    rng = np.random.default_rng(seed)
    img = np.full((height, width), 245, np.uint8)
    cv2.putText(img, f"TO KHAI {seed}", (120, 180), cv2.FONT_HERSHEY_SIMPLEX, 2.2, 20, 5)
    y = 300
    while y < height - 200:
        length = int(rng.integers(width // 2, width - 240))
        cv2.rectangle(img, (120, y), (120 + length, y + 18), 40, -1)
        y += 48
    return img


def populate(journal: Journal, *, images: bool = True) -> dict[str, list[str]]:
    """Fill the journal; returns page ids per dossier code (in capture order)."""
    ids: dict[str, list[str]] = {}
    seed = 0
    for station, operator, day, hour, code, procedure, pages in DOSSIERS:
        start = datetime(2025, 7, day, hour, 0, tzinfo=VN)
        ids[code] = []
        for n, (doc_type, score, issues) in enumerate(pages):
            seed += 1
            cards: tuple[CitizenId, ...] = ()
            if doc_type == "cccd":
                cards = (CitizenId(side=CardSide.FRONT, card_style=CardStyle.CCCD_2021, id_number=CARD_NUMBER,
                                   full_name=CARD_NAME, address="Số 12 Hàng Bạc, Hoàn Kiếm, Hà Nội", sources=("qr",)),)
            page_id = journal.record_page(
                page_id=f"page-{seed:03d}",  # fixed ids: the seeded review sample is then the same every run
                station_id=station, operator_id=operator, profile="Hồ sơ thông thường — xám 300 dpi",
                source=f"sane-{seed:03d}.png", page_index=n + 1, dossier_code=code, procedure_code=procedure,
                doc_type=doc_type, quality_score=score, quality_issues=issues,
                quality_metrics={"sharpness": score * 3.1, "contrast": 0.4 + score / 400, "skew_deg": 0.8},
                blank=False, rotation=0, skew_deg=0.8, dpi=300, width=2480, height=3508, barcodes=1 if n == 0 else 0,
                ocr_chars=900 + seed, ocr_confidence=88.5, cards=cards,
                image=page_image(seed) if images else None, at=start + timedelta(minutes=3 * n),
            )
            ids[code].append(page_id)
        journal.record_dossier(code, station_id=station, operator_id=operator, procedure_code=procedure,
                               pages=len(pages), documents=len({p[0] for p in pages}),
                               at=start + timedelta(minutes=3 * len(pages)))
        for doc_type in dict.fromkeys(p[0] for p in pages):
            att = f"{code[-4:]}-{doc_type}"
            journal.record_upload(attachment_id=att, dossier_code=code, doc_type=doc_type, state="queued",
                                  station_id=station, operator_id=operator, at=start + timedelta(minutes=15))
            # every attachment is confirmed 20 minutes after the dossier's first capture, except on day 3,
            # where the network was down until 40 minutes after
            delay = 20 if day == 2 else 40
            journal.record_upload(attachment_id=att, dossier_code=code, doc_type=doc_type, state="sent",
                                  station_id=station, operator_id=operator, at=start + timedelta(minutes=delay))
    return ids


def make_journal(tmp_path: Path, *, images: bool = True) -> tuple[Journal, dict[str, list[str]]]:
    journal = Journal(tmp_path / "journal.sqlite3")
    return journal, populate(journal, images=images)
