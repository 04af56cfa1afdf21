"""Finish a dossier at the counter: one PDF/A file per document of the draft, then into the uploader's outbox.

Pure Python (no Qt): the GUI runs :func:`finish_session` in a worker while the window is already serving the
next citizen. The session folder of the finished dossier is first moved aside (:func:`hand_over`), so the
next citizen's captures never mix with it; if the station dies mid-way, :func:`pending_handovers` finds it
again on the next start and the work is redone (idempotent: same files, same outbox rows).

Edits are applied here, at build time: each capture is cleaned (or the cleaned image the GUI's analysis
already made is reused), turned by the operator's rotation, and OCR'd for the invisible text layer.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ocr.models import OcrResult
from scanning.models import Image
from station.atrest import read_sealed, write_sealed
from station.fsutil import write_atomic
from station.output.doctype import DocType, doc_type
from station.output.manifest import write_manifest
from station.output.pagedata import (
    PageDataError,
    image_from_blob,
    image_to_blob,
    ocr_from_json,
    ocr_to_json,
    plain_name,
    read_page_data,
    write_page_data,
)
from station.pdfa import BuildSettings, DocumentInfo, PdfPage, build_pdfa
from station.pipeline import AnalysisOptions, analyze_page
from station.workflow.draft import Draft, DraftPage
from station.workflow.session import SessionStore
from uploader.manifest import Manifest, ManifestDocument
from uploader.models import UploadJob
from uploader.outbox import Outbox

if TYPE_CHECKING:
    from station.signing.documents import CounterSigner
    from station.signing.models import SignatureLevel

log = logging.getLogger(__name__)

HANDOVER_DIR = "finishing"
# Beside the PDFs of a dossier that must be signed before upload and could not be yet (token or PIN missing):
# what the manifest and the outbox need once the documents are signed. Until then there is no manifest (so
# `station upload DIR` cannot send the folder either) and nothing in the outbox.
WAITING_FILE = ".waiting-for-signature.json"
ANALYSIS_DIR = "analysis"  # beside captures/: cleaned images and OCR results made while scanning


@dataclass(frozen=True, eq=False)
class CleanedPage:
    """What the GUI's analysis already produced for a capture (reused to avoid cleaning twice)."""

    image: Image
    dpi: int | None
    ocr: OcrResult | None
    quality_score: int | None = None


@dataclass(frozen=True)
class FinishRequest:
    dossier_code: str
    station_id: str
    operator_id: str
    out_root: Path  # PDFs go to out_root/<dossier code>/<batch id>/NN-<doc type>.pdf
    outbox_path: Path
    analysis: AnalysisOptions = field(default_factory=AnalysisOptions)
    pdf: BuildSettings | None = None
    captured_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    signer: CounterSigner | None = None  # signing configured: each document is signed before it is queued


@dataclass(frozen=True)
class BuiltDocument:
    slot: str
    doc_type: str
    path: Path
    pages: int
    sha256: str
    bytes: int
    doc_title: str | None = None  # the type's human name when it is not the code ("Giấy chứng sinh")
    signature_level: str | None = None  # the officer's PAdES level ("B-B", "B-T", "B-LT"); None: unsigned


@dataclass(frozen=True)
class FinishResult:
    dossier_code: str
    batch_id: str
    documents: tuple[BuiltDocument, ...]
    queue_ids: tuple[int, ...]
    waiting_for_signature: bool = False  # signing is required and failed: nothing was queued yet
    signing_message: str | None = None  # why, in Vietnamese (the typed error's user message)


Progress = Callable[[int, int], None]  # (pages done, pages in all)


def analysis_dir(store: SessionStore) -> Path:
    return store.current / ANALYSIS_DIR


CLEANED_KIND = "cleaned-page"


