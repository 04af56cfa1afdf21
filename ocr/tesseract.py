"""The one wrapper around the Tesseract OCR engine.

Choice, measured with ``python -m tests.benchmarks.bench_recognition`` (300 dpi A4 pages of generated
Vietnamese text, 2-core build machine, ``OMP_THREAD_LIMIT=1``): **tesserocr** (its wheel bundles
libtesseract 5.5, run on the system's fast ``vie``/``eng`` models) with the engine kept loaded, rather
than pytesseract (a ``tesseract`` 5.3 process per page):

- twice as fast: no process start and no model load per page (the models, 0.8 s to load, are loaded
  once per thread), no image file to write. Measured: 0.90 CPU-s per page for tesserocr against
  1.82 for pytesseract, mean of 4 generated pages (on a machine running at load 5, where the plain
  ``tesseract -l vie`` program took 0.96 CPU-s for what ENVIRONMENT.md lists at 0.42 s; scaled the
  same way tesserocr is about 0.4 s per page per core);
- the same recognition quality: both run the same LSTM models; character error rate 0.39 % for both
  on the generated pages (0.07-1.2 % per page), 1.07 % vs 1.03 % on OCRmyPDF's linn.png (eng);
- word boxes, confidences and block/paragraph/line structure come straight from the result
  iterator, without a TSV round trip.

pytesseract stays available as ``engine="cli"`` (a fallback where the tesserocr wheel cannot be
installed, and the benchmark's comparison point); it produces the same `OcrResult`.

Threads: a tesserocr ``PyTessBaseAPI`` is not thread-safe. `OcrEngine` guards its API with a lock;
`recognize()` keeps one engine per thread (and so per process) for each configuration.
``OMP_THREAD_LIMIT=1`` is set before the library loads: OpenMP threads make Tesseract ~3x slower on
two cores, and pages are parallelised across processes instead.

Recognised text may be personal data: nothing here logs it (only counts, sizes and timings).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # must precede the first load of libtesseract / libgomp

import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ocr.errors import InvalidImageError, OcrEngineError, OcrFailedError, OcrTimeoutError
from ocr.models import OcrResult, OcrWord
from ocr.text import nfc, page_text
from scanning.models import Image

log = logging.getLogger(__name__)

SYSTEM_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata/"
DEFAULT_LANG = "vie+eng"


def default_tessdata() -> str:
    """TESSDATA_PREFIX when set (and holding models), else Debian's tessdata folder."""
    env = os.environ.get("TESSDATA_PREFIX")
    if env and any(Path(env).glob("*.traineddata")):
        return env if env.endswith("/") else env + "/"
    return SYSTEM_TESSDATA


def _tesserocr() -> Any:
    try:
        import tesserocr
    except ImportError as err:
        raise OcrEngineError("tesserocr is not installed") from err
    return tesserocr


def open_api(lang: str, *, psm: int, variables: Mapping[str, str] | None = None,
             tessdata: str | None = None) -> Any:
    """A loaded tesserocr API (LSTM) for `lang` ("vie", "vie+eng") from one tessdata folder, with Tesseract
    variables set; OcrEngineError when the library or a language model is missing. Every engine of the
    station — page OCR here, the card and MRZ line readers in ocr/cccd/engine.py — is opened through it."""
    tesserocr = _tesserocr()
    folder = tessdata or default_tessdata()
    missing = [part for part in lang.split("+") if not (Path(folder) / f"{part}.traineddata").exists()]
    if missing:
        raise OcrEngineError(f"Tesseract language model(s) missing in {folder}: {', '.join(missing)}")
    try:
        api = tesserocr.PyTessBaseAPI(path=folder, lang=lang, psm=psm, oem=tesserocr.OEM.LSTM_ONLY)
    except RuntimeError as err:
        raise OcrEngineError(f"Tesseract failed to initialise ({folder}, {lang}): {err}") from err
    for name, value in (variables or {}).items():
        if not api.SetVariable(name, value):
            raise OcrEngineError(f"Tesseract refused the variable {name}")
    return api


