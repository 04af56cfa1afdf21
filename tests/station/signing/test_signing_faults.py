"""Signing faults on the real token and services: each is a typed error with a Vietnamese message, and the file
that was to be signed is left byte for byte as it was."""

from __future__ import annotations

import os
import subprocess
import sys
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
from tests.paths import ROOT
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


UNPLUG = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from station.runtime import load_runtime
from station.signing import EnvironmentPin, OfficerStamp, TokenMissingError, TokenSession, sign_file
store, pulled, first, second = map(Path, sys.argv[1:])
with TokenSession(load_runtime().signing, EnvironmentPin()) as token:
    stamp = OfficerStamp("Nguyễn Văn Ánh", datetime.now(UTC))
    sign_file(first, token, stamp)
    store.rename(pulled)
    try:
        sign_file(second, token, stamp)
    except TokenMissingError as err:
        print("TokenMissingError:", err.user_message)
    finally:
        pulled.rename(store)
"""
SIGN_REST = """
import sys
from datetime import datetime, UTC
from pathlib import Path
from station.runtime import load_runtime
from station.signing import EnvironmentPin
from station.signing.documents import CounterSigner
signer = CounterSigner(load_runtime().signing, EnvironmentPin(), "Nguyễn Văn Ánh")
print(signer.sign_files([Path(p) for p in sys.argv[1:]], datetime.now(UTC)))
"""


def python(pki: SigningPki, script: str, *args: Path) -> str:
    env = {**os.environ, **pki.environment(tsa=False)}
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_token_unplugged_mid_batch_stops_and_the_rest_is_signed_when_it_is_back(
        signing_pki: SigningPki, tmp_path: Path) -> None:
    """SoftHSM2's token store moved away under an open session answers like a pulled USB token. Run in child
    processes: a PKCS#11 module keeps the slot list it first saw, so a re-plugged token needs a new process here."""
    from station.signing.documents import signature_level_of
    from tests.signing_fixtures import build_unsigned_pdf

    files = [build_unsigned_pdf(tmp_path / f"{n:02d}-giấy-tờ.pdf") for n in (1, 2)]
    second = files[1].read_bytes()
    store = signing_pki.softhsm_conf.parent / "tokens"
    said = python(signing_pki, UNPLUG, store, store.with_name("tokens-đã-rút"), *files)
    assert said.startswith("TokenMissingError:") and "token" in said
    assert files[1].read_bytes() == second  # the unsigned document is kept as it was
    assert signature_level_of(files[0]) is SignatureLevel.B_B and signature_level_of(files[1]) is None

    first = files[0].read_bytes()
    levels = python(signing_pki, SIGN_REST, *files)  # the token is back: the rest is signed, the first kept
    assert levels.count("<SignatureLevel.B_B: 'B-B'>") == 2  # no TSA configured: B-B
    assert files[0].read_bytes() == first and signature_level_of(files[1]) is SignatureLevel.B_B
