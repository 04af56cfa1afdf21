"""The per-page analysis: cleanup and quality, then recognition, as an ordered list of small steps.

`analyze_page` is what one worker does with one page. `analyze_stream` fans pages out to a process pool sized
to the cores and hands results back in input order, with a bounded number of pages in flight so memory stays
flat on a 1000-page run. Steps are plain functions of (page analysis so far, options); each says whether it
is able to run, so a disabled or pointless step (OCR on a blank page) costs nothing.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from multiprocessing import get_context
from typing import TYPE_CHECKING, Any, TypeVar

from ocr.models import Barcode, CitizenId, OcrResult
from scanning.cleanup.config import CleanupConfig
from scanning.cleanup.pipeline import clean_page
from scanning.models import CleanPage, Page

if TYPE_CHECKING:  # the ICAO reader loads Tesseract: imported where a page is read, not at start-up
    from ocr.icao.mrz import MrzFields

INSPECT_SCHEMA = 1


@dataclass(frozen=True)
class AnalysisOptions:
    cleanup: CleanupConfig = field(default_factory=CleanupConfig)
    ocr: bool = True
    barcodes: bool = True
    cccd: bool = True
    lang: str = "vie+eng"
    separator_prefix: str = "STATION-SEPARATOR"
    keep_image: bool = False  # ship the cleaned image back (PDF building needs it; `inspect` does not)


@dataclass(frozen=True, eq=False)
class PageAnalysis:
    source: str
    index: int
    width: int
    height: int
    dpi: int | None
    clean: CleanPage | None  # the cleaned image is dropped unless AnalysisOptions.keep_image
    rotation_applied: int
    skew_deg: float
    blank: bool
    quality_score: int
    quality_issues: tuple[str, ...]
    quality_metrics: dict[str, float]
    barcodes: tuple[Barcode, ...] = ()
    separator: bool = False
    separator_doc_type: str | None = None
    dossier_code: str | None = None
    ocr: OcrResult | None = None
    cards: tuple[CitizenId, ...] = ()
    documents: tuple[MrzFields, ...] = ()  # ICAO 9303 documents other than Vietnamese cards (passports, visas)


@dataclass(frozen=True)
class Step:
    name: str
    able_to_run: Callable[[PageAnalysis, AnalysisOptions], bool]
    run: Callable[[PageAnalysis, AnalysisOptions], PageAnalysis]


def _read_barcodes(analysis: PageAnalysis, options: AnalysisOptions) -> PageAnalysis:
    from ocr.barcodes import read_page_barcodes
    from ocr.separator import parse_separator

    assert analysis.clean is not None
    # The captured image too: cleanup can blur a small code, and patch codes need the leading edge.
    barcodes = tuple(read_page_barcodes(analysis.clean))
    separator = parse_separator(barcodes, prefix=options.separator_prefix)
    return replace(
        analysis,
        barcodes=barcodes,
        separator=separator is not None,
        separator_doc_type=separator.doc_type if separator is not None else None,
    )


def _recognise_text(analysis: PageAnalysis, options: AnalysisOptions) -> PageAnalysis:
    from ocr.tesseract import recognize

    assert analysis.clean is not None
    return replace(analysis, ocr=recognize(analysis.clean.image, analysis.dpi, lang=options.lang))


def _find_dossier_code(analysis: PageAnalysis, options: AnalysisOptions) -> PageAnalysis:
    from ocr.dossier_code import find_dossier_code

    text = analysis.ocr.text if analysis.ocr is not None else ""
    return replace(analysis, dossier_code=find_dossier_code(analysis.barcodes, text))


def _read_cards(analysis: PageAnalysis, options: AnalysisOptions) -> PageAnalysis:
    from ocr.documents import read_page_documents
    from ocr.icao.mrz import MrzFields

    assert analysis.clean is not None
    found = read_page_documents(analysis.clean)
    # A candidate region whose side could not be recognised is not reported on an ordinary page.
    cards = tuple(doc for doc in found if isinstance(doc, CitizenId) and doc.side is not None)
    documents = tuple(doc for doc in found if isinstance(doc, MrzFields))
    return replace(analysis, cards=cards, documents=documents)


STEPS: tuple[Step, ...] = (
    Step("barcodes", lambda a, o: o.barcodes and not a.blank, _read_barcodes),
    # A separator sheet carries nothing but its code: no need to read it.
    Step("ocr", lambda a, o: o.ocr and not a.blank and not a.separator, _recognise_text),
    Step("dossier_code", lambda a, o: not a.blank and not a.separator, _find_dossier_code),
    Step("cccd", lambda a, o: o.cccd and not a.blank and not a.separator, _read_cards),
)


def analyze_page(page: Page, options: AnalysisOptions) -> PageAnalysis:
    clean = clean_page(page, options.cleanup)
    analysis = PageAnalysis(
        source=page.source,
        index=page.index,
        width=page.width,
        height=page.height,
        dpi=page.dpi,
        clean=clean,
        rotation_applied=clean.rotation_applied,
        skew_deg=clean.skew_deg,
        blank=clean.blank,
        quality_score=clean.quality.score,
        quality_issues=tuple(clean.quality.issues),
        quality_metrics={k: float(v) for k, v in clean.quality.metrics.items()},
    )
    for step in STEPS:
        if step.able_to_run(analysis, options):
            analysis = step.run(analysis, options)
    if not options.keep_image:
        analysis = replace(analysis, clean=None)  # don't pickle 25 MB back to the parent for nothing
    return analysis


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)))


def _worker_init() -> None:
    """One page per process: OpenMP and OpenCV threads would only fight over the same cores."""
    from scanning.cleanup.pipeline import configure_worker

    os.environ["OMP_THREAD_LIMIT"] = "1"
    configure_worker()


Outcome = PageAnalysis | BaseException
T = TypeVar("T")
R = TypeVar("R")


def map_in_order(work: Callable[[T], R], items: Iterable[T], *,
                 jobs: int) -> Generator[tuple[T, R | Exception], None, None]:
    """`work(item)` for every item in a pool of `jobs` processes, answered in input order; an item whose work
    raised yields its exception instead of stopping the run. `work` must be picklable (a module-level function
    or a functools.partial of one).

    At most `2 * jobs` items are in flight, so memory stays bounded however long the stream is. Errors raised
    by the item *source* (a scanner jam, a corrupt file) propagate to the caller after the items before it.
    Closing the generator early (the caller stopped on an error) cancels what has not started and waits for
    the rest, so no worker outlives the run.
    """
    if jobs <= 1:
        for item in items:
            yield item, _call(work, item)
        return
    in_flight: deque[tuple[T, Future[R]]] = deque()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"), initializer=_worker_init) as pool:
        try:
            for item in items:
                in_flight.append((item, pool.submit(work, item)))
                while len(in_flight) >= 2 * jobs:
                    answered = _next_result(in_flight)  # (not inferred from the yield: mypy would widen R)
                    yield answered
            while in_flight:
                rest = _next_result(in_flight)
                yield rest
        finally:
            for _, future in in_flight:
                future.cancel()


def _call(work: Callable[[T], R], item: T) -> R | Exception:
    try:
        return work(item)
    except Exception as err:  # one bad page must not stop the run; the caller reports it
        return err


def _next_result(in_flight: deque[tuple[T, Future[R]]]) -> tuple[T, R | Exception]:
    item, future = in_flight.popleft()
    try:
        return item, future.result()
    except Exception as err:  # one bad page must not stop the run; the caller reports it
        return item, err


def analyze_stream(
    pages: Iterable[Page],
    options: AnalysisOptions,
    *,
    jobs: int | None = None,
    on_page_error: Callable[[Page, BaseException], None] | None = None,
) -> Iterator[tuple[Page, Outcome]]:
    """Analyze pages in input order (see `map_in_order`); a page that fails yields its exception."""
    yield from map_in_order(partial(analyze_page, options=options), pages, jobs=jobs or default_jobs())


def to_inspect_record(analysis: PageAnalysis) -> dict[str, Any]:
    """The `station inspect --json` line for one page: a stable contract, versioned by "schema"."""
    from ocr.cccd import citizen_id_to_json
    from ocr.documents import IdentityDocument, document_to_json

    documents: list[IdentityDocument] = [*analysis.cards, *analysis.documents]
    return {
        "schema": INSPECT_SCHEMA,
        "source": analysis.source,
        "page": analysis.index,
        "width": analysis.width,
        "height": analysis.height,
        "dpi": analysis.dpi,
        "rotation_applied": analysis.rotation_applied,
        "skew_deg": round(analysis.skew_deg, 2),
        "blank": analysis.blank,
        "quality": {
            "score": analysis.quality_score,
            "issues": list(analysis.quality_issues),
            "metrics": {k: round(v, 4) for k, v in sorted(analysis.quality_metrics.items())},
        },
        "barcodes": [{"format": b.format, "text": b.text, "bbox": list(b.bbox)} for b in analysis.barcodes],
        "separator": analysis.separator,
        "dossier_code": analysis.dossier_code,
        "text": analysis.ocr.text if analysis.ocr is not None else None,
        "cccd": [citizen_id_to_json(card) for card in analysis.cards] or None,
        # Every identity document as `station cccd --json` reports it (cards and ICAO documents alike).
        "documents": [document_to_json(doc) for doc in documents] or None,
    }
