"""Signing faults on the real token and services: each is a typed error with a Vietnamese message, and the file
that was to be signed is left byte for byte as it was."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pkcs11 import TokenFlag

from station.signing import (
    CertificateExpiredError,
    CertificateRevokedError,
    EnvironmentPin,
    KeyNotFoundError,
    MemoryPin,
    OfficerStamp,
    PinRequiredError,
    PinTries,
    SignatureLevel,
    SigningConfig,
    SigningError,
    TokenMissingError,
    TokenSession,
    TsaUnreachableError,
    WrongPinError,
    sign_file,
)
from station.signing.token import pin_tries
from tests.signing_fixtures import AGENCY, EXPIRED, OFFICER, OFFICER_NAME, REVOKED, SigningPki, closed_port_url

STAMP = OfficerStamp(OFFICER_NAME, datetime(2026, 11, 30, 1, 15, 42, tzinfo=UTC))


def config_of(pki: SigningPki, **changes: object) -> SigningConfig:
    config = SigningConfig(module=pki.module, token_label=pki.token_label, key_label=OFFICER, agency_key_label=AGENCY,
                           tsa_url=pki.tsa_url, trust_roots=pki.trust_roots)
    return replace(config, **changes)  # type: ignore[arg-type]


def remembered(pin: str) -> MemoryPin:
    provider = MemoryPin()
    provider.remember(pin)
    return provider


def sign_expecting(pki: SigningPki, path: Path, error: type[SigningError], pins: MemoryPin | None = None,
                   **changes: object) -> SigningError:
    before = path.read_bytes()
    with pytest.raises(error) as caught, TokenSession(config_of(pki, **changes), pins or remembered(pki.pin)) as token:
        sign_file(path, token, STAMP)
    assert path.read_bytes() == before  # nothing signed, nothing lost
    assert caught.value.user_message and "tài liệu" in caught.value.user_message.lower()
    assert pki.pin not in str(caught.value) and pki.pin not in caught.value.user_message
    return caught.value


def test_a_wrong_pin_stops_at_once_and_is_forgotten(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    pins = remembered("000000")
    err = sign_expecting(signing_pki, unsigned_pdf, WrongPinError, pins)
    assert isinstance(err, WrongPinError) and "PIN" in err.user_message
    assert not pins.has_pin  # the next attempt asks again instead of locking the token


def test_the_tries_left_the_token_reports_reach_the_officer() -> None:
    assert pin_tries(int(TokenFlag.USER_PIN_COUNT_LOW | TokenFlag.TOKEN_INITIALIZED)) is PinTries.COUNT_LOW
    assert pin_tries(int(TokenFlag.USER_PIN_FINAL_TRY | TokenFlag.USER_PIN_COUNT_LOW)) is PinTries.FINAL_TRY
    assert pin_tries(int(TokenFlag.USER_PIN_LOCKED)) is PinTries.LOCKED
    assert pin_tries(int(TokenFlag.TOKEN_INITIALIZED)) is PinTries.UNKNOWN
    assert "1 lần thử" in WrongPinError("refused", PinTries.FINAL_TRY).user_message
    assert "ít lần thử" in WrongPinError("refused", PinTries.COUNT_LOW).user_message
    assert "lần thử" not in WrongPinError("refused", PinTries.UNKNOWN).user_message


def test_no_pin_means_the_document_waits(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    with pytest.raises(PinRequiredError):
        TokenSession(config_of(signing_pki), EnvironmentPin({})).open()


def test_a_missing_module_or_token_is_token_missing(signing_pki: SigningPki, unsigned_pdf: Path,
                                                    tmp_path: Path) -> None:
    sign_expecting(signing_pki, unsigned_pdf, TokenMissingError, module=str(tmp_path / "libvnpt-ca-đã-rút.so"))
    sign_expecting(signing_pki, unsigned_pdf, TokenMissingError, token_label="Token Viettel-CA của chị Hoa")


def test_a_key_label_the_token_does_not_hold(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    sign_expecting(signing_pki, unsigned_pdf, KeyNotFoundError, key_label="khóa-không-có")


def test_an_expired_certificate_signs_nothing(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    err = sign_expecting(signing_pki, unsigned_pdf, CertificateExpiredError, key_label=EXPIRED)
    assert "hết hạn" in err.user_message


def test_a_revoked_certificate_is_caught_by_ocsp(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    err = sign_expecting(signing_pki, unsigned_pdf, CertificateRevokedError, key_label=REVOKED)
    assert "thu hồi" in err.user_message


def test_an_unreachable_tsa_falls_back_to_b_b_or_stops_when_required(signing_pki: SigningPki,
                                                                     unsigned_pdf: Path) -> None:
    closed = closed_port_url()
    sign_expecting(signing_pki, unsigned_pdf, TsaUnreachableError, tsa_url=closed, tsa_required=True)
    with TokenSession(config_of(signing_pki, tsa_url=closed), remembered(signing_pki.pin)) as token:
        assert sign_file(unsigned_pdf, token, STAMP) is SignatureLevel.B_B
