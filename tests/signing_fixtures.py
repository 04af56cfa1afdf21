"""Real signing parts for the tests: a SoftHSM2 token, a test PKI (certomancer), a TSA and an OCSP responder on
127.0.0.1 (certomancer's animator in a child process) and an NSS database for poppler's `pdfsig`.

One of each per test session. The token holds the officer's and the agency's keys, plus keys whose certificates
are expired or revoked. The PIN reaches the station only through the environment of a subprocess or a PIN
provider object, never a file.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN_LABEL = "Token Trạm số hóa"
USER_PIN = "246810"
SO_PIN = "13579135"
ARCH = "station"
OFFICER_NAME = "Nguyễn Văn Ánh"
AGENCY_NAME = "UBND phường Ba Đình"

# Key and certificate labels on the token (the same label for both, as the station expects).
OFFICER, AGENCY, EXPIRED, REVOKED = "officer", "agency", "officer-expired", "officer-revoked"


@dataclass(frozen=True)
class SigningPki:
    """What a test needs to sign on the session's token and check the result."""

    module: str
    token_label: str
    pin: str
    tsa_url: str
    ocsp_url: str
    trust_roots: Path  # the test root certificate (PEM)
    nss_dir: Path  # an NSS database trusting the test root, for `pdfsig -nssdir`
    softhsm_conf: Path

    def environment(self, *, key: str = OFFICER, agency_key: str = AGENCY, tsa: bool = True) -> dict[str, str]:
        """The station's variables for a subprocess (the PIN only ever travels this way)."""
        env = {
            "SOFTHSM2_CONF": str(self.softhsm_conf),
            "STATION_PKCS11_MODULE": self.module,
            "STATION_PKCS11_TOKEN": self.token_label,
            "STATION_PKCS11_KEY": key,
            "STATION_PKCS11_AGENCY_KEY": agency_key,
            "STATION_PKCS11_PIN": self.pin,
            "STATION_TRUST_ROOTS": str(self.trust_roots),
        }
        if tsa:
            env["STATION_TSA_URL"] = self.tsa_url
        return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _write_keys(folder: Path, names: tuple[str, ...]) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder.mkdir(parents=True)
    for name in names:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


_VALID = {"valid-from": "2025-01-01T00:00:00+0000", "valid-to": "2035-01-01T00:00:00+0000"}


def _signer_cert(valid: dict[str, str], **extra: object) -> dict[str, object]:
    return {
        "issuer": "root",
        "validity": valid,
        "extensions": [
            {"id": "key_usage", "critical": True,
             "smart-value": {"schema": "key-usage", "params": ["digital_signature", "non_repudiation"]}},
            {"id": "authority_information_access",
             "smart-value": {"schema": "aia-urls", "params": {"ocsp-responder-names": ["root"]}}},
        ],
        **extra,
    }


