"""What the journal keeps of personal data: nothing in clear text.

- CCCD / Căn cước numbers: the masked form (`001*******45`, as in the logs) and a keyed hash
  (HMAC-SHA256 with the station's journal key, 16 hex digits) so two pages of the same card can be matched
  without the number being readable. The key lives in a file beside the journal (`journal.key`, mode 0600),
  never in the database; whoever holds only the database cannot test guessed numbers against the hashes.
- Names, dates of birth, addresses, OCR text and barcode contents are not stored at all: only counts
  (characters read, barcodes found) and whether a card was read.
- Page previews of pages where a card was detected (or filed as the `cccd` document) are pixelated to a
  coarse mosaic (32 px long side, blown up): a supervisor still sees whether the page is cut, skewed or
  blank, but no face, number or text can be read.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from ocr.models import mask_id

KEY_BYTES = 32


def load_or_create_key(path: Path) -> bytes:
    try:
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    key = secrets.token_bytes(KEY_BYTES)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def id_hash(key: bytes, id_number: str) -> str:
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()[:16]


def masked(id_number: str) -> str:
    return mask_id(id_number) or ""