def save_cleaned(folder: Path, page_id: str, image: Image, dpi: int | None, ocr: OcrResult | None,
                 quality_score: int | None) -> None:
    """Keep what the analysis made for a capture, so the PDF is built without cleaning and OCR again.

    A cache of personal data (the card image, its OCR text): sealed with `station.atrest`, data only (no pickle),
    written atomically; a missing, damaged or foreign entry only means the work is redone."""
    name = plain_name(f"{page_id}.cleaned")  # never written outside the cache folder
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    shape, pixels = image_to_blob(image)
    header = {"shape": shape, "dpi": dpi, "quality_score": quality_score, "ocr": ocr_to_json(ocr)}
    write_page_data(folder / name, CLEANED_KIND, header, [pixels])


def load_cleaned(folder: Path, page_id: str) -> CleanedPage | None:
    """The cached analysis of a capture, or None. `page_id` comes from the draft on disk: it must name a plain
    file in the cache folder (checked by `read_page_data`), and the file is never unpickled."""
    try:
        header, blobs = read_page_data(folder, f"{page_id}.cleaned", CLEANED_KIND)
        if len(blobs) != 1:
            raise PageDataError("a cleaned page has one image")
        dpi, quality = header.get("dpi"), header.get("quality_score")
        if not (dpi is None or (isinstance(dpi, int) and not isinstance(dpi, bool))):
            raise PageDataError("dpi is damaged")
        if not (quality is None or (isinstance(quality, int) and not isinstance(quality, bool))):
            raise PageDataError("quality score is damaged")
        return CleanedPage(image_from_blob(header.get("shape"), blobs[0]), dpi, ocr_from_json(header.get("ocr")),
                           quality)
    except (PageDataError, OSError) as err:
        log.info("cleaned-page cache entry not used (the page is analysed again): %s", err)
        return None


def documents_to_build(draft: Draft) -> list[tuple[str, tuple[DraftPage, ...]]]:
    """(slot, pages) of every non-empty document, slots numbered in order: `01-to-khai`, `02-cccd`, ..."""
    return [(slot, pages) for slot, _, pages in _documents(draft)]


def _documents(draft: Draft) -> list[tuple[str, DocType, tuple[DraftPage, ...]]]:
    built: list[tuple[str, DocType, tuple[DraftPage, ...]]] = []
    for document in draft.documents:
        if document.pages:
            kind = doc_type(document.doc_type)
            built.append((f"{len(built) + 1:02d}-{kind.code}", kind, document.pages))
    return built


def hand_over(sessions_root: Path) -> Path:
    """Move the current session folder aside for finishing; returns the new SessionStore root.

    One rename on the same file system: instant, and atomic for a crash."""
    root = sessions_root / HANDOVER_DIR / f"{datetime.now(UTC):%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"
    root.mkdir(parents=True)
    os.replace(sessions_root / "current", root / "current")
    return root


def pending_handovers(sessions_root: Path) -> list[Path]:
    """Handed-over sessions whose finishing never completed (the station stopped mid-way)."""
    folder = sessions_root / HANDOVER_DIR
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if (p / "current" / "draft.json").is_file())


def finish_session(
    store_root: Path,
    request: FinishRequest,
    cleaned: Mapping[str, CleanedPage] | None = None,
    progress: Progress | None = None,
) -> FinishResult:
    """`cleaned`: results already in memory; otherwise those saved beside the captures are used."""
    """Build the documents of a handed-over session, enqueue them, then delete the session folder."""
    store = SessionStore(store_root)
    draft = store.restore()
    code = request.dossier_code or draft.dossier_code
    if not code:
        raise ValueError("the dossier has no code")
    request = replace(request, dossier_code=code)
    batch_id = store_root.name
    out_dir = request.out_root / _safe_name(code) / batch_id
    out_dir.mkdir(parents=True, exist_ok=True)
    built = build_documents(store, draft, request, out_dir, cleaned or {}, progress)
    built, waiting = _sign(built, request, read=Path.read_bytes, write=write_atomic)
    if waiting is None:
        _write_manifest(out_dir, request, batch_id, built)  # checked against the schema: a refusal enqueues nothing
    for doc in built:  # the PDFs hold the citizen's pages (ID cards too): sealed while they wait for the backend
        write_sealed(doc.path, doc.path.read_bytes())
    if waiting is not None:
        _write_waiting(out_dir, request, batch_id, built)
        queue_ids: list[int] = []
    else:
        queue_ids = enqueue(built, request, batch_id)
    store.discard()
    shutil.rmtree(store_root, ignore_errors=True)
    return FinishResult(code, batch_id, tuple(built), tuple(queue_ids), waiting is not None, waiting)


