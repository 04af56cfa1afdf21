"""`station process`: pages in, one PDF/A per document and a manifest per dossier out, resumably.

Workers (one per core, `pipeline.map_in_order`) each take a page through cleanup, recognition and the PDF
image encoding, and spill the result (sealed page data) to the run's work folder; the parent records it in
the resume log, in input order. When the stream ends and every position of it is recorded, the split plan is
made and each document is assembled from the spilled pages (cheap: no decoding or encoding left), written
atomically and checked as PDF/A. A killed run re-started with the same inputs continues with exactly what the
resume log does not hold, and writes the same bytes as a run that was never stopped. When the run succeeded, its
work folder is deleted.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import BrokenExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ocr.models import CitizenId
from scanning.errors import ImportFailedError, StationError
from scanning.models import Image, Page
from station.atrest import AtRestError, is_sealed
from station.batch.resume_log import (
    DocumentRecord,
    PageRecord,
    ResumeLog,
    batch_identity,
    finished_documents,
    private_dir,
)
from station.batch.split import DossierPlan, PageFacts, SplitMode, plan
from station.output.doctype import doc_type
from station.output.manifest import write_manifest
from station.output.pagedata import PageDataError, read_capture, read_spill, write_spill
from station.pdfa.encode import PreEncodedPage, encode_page
from station.pdfa.errors import PdfaError
from station.pdfa.models import BuildSettings, DocumentInfo
from station.pipeline import AnalysisOptions, analyze_page, default_jobs, map_in_order
from uploader.errors import ManifestError
from uploader.manifest import (
    CardSummary,
    Manifest,
    ManifestDocument,
    PageRef,
    SourcePage,
    check_schema,
    file_sha256,
    read_manifest,
)
from uploader.manifest import ExcludedPage as OutputExcluded

if TYPE_CHECKING:
    from station.journal.store import Journal
    from station.signing.models import SignatureLevel

log = logging.getLogger(__name__)


class OutputNotWritableError(StationError):
    exit_code = 5
    default_user_message = (
        "Không ghi được vào thư mục kết quả (đầy ổ đĩa, chỉ đọc hoặc không có quyền). "
        "Giải phóng dung lượng hoặc chọn thư mục khác rồi chạy lại; phần đã xong được giữ và sẽ chạy tiếp."
    )


@dataclass(frozen=True)
class ProcessOptions:
    out_dir: Path
    split: SplitMode = SplitMode.AUTO
    jobs: int = field(default_factory=default_jobs)
    pdf_dpi: int = 300
    station_id: str = "station-01"
    operator: str = ""
    analysis: AnalysisOptions = field(default_factory=lambda: AnalysisOptions(keep_image=True))
    build: BuildSettings = field(default_factory=BuildSettings)
    journal_path: Path | None = None  # the station journal (supervisor review); None: not recorded
    preview_long_side: int = 1000
    # Who does the pages: None is the local process pool (`local_dispatch`); `station process --cluster` puts
    # the Celery dispatcher here (station.cluster.dispatch). Not part of the batch's identity or output.
    dispatch: PageDispatch | None = field(default=None, compare=False, repr=False)


@dataclass
class ProcessSummary:
    batch_id: str
    pages: int = 0
    documents: list[Path] = field(default_factory=list)
    manifests: list[Path] = field(default_factory=list)
    excluded: int = 0
    failures: list[str] = field(default_factory=list)
    resumed: bool = False
    elapsed_s: float = 0.0


ProgressCallback = Callable[[int, str], None]  # pages done so far, current source
# Signs a finished document in place (its scan time for the officer's stamp); the PAdES level reached, e.g.
# station.signing.documents.DocumentSigner. Runs in this process: the token session is never pickled.
DocumentSignerHook = Callable[[Path, datetime], "SignatureLevel"]
PageItem = tuple[int, int, Page]  # stream position, input index, page
# (items, options, page folder) -> each item with its result or exception, in input order; closing the generator
# early stops the work.
PageDispatch = Callable[[Iterator[PageItem], "ProcessOptions", Path],
                        Generator[tuple[PageItem, "PageResult | Exception"], None, None]]


@dataclass(frozen=True, eq=False)
class PageResult:
    """A worker's answer for one page: its resume-log record, and what only the station journal (supervisor review)
    gets, handed over in memory and never written to the work folder."""

    record: PageRecord
    cards: tuple[CitizenId, ...] = ()
    preview: Image | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    dpi: int | None = None
    width: int = 0
    height: int = 0
    barcodes: int = 0


# --- the worker side ---------------------------------------------------------------------------------------

def work_on_page(position: int, input_index: int, page: Page, options: ProcessOptions,
                 spill_dir: Path) -> PageResult:
    """Analyse and encode one page (in a worker process); spills its data and returns its record."""
    analysis = analyze_page(page, replace(options.analysis, keep_image=True))
    assert analysis.clean is not None
    spill: str | None = None
    if not (analysis.blank or analysis.separator):
        image = analysis.clean.image
        dpi = float(page.dpi or options.pdf_dpi)
        encoded, _ = encode_page(image, dpi, options.build)
        spilled = PreEncodedPage(encoded, int(image.shape[1]), int(image.shape[0]), dpi, analysis.ocr,
                                 _pixels_sha256(page), analysis.quality_score)
        spill_path = spill_dir / f"{position:06d}.page"
        write_spill(spill_path, spilled)  # sealed data, never a pickle: the work folder is not trusted
        spill = spill_path.name
    record = PageRecord(
        position=position, input=input_index, page=page.index, blank=analysis.blank,
        separator=analysis.separator, separator_doc_type=analysis.separator_doc_type,
        dossier_code=analysis.dossier_code,
        captured_at=page.captured_at.isoformat() if page.captured_at else None,
        quality_score=analysis.quality_score, quality_issues=tuple(analysis.quality_issues),
        rotation_applied=analysis.rotation_applied, skew_deg=round(analysis.skew_deg, 2),
        text_chars=len(analysis.ocr.text) if analysis.ocr is not None else 0,
        cards=tuple(CardSummary(c.side, c.card_style, tuple(c.sources), tuple(c.warnings)) for c in analysis.cards),
        spill=spill,
    )
    return PageResult(record, analysis.cards, _preview(analysis.clean.image, options.preview_long_side),
                      {k: round(v, 4) for k, v in analysis.quality_metrics.items()}, page.dpi, page.width,
                      page.height, len(analysis.barcodes))


def _work_on_item(item: tuple[int, int, Page], options: ProcessOptions, spill_dir: Path) -> PageResult:
    position, input_index, page = item
    return work_on_page(position, input_index, page, options, spill_dir)


def local_dispatch(items: Iterator[PageItem], options: ProcessOptions,
                   spill_dir: Path) -> Generator[tuple[PageItem, PageResult | Exception], None, None]:
    """The embedded default: a pool of `options.jobs` processes on this machine."""
    return map_in_order(partial(_work_on_item, options=options, spill_dir=spill_dir), items, jobs=options.jobs)


def _preview(image: Image, long_side: int) -> Image:
    import cv2

    scale = long_side / max(image.shape[:2])
    if scale >= 1:
        return image
    size = (max(1, round(image.shape[1] * scale)), max(1, round(image.shape[0] * scale)))
    return np.ascontiguousarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA))


def _pixels_sha256(page: Page) -> str:
    from station.pdfa.models import image_sha256

    return image_sha256(page.image)


# --- the parent side ---------------------------------------------------------------------------------------

def ensure_writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        probe = out_dir / f".station-write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as err:
        raise OutputNotWritableError(f"output folder {out_dir} is not writable: {err.strerror or err}") from err


def _is_disk_error(err: BaseException) -> bool:
    cause: BaseException | None = err
    while cause is not None:
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT,
                                                            errno.EFBIG, errno.EPERM):
            return True
        cause = cause.__cause__
    return False


class InvalidIdError(StationError):
    """The station or operator id cannot go into a manifest (the schema limits them)."""

    exit_code = 2  # ExitCode.USAGE
    default_user_message = (
        "Mã trạm hoặc mã cán bộ không hợp lệ (1 đến 128 ký tự, không xuống dòng, không có ký tự điều khiển). "
        "Sửa cài đặt (backend.station_id, backend.operator_id) hoặc tham số --operator rồi chạy lại."
    )


def _check_ids(options: ProcessOptions) -> None:
    """Refused before the first page, not when the last manifest is written: the ids go into every manifest."""
    probe = Manifest(None, "check", options.station_id, "2025-07-02T00:00:00+00:00", (), options.operator or None)
    try:
        check_schema(probe.to_json(), "options")
    except ManifestError as err:
        raise InvalidIdError(f"station or operator id refused: {err}") from None


class WorkerDiedError(StationError):
    """A pool worker was killed (out of memory, a signal): its pages are not done, and not the pages' fault."""

    exit_code = 1
    default_user_message = (
        "Một tiến trình xử lý trang bị dừng đột ngột (có thể do thiếu bộ nhớ). Chạy lại lệnh; các trang đã xong "
        "được giữ, các trang còn lại sẽ được xử lý tiếp."
    )


