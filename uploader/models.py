"""The uploader's nouns: frozen dataclasses, no I/O."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

# Dossier receipt codes: agency code in dotted groups - YYMMDD - NNNN, e.g. 000.00.01.H22-250702-0013.
DOSSIER_CODE_PATTERN = r"^[0-9A-Z]{1,5}(\.[0-9A-Z]{1,5}){1,5}-[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])-[0-9]{4}$"
_DOSSIER_CODE_RE = re.compile(DOSSIER_CODE_PATTERN)
ATTACHMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
DOC_TYPE_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,63}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"


def is_valid_dossier_code(code: str) -> bool:
    """Format check plus a real calendar date in the YYMMDD group."""
    if not _DOSSIER_CODE_RE.fullmatch(code):
        return False
    yymmdd = code.rsplit("-", 2)[1]
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    days = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    return 1 <= month <= 12 and 1 <= day <= days[month - 1]


def attachment_id_for(dossier_code: str, slot: str, sha256: str) -> str:
    """Idempotency key: the same file for the same slot of the same dossier always gets the same id."""
    return hashlib.sha256(f"{dossier_code}\n{slot}\n{sha256}".encode()).hexdigest()[:32]


class ItemState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED_RETRYING = "failed-retrying"
    FAILED_PERMANENT = "failed-permanent"

    @property
    def is_final(self) -> bool:
        return self in (ItemState.SENT, ItemState.FAILED_PERMANENT)


@dataclass(frozen=True)
class UploadJob:
    """One attachment to deliver: what `station upload` puts into the outbox."""

    dossier_code: str
    slot: str  # file stem in the process output, e.g. "01-cccd": unique within the dossier
    doc_type: str
    file_path: Path
    sha256: str
    bytes: int
    pages: int
    station_id: str
    operator_id: str
    batch_id: str = ""

    @property
    def attachment_id(self) -> str:
        return attachment_id_for(self.dossier_code, self.slot, self.sha256)


@dataclass(frozen=True)
class QueueItem:
    """An outbox row: the job plus its delivery state."""

    id: int
    job: UploadJob
    state: ItemState
    attempts: int
    enqueued_at: float
    next_attempt_at: float | None = None
    error_code: str | None = None
    error: str | None = None  # English technical reason
    user_error: str | None = None  # Vietnamese, for the counter
    sent_at: float | None = None
    confirmed_sha256: str | None = None
    purged_at: float | None = None


@dataclass(frozen=True)
class Attachment:
    """An attachment as the backend holds it (the receipt of a PUT, or a line of a dossier)."""

    id: str
    doc_type: str
    sha256: str
    bytes: int
    pages: int
    received_at: str


@dataclass(frozen=True)
class RequiredDocument:
    code: str
    name: str
    required: bool


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str | None = None

    def __repr__(self) -> str:  # never print personal data by accident
        return "Applicant(<redacted>)"


@dataclass(frozen=True)
class Dossier:
    code: str
    procedure_code: str
    procedure_name: str
    status: str
    applicant: Applicant | None
    required_documents: tuple[RequiredDocument, ...] = ()
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class SenderStatus:
    """What the GUI shows: counts per state, whether the backend is reachable, the last problem."""

    running: bool
    counts: dict[str, int] = field(default_factory=dict)
    online: bool | None = None
    last_error: str | None = None
    last_user_error: str | None = None
    last_item_id: int | None = None
    alive: bool = True  # every worker thread runs; False: the sender ended or cannot start (see last_error)
    problem: str | None = None  # a failure holding the whole queue (queue_storage, rejected:unauthorized, ...)

    @property
    def pending(self) -> int:
        """Unfinished items the sender can still deliver (items blocked behind a permanent failure excluded)."""
        unfinished = sum(
            self.counts.get(s.value, 0) for s in (ItemState.QUEUED, ItemState.SENDING, ItemState.FAILED_RETRYING)
        )
        return unfinished - self.counts.get("blocked", 0)