@dataclass(frozen=True)
class OcrConfig:
    lang: str = DEFAULT_LANG
    psm: int = 3  # fully automatic page segmentation, no OSD: the page arrives upright and deskewed
    timeout_s: float = 60.0
    tessdata: str | None = None  # None: default_tessdata()
    engine: str = "tesserocr"  # or "cli" (pytesseract + the tesseract program)
    min_word_confidence: float = 0.0  # words below this are dropped (0: keep all)


class OcrEngine:
    """One loaded Tesseract API (tesserocr). Safe to share between threads (calls are serialised)."""

    def __init__(self, config: OcrConfig | None = None) -> None:
        self.config = config or OcrConfig()
        self._lock = threading.Lock()
        self._api: Any = open_api(self.config.lang, psm=self.config.psm, tessdata=self.config.tessdata)
        self._tesserocr: Any = _tesserocr()
        self.version = str(self._tesserocr.tesseract_version().split()[1])
        log.debug("tesseract %s loaded: lang=%s psm=%d", self.version, self.config.lang, self.config.psm)

    def recognize(self, image: Image, dpi: int | None) -> OcrResult:
        gray_or_rgb = _check_image(image)
        height, width = gray_or_rgb.shape[:2]
        channels = 1 if gray_or_rgb.ndim == 2 else 3
        api = self._api
        with self._lock:
            started = time.perf_counter()
            try:
                api.SetImageBytes(gray_or_rgb.tobytes(), width, height, channels, width * channels)
                api.SetSourceResolution(_dpi(dpi))
                ok = api.Recognize(timeout=max(1, int(self.config.timeout_s * 1000)))
            except RuntimeError as err:
                raise OcrFailedError(f"tesseract failed on a {width}x{height} image: {err}") from err
            elapsed = time.perf_counter() - started
            if not ok:
                api.Clear()
                if elapsed >= self.config.timeout_s * 0.95:
                    raise OcrTimeoutError(f"tesseract stopped after {elapsed:.1f} s on a {width}x{height} image")
                raise OcrFailedError(f"tesseract could not recognise a {width}x{height} image")
            words = self._words()
            api.Clear()
        result = _result(words, self.config, width, height)
        log.debug("ocr: %d words, %.2f s, %dx%d", len(result.words), elapsed, width, height)
        return result

    def _words(self) -> list[tuple[OcrWord, bool]]:
        tesserocr = self._tesserocr
        ril = tesserocr.RIL
        iterator = self._api.GetIterator()
        words: list[tuple[OcrWord, bool]] = []
        if iterator is None:
            return words
        block = line = 0
        for item in tesserocr.iterate_level(iterator, ril.WORD):
            try:
                text = item.GetUTF8Text(ril.WORD)
            except RuntimeError:  # "No text returned": an empty element (blank page, image region)
                continue
            box = item.BoundingBox(ril.WORD)
            new_block = item.IsAtBeginningOf(ril.BLOCK)
            new_para = item.IsAtBeginningOf(ril.PARA)
            if new_block:
                block += 1
            if item.IsAtBeginningOf(ril.TEXTLINE):
                line += 1
            if not text or not text.strip() or box is None:
                continue
            x0, y0, x1, y1 = box
            confidence = float(item.Confidence(ril.WORD))
            word = OcrWord(nfc(text.strip()), (x0, y0, x1 - x0, y1 - y0), confidence, max(block, 1), max(line, 1))
            words.append((word, bool(new_block or new_para)))
        return words

    def close(self) -> None:
        with self._lock:
            self._api.End()


