"""Retention: local copies of confirmed attachments are deleted after a configurable period (default 7 days).

A file is deleted only if its row is 'sent', the backend's confirmed SHA-256 equals the queued one, the
confirmation is older than the retention period, and the file on disk still has that SHA-256 (a file
re-created at the same path with other content is never deleted). A dossier folder left holding only
its manifest.json is removed too, once every queued file of that folder is confirmed and purged.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from uploader.manifest import MANIFEST
from uploader.outbox import Outbox

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PurgeReport:
    deleted: int = 0
    already_gone: int = 0
    kept_changed: int = 0
    folders_removed: int = 0


def purge_confirmed(outbox: Outbox, retention_days: float, *, now: float | None = None,
                    read_file: Callable[[Path], bytes] = Path.read_bytes) -> PurgeReport:
    """`read_file`: how a queued file's content is read (the station's reader opens sealed files)."""
    now = time.time() if now is None else now
    deleted = gone = changed = folders = 0
    for item in outbox.purge_candidates(now - retention_days * 86400):
        path = item.job.file_path
        if not path.exists():
            gone += 1
            outbox.mark_purged(item.id)
            continue
        try:
            same = hashlib.sha256(read_file(path)).hexdigest() == item.confirmed_sha256
        except Exception:  # unreadable now (or a sealed file that no longer opens): keep it, look again later
            continue
        if not same:
            changed += 1
            log.warning("queue item %d: %s changed after it was sent; not deleted", item.id, path.name)
            outbox.mark_purged(item.id)
            continue
        path.unlink()
        deleted += 1
        outbox.mark_purged(item.id)
        folder = path.parent
        try:
            rest = {p.name for p in folder.iterdir()}
            if rest <= {MANIFEST} and outbox.unpurged_in_folder(folder) == 0:
                (folder / MANIFEST).unlink(missing_ok=True)
                folder.rmdir()
                folders += 1
        except OSError:
            pass
    return PurgeReport(deleted, gone, changed, folders)
