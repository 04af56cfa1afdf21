"""The trust roots a signature must chain to, and the validation context built on them."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from station.signing.config import SigningConfig
from station.signing.errors import SigningNotConfiguredError

if TYPE_CHECKING:
    from asn1crypto import x509  # type: ignore[import-untyped]  # (no stubs; see the report)
    from pyhanko_certvalidator import ValidationContext

# OCSP responses and timestamps made by another machine's clock a little ahead are still accepted.
CLOCK_TOLERANCE = timedelta(minutes=5)


@functools.lru_cache(maxsize=8)
def _load_roots(path: Path, mtime_ns: int) -> tuple[x509.Certificate, ...]:
    from asn1crypto import pem
    from asn1crypto import x509 as asn1_x509

    data = path.read_bytes()
    if pem.detect(data):
        return tuple(asn1_x509.Certificate.load(der) for kind, _h, der in pem.unarmor(data, multiple=True)
                     if kind == "CERTIFICATE")
    return (asn1_x509.Certificate.load(data),)


def load_trust_roots(path: Path) -> tuple[x509.Certificate, ...]:
    """The certificates of a PEM (or DER) file; a missing or unreadable file is a settings error."""
    try:
        roots = _load_roots(path, path.stat().st_mtime_ns)
    except (OSError, ValueError) as err:
        raise SigningNotConfiguredError(
            f"trust roots file unreadable: {type(err).__name__}",
            user_message="Không đọc được tệp chứng thư gốc tin cậy (STATION_TRUST_ROOTS). Kiểm tra đường dẫn tệp PEM.",
        ) from None
    if not roots:
        raise SigningNotConfiguredError("trust roots file holds no certificate",
                                        user_message="Tệp chứng thư gốc tin cậy không chứa chứng thư nào.")
    return roots


def context_for_roots(roots: tuple[x509.Certificate, ...], moment: datetime | None = None, *,
                      fetch: bool = True) -> ValidationContext:
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    return ValidationContext(trust_roots=list(roots), moment=moment, allow_fetching=fetch,
                             revocation_mode="soft-fail", time_tolerance=CLOCK_TOLERANCE,
                             fetcher_backend=RequestsFetcherBackend() if fetch else None)


def validation_context(config: SigningConfig, moment: datetime) -> ValidationContext | None:
    """A fresh context per signature (cached OCSP answers would be older than the signing time), or None when
    no trust roots are configured."""
    if config.trust_roots is None:
        return None
    return context_for_roots(load_trust_roots(config.trust_roots), moment)
