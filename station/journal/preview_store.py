"""The journal's page previews on disk: `<journal stem>-previews/<page_id>.jpg.sealed`, sealed at rest
(station.atrest), found by page id, never by a path read from the database."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import time
from collections.abc import Iterable
from pathlib import Path

from station.atrest import AtRestError
from station.journal import preview
from station.journal.models import PreviewKind

log = logging.getLogger(__name__)

# A page id becomes a preview file name: only ids of this shape ever do (uuid hex, batch and counter ids).
SAFE_PAGE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$")
PREVIEW_SUFFIX = ".jpg.sealed"
LEGACY_SUFFIX = ".jpg"  # plain JPEG previews written before previews were sealed


class PreviewStore:
    def __init__(self, folder: Path, long_side: int) -> None:
        self.folder = folder
        self.long_side = long_side

    def file(self, page_id: str) -> Path | None:
        """Where the page's preview is kept: always inside the folder, named after the page id."""
        if not SAFE_PAGE_ID.fullmatch(page_id):
            return None
        return self.folder / f"{page_id}{PREVIEW_SUFFIX}"

    def write(self, page_id: str, image: preview.Image | None, *, pixelate: bool) -> tuple[str | None, PreviewKind]:
        """Reduce (or pixelate: a card was on the page), encode and seal; returns (path, kind). A preview that
        cannot be written is logged and left out: it must never cost the journal row."""
        if image is None:
            return None, PreviewKind.NONE
        reduced = preview.pixelate(image, self.long_side) if pixelate else preview.reduce(image, self.long_side)
        path = self.file(page_id)
        if path is None:
            log.warning("journal: page id %r cannot name a preview file; no preview kept", page_id[:40])
            return None, PreviewKind.NONE
        try:
            preview.write_sealed(path, preview.encode_jpeg(reduced))
        except (OSError, AtRestError) as err:
            log.warning("journal: cannot write preview for page %s: %s", page_id, getattr(err, "strerror", None)
                        or err)
            return None, PreviewKind.NONE
        return str(path), PreviewKind.PIXELATED if pixelate else PreviewKind.FULL

    def read(self, page_id: str) -> bytes | None:
        """The preview JPEG (unsealed), or None when it is gone or was tampered with."""
        path = self.file(page_id)
        if path is None:
            return None
        try:
            return preview.read_sealed(path)
        except FileNotFoundError:
            return preview.read_legacy(self.folder / f"{page_id}{LEGACY_SUFFIX}")
        except (OSError, AtRestError) as err:
            log.warning("journal: preview of page %s unreadable: %s", page_id, err)
            return None

    def remove(self, page_ids: Iterable[str]) -> None:
        for page_id in page_ids:
            for path in (self.file(page_id), self.folder / f"{page_id}{LEGACY_SUFFIX}"):
                if path is not None:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()

    def remove_orphans(self, known: set[str], min_age: float = 3600.0) -> None:
        """Preview files of no known page. Young ones are left alone: a page's preview is written just before
        its row, possibly in another process."""
        if not self.folder.is_dir():
            return
        young = time.time() - min_age
        for entry in os.scandir(self.folder):
            page_id = entry.name.removesuffix(PREVIEW_SUFFIX).removesuffix(LEGACY_SUFFIX)
            if entry.name.startswith(".") or page_id in known or not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime > young:
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
