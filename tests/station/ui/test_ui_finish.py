"""station/workflow/finish.py (no Qt): the draft's documents become PDF/A files with the edits applied, they
go into the outbox, and an interrupted finishing is found again on the next start."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image as PILImage

from scanning.models import Page
from station.output.doctype import doc_type
from station.workflow.draft import Draft, DraftPage
from station.workflow.finish import (
    FinishRequest,
    documents_to_build,
    finish_session,
    hand_over,
    pending_handovers,
)
from station.workflow.samples import sample_pages
from station.workflow.session import SessionStore
from uploader.models import ItemState
from uploader.outbox import Outbox


@pytest.mark.parametrize(
    ("typed", "slug"),
    [("cccd", "cccd"), ("Giấy chứng sinh", "giay-chung-sinh"), ("Đơn đề nghị (bản chính)", "don-de-nghi-ban-chinh"),
     ("  ", "tai-lieu"), ("to-khai", "to-khai")],
)
def test_doc_types_typed_offline_become_contract_slugs(typed: str, slug: str) -> None:
    assert doc_type(typed).code == slug


def test_empty_documents_are_not_built_and_slots_are_numbered() -> None:
    draft = Draft().append_page(DraftPage("a")).start_document("cccd").start_document("Giấy khác")
    draft = draft.append_page(DraftPage("b"))
    assert [(slot, [p.page_id for p in pages]) for slot, pages in documents_to_build(draft)] == [
        ("01-tai-lieu", ["a"]), ("02-giay-khac", ["b"])]


def test_a_handed_over_session_is_built_queued_and_removed(tmp_path: Path) -> None:
    sessions = tmp_path / "session"
    store = SessionStore(sessions)
    form = np.asarray(PILImage.open(sample_pages()[2]).convert("L"), dtype=np.uint8)
    small = np.ascontiguousarray(form[::2, ::2])  # 150 dpi keeps the test quick
    ids = [store.save_capture(Page(small, 150, "pnm:0", n)) for n in (1, 2, 3)]
    draft = Draft(dossier_code="000.00.01.H22-250702-0013")
    for page_id in ids:
        draft = draft.append_page(DraftPage(page_id))
    draft = draft.rotate(ids[1], 90).split(ids[2]).set_doc_type(0, "to-khai").set_doc_type(1, "Giấy chứng sinh")
    store.save_draft(draft)

    root = hand_over(sessions)
    assert not (sessions / "current").exists()  # the next citizen starts in a clean folder
    assert pending_handovers(sessions) == [root]  # a crash now would leave it to be redone
    request = FinishRequest(dossier_code="", station_id="quay-01", operator_id="can-bo-07",
                            out_root=tmp_path / "outgoing", outbox_path=tmp_path / "outbox.sqlite3")
    progress: list[tuple[int, int]] = []
    result = finish_session(root, request, progress=lambda done, total: progress.append((done, total)))

    assert result.dossier_code == "000.00.01.H22-250702-0013"
    assert [(d.slot, d.pages) for d in result.documents] == [("01-to-khai", 2), ("02-giay-chung-sinh", 1)]
    assert progress[-1] == (3, 3)
    from station.atrest import is_sealed, read_maybe_sealed

    # the PDFs wait for the backend sealed at rest (they hold the citizen's pages, ID cards too)
    assert all(is_sealed(d.path) for d in result.documents)
    assert b"%PDF" not in result.documents[0].path.read_bytes()[:64]
    content = read_maybe_sealed(result.documents[0].path)
    assert hashlib.sha256(content).hexdigest() == result.documents[0].sha256
    with pikepdf.open(io.BytesIO(content)) as pdf:
        boxes = [tuple(float(v) for v in page.mediabox) for page in pdf.pages]
    assert boxes[0][2] < boxes[0][3] and boxes[1][2] > boxes[1][3]  # the operator's rotation was applied
    with Outbox(request.outbox_path) as outbox:
        items = outbox.items()
    assert [(i.job.slot, i.job.doc_type, i.job.pages, i.state) for i in items] == [
        ("01-to-khai", "to-khai", 2, ItemState.QUEUED), ("02-giay-chung-sinh", "giay-chung-sinh", 1, ItemState.QUEUED)]
    assert all(i.job.operator_id == "can-bo-07" and i.job.batch_id == result.batch_id for i in items)
    assert not root.exists() and pending_handovers(sessions) == []
    assert (result.documents[0].path.parent / "manifest.json").is_file()


def test_a_manifest_the_schema_refuses_enqueues_nothing_and_keeps_the_dossier(tmp_path: Path) -> None:
    """The counter's manifest is checked before anything goes into the outbox: a refusal leaves the dossier to be
    finished again, never half-sent."""
    from uploader.errors import ManifestError

    sessions = tmp_path / "session"
    store = SessionStore(sessions)
    form = np.asarray(PILImage.open(sample_pages()[2]).convert("L"), dtype=np.uint8)
    page_id = store.save_capture(Page(np.ascontiguousarray(form[::4, ::4]), 75, "pnm:0", 1))
    store.save_draft(Draft(dossier_code="000.00.01.H22-250702-0013").append_page(DraftPage(page_id))
                     .set_doc_type(0, "Giấy chứng sinh"))
    root = hand_over(sessions)
    request = FinishRequest(dossier_code="", station_id="quầy-01", operator_id="Nguyễn Văn Ánh\r\nX-Giả: 1",
                            out_root=tmp_path / "outgoing", outbox_path=tmp_path / "outbox.sqlite3")
    with pytest.raises(ManifestError, match="operator_id"):
        finish_session(root, request)
    with Outbox(request.outbox_path) as outbox:
        assert outbox.items() == []
    assert pending_handovers(sessions) == [root]