class IncompleteBatchError(StationError):
    """The resume log does not cover every page of the stream: building now would leave pages out."""

    exit_code = 1
    default_user_message = (
        "Lô tài liệu chưa xử lý đủ mọi trang nên chưa tạo tệp kết quả. Chạy lại lệnh; phần đã xong được giữ."
    )


@dataclass
class _Stream:
    """How many stream positions the inputs took (known once the page reader ran to the end)."""

    length: int = 0


Unreadable = Callable[[int, int, int, str], None]  # position, input index, page, reason
INPUT_NAME = "<input>"  # stands for the input's path in a reason the resume log keeps


def _without_name(reason: str, path: Path) -> str:
    """The reason a page is unreadable, its input's path and name replaced by INPUT_NAME: the resume log never
    names an input (file names are often the citizen's name); the operator's report puts the path back."""
    for name in (str(path), path.name):
        reason = reason.replace(name, INPUT_NAME)
    return reason



def _pages_of(inputs: Sequence[Path], pdf_dpi: int, resume: ResumeLog, stream: _Stream,
              on_unreadable: Unreadable) -> Iterator[tuple[int, int, Page]]:
    """Pages of all inputs with their stream position and input index; only files whose every page the resume log
    recorded are skipped without decoding, any other file is read again and only its missing pages yielded."""
    from scanning.drivers.files import import_file

    position = 0
    for input_index, path in enumerate(inputs):
        done_slots = resume.file_done(input_index, position)
        if done_slots is not None:
            position += done_slots
            continue
        start = position
        try:
            # The file's modification time is the capture time: PDF dates then come from the scan, not from
            # this run, so a resumed run writes the same bytes as an uninterrupted one.
            captured = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)
            pages = iter((read_capture(path),)) if is_sealed(path) else import_file(path, pdf_dpi=pdf_dpi)
            for page in pages:
                if position not in resume.pages:
                    yield position, input_index, replace(page, captured_at=page.captured_at or captured)
                position += 1
        except (ImportFailedError, PageDataError, OSError) as err:
            reason = _without_name(f"{path}: {err.strerror or err}" if isinstance(err, OSError) else str(err), path)
            if position not in resume.pages:
                on_unreadable(position, input_index, position - start + 1, reason)
            position += 1  # the unreadable rest of the file takes one slot in the stream
        # Not "done" yet: its last pages may still be in the pool. The log records the file once they are.
        resume.file_read(input_index, start, position - start)
    stream.length = position


