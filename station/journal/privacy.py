"""What the journal keeps of personal data: nothing in clear text.

- CCCD / Căn cước numbers: the masked form (`001*******45`, as in the logs) and a keyed hash
  (HMAC-SHA256 with the station's journal key, 16 hex digits) so two pages of the same card can be matched
  without the number being readable. The key lives in a file beside the journal (`journal.key`, mode 0600),
  never in the database; whoever holds only the database cannot test guessed numbers against the hashes.
- Names, dates of birth, addresses, OCR text and barcode contents are not stored at all: only counts
  (characters read, barcodes found) and whether a card was read.
- Where a page came from: a scanner's device name (`pnm:0`, `epson2:libusb:001:004`) is kept; an input
  file's name is not (offices name files after the citizen: "Nguyễn Văn Ánh - CCCD.jpg"), only its kind
  (`tệp .png`). The page id and the capture time identify the page.
- Page previews are sealed at rest (station.atrest) and deleted with the rows once the backend has them and
  the retention policy (`backend.retention_days`) has passed.
- Page previews of pages where a card was detected (or filed as the `cccd` document) are pixelated to a
  coarse mosaic (32 px long side, blown up): a supervisor still sees whether the page is cut, skewed or
  blank, but no face, number or text can be read.
"""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import re
import secrets
import stat
from pathlib import Path, PurePath

from ocr.models import mask_id

KEY_BYTES = 32


_DEVICE = re.compile(r"^[A-Za-z0-9_.-]+:[A-Za-z0-9_.:-]*$")


def source_label(source: str) -> str:
    """What the journal keeps of a page's source: a scanner's device name, or only the kind of file."""
    if not source:
        return ""
    if _DEVICE.fullmatch(source):
        return source
    suffix = PurePath(source).suffix.lower()
    return f"tệp {suffix}" if re.fullmatch(r"\.[a-z0-9]{1,5}", suffix) else "tệp"


def load_or_create_key(path: Path) -> bytes:
    """The HMAC key beside the journal: read without following links; created once, exclusively, 0600."""
    nofollow = os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, os.O_RDONLY | nofollow)
    except FileNotFoundError:
        pass
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise OSError(errno.ELOOP, "journal key is a symlink; refusing it", str(path)) from None
        raise
    else:
        with os.fdopen(fd, "rb") as handle:
            if stat.S_IMODE(os.fstat(handle.fileno()).st_mode) & 0o077:
                os.fchmod(handle.fileno(), 0o600)
            key = handle.read(KEY_BYTES + 1)
        if len(key) == KEY_BYTES:
            return key
        raise OSError(errno.EINVAL, "journal key is damaged (expected 32 bytes); move it aside", str(path))
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Written whole to a temp file, then linked into place: a crash never leaves an empty key, and of two
    # processes creating it at once, the second uses the first one's key.
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | nofollow, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    try:
        os.link(tmp, path)
    except FileExistsError:
        return load_or_create_key(path)
    finally:
        os.unlink(tmp)
    return key


def id_hash(key: bytes, id_number: str) -> str:
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()[:16]


def masked(id_number: str) -> str:
    return mask_id(id_number) or ""