def recognize_cli(image: Image, dpi: int | None, config: OcrConfig | None = None) -> OcrResult:
    """The same recognition through pytesseract and the `tesseract` program (one process per call)."""
    cfg = config or OcrConfig(engine="cli")
    gray_or_rgb = _check_image(image)
    height, width = gray_or_rgb.shape[:2]
    try:
        import pytesseract
        from PIL import Image as PILImage
    except ImportError as err:
        raise OcrEngineError("pytesseract is not installed") from err
    tessdata = cfg.tessdata or default_tessdata()
    options = f"--psm {cfg.psm} --oem 1 --dpi {_dpi(dpi)} --tessdata-dir {tessdata}"
    pil = PILImage.fromarray(gray_or_rgb, "L" if gray_or_rgb.ndim == 2 else "RGB")
    try:
        data = pytesseract.image_to_data(
            pil, lang=cfg.lang, config=options, timeout=cfg.timeout_s, output_type=pytesseract.Output.DICT
        )
    except RuntimeError as err:  # pytesseract raises RuntimeError("Tesseract process timeout")
        raise OcrTimeoutError(f"tesseract process stopped after {cfg.timeout_s:g} s") from err
    except pytesseract.TesseractNotFoundError as err:
        raise OcrEngineError("the tesseract program is not installed") from err
    except pytesseract.TesseractError as err:
        raise OcrFailedError(f"tesseract failed (status {err.status})") from err
    words: list[tuple[OcrWord, bool]] = []
    seen_para: tuple[int, int] | None = None
    line_keys: dict[tuple[int, int, int], int] = {}
    for i, level in enumerate(data["level"]):
        text = str(data["text"][i]).strip()
        if level != 5 or not text:
            continue
        key = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        line = line_keys.setdefault(key, len(line_keys) + 1)
        para = key[:2]
        box = (int(data["left"][i]), int(data["top"][i]), int(data["width"][i]), int(data["height"][i]))
        word = OcrWord(nfc(text), box, float(data["conf"][i]), key[0], line)
        words.append((word, para != seen_para))
        seen_para = para
    return _result(words, cfg, width, height)


_local = threading.local()


def engine_for(config: OcrConfig | None = None) -> OcrEngine:
    """This thread's engine for `config`, loaded on first use and kept for the thread's life."""
    cfg = config or OcrConfig()
    engines: dict[OcrConfig, OcrEngine] | None = getattr(_local, "engines", None)
    if engines is None:
        engines = {}
        _local.engines = engines
    engine = engines.get(cfg)
    if engine is None:
        engine = OcrEngine(cfg)
        engines[cfg] = engine
    return engine


def recognize(image: Image, dpi: int | None, lang: str = DEFAULT_LANG, config: OcrConfig | None = None) -> OcrResult:
    """OCR an upright, deskewed page (gray or RGB uint8) scanned at `dpi`.

    Word boxes are in the input image's pixels; text is NFC. `lang` is used when no `config` is given.
    Raises OcrEngineError (no engine / model), OcrTimeoutError, OcrFailedError, InvalidImageError.
    """
    cfg = config or OcrConfig(lang=lang)
    if cfg.engine == "cli":
        return recognize_cli(image, dpi, cfg)
    if cfg.engine != "tesserocr":
        raise OcrEngineError(f"unknown OCR engine {cfg.engine!r}")
    return engine_for(cfg).recognize(image, dpi)


def _check_image(image: Image) -> Image:
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise InvalidImageError("OCR input must be a uint8 numpy array")
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]
    if not (image.ndim == 2 or (image.ndim == 3 and image.shape[2] == 3)):
        raise InvalidImageError(f"OCR input must be gray (H, W) or RGB (H, W, 3), not {image.shape}")
    if min(image.shape[:2]) < 3:
        raise InvalidImageError(f"OCR input too small: {image.shape}")
    return np.ascontiguousarray(image)


def _dpi(dpi: int | None) -> int:
    return 300 if dpi is None or dpi < 70 else min(int(dpi), 2400)


def _result(words: list[tuple[OcrWord, bool]], cfg: OcrConfig, width: int, height: int) -> OcrResult:
    if cfg.min_word_confidence > 0:
        words = [(w, p) for w, p in words if w.confidence >= cfg.min_word_confidence]
    confidences = [w.confidence for w, _ in words if w.confidence >= 0]
    mean = float(sum(confidences) / len(confidences)) if confidences else 0.0
    return OcrResult(
        text=page_text(words),
        words=tuple(w for w, _ in words),
        lang=cfg.lang,
        width=width,
        height=height,
        mean_confidence=mean,
    )
