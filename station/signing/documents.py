"""Signing the documents a batch or the counter builds: the officer's signature on each (and the agency's when a
copy form is given), on one open token session; and the level a signed file already carries."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from station.fsutil import write_atomic
from station.signing.config import SigningConfig
from station.signing.models import FIELD_NAMES, AgencyStamp, CopyForm, OfficerStamp, Role, SignatureLevel
from station.signing.pin import PinProvider
from station.signing.sign import sign_bytes, sign_file
from station.signing.token import TokenSession


@dataclass(frozen=True)
class TrueCopy:
    """The agency's signature on a true electronic copy: the copy form and the copying agency."""

    copy_form: CopyForm
    agency: str


class DocumentSigner:
    """Signs documents on an open :class:`TokenSession` (`with TokenSession(...) as token:
    DocumentSigner(token, officer)`): one login for a whole batch."""

    def __init__(self, token: TokenSession, officer: str, true_copy: TrueCopy | None = None) -> None:
        self._token = token
        self.officer = officer
        self.true_copy = true_copy

    def __call__(self, path: Path, scan_time: datetime) -> SignatureLevel:
        """Sign `path` in place; the level of the officer's signature (the one the manifest records)."""
        level = sign_file(path, self._token, OfficerStamp(self.officer, scan_time))
        if self.true_copy is not None:
            sign_file(path, self._token, AgencyStamp(self.true_copy.copy_form, self.true_copy.agency,
                                                     datetime.now(UTC)))
        return level


def signature_level_of(path: Path) -> SignatureLevel | None:
    """The level of the officer's signature already in `path` (None: not signed by the officer)."""
    return signature_level_in(path.read_bytes())


def signature_level_in(data: bytes) -> SignatureLevel | None:
    """The officer signature's level read from the file without validating it: a signature timestamp token
    makes B-T, revocation data in the DSS B-LT."""
    if b"/ByteRange" not in data:
        return None
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    officer = [s for s in reader.embedded_signatures if s.field_name == FIELD_NAMES[Role.OFFICER]]
    if not officer:
        return None
    unsigned = officer[0].signer_info["unsigned_attrs"]
    stamped = unsigned.native is not None and any(a["type"] == "signature_time_stamp_token" for a in unsigned.native)
    if not stamped:
        return SignatureLevel.B_B
    dss = reader.root.get("/DSS")
    has_revocation = dss is not None and ("/OCSPs" in dss or "/CRLs" in dss)
    return SignatureLevel.B_LT if has_revocation else SignatureLevel.B_T


class CounterSigner:
    """Signs a finished dossier's documents at the counter: one token session per dossier (the token may be
    unplugged between two citizens), the PIN from the session's provider (the GUI's :class:`MemoryPin`).

    `required`: a document that cannot be signed waits ("waiting for signature") instead of being uploaded."""

    def __init__(self, config: SigningConfig, pins: PinProvider, officer: str = "",
                 true_copy: TrueCopy | None = None) -> None:
        self.config = config
        self.pins = pins
        self.officer = officer
        self.true_copy = true_copy

    @property
    def required(self) -> bool:
        return self.config.required

    def sign_files(self, paths: Sequence[Path], scan_time: datetime, *,
                   read: Callable[[Path], bytes] = Path.read_bytes,
                   write: Callable[[Path, bytes], None] = write_atomic) -> list[SignatureLevel]:
        """Sign each file (read and written through `read`/`write`: the outbox keeps them sealed at rest); a
        file the officer already signed keeps its signature (a retry after a fault signs only the rest)."""
        levels: list[SignatureLevel] = []
        with TokenSession(self.config, self.pins) as token:
            officer = self.officer or token.signer_name(Role.OFFICER)
            for path in paths:
                data = read(path)
                level = signature_level_in(data)
                if level is None:
                    data, level = sign_bytes(data, token, OfficerStamp(officer, scan_time))
                    if self.true_copy is not None:
                        data, _ = sign_bytes(data, token, AgencyStamp(self.true_copy.copy_form, self.true_copy.agency,
                                                                      datetime.now(UTC)))
                    write(path, data)
                levels.append(level)
        return levels