def run_batch(inputs: Sequence[Path], options: ProcessOptions,
              progress: ProgressCallback | None = None, sign: DocumentSignerHook | None = None) -> ProcessSummary:
    started = time.perf_counter()
    _check_ids(options)
    ensure_writable(options.out_dir)
    identity_settings = {
        "split": options.split.value, "pdf_dpi": options.pdf_dpi, "station": options.station_id,
        "analysis": repr(replace(options.analysis, keep_image=True)), "build": repr(options.build),
    }
    batch_id = batch_identity(inputs, identity_settings)
    finished = finished_documents(options.out_dir, batch_id)
    if finished is not None:  # made before and still there, unchanged: nothing to do
        return ProcessSummary(batch_id=batch_id, documents=finished, resumed=True,
                              elapsed_s=time.perf_counter() - started)
    resume = ResumeLog(options.out_dir, batch_id)
    summary = ProcessSummary(batch_id=batch_id, resumed=resume.resumed)
    _forget_unusable_pages(resume)

    def unreadable(position: int, input_index: int, page: int, reason: str) -> None:
        resume.record_page(PageRecord(position, input_index, page, unreadable=True, reason=reason))

    station_journal = StationJournalWriter.open(options, batch_id)
    stream = _Stream()
    try:
        try:
            _analyse_all(inputs, options, resume, stream, unreadable, progress, station_journal)
        except BrokenExecutor as err:  # the pool broke while pages were being handed to it
            raise WorkerDiedError("a worker process died; the pool cannot take more pages") from err
        missing = [p for p in range(stream.length) if p not in resume.pages]
        if missing:
            raise IncompleteBatchError(f"{len(missing)} page(s) of the stream are not recorded (first: {missing[0]})")
        records = [resume.pages[p] for p in range(stream.length)]
        plans = _build_all(inputs, options, resume, records, summary, batch_id, sign)
        if station_journal is not None:
            station_journal.dossiers(plans)
        # Every unreadable page of the stream, also those a killed run met: a resumed run must not hide them.
        summary.failures = [(r.reason or f"{INPUT_NAME}: page {r.page}: unreadable").replace(INPUT_NAME,
                                                                                              str(inputs[r.input]))
                            for r in records if r.unreadable]
        resume.finish(options.out_dir, summary.documents)
    except (PdfaError, OSError) as err:
        if _is_disk_error(err):
            raise OutputNotWritableError(f"stopped: cannot write to {options.out_dir}: {err}") from err
        raise
    finally:
        if station_journal is not None:
            station_journal.close()
    summary.pages = stream.length
    summary.elapsed_s = time.perf_counter() - started
    return summary