def _sign(built: list[BuiltDocument], request: FinishRequest, *, read: Callable[[Path], bytes],
          write: Callable[[Path, bytes], None]) -> tuple[list[BuiltDocument], str | None]:
    """The documents signed (new digests and sizes, their level), and None; or, when signing is required and
    failed, the documents as they are and the Vietnamese reason they wait. Optional signing that fails leaves
    them unsigned (the manifest says so)."""
    from station.signing.documents import signature_level_in
    from station.signing.errors import SigningError

    if request.signer is None:
        return built, None
    try:
        levels = [level.value for level in
                  request.signer.sign_files([d.path for d in built], request.captured_at, read=read, write=write)]
    except SigningError as err:
        if request.signer.required:
            log.warning("dossier waits for its signature: %s", err)
            return built, err.user_message
        log.warning("documents queued without a signature where it failed (signing not required): %s", err)
        levels = []  # those signed before the fault keep their signature: their level is read from the file
    signed = []
    for number, doc in enumerate(built):
        data = read(doc.path)
        level = levels[number] if number < len(levels) else _level_value(signature_level_in(data))
        signed.append(replace(doc, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), signature_level=level))
    return signed, None


def _level_value(level: SignatureLevel | None) -> str | None:
    return level.value if level is not None else None


def _write_waiting(out_dir: Path, request: FinishRequest, batch_id: str, built: list[BuiltDocument]) -> None:
    documents = [{**{k: v for k, v in asdict(d).items() if k not in ("path", "sha256", "bytes")}, "file": d.path.name}
                 for d in built]
    state = {"dossier_code": request.dossier_code, "batch_id": batch_id, "station_id": request.station_id,
             "operator_id": request.operator_id, "captured_at": request.captured_at.isoformat(),
             "documents": documents}
    write_atomic(out_dir / WAITING_FILE, json.dumps(state, ensure_ascii=False).encode("utf-8"))


def waiting_for_signature(out_root: Path) -> list[Path]:
    """Dossier output folders whose documents wait for their signature (oldest first)."""
    return sorted((p.parent for p in out_root.glob(f"*/*/{WAITING_FILE}")), key=lambda p: p.name)


def sign_waiting(out_root: Path, outbox_path: Path, signer: CounterSigner) -> list[FinishResult]:
    """Sign the dossiers waiting for their signature (the token is back), then write their manifests and queue
    them. Stops at the first signing error (raised; what was finished stays finished)."""
    results = []
    for folder in waiting_for_signature(out_root):
        state: dict[str, Any] = json.loads((folder / WAITING_FILE).read_text(encoding="utf-8"))
        request = FinishRequest(dossier_code=state["dossier_code"], station_id=state["station_id"],
                                operator_id=state["operator_id"], out_root=out_root, outbox_path=outbox_path,
                                captured_at=datetime.fromisoformat(state["captured_at"]), signer=signer)
        built = [BuiltDocument(slot=d["slot"], doc_type=d["doc_type"], path=folder / d["file"], pages=d["pages"],
                               sha256="", bytes=0, doc_title=d["doc_title"]) for d in state["documents"]]
        levels = signer.sign_files([d.path for d in built], request.captured_at, read=read_sealed,
                                   write=write_sealed)
        built = [replace(d, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data), signature_level=level.value)
                 for d, level in zip(built, levels, strict=True) for data in (read_sealed(d.path),)]
        _write_manifest(folder, request, state["batch_id"], built)
        queue_ids = enqueue(built, request, state["batch_id"])
        (folder / WAITING_FILE).unlink()
        results.append(FinishResult(request.dossier_code, state["batch_id"], tuple(built), tuple(queue_ids)))
    return results


