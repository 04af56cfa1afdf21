"""When a dossier may be finished at the counter, and what it still lacks. Pure rules; the window words them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ocr.dossier_code import is_valid_dossier_code
from station.workflow.draft import Draft
from uploader.models import Dossier


class FinishBlock(Enum):
    SCANNING = "scanning"  # wait until the scan job ended
    NO_CODE = "no-code"  # no valid dossier code yet (receipt not scanned, nothing typed)
    NO_PAGES = "no-pages"  # nothing to send
    ANALYSING = "analysing"  # pages still being checked: finish as soon as they are


@dataclass(frozen=True)
class FinishCheck:
    block: FinishBlock | None = None
    missing: tuple[str, ...] = ()  # names of the required documents not in the draft (the officer may send anyway)


def required_codes(dossier: Dossier | None) -> list[str]:
    return [] if dossier is None else [d.code for d in dossier.required_documents if d.required]


def check_finish(draft: Draft, dossier: Dossier | None, *, scanning: bool, analysing: bool) -> FinishCheck:
    if scanning:
        return FinishCheck(FinishBlock.SCANNING)
    if not draft.dossier_code or not is_valid_dossier_code(draft.dossier_code):
        return FinishCheck(FinishBlock.NO_CODE)
    if draft.page_count == 0:
        return FinishCheck(FinishBlock.NO_PAGES)
    if analysing:
        return FinishCheck(FinishBlock.ANALYSING)
    names = {r.code: r.name for r in dossier.required_documents} if dossier is not None else {}
    return FinishCheck(missing=tuple(names.get(m, m) for m in draft.missing(required_codes(dossier))))
