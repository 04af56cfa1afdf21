"""The signing fixtures (SoftHSM2 token, test PKI, TSA/OCSP on 127.0.0.1) until tests/conftest.py registers
tests.signing_fixtures as a plugin for the whole suite."""

from __future__ import annotations

from tests.signing_fixtures import signing_pki, unsigned_pdf

__all__ = ["signing_pki", "unsigned_pdf"]