def _analyse_all(inputs: Sequence[Path], options: ProcessOptions, resume: ResumeLog, stream_length: _Stream,
                 unreadable: Unreadable, progress: ProgressCallback | None,
                 station_journal: StationJournalWriter | None) -> None:
    done = len(resume.pages)

    def record(position: int, input_index: int, page: Page, result: PageResult | BaseException) -> None:
        nonlocal done
        if isinstance(result, BaseException):
            if isinstance(result, BrokenExecutor):
                raise WorkerDiedError(f"a worker process died while on {page.source} page {page.index}") from result
            if _is_disk_error(result) or isinstance(result, AtRestError):
                raise result  # not this page's fault: no page can be kept now, stop and say why
            reason = _without_name(f"{page.source}: page {page.index}: {result}", inputs[input_index])
            resume.record_page(PageRecord(position, input_index, page.index, unreadable=True, reason=reason))
        else:
            resume.record_page(result.record)
            if station_journal is not None:
                station_journal.page(result, str(inputs[input_index]))
        done += 1
        if progress is not None:
            progress(done, page.source)

    stream = _pages_of(inputs, options.pdf_dpi, resume, stream_length, unreadable)
    dispatch = options.dispatch or local_dispatch
    with contextlib.closing(dispatch(stream, options, resume.page_dir())) as answers:
        for (position, input_index, page), result in answers:
            record(position, input_index, page, result)


