"""The counter's crash-safe session folder: every capture is on disk the moment it arrives.

Layout under `root/current/`: `captures/<page_id>.png` (the original capture, lossless, fsynced before the
page is shown), `captures/<page_id>.json` (its dpi, source and analysis summary) and `draft.json` (the
dossier in progress, rewritten atomically after every edit). After a crash, kill or power cut, `restore()`
gives back the draft and every capture; a capture the draft never learnt about (the app died between the
two writes) is appended to the last document, so nothing scanned is ever lost.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from scanning.models import Image, Page
from station.fsutil import write_atomic
from station.workflow.draft import Draft, DraftDocument, DraftPage


def draft_to_json(draft: Draft) -> dict[str, Any]:
    return asdict(draft)


def draft_from_json(data: Mapping[str, Any]) -> Draft:
    documents = tuple(
        DraftDocument(
            doc_type=str(d["doc_type"]),
            pages=tuple(
                DraftPage(
                    page_id=str(p["page_id"]),
                    rotation=int(p.get("rotation", 0)) % 360,
                    quality_issues=tuple(p.get("quality_issues", ())),
                    blank=bool(p.get("blank", False)),
                )
                for p in d["pages"]
            ),
        )
        for d in data["documents"]
    )
    return Draft(
        dossier_code=data.get("dossier_code"),
        documents=documents or (DraftDocument(),),
        excluded=tuple(str(x) for x in data.get("excluded", ())),
    )


class SessionStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.current = root / "current"
        self.captures = self.current / "captures"

    def has_unfinished(self) -> bool:
        return self.captures.is_dir() and any(self.captures.glob("*.png"))

    def start(self) -> None:
        self.captures.mkdir(parents=True, exist_ok=True)

    def save_capture(self, page: Page, summary: Mapping[str, Any] | None = None) -> str:
        """Write the capture losslessly and durably; returns its page id."""
        self.start()
        page_id = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:6]}"
        image = page.image if page.image.ndim == 2 else cv2.cvtColor(page.image, cv2.COLOR_RGB2BGR)
        ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 1])
        if not ok:
            raise OSError(f"could not encode capture {page_id}")
        meta = {"dpi": page.dpi, "source": page.source, "index": page.index, "side": page.side, **(summary or {})}
        # The metadata first: a PNG without its JSON is still restorable, the reverse is not.
        write_atomic(self.captures / f"{page_id}.json", json.dumps(meta, ensure_ascii=False).encode())
        write_atomic(self.captures / f"{page_id}.png", encoded.tobytes())
        return page_id

    def load_capture(self, page_id: str) -> Page:
        path = self.captures / f"{page_id}.png"
        raw = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        if raw is None:
            raise OSError(f"capture {page_id} is missing or unreadable")
        image: Image = np.ascontiguousarray(raw if raw.ndim == 2 else cv2.cvtColor(raw, cv2.COLOR_BGR2RGB))
        meta = self.capture_meta(page_id)
        dpi = meta.get("dpi")
        return Page(image=image, dpi=int(dpi) if dpi else None, source=str(meta.get("source", page_id)),
                    index=int(meta.get("index", 1)), side=meta.get("side"))

    def capture_meta(self, page_id: str) -> dict[str, Any]:
        try:
            data = json.loads((self.captures / f"{page_id}.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return {}
        return data if isinstance(data, dict) else {}

    def save_draft(self, draft: Draft) -> None:
        self.start()
        write_atomic(self.current / "draft.json", json.dumps(draft_to_json(draft), ensure_ascii=False).encode())

    def restore(self) -> Draft:
        """The draft as last saved, plus any capture it does not mention yet (appended, in capture order)."""
        draft = Draft()
        # No or damaged draft: rebuild from the captures alone.
        with contextlib.suppress(OSError, json.JSONDecodeError, KeyError, TypeError, ValueError):
            draft = draft_from_json(json.loads((self.current / "draft.json").read_text(encoding="utf-8")))
        known = {p.page_id for d in draft.documents for p in d.pages} | set(draft.excluded)
        on_disk = sorted(p.stem for p in self.captures.glob("*.png")) if self.captures.is_dir() else []
        for page_id in on_disk:
            if page_id not in known:
                meta = self.capture_meta(page_id)
                draft = draft.append_page(DraftPage(page_id, quality_issues=tuple(meta.get("quality_issues", ()))))
        # A page whose capture vanished (disk error) cannot be built; drop it rather than fail later.
        present = set(on_disk)
        documents = tuple(
            DraftDocument(d.doc_type, tuple(p for p in d.pages if p.page_id in present)) for d in draft.documents
        )
        return Draft(draft.dossier_code, documents or (DraftDocument(),), draft.excluded)

    def discard(self) -> None:
        """Called once the dossier's PDFs are safely in the outbox."""
        shutil.rmtree(self.current, ignore_errors=True)
