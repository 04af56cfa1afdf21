"""A demo journal from the sample pages (resources/samples), run through the real page pipeline, with degraded
copies (blurred, dark, skewed, cut) so the queue has real flags; spread over two stations and three operators.
Used for the review-mode screenshot: ``python -m station.review.demo OUT_DIR``."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import cv2
import numpy as np

from scanning.models import Image, Page
from station.journal.store import Journal
from station.pipeline import AnalysisOptions, analyze_page

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
VN = timezone(timedelta(hours=7))


def _load(name: str) -> Image:
    image = cv2.imread(str(SAMPLES / name), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise FileNotFoundError(SAMPLES / name)
    return np.asarray(image, dtype=np.uint8)


def _degrade(image: Image, how: str) -> Image:
    if how == "blur":
        return np.asarray(cv2.GaussianBlur(image, (0, 0), 6), dtype=np.uint8)
    if how == "dark":
        return np.asarray(np.clip(image.astype(np.float32) * 0.35 + 10, 0, 255), dtype=np.uint8)
    if how == "skew":
        h, w = image.shape
        m = cv2.getRotationMatrix2D((w / 2, h / 2), 6, 1.0)
        return np.asarray(cv2.warpAffine(image, m, (w, h), borderValue=255), dtype=np.uint8)
    if how == "cut":
        return np.ascontiguousarray(image[:, : int(image.shape[1] * 0.78)])
    return image


# (station, operator, day, hour, dossier code, procedure, [(sample, degradation, doc_type)])
PLAN = (
    ("quay-01", "lan.nt", 2, 8, "000.00.01.H22-250702-0013", "1.000656",
     (("01-phieu-tiep-nhan.png", "", "phieu-tiep-nhan"), ("03-to-khai-trang-1.png", "blur", "to-khai"),
      ("04-to-khai-trang-2.png", "", "to-khai"), ("06-cccd-mat-truoc.png", "", "cccd"))),
    ("quay-01", "hung.pv", 2, 14, "000.00.01.H22-250702-0014", "1.001612",
     (("03-to-khai-trang-1.png", "skew", "to-khai-cu-tru"), ("04-to-khai-trang-2.png", "", "giay-to-cho-o"),
      ("07-cccd-mat-sau.png", "", "cccd"))),
    ("quay-02", "mai.lt", 3, 9, "000.00.01.H22-250703-0001", "2.000908",
     (("01-phieu-tiep-nhan.png", "dark", "ban-chinh"), ("03-to-khai-trang-1.png", "", "ban-sao"),
      ("04-to-khai-trang-2.png", "cut", "ban-sao"))),
)


def build(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "journal.sqlite3"
    journal = Journal(path)
    options = AnalysisOptions(keep_image=True, cccd=True)
    for station, operator, day, hour, code, procedure, pages in PLAN:
        start = datetime(2025, 7, day, hour, 5, tzinfo=VN)
        for n, (sample, how, doc_type) in enumerate(pages):
            image = _degrade(_load(sample), how)
            page = Page(image=image, dpi=300, source=sample, index=n)
            analysis = analyze_page(page, options)
            journal.record_analysis(analysis, station_id=station, operator_id=operator,
                                    profile="Hồ sơ thông thường — xám 300 dpi", dossier_code=code,
                                    procedure_code=procedure, doc_type=doc_type,
                                    at=start + timedelta(minutes=2 * n))
        journal.record_dossier(code, station_id=station, operator_id=operator, procedure_code=procedure,
                               pages=len(pages), documents=len({p[2] for p in pages}),
                               at=start + timedelta(minutes=2 * len(pages)))
        for doc_type in dict.fromkeys(p[2] for p in pages):
            journal.record_upload(attachment_id=f"{code[-4:]}-{doc_type}", dossier_code=code, doc_type=doc_type,
                                  state="sent", station_id=station, operator_id=operator,
                                  at=start + timedelta(minutes=12 + 3 * day))
    journal.close()
    return path


if __name__ == "__main__":
    print(build(Path(sys.argv[1])))