def _build_all(inputs: Sequence[Path], options: ProcessOptions, resume: ResumeLog, records: list[PageRecord],
               summary: ProcessSummary, batch_id: str,
               sign: DocumentSignerHook | None = None) -> list[tuple[str, DossierPlan]]:
    from station.pdfa.builder import build_pdfa

    facts = [PageFacts(source=str(inputs[r.input]), page=r.page, blank=r.blank, separator=r.separator,
                       separator_doc_type=r.separator_doc_type, dossier_code=r.dossier_code, unreadable=r.unreadable)
             for r in records]
    refs = _page_refs(inputs, records)
    plans: list[tuple[str, DossierPlan]] = []
    for index, dossier in enumerate(plan(facts, options.split)):
        folder_name = resume.dossier_folders.get(index)
        if folder_name is None:
            folder_name = _claim_folder(options.out_dir, dossier.dossier_code or f"batch-{batch_id}", batch_id)
            resume.record_dossier_folder(index, folder_name)
        plans.append((folder_name, dossier))
        folder = private_dir(options.out_dir / folder_name)  # 0700; a symlink planted there is refused
        documents: list[ManifestDocument] = []
        for number, document in enumerate(dossier.documents, start=1):
            kind = doc_type(document.doc_type)
            file_name = f"{number:02d}-{kind.code}.pdf"
            relative = f"{folder_name}/{file_name}"
            doc_records = [records[i] for i in document.pages]
            target = folder / file_name
            _remove_stale_temps(folder, file_name)
            done = resume.documents.get(relative)
            level: SignatureLevel | None = None
            if done is None or not target.exists():
                info = DocumentInfo(
                    title=f"{kind.title or kind.code} — {dossier.dossier_code or folder_name}",
                    doc_type=kind.code,
                    station_id=options.station_id,
                    operator=options.operator,
                    captured_at=_capture_time(doc_records, resume),
                    dossier_code=dossier.dossier_code,
                )
                pages = (read_spill(resume.page_dir(), r.spill) for r in doc_records)
                report = build_pdfa(pages, info, options.build, target)
                done = DocumentRecord(relative, report.sha256, report.size, report.page_count)
                if sign is not None:  # signed before it is recorded: a crash in between rebuilds and signs again
                    level = sign(target, info.captured_at)
                    done = replace(done, sha256=_sha256_of(target), bytes=target.stat().st_size)
                resume.record_document(done)
            else:
                level = _signature_level_of(target)
            summary.documents.append(target)
            documents.append(ManifestDocument(
                file=file_name, doc_type=kind.code, doc_title=kind.title, pages=done.pages,
                bytes=done.bytes, sha256=done.sha256,
                signed=level is not None, signature_level=level.value if level is not None else None,
                text_chars=sum(r.text_chars for r in doc_records),
                source_pages=tuple(SourcePage(refs[i], records[i].quality_score, records[i].quality_issues,
                                              records[i].rotation_applied, records[i].skew_deg)
                                   for i in document.pages),
            ))
        summary.excluded += len(dossier.excluded)
        manifest = _manifest(dossier, batch_id, options, resume, documents, records, refs)
        summary.manifests.append(write_manifest(folder, manifest))
    return plans


def _sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _signature_level_of(path: Path) -> SignatureLevel | None:
    """The officer's signature a resumed run's document already carries (read from the file)."""
    from station.signing.documents import signature_level_of

    return signature_level_of(path)


def _claim_folder(out_dir: Path, name: str, batch_id: str) -> str:
    """The dossier's folder: `<code>` unless another batch's output is already there (a later drop for the same
    dossier), then `<code>-<batch id>`: a finished document is never overwritten by another batch's."""
    folder = out_dir / name
    if not os.path.lexists(folder):
        return name
    if folder.is_symlink() or not folder.is_dir():
        return f"{name}-{batch_id}"
    try:
        if not any(folder.iterdir()):
            return name
        if read_manifest(folder).batch_id == batch_id:
            return name  # this batch's own output, made before (its work folder is gone): made again in place
    except (OSError, ManifestError):
        pass
    return f"{name}-{batch_id}"


