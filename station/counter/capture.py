"""Where a page goes in the dossier's draft: a capture appended, inserted before a page or replacing one, and a
separator sheet starting a new document. Pure rules on the immutable draft (station.workflow.draft)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from station.workflow.draft import DEFAULT_DOC_TYPE, Draft, DraftPage


class TargetKind(Enum):
    APPEND = "append"
    INSERT = "insert"  # before an anchor page
    REPLACE = "replace"  # rescan one page


@dataclass(frozen=True)
class ScanTarget:
    kind: TargetKind = TargetKind.APPEND
    page_id: str | None = None  # the anchor (insert before it) or the page to replace


def has_page(draft: Draft, page_id: str) -> bool:
    try:
        draft.locate(page_id)
    except KeyError:
        return False
    return True


def place_capture(draft: Draft, page_id: str, target: ScanTarget) -> Draft:
    """The draft with a new capture where the scan job was aimed (appended when its anchor is gone)."""
    page = DraftPage(page_id)
    anchor = target.page_id
    if target.kind is TargetKind.REPLACE and anchor is not None and has_page(draft, anchor):
        return draft.replace_page(anchor, page)
    if target.kind is TargetKind.INSERT and anchor is not None and has_page(draft, anchor):
        d, p = draft.locate(anchor)
        return draft.insert_pages(d, p, [page])
    return draft.append_page(page)


def apply_separator(draft: Draft, separator_id: str, doc_type: str | None) -> Draft:
    """A page turned out to be a separator sheet: it leaves the documents and starts a new one there."""
    d, p = draft.locate(separator_id)
    following = draft.documents[d].pages[p + 1:]
    draft = draft.delete(separator_id)
    if p == 0:  # the sheet opened this document: the document is the new one
        return draft.set_doc_type(d, doc_type) if doc_type else draft
    if following:
        draft = draft.split(following[0].page_id)
        return draft.set_doc_type(d + 1, doc_type or DEFAULT_DOC_TYPE)
    if d == len(draft.documents) - 1:  # the sheet was the last page so far: the next pages start anew
        return draft.start_document(doc_type)
    return draft
