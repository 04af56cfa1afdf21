"""The dossier in progress at the counter, as immutable data.

Every edit (rotate, delete, reorder, split, merge, replace, set a slot) returns a new `Draft`; the original
captures are never touched — edits are data applied when the PDF is built. Undo/redo is a stack of drafts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

DEFAULT_DOC_TYPE = "tai-lieu"


@dataclass(frozen=True)
class DraftPage:
    page_id: str  # stable id of the capture (its file name in the session folder)
    rotation: int = 0  # extra clockwise turn chosen by the operator: 0/90/180/270
    quality_issues: tuple[str, ...] = ()
    blank: bool = False


@dataclass(frozen=True)
class DraftDocument:
    doc_type: str = DEFAULT_DOC_TYPE  # the slot (required-document code) or a free type typed offline
    pages: tuple[DraftPage, ...] = ()


@dataclass(frozen=True)
class Draft:
    dossier_code: str | None = None
    documents: tuple[DraftDocument, ...] = (DraftDocument(),)
    excluded: tuple[str, ...] = ()  # page ids of separator sheets and deleted pages (kept, never destroyed)

    # --- queries ------------------------------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return sum(len(d.pages) for d in self.documents)

    def locate(self, page_id: str) -> tuple[int, int]:
        for d, document in enumerate(self.documents):
            for p, page in enumerate(document.pages):
                if page.page_id == page_id:
                    return d, p
        raise KeyError(page_id)

    def missing(self, required: Iterable[str]) -> list[str]:
        """Required slots that no non-empty document fills yet."""
        present = {d.doc_type for d in self.documents if d.pages}
        return [code for code in required if code not in present]

    # --- edits --------------------------------------------------------------------------------------------
    def append_page(self, page: DraftPage) -> Draft:
        last = self.documents[-1]
        return self._with_document(len(self.documents) - 1, replace(last, pages=(*last.pages, page)))

    def start_document(self, doc_type: str | None, separator_page_id: str | None = None) -> Draft:
        """A separator sheet arrived: the next pages go into a new document; the sheet is excluded."""
        documents = self.documents
        if documents[-1].pages:
            documents = (*documents, DraftDocument(doc_type or DEFAULT_DOC_TYPE))
        else:  # an empty current document just takes the new type
            documents = (*documents[:-1], DraftDocument(doc_type or documents[-1].doc_type))
        excluded = (*self.excluded, separator_page_id) if separator_page_id else self.excluded
        return replace(self, documents=documents, excluded=excluded)

    def rotate(self, page_id: str, degrees_cw: int) -> Draft:
        d, p = self.locate(page_id)
        page = self.documents[d].pages[p]
        return self._with_page(d, p, replace(page, rotation=(page.rotation + degrees_cw) % 360))

    def delete(self, page_id: str) -> Draft:
        d, p = self.locate(page_id)
        pages = self.documents[d].pages
        draft = self._with_document(d, replace(self.documents[d], pages=pages[:p] + pages[p + 1:]))
        return replace(draft, excluded=(*draft.excluded, page_id))

    def move(self, page_id: str, to_document: int, to_index: int) -> Draft:
        """Drag and drop: take the page out and put it at `to_index` of `to_document` (after removal)."""
        d, p = self.locate(page_id)
        page = self.documents[d].pages[p]
        source = self.documents[d].pages
        draft = self._with_document(d, replace(self.documents[d], pages=source[:p] + source[p + 1:]))
        target = draft.documents[to_document].pages
        to_index = max(0, min(to_index, len(target)))
        return draft._with_document(
            to_document, replace(draft.documents[to_document], pages=(*target[:to_index], page, *target[to_index:]))
        )

    def insert_pages(self, document: int, index: int, pages: Iterable[DraftPage]) -> Draft:
        target = self.documents[document].pages
        new = (*target[:index], *pages, *target[index:])
        return self._with_document(document, replace(self.documents[document], pages=new))

    def replace_page(self, page_id: str, new_page: DraftPage) -> Draft:
        """Rescan: the new capture takes the old one's place; the old capture is kept as excluded."""
        d, p = self.locate(page_id)
        draft = self._with_page(d, p, new_page)
        return replace(draft, excluded=(*draft.excluded, page_id))

    def split(self, page_id: str) -> Draft:
        """Start a new document at this page (it becomes the new document's first page)."""
        d, p = self.locate(page_id)
        if p == 0:
            return self
        document = self.documents[d]
        head = replace(document, pages=document.pages[:p])
        tail = DraftDocument(DEFAULT_DOC_TYPE, document.pages[p:])
        return replace(self, documents=(*self.documents[:d], head, tail, *self.documents[d + 1:]))

    def merge_with_next(self, document: int) -> Draft:
        if document + 1 >= len(self.documents):
            return self
        first, second = self.documents[document], self.documents[document + 1]
        merged = replace(first, pages=first.pages + second.pages)
        return replace(self, documents=(*self.documents[:document], merged, *self.documents[document + 2:]))

    def set_doc_type(self, document: int, doc_type: str) -> Draft:
        return self._with_document(document, replace(self.documents[document], doc_type=doc_type))

    def set_dossier_code(self, code: str | None) -> Draft:
        return replace(self, dossier_code=code)

    def _with_document(self, index: int, document: DraftDocument) -> Draft:
        return replace(self, documents=(*self.documents[:index], document, *self.documents[index + 1:]))

    def _with_page(self, d: int, p: int, page: DraftPage) -> Draft:
        pages = self.documents[d].pages
        return self._with_document(d, replace(self.documents[d], pages=(*pages[:p], page, *pages[p + 1:])))


@dataclass
class History:
    """Undo/redo over immutable drafts."""

    current: Draft = field(default_factory=Draft)
    _undo: list[Draft] = field(default_factory=list)
    _redo: list[Draft] = field(default_factory=list)
    limit: int = 200

    def apply(self, new: Draft) -> Draft:
        if new != self.current:
            self._undo.append(self.current)
            del self._undo[: -self.limit]
            self._redo.clear()
            self.current = new
        return self.current

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> Draft:
        if self._undo:
            self._redo.append(self.current)
            self.current = self._undo.pop()
        return self.current

    def redo(self) -> Draft:
        if self._redo:
            self._undo.append(self.current)
            self.current = self._redo.pop()
        return self.current