def _remove_stale_temps(folder: Path, name: str) -> None:
    """A run killed mid-write leaves its temp file (`.<name>.<random>.tmp`) beside the target: drop it."""
    for stale in folder.glob(f".{name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _capture_time(records: Sequence[PageRecord], resume: ResumeLog) -> datetime:
    """The earliest capture time of the document's pages (the run's start when none is known)."""
    times = [datetime.fromisoformat(r.captured_at) for r in records if r.captured_at]
    return min(times) if times else datetime.fromisoformat(str(resume.created))


def _forget_unusable_pages(resume: ResumeLog) -> None:
    """A resumed run reads back what the work folder holds; a page whose spilled data is missing, damaged, foreign
    or named outside the page folder is forgotten, so it is simply done again (never loaded, never followed)."""
    page_dir = resume.page_dir()
    for position, record in list(resume.pages.items()):
        if not record.is_content:
            continue
        try:
            read_spill(page_dir, record.spill)
        except PageDataError as err:
            log.warning("page %d of the resumed batch is done again: %s", position, err)
            resume.forget(position)


def _page_refs(inputs: Sequence[Path], records: Sequence[PageRecord]) -> list[PageRef]:
    """Each stream position as the manifest names it: input index, page and the input's SHA-256, never the input's
    name (file names are often the citizen's name). Content only, so a resumed run gives the same references."""
    hashes: dict[int, str | None] = {}
    for record in records:
        if record.input not in hashes:
            try:
                hashes[record.input] = file_sha256(inputs[record.input])
            except OSError:
                hashes[record.input] = None  # gone or unreadable now: the page is still referred to
    return [PageRef(r.input, r.page, hashes[r.input]) for r in records]


def _manifest(dossier: DossierPlan, batch_id: str, options: ProcessOptions, resume: ResumeLog,
              documents: list[ManifestDocument], records: list[PageRecord], refs: list[PageRef]) -> Manifest:
    member_positions = {i for d in dossier.documents for i in d.pages}
    excluded_positions = {e.position for e in dossier.excluded}
    cards: list[CardSummary] = []
    warnings: list[str] = []
    for position, record in enumerate(records):
        where = f"input {record.input} page {record.page}"
        if position in member_positions:
            cards.extend(record.cards)
            if record.quality_issues:
                warnings.append(f"{where}: quality {', '.join(record.quality_issues)}")
            for card in record.cards:
                warnings.extend(f"{where}: CCCD {w}" for w in card.warnings)
        elif position in excluded_positions and record.unreadable:
            warnings.append(f"{where}: unreadable")
    return Manifest(
        dossier_code=dossier.dossier_code,
        batch_id=batch_id,
        station_id=options.station_id,
        operator_id=options.operator or None,
        # The scan time, not the run's: a resumed run writes the same manifest as an uninterrupted one.
        created=_capture_time([records[i] for i in sorted(member_positions)], resume).isoformat(),
        documents=tuple(documents),
        excluded_pages=tuple(OutputExcluded(refs[e.position], e.reason) for e in dossier.excluded),
        cards=tuple(cards),
        warnings=tuple(warnings),
    )


class StationJournalWriter:
    """Records the batch in the station journal for supervisor review. Never fails the batch: a journal that
    cannot be written is logged once and then left alone."""

    def __init__(self, journal: Journal, options: ProcessOptions, batch_id: str) -> None:
        self.journal = journal
        self.options = options
        self.batch_id = batch_id
        self.failed = False

    @classmethod
    def open(cls, options: ProcessOptions, batch_id: str) -> StationJournalWriter | None:
        if options.journal_path is None:
            return None
        from station.journal.store import Journal, JournalError

        try:
            return cls(Journal(options.journal_path, preview_long_side=options.preview_long_side), options,
                       batch_id)
        except (JournalError, OSError) as err:
            log.warning("station journal not recorded: %s", err)
            return None

    def page_id(self, position: int) -> str:
        return f"{self.batch_id}-{position:06d}"  # stable: a resumed or repeated run updates, never duplicates

    def page(self, result: PageResult, source: str) -> None:
        record = result.record
        self._safely(
            self.journal.record_page,
            page_id=self.page_id(record.position), station_id=self.options.station_id,
            operator_id=self.options.operator, profile="station process", source=source, page_index=record.page,
            dossier_code=record.dossier_code, quality_score=record.quality_score,
            quality_issues=record.quality_issues, quality_metrics=result.metrics, blank=record.blank,
            separator=record.separator, rotation=record.rotation_applied, skew_deg=record.skew_deg,
            dpi=result.dpi, width=result.width, height=result.height, barcodes=result.barcodes,
            ocr_chars=record.text_chars, cards=result.cards, image=result.preview,
            at=datetime.fromisoformat(record.captured_at) if record.captured_at else None,
        )

    def dossiers(self, plans: Sequence[tuple[str, DossierPlan]]) -> None:
        for folder_name, dossier in plans:
            ids: list[str] = []
            for document in dossier.documents:
                doc_ids = [self.page_id(p) for p in document.pages]
                ids.extend(doc_ids)
                self._safely(self.journal.assign_pages, doc_ids, dossier_code=dossier.dossier_code,
                             doc_type=doc_type(document.doc_type).code)
            self._safely(self.journal.record_dossier, dossier.dossier_code, station_id=self.options.station_id,
                         operator_id=self.options.operator, profile="station process", pages=len(ids),
                         documents=len(dossier.documents), page_ids=ids, dossier_id=f"{self.batch_id}-{folder_name}")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.journal.close()

    def _safely(self, action: Callable[..., object], *args: Any, **kwargs: Any) -> None:
        if self.failed:
            return
        try:
            action(*args, **kwargs)
        except Exception as err:  # the journal serves review; the dossier itself must still be delivered
            self.failed = True
            log.warning("station journal not recorded from here on: %s", err)