def _certomancer_config(url_prefix: str, keys: Path) -> dict[str, object]:
    names = ("root", "tsa", "ocsp", OFFICER, AGENCY, EXPIRED, REVOKED)
    ca_usage = {"id": "key_usage", "critical": True,
                "smart-value": {"schema": "key-usage", "params": ["digital_signature", "key_cert_sign", "crl_sign"]}}
    return {
        "external-url-prefix": url_prefix,
        "keysets": {ARCH: {"path-prefix": str(keys), "keys": {n: {"path": f"{n}.key.pem"} for n in names}}},
        "pki-architectures": {ARCH: {
            "keyset": ARCH,
            "entity-defaults": {"country-name": "VN", "organization-name": "Ban Cơ yếu Chính phủ (thử nghiệm)"},
            "entities": {
                "root": {"common-name": "CA gốc thử nghiệm Trạm số hóa"},
                "tsa": {"common-name": "Máy chủ dấu thời gian thử nghiệm"},
                "ocsp": {"common-name": "Máy chủ OCSP thử nghiệm"},
                OFFICER: {"common-name": OFFICER_NAME},
                AGENCY: {"common-name": AGENCY_NAME},
                EXPIRED: {"common-name": "Trần Thị Hết Hạn"},
                REVOKED: {"common-name": "Lê Văn Thu Hồi"},
            },
            "certs": {
                "root": {"subject": "root", "issuer": "root", "validity": _VALID, "extensions": [
                    {"id": "basic_constraints", "critical": True, "value": {"ca": True}}, ca_usage]},
                "tsa": {"issuer": "root", "validity": _VALID, "extensions": [
                    {"id": "key_usage", "critical": True,
                     "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                    {"id": "extended_key_usage", "critical": True, "value": ["time_stamping"]}]},
                "ocsp": {"issuer": "root", "validity": _VALID, "extensions": [
                    {"id": "key_usage", "critical": True,
                     "smart-value": {"schema": "key-usage", "params": ["digital_signature"]}},
                    {"id": "extended_key_usage", "critical": True, "value": ["ocsp_signing"]},
                    {"id": "ocsp_no_check"}]},
                OFFICER: _signer_cert(_VALID),
                AGENCY: _signer_cert(_VALID),
                EXPIRED: _signer_cert({"valid-from": "2023-01-01T00:00:00+0000",
                                       "valid-to": "2024-01-01T00:00:00+0000"}),
                REVOKED: _signer_cert(_VALID, revocation={"revoked-since": "2025-06-01T00:00:00+0000",
                                                          "reason": "key_compromise"}),
            },
            "services": {
                "ocsp": {"root": {"for-issuer": "root", "responder-cert": "ocsp", "signing-key": "ocsp"}},
                "time-stamping": {"tsa": {"signing-key": "tsa", "signing-cert": "tsa"}},
            },
        }},
    }


def _import_to_token(module: str, label: str, pin: str, keys: Path, certs: dict[str, bytes]) -> None:
    """Each signer's private key and certificate onto the token, under the same label and id."""
    import pkcs11
    from cryptography.hazmat.primitives import serialization
    from pkcs11 import Attribute
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    token = pkcs11.lib(module).get_token(token_label=label)
    with token.open(rw=True, user_pin=pin) as session:
        for number, (name, cert_der) in enumerate(certs.items(), start=1):
            key = serialization.load_pem_private_key((keys / f"{name}.key.pem").read_bytes(), None)
            pkcs1 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
                                      serialization.NoEncryption())
            ident = bytes([number])
            attributes = decode_rsa_private_key(pkcs1)
            attributes.update({Attribute.LABEL: name, Attribute.ID: ident, Attribute.TOKEN: True,
                               Attribute.PRIVATE: True, Attribute.SENSITIVE: True, Attribute.SIGN: True})
            session.create_object(attributes)
            cert = decode_x509_certificate(cert_der)
            cert.update({Attribute.LABEL: name, Attribute.ID: ident, Attribute.TOKEN: True})
            session.create_object(cert)


def _wait_for_http(url: str, process: subprocess.Popen[bytes], deadline_s: float = 60.0) -> None:
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError(f"certomancer animator exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)  # polling a server start-up with a deadline, not waiting for a result
    raise RuntimeError("certomancer animator did not start")


def _nss_db(folder: Path, root_pem: Path) -> None:
    folder.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{folder}", "-n", "station-test-root", "-t", "CT,C,C",
                    "-i", str(root_pem)], check=True, capture_output=True)


@pytest.fixture(scope="session")
def signing_pki() -> Iterator[SigningPki]:
    import yaml
    from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig

    home = Path(tempfile.mkdtemp(prefix="station-signing-"))
    tokens = home / "tokens"
    tokens.mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
                    encoding="utf-8")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # before this process loads the module for the first time
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--pin", USER_PIN,
                    "--so-pin", SO_PIN], check=True, capture_output=True)

    keys = home / "keys"
    _write_keys(keys, ("root", "tsa", "ocsp", OFFICER, AGENCY, EXPIRED, REVOKED))
    port = _free_port()
    prefix = f"http://127.0.0.1:{port}"
    config_file = home / "certomancer.yml"
    config_file.write_text(yaml.safe_dump(_certomancer_config(prefix, keys), allow_unicode=True), encoding="utf-8")
    arch = CertomancerConfig.from_file(str(config_file)).get_pki_arch(ArchLabel(ARCH))
    certs = {name: arch.get_cert(CertLabel(name)).dump() for name in (OFFICER, AGENCY, EXPIRED, REVOKED)}
    _import_to_token(SOFTHSM_MODULE, TOKEN_LABEL, USER_PIN, keys, certs)
    root_pem = home / "root.pem"
    from asn1crypto import pem  # type: ignore[import-untyped]

    root_pem.write_bytes(pem.armor("CERTIFICATE", arch.get_cert(CertLabel("root")).dump()))
    nss = home / "nss"
    _nss_db(nss, root_pem)

    animator = subprocess.Popen(
        [str(Path(sys.executable).with_name("certomancer")), "--config", str(config_file), "animate",
         "--port", str(port), "--no-web-ui"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_http(f"{prefix}/{ARCH}/certs/root/ca.crt", animator)
        yield SigningPki(module=SOFTHSM_MODULE, token_label=TOKEN_LABEL, pin=USER_PIN,
                         tsa_url=f"{prefix}/{ARCH}/tsa/tsa", ocsp_url=f"{prefix}/{ARCH}/ocsp/root",
                         trust_roots=root_pem, nss_dir=nss, softhsm_conf=conf)
    finally:
        animator.terminate()
        animator.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens (a TSA that is unreachable)."""
    return f"http://127.0.0.1:{_free_port()}/tsa"


def build_unsigned_pdf(path: Path, *, title: str = "Giấy khai sinh — Nguyễn Thị Mai") -> Path:
    """A one-page colour PDF/A-2b file as the station builds it (Vietnamese text), to be signed."""
    from datetime import datetime, timedelta, timezone

    from station.pdfa import DocumentInfo, PdfPage, build_pdfa
    from tests import pagegen

    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:6], color=True)
    info = DocumentInfo(title=title, doc_type="giay-khai-sinh", station_id="TTPVHCC-Ba-Đình-01",
                        operator=OFFICER_NAME, captured_at=datetime(2026, 11, 30, 8, 15, 42,
                                                                     tzinfo=timezone(timedelta(hours=7))),
                        dossier_code="000.00.07.H26-261130-0042")
    build_pdfa([PdfPage(page.image, 300, None, "", None)], info, None, path)
    return path


@pytest.fixture
def unsigned_pdf(tmp_path: Path) -> Path:
    return build_unsigned_pdf(tmp_path / "01-giấy-khai-sinh.pdf")
