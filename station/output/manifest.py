"""The one writer of a dossier folder's `manifest.json`, used by the counter (`workflow/finish.py`) and by
`station process` (`batch/runner.py`).

The model (`uploader.manifest.Manifest` and its parts) and its JSON Schema belong to the uploader, which reads
the file back for `station upload`; the station never writes a manifest the uploader would refuse: every one
is checked against that schema first (a failure is a bug of the station, and nothing is written).
"""

from __future__ import annotations

import json
from pathlib import Path

from station.fsutil import write_atomic
from uploader.errors import ManifestError
from uploader.manifest import MANIFEST, Manifest, check_schema

_REFUSED = ("Trạm tạo ra manifest.json không đúng định dạng (lỗi phần mềm) nên chưa ghi tệp này. Báo quản trị viên; "
            "các tệp PDF đã tạo vẫn được giữ.")


def manifest_bytes(manifest: Manifest) -> bytes:
    """The file's bytes: UTF-8, indented, one trailing newline; the same manifest always gives the same bytes."""
    data = manifest.to_json()
    try:
        check_schema(data, f"{MANIFEST} being written")
    except ManifestError as err:
        raise ManifestError(str(err), user_message=_REFUSED) from err
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_manifest(folder: Path, manifest: Manifest) -> Path:
    """Atomic and durable (fsynced file and folder, mode 0600): after a crash the folder holds either the old
    manifest or the new one, never half of one."""
    path = folder / MANIFEST
    content = manifest_bytes(manifest)  # checked before anything on disk changes
    for stale in folder.glob(f".{MANIFEST}.*.tmp"):  # left by a writer killed mid-way
        stale.unlink(missing_ok=True)
    write_atomic(path, content)
    return path
