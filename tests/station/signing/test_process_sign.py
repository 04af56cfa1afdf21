"""`station process --sign`: every document it builds is signed before its manifest line is written, and the
manifest records "signed" and "signature_level"; pyHanko and pdfsig agree the files are valid."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from station.exit_codes import ExitCode
from station.pdfa import check_pdfa
from station.signing import verify_file
from tests.batch_inputs import CODE, save, text_page, with_qr
from tests.signing_fixtures import AGENCY_NAME, OFFICER_NAME, SigningPki
from tests.station.signing.test_sign_verify import pdfsig
from tests.station.signing.test_sign_verify_cli import station

OFFICER = OFFICER_NAME  # the stamp names the holder of the officer certificate


def inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    return [save(with_qr(text_page(slice(0, 5)), CODE), folder / "01-tờ-khai.png"),
            save(text_page(slice(5, 10), color=True), folder / "02-giấy-khai-sinh.png")]


def test_process_signs_each_document_and_the_manifest_says_so(signing_pki: SigningPki, tmp_path: Path) -> None:
    out = tmp_path / "kết quả"
    done = station(signing_pki, "process", *map(str, inputs(tmp_path / "hồ sơ")), "--out", str(out), "--split",
                   "file", "--jobs", "1", "--quiet", "--sign", "--officer", OFFICER, "--copy-form", "SAO Y",
                   "--agency", AGENCY_NAME)
    assert done.returncode == ExitCode.OK, done.stderr
    manifest = json.loads((out / CODE / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["documents"]) == 2
    for document in manifest["documents"]:
        assert document["signed"] is True and document["signature_level"] == "B-LT"
        path = out / CODE / document["file"]
        report = verify_file(path, signing_pki.trust_roots)
        assert report.valid and [(s.role, s.signer) for s in report.signatures] == [("officer", OFFICER),
                                                                                   ("agency", AGENCY_NAME)]
        assert check_pdfa(path).failures == ()
        assert pdfsig(path, signing_pki.nss_dir).count("Signature is Valid.") == 2
        assert hashlib.sha256(path.read_bytes()).hexdigest() == document["sha256"]  # the signed file is listed


def test_process_without_sign_records_unsigned_and_a_wrong_pin_stops_before_any_page(
        signing_pki: SigningPki, tmp_path: Path) -> None:
    files = inputs(tmp_path / "hồ sơ")
    plain = station(None, "process", *map(str, files), "--out", str(tmp_path / "không ký"), "--split", "file",
                    "--jobs", "1", "--quiet")
    assert plain.returncode == ExitCode.OK, plain.stderr
    manifest = json.loads((tmp_path / "không ký" / CODE / "manifest.json").read_text(encoding="utf-8"))
    assert all(d["signed"] is False and d["signature_level"] is None for d in manifest["documents"])

    wrong = station(signing_pki, "process", *map(str, files), "--out", str(tmp_path / "sai PIN"), "--jobs", "1",
                    "--quiet", "--sign", "--officer", OFFICER, STATION_PKCS11_PIN="111111")
    assert wrong.returncode == ExitCode.SIGNATURE and "PIN" in wrong.stderr
    assert not list(tmp_path.glob("sai PIN/**/*.pdf"))  # the token was refused before the first page
