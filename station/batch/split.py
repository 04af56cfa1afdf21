"""Splitting a page stream into dossiers and documents (pure: page facts in, a plan out).

Dossiers start at each page that carries a new dossier code; the receipt page stays in its dossier as the
first page. Documents start at separator sheets (`separator`), at blank pages (`blank`), at each input file
(`file`), or — `auto` — at separator sheets when the run has any, otherwise at each input file. Separator
sheets, blank pages and unreadable pages never go into a document; they are listed with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from station.output.doctype import DEFAULT_DOC_TYPE


class SplitMode(StrEnum):
    AUTO = "auto"
    SEPARATOR = "separator"
    BLANK = "blank"
    FILE = "file"


@dataclass(frozen=True)
class PageFacts:
    """What the split needs to know about one page, in stream order."""

    source: str
    page: int
    blank: bool = False
    separator: bool = False
    separator_doc_type: str | None = None
    dossier_code: str | None = None
    unreadable: bool = False


@dataclass(frozen=True)
class ExcludedPage:
    position: int  # in the page stream
    source: str
    page: int
    reason: str  # blank | separator | unreadable


@dataclass(frozen=True)
class DocumentPlan:
    doc_type: str  # as the separator sheet says it (a code or a human name): station.output.doctype decides
    pages: tuple[int, ...]  # positions in the page stream


@dataclass(frozen=True)
class DossierPlan:
    dossier_code: str | None  # None: no code seen, the caller names it batch-<id>
    documents: tuple[DocumentPlan, ...]
    excluded: tuple[ExcludedPage, ...] = ()


@dataclass
class _OpenDossier:
    code: str | None
    documents: list[DocumentPlan] = field(default_factory=list)
    excluded: list[ExcludedPage] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    doc_type: str = DEFAULT_DOC_TYPE

    def close_document(self, next_doc_type: str = DEFAULT_DOC_TYPE) -> None:
        if self.pages:
            self.documents.append(DocumentPlan(self.doc_type, tuple(self.pages)))
        self.pages = []
        self.doc_type = next_doc_type

    def freeze(self) -> DossierPlan:
        self.close_document()
        return DossierPlan(self.code, tuple(self.documents), tuple(self.excluded))


def plan(pages: Sequence[PageFacts], mode: SplitMode = SplitMode.AUTO) -> list[DossierPlan]:
    if mode is SplitMode.AUTO:
        mode = SplitMode.SEPARATOR if any(p.separator for p in pages) else SplitMode.FILE
    dossiers: list[DossierPlan] = []
    current = _OpenDossier(code=None)
    previous_source: str | None = None
    for position, page in enumerate(pages):
        if page.unreadable:
            current.excluded.append(ExcludedPage(position, page.source, page.page, "unreadable"))
            continue
        if page.separator:
            current.excluded.append(ExcludedPage(position, page.source, page.page, "separator"))
            current.close_document(page.separator_doc_type or DEFAULT_DOC_TYPE)
            continue
        if page.blank:
            current.excluded.append(ExcludedPage(position, page.source, page.page, "blank"))
            if mode is SplitMode.BLANK:
                current.close_document()
            continue
        if page.dossier_code is not None and page.dossier_code != current.code:
            if current.documents or current.pages or current.code is not None:
                dossiers.append(current.freeze())
                current = _OpenDossier(code=page.dossier_code)
            else:
                # Only excluded pages so far: they belong with the dossier that starts here.
                current.code = page.dossier_code
        elif mode is SplitMode.FILE and previous_source is not None and page.source != previous_source:
            current.close_document()
        current.pages.append(position)
        previous_source = page.source
    if current.documents or current.pages or current.excluded or not dossiers:
        dossiers.append(current.freeze())
    return dossiers
