"""The counter's crash-safe session folder: every capture is on disk the moment it arrives.

Layout under `root/current/`: `captures/<page_id>.png` (the original capture, lossless, fsynced before the
page is shown), `captures/<page_id>.json` (its dpi, source and analysis summary) and `draft.json` (the
dossier in progress, rewritten atomically after every edit). Captures and their metadata are ID-card images
and file names: they are sealed (encrypted, :mod:`station.atrest`) on disk, keeping their names so that the
folder can still be counted; the draft holds only page ids, document types and the dossier code. Page ids
read back from disk are checked before they become file names. After a crash, kill or power cut, `restore()`
gives back the draft and every capture; a capture the draft never learnt about (the app died between the
two writes) is appended to the last document, so nothing scanned is ever lost.
"""

from __future__ import annotations

import contextlib
import json
import re
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
from station.atrest import AtRestError, is_sealed, read_sealed, write_sealed
from station.fsutil import write_atomic
from station.workflow.draft import Draft, DraftDocument, DraftPage

PAGE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,79}$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def checked_page_id(page_id: str) -> str:
    """A page id from a file is only used as a file name inside the captures folder if it is one of ours."""
    if not PAGE_ID.fullmatch(page_id):
        raise ValueError(f"not a page id: {page_id[:80]!r}")
    return page_id


def draft_to_json(draft: Draft) -> dict[str, Any]:
    return asdict(draft)


def draft_from_json(data: Mapping[str, Any]) -> Draft:
    documents = tuple(
        DraftDocument(
            doc_type=str(d["doc_type"]),
            pages=tuple(
                DraftPage(
                    page_id=checked_page_id(str(p["page_id"])),
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
        excluded=tuple(checked_page_id(str(x)) for x in data.get("excluded", ())),
    )


class SessionStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.current = root / "current"
        self.captures = self.current / "captures"

    def has_unfinished(self) -> bool:
        return self.captures.is_dir() and any(self.captures.glob("*.png"))

    def start(self) -> None:
        self.captures.mkdir(parents=True, exist_ok=True, mode=0o700)

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
        write_sealed(self.captures / f"{page_id}.json", json.dumps(meta, ensure_ascii=False).encode())
        write_sealed(self.captures / f"{page_id}.png", encoded.tobytes())
        return page_id

    def load_capture(self, page_id: str) -> Page:
        """The capture as scanned. Raises OSError when it is missing and AtRestError when it was tampered
        with or sealed with another station's key."""
        data = self._read(self.captures / f"{checked_page_id(page_id)}.png", legacy_prefix=_PNG_SIGNATURE)
        raw = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if raw is None:
            raise OSError(f"capture {page_id} is unreadable")
        image: Image = np.ascontiguousarray(raw if raw.ndim == 2 else cv2.cvtColor(raw, cv2.COLOR_BGR2RGB))
        meta = self.capture_meta(page_id)
        dpi = meta.get("dpi")
        return Page(image=image, dpi=int(dpi) if dpi else None, source=str(meta.get("source", page_id)),
                    index=int(meta.get("index", 1)), side=meta.get("side"))

    def capture_meta(self, page_id: str) -> dict[str, Any]:
        try:
            raw = self._read(self.captures / f"{checked_page_id(page_id)}.json", legacy_prefix=b"{")
            data = json.loads(raw.decode("utf-8"))
        except (OSError, AtRestError, ValueError):  # the metadata is optional: defaults apply
            return {}
        return data if isinstance(data, dict) else {}

    @staticmethod
    def _read(path: Path, *, legacy_prefix: bytes) -> bytes:
        """A sealed file; a plain one left by a station version before sealing is still restored (nothing
        captured is lost across an upgrade) and sealed in place."""
        if is_sealed(path) or path.is_symlink():
            return read_sealed(path)
        with open(path, "rb") as handle:
            data = handle.read()
        if not data.startswith(legacy_prefix):
            return read_sealed(path)  # neither sealed nor ours: the typed error says so
        write_sealed(path, data)
        return data

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
        on_disk = sorted(p.stem for p in self.captures.glob("*.png") if PAGE_ID.fullmatch(p.stem)) \
            if self.captures.is_dir() else []
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
