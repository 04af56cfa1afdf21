"""A small, fixed `station process` input set shared by the batch resume tests.

Six files, eight pages: a receipt with the dossier code, a three-page TIFF (a multi-page file is where a
resume can lose pages that were still in the pool), a separator sheet announcing "Giấy tờ đất đai", an
upside-down deed, a blank page and a second deed page. Every file gets a fixed mtime (the scan time).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import qrcode
from PIL import Image as PILImage

from tests import pagegen

DPI = 150
CODE = "000.00.01.H22-250702-0013"
LAND_TYPE = "Giấy tờ đất đai"
SCAN_TIME = 1_751_423_400  # 2025-07-02 09:30 +07


def with_qr(image: np.ndarray, text: str, *, size_mm: float = 30, at: tuple[float, float] = (150, 20)) -> np.ndarray:
    qr = qrcode.make(text, border=2).get_image().convert("L")
    side = pagegen.mm_to_px(size_mm, DPI)
    canvas = PILImage.fromarray(image)
    canvas.paste(qr.resize((side, side), PILImage.Resampling.NEAREST),
                 (pagegen.mm_to_px(at[0], DPI), pagegen.mm_to_px(at[1], DPI)))
    return np.asarray(canvas)


def text_page(lines: slice, **kw: object) -> np.ndarray:
    return pagegen.render_text_page(pagegen.VIETNAMESE_LINES[lines], dpi=DPI, **kw).image  # type: ignore[arg-type]


def separator_page(doc_type: str) -> np.ndarray:
    return with_qr(pagegen.blank_page(dpi=DPI, value=255), f"STATION-SEPARATOR:{doc_type}", size_mm=80, at=(65, 100))


def _stamp(path: Path) -> Path:
    os.utime(path, (SCAN_TIME, SCAN_TIME))
    return path


def save(image: np.ndarray, path: Path) -> Path:
    PILImage.fromarray(image).save(path, dpi=(DPI, DPI))
    return _stamp(path)


def save_tiff(images: list[np.ndarray], path: Path) -> Path:
    first, *rest = [PILImage.fromarray(image) for image in images]
    first.save(path, save_all=True, append_images=rest, dpi=(DPI, DPI), compression="tiff_deflate")
    return _stamp(path)


def make_inputs(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [
        save(with_qr(text_page(slice(0, 6)), CODE), folder / "01-bien-nhan.png"),
        save_tiff([text_page(slice(6, 10)), text_page(slice(10, 14)), text_page(slice(14, 18))],
                  folder / "02-don-de-nghi.tiff"),
        save(separator_page(LAND_TYPE), folder / "03-to-phan-tach.png"),
        save(pagegen.turn(text_page(slice(18, 22)), 180), folder / "04-so-do-nguoc.png"),
        save(pagegen.add_noise(pagegen.blank_page(dpi=DPI), 5.0), folder / "05-trang-trang.png"),
        save(text_page(slice(20, 24)), folder / "06-so-do-trang-2.png"),
    ]


def output_files(out: Path) -> dict[str, bytes]:
    """Every file of a process output folder (relative path -> bytes), the work folder aside."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and ".station-work" not in p.relative_to(out).parts}
