"""What a document's signatures say, checked by pyHanko's validator: who signed in which role and when, the
timestamp, whether the signed bytes are intact, whether the signer chains to the configured trust roots, and
whether the signature covers the whole file (later revisions may only add signatures and validation data)."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.signing.models import Role, role_of_field
from station.signing.trust import context_for_roots, load_trust_roots

if TYPE_CHECKING:
    from asn1crypto import x509  # type: ignore[import-untyped]


@dataclass(frozen=True)
class SignatureCheck:
    field: str
    role: Role | None  # None: a signature the station did not make
    signer: str
    signing_time: datetime | None
    timestamp: datetime | None
    intact: bool
    trusted: bool
    covers_whole_document: bool

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted and self.covers_whole_document

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role.value if self.role else None,
            "signer": self.signer,
            "signing_time": self.signing_time.isoformat() if self.signing_time else None,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "intact": self.intact,
            "trusted": self.trusted,
            "covers_whole_document": self.covers_whole_document,
        }


@dataclass(frozen=True)
class FileVerification:
    """A file's signatures (what the GUI's badge shows); `valid` needs at least one, all of them valid."""

    file: str
    signatures: tuple[SignatureCheck, ...]
    error: str | None = None  # the file could not be read as a PDF

    @property
    def valid(self) -> bool:
        return self.error is None and bool(self.signatures) and all(s.valid for s in self.signatures)

    @property
    def signed_as(self) -> frozenset[Role]:
        return frozenset(s.role for s in self.signatures if s.role is not None)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "valid": self.valid, "signatures": [s.to_json() for s in self.signatures]}


def _covers_whole_document(status: Any) -> bool:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    # Later revisions that only add signatures, their fields and validation data (DSS) leave it whole.
    return bool(status.coverage == SignatureCoverageLevel.ENTIRE_REVISION and status.docmdp_ok is not False
                and status.modification_level is not None
                and status.modification_level <= ModificationLevel.FORM_FILLING)


def _common_name(cert: x509.Certificate) -> str:
    subject = cert.subject.native
    return str(subject.get("common_name") or cert.subject.human_friendly)


async def _check(data: bytes, roots: tuple[x509.Certificate, ...], fetch: bool) -> list[SignatureCheck]:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    checks: list[SignatureCheck] = []
    for embedded in reader.embedded_signatures:
        context = context_for_roots(roots, fetch=fetch and bool(roots))
        status = await async_validate_pdf_signature(embedded, signer_validation_context=context,
                                                    ts_validation_context=context)
        timestamp = status.timestamp_validity.timestamp if status.timestamp_validity is not None else None
        checks.append(SignatureCheck(
            field=embedded.field_name,
            role=role_of_field(embedded.field_name),
            signer=_common_name(status.signing_cert),
            signing_time=status.signer_reported_dt,
            timestamp=timestamp,
            intact=bool(status.intact and status.valid),
            trusted=bool(roots) and bool(status.trusted),
            covers_whole_document=_covers_whole_document(status),
        ))
    return checks


def verify_bytes(data: bytes, name: str, trust_roots: Path | None, *, fetch: bool = True) -> FileVerification:
    roots = load_trust_roots(trust_roots) if trust_roots is not None else ()
    try:
        checks = asyncio.run(_check(data, roots, fetch))
    except Exception as err:  # a damaged or foreign file: reported, never raised (verify reports every file)
        from pyhanko.pdf_utils.misc import PdfError

        if not isinstance(err, PdfError | ValueError | KeyError | TypeError):
            raise
        return FileVerification(name, (), error=type(err).__name__)
    return FileVerification(name, tuple(checks))


def verify_file(path: Path, trust_roots: Path | None, *, fetch: bool = True) -> FileVerification:
    """Check every signature of `path` (trusted only when `trust_roots` names a PEM file of roots).
    `fetch`: ask OCSP responders and CRL servers (off for the counter's offline badges)."""
    try:
        data = path.read_bytes()
    except OSError as err:
        return FileVerification(str(path), (), error=err.strerror or type(err).__name__)
    return verify_bytes(data, str(path), trust_roots, fetch=fetch)
