"""Counter finish with signing (station/workflow/finish.py, no Qt): each document is signed before it is queued;
when signing is required and the token or PIN is missing, the dossier waits unsent ("waiting for signature") and
is signed and queued once the token is back."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image as PILImage

from scanning.models import Page
from station.atrest import read_maybe_sealed
from station.signing import MemoryPin, SigningConfig
from station.signing.documents import CounterSigner, TrueCopy
from station.signing.models import CopyForm
from station.signing.verify import verify_bytes
from station.workflow.draft import Draft, DraftPage
from station.workflow.finish import (
    WAITING_FILE,
    FinishRequest,
    finish_session,
    hand_over,
    sign_waiting,
    waiting_for_signature,
)
from station.workflow.samples import sample_pages
from station.workflow.session import SessionStore
from tests.signing_fixtures import AGENCY, AGENCY_NAME, OFFICER, OFFICER_NAME, SigningPki
from uploader.manifest import read_manifest
from uploader.outbox import Outbox

CODE = "000.00.07.H26-261201-0042"


def handed_over(tmp_path: Path) -> Path:
    sessions = tmp_path / "phiên"
    store = SessionStore(sessions)
    form = np.asarray(PILImage.open(sample_pages()[2]).convert("RGB"), dtype=np.uint8)
    ids = [store.save_capture(Page(np.ascontiguousarray(form[::2, ::2]), 150, "pnm:0", n)) for n in (1, 2)]
    draft = Draft(dossier_code=CODE).append_page(DraftPage(ids[0])).append_page(DraftPage(ids[1])).split(ids[1])
    store.save_draft(draft.set_doc_type(0, "Tờ khai đăng ký khai sinh").set_doc_type(1, "Giấy chứng sinh"))
    return hand_over(sessions)


def request_for(tmp_path: Path, signer: CounterSigner) -> FinishRequest:
    return FinishRequest(dossier_code="", station_id="Quầy 03 Ba Đình", operator_id="Lê Thị Bích Ngọc",
                         out_root=tmp_path / "gửi đi", outbox_path=tmp_path / "outbox.sqlite3", signer=signer,
                         analysis=replace(FinishRequest(CODE, "", "", tmp_path, tmp_path).analysis, ocr=False))


def signer_for(pki: SigningPki, *, pin: str | None, required: bool) -> CounterSigner:
    config = SigningConfig(module=pki.module, token_label=pki.token_label, key_label=OFFICER, agency_key_label=AGENCY,
                           tsa_url=pki.tsa_url, trust_roots=pki.trust_roots, required=required)
    pins = MemoryPin()
    if pin is not None:
        pins.remember(pin)
    return CounterSigner(config, pins, OFFICER_NAME, TrueCopy(CopyForm.SAO_Y, AGENCY_NAME))


def queued(outbox_path: Path) -> list[str]:
    with Outbox(outbox_path) as outbox:
        return [item.job.slot for item in outbox.items()]


def assert_signed_and_listed(pki: SigningPki, folder: Path) -> None:
    manifest = read_manifest(folder)
    for document in manifest.documents:
        assert document.signed and document.signature_level == "B-LT"
        report = verify_bytes(read_maybe_sealed(folder / document.file), document.file, pki.trust_roots)
        assert report.valid and [s.role for s in report.signatures] == ["officer", "agency"]


def test_finish_signs_every_document_before_queueing(signing_pki: SigningPki, tmp_path: Path) -> None:
    request = request_for(tmp_path, signer_for(signing_pki, pin=signing_pki.pin, required=True))
    result = finish_session(handed_over(tmp_path), request)
    assert not result.waiting_for_signature
    assert [d.signature_level for d in result.documents] == ["B-LT", "B-LT"]
    assert queued(request.outbox_path) == ["01-to-khai-dang-ky-khai-sinh", "02-giay-chung-sinh"]
    assert_signed_and_listed(signing_pki, result.documents[0].path.parent)


def test_required_signature_without_pin_waits_unsent_then_is_signed_and_queued(signing_pki: SigningPki,
                                                                             tmp_path: Path) -> None:
    request = request_for(tmp_path, signer_for(signing_pki, pin=None, required=True))
    result = finish_session(handed_over(tmp_path), request)
    assert result.waiting_for_signature and result.queue_ids == ()
    assert result.signing_message and "PIN" in result.signing_message
    folder = result.documents[0].path.parent
    assert queued(request.outbox_path) == []  # never uploaded unsigned
    assert not (folder / "manifest.json").exists()  # `station upload DIR` cannot send it either
    assert waiting_for_signature(request.out_root) == [folder]
    state = json.loads((folder / WAITING_FILE).read_text(encoding="utf-8"))
    assert state["dossier_code"] == CODE and "Lê Thị Bích Ngọc" not in json.dumps(state["documents"])

    done = sign_waiting(request.out_root, request.outbox_path, signer_for(signing_pki, pin=signing_pki.pin,
                                                                         required=True))
    assert [r.dossier_code for r in done] == [CODE]
    assert queued(request.outbox_path) == ["01-to-khai-dang-ky-khai-sinh", "02-giay-chung-sinh"]
    assert waiting_for_signature(request.out_root) == []
    assert_signed_and_listed(signing_pki, folder)
    with Outbox(request.outbox_path) as outbox:  # the queued digest is the signed file's
        for item in outbox.items():
            assert hashlib.sha256(read_maybe_sealed(item.job.file_path)).hexdigest() == item.job.sha256


def test_optional_signature_that_fails_queues_unsigned(signing_pki: SigningPki, tmp_path: Path) -> None:
    request = request_for(tmp_path, signer_for(signing_pki, pin="000000", required=False))
    result = finish_session(handed_over(tmp_path), request)
    assert not result.waiting_for_signature and len(result.queue_ids) == 2
    manifest = read_manifest(result.documents[0].path.parent)
    assert all(not d.signed and d.signature_level is None for d in manifest.documents)