def build_documents(
    store: SessionStore,
    draft: Draft,
    request: FinishRequest,
    out_dir: Path,
    cleaned: Mapping[str, CleanedPage],
    progress: Progress | None = None,
) -> list[BuiltDocument]:
    plan = _documents(draft)
    total = sum(len(pages) for _, _, pages in plan)
    done = 0
    built: list[BuiltDocument] = []

    def counted(pages: tuple[DraftPage, ...]) -> Iterator[PdfPage]:
        nonlocal done
        for page in pages:
            yield pdf_page(store, page, cleaned_for(page.page_id), request.analysis)
            done += 1
            if progress is not None:
                progress(done, total)

    cache = analysis_dir(store)

    def cleaned_for(page_id: str) -> CleanedPage | None:
        return cleaned.get(page_id) or load_cleaned(cache, page_id)

    for slot, kind, pages in plan:
        path = out_dir / f"{slot}.pdf"
        info = DocumentInfo(
            title=f"{request.dossier_code} — {kind.title or kind.code}",
            doc_type=kind.code,
            station_id=request.station_id,
            operator=request.operator_id,
            captured_at=request.captured_at,
            dossier_code=request.dossier_code,
        )
        report = build_pdfa(counted(pages), info, request.pdf, path)
        built.append(BuiltDocument(slot, kind.code, path, report.page_count, report.sha256, report.size,
                                   kind.title))
    return built


def pdf_page(store: SessionStore, page: DraftPage, cleaned: CleanedPage | None, options: AnalysisOptions) -> PdfPage:
    """The capture, cleaned, turned by the operator's rotation, with its text layer."""
    if cleaned is None:
        capture = store.load_capture(page.page_id)
        analysis = analyze_page(capture, replace(options, keep_image=True, barcodes=False, cccd=False,
                                                 ocr=options.ocr and page.rotation == 0))
        assert analysis.clean is not None
        cleaned = CleanedPage(analysis.clean.image, capture.dpi, analysis.ocr, analysis.quality_score)
    image, ocr = cleaned.image, cleaned.ocr
    if page.rotation:
        image = np.ascontiguousarray(np.rot90(image, k=-(page.rotation // 90)))
        ocr = None
        if options.ocr:
            from ocr.tesseract import recognize

            ocr = recognize(image, cleaned.dpi, lang=options.lang)
    dpi = float(cleaned.dpi or 300)
    return PdfPage(image=image, dpi=dpi, ocr=ocr, quality_score=cleaned.quality_score)


def enqueue(built: list[BuiltDocument], request: FinishRequest, batch_id: str) -> list[int]:
    ids: list[int] = []
    with Outbox(request.outbox_path) as outbox:
        for doc in built:
            job = UploadJob(
                dossier_code=request.dossier_code,
                slot=doc.slot,
                doc_type=doc.doc_type,
                file_path=doc.path,
                sha256=doc.sha256,
                bytes=doc.bytes,
                pages=doc.pages,
                station_id=request.station_id,
                operator_id=request.operator_id,
                batch_id=batch_id,
            )
            item_id, _created = outbox.enqueue(job)
            ids.append(item_id)
    return ids


def _write_manifest(out_dir: Path, request: FinishRequest, batch_id: str, built: list[BuiltDocument]) -> None:
    """The same manifest `station process` writes, so `station upload DIR` can resend a folder by hand."""
    write_manifest(out_dir, Manifest(
        dossier_code=request.dossier_code,
        batch_id=batch_id,
        station_id=request.station_id,
        operator_id=request.operator_id or None,
        created=request.captured_at.isoformat(),
        documents=tuple(ManifestDocument(file=d.path.name, doc_type=d.doc_type, doc_title=d.doc_title, pages=d.pages,
                                         bytes=d.bytes, sha256=d.sha256, signed=d.signature_level is not None,
                                         signature_level=d.signature_level) for d in built),
    ))


def _safe_name(code: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]", "_", code)
