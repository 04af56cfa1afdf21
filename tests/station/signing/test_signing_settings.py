"""The signing section: settings file < environment, typed for the signing package; the PIN is no setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from station import settings as st
from station.runtime import load_runtime


def test_the_environment_configures_signing(tmp_path: Path) -> None:
    roots = tmp_path / "gốc tin cậy.pem"
    runtime = load_runtime(environ={
        "STATION_CONFIG_DIR": str(tmp_path / "cấu hình"),
        "STATION_PKCS11_MODULE": "/usr/lib/vnpt-ca/libpkcs11.so",
        "STATION_PKCS11_TOKEN": "VNPT-CA Nguyễn Văn Ánh",
        "STATION_PKCS11_KEY": "cán bộ",
        "STATION_PKCS11_AGENCY_KEY": "cơ quan",
        "STATION_TSA_URL": "http://127.0.0.1:9/tsa",
        "STATION_TRUST_ROOTS": str(roots),
        "STATION_PKCS11_PIN": "123456",
    })
    signing = runtime.signing
    assert signing.configured
    assert (signing.token_label, signing.key_label, signing.agency_key_label) == ("VNPT-CA Nguyễn Văn Ánh", "cán bộ",
                                                                                  "cơ quan")
    assert signing.trust_roots == roots and signing.tsa_url == "http://127.0.0.1:9/tsa"
    assert "123456" not in repr(runtime.settings)  # the PIN never becomes a setting


def test_unconfigured_by_default_and_a_bad_tsa_url_is_refused(tmp_path: Path) -> None:
    assert not load_runtime(environ={"STATION_CONFIG_DIR": str(tmp_path)}).signing.configured
    with pytest.raises(st.SettingsError) as caught:
        load_runtime(environ={"STATION_CONFIG_DIR": str(tmp_path), "STATION_TSA_URL": "ftp://máy-chủ/tsa"})
    assert "STATION_TSA_URL" in caught.value.user_message
