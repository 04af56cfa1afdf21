"""Page analysis for the counter app, run in a separate process (no Qt here: spawned workers import it).

The GUI process only scans, journals and displays; cleanup, OCR, barcodes and card reading run in a
process pool at a lower priority, so even a busy Tesseract never holds the GUI's interpreter lock or
takes its core. Only small results travel back (the analysis without the OCR words, a thumbnail and a
preview); the cleaned image and the OCR result are written next to the session's captures
(:mod:`station.workflow.finish` reads them when the PDF is built, also after a restore).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

from scanning.models import Image, Page
from station.pipeline import AnalysisOptions, PageAnalysis, analyze_page
from station.workflow.finish import save_cleaned
from station.workflow.session import SessionStore

THUMB_HEIGHT = 180
PREVIEW_HEIGHT = 1200
WORKER_NICENESS = 10


@dataclass(frozen=True, eq=False)
class CounterAnalysis:
    analysis: PageAnalysis  # without images and without the OCR words (those stay on disk)
    thumb: Image
    preview: Image


def init_worker() -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    with contextlib.suppress(OSError):
        os.nice(WORKER_NICENESS)  # the counter's window comes first
    parent = os.getppid()

    def follow_parent() -> None:  # the app was killed (-9, crash): do not linger as an orphan
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=follow_parent, name="follow-parent", daemon=True).start()


def shrink(image: Image, height: int) -> Image:
    """A smaller copy for display (never larger than the input)."""
    h, w = image.shape[:2]
    if h <= height:
        return np.ascontiguousarray(image)
    size = (max(1, round(w * height / h)), height)
    return np.ascontiguousarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA))


def analyze_for_counter(page: Page, options: AnalysisOptions, cache_dir: Path | None, page_id: str) -> CounterAnalysis:
    analysis = analyze_page(page, replace(options, keep_image=True))
    assert analysis.clean is not None
    cleaned = analysis.clean.image
    if cache_dir is not None:
        save_cleaned(cache_dir, page_id, cleaned, page.dpi, analysis.ocr, analysis.quality_score)
    return CounterAnalysis(replace(analysis, clean=None, ocr=None), shrink(cleaned, THUMB_HEIGHT),
                           shrink(cleaned, PREVIEW_HEIGHT))


def analyze_capture(store: SessionStore, page_id: str, options: AnalysisOptions,
                    cache_dir: Path | None) -> CounterAnalysis:
    """The capture as saved (sealed PNG), read back here in the worker process."""
    return analyze_for_counter(store.load_capture(page_id), options, cache_dir, page_id)
