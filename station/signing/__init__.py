"""PAdES signatures of the scanning officer and of the agency (true electronic copy) with keys on PKCS#11 tokens.

pyHanko builds and checks the signatures (no hand-written CMS), python-pkcs11 reaches the token through pyHanko's
PKCS#11 signer. Front ends use :func:`sign_file` / :class:`TokenSession` to sign and :func:`verify_file` to show a
document's signatures; the PIN comes from a :class:`PinProvider` (the environment for batches, the GUI's dialog
for the counter) and is kept in memory only.
"""

from __future__ import annotations

from station.signing.config import SigningConfig
from station.signing.errors import (
    CertificateExpiredError,
    CertificateRevokedError,
    KeyNotFoundError,
    PinLockedError,
    PinRequiredError,
    SigningError,
    SigningNotConfiguredError,
    TokenMissingError,
    TsaUnreachableError,
    WrongPinError,
)
from station.signing.models import AgencyStamp, CopyForm, OfficerStamp, Role, SignatureLevel
from station.signing.pin import EnvironmentPin, MemoryPin, PinProvider, PinRequest, PinTries
from station.signing.sign import sign_bytes, sign_file
from station.signing.token import TokenSession
from station.signing.verify import FileVerification, SignatureCheck, verify_file

__all__ = [
    "AgencyStamp",
    "CertificateExpiredError",
    "CertificateRevokedError",
    "CopyForm",
    "EnvironmentPin",
    "FileVerification",
    "KeyNotFoundError",
    "MemoryPin",
    "OfficerStamp",
    "PinLockedError",
    "PinProvider",
    "PinRequest",
    "PinRequiredError",
    "PinTries",
    "Role",
    "SignatureCheck",
    "SignatureLevel",
    "SigningConfig",
    "SigningError",
    "SigningNotConfiguredError",
    "TokenMissingError",
    "TokenSession",
    "TsaUnreachableError",
    "WrongPinError",
    "sign_bytes",
    "sign_file",
    "verify_file",
]
