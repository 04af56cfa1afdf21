"""The dossier-output contract: one typed manifest, one JSON Schema (uploader/schemas/manifest.schema.json, also
at resources/schemas/) that the station checks before writing and the uploader checks before reading; hostile
manifests are refused with a clear error that names the field and never quotes the value."""

from __future__ import annotations

import copy
import hashlib
import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from station.output.manifest import manifest_bytes, write_manifest
from tests.paths import ROOT
from uploader.config import UploaderConfig
from uploader.errors import ManifestError
from uploader.manifest import (
    MANIFEST,
    MAX_MANIFEST_BYTES,
    CardSummary,
    ExcludedPage,
    Manifest,
    ManifestDocument,
    PageRef,
    SourcePage,
    read_folder,
    read_manifest,
    schema_text,
)

CODE = "000.00.01.H22-250702-0013"
OPERATOR = "Nguyễn Văn Ánh"
LAND = "Giấy tờ đất đai"
CONFIG = UploaderConfig(backend_url="http://127.0.0.1:9", station_id="trạm-dự-phòng", operator_id="Trần Thị Bích")


PDF = "%PDF-1.7\n% Giấy tờ đất đai\n%%EOF\n".encode()


def sample(pdf: bytes = PDF) -> Manifest:
    digest = hashlib.sha256(pdf).hexdigest()
    ref = PageRef(1, 2, "b" * 64)
    return Manifest(
        dossier_code=CODE, batch_id="3f9c0a1b2c4d", station_id="Trạm Bến Nghé", created="2025-07-02T02:30:00+00:00",
        operator_id=OPERATOR,
        documents=(ManifestDocument("01-giay-to-dat-dai.pdf", "giay-to-dat-dai", 1, len(pdf), digest, LAND, 1530,
                                    (SourcePage(ref, 88, ("blur",), 180, -0.4),)),),
        excluded_pages=(ExcludedPage(PageRef(2, 1, None), "unreadable"), ExcludedPage(PageRef(0, 1, "c" * 64),
                                                                                      "separator")),
        cards=(CardSummary("front", "2021", ("qr", "mrz"), ("id_number: not 12 digits",)),),
        warnings=("input 1 page 2: quality blur",),
    )


def dossier(tmp_path: Path, data: dict[str, Any] | None = None, pdf: bytes | None = None) -> Path:
    folder = tmp_path / CODE
    folder.mkdir(exist_ok=True)
    manifest = sample() if pdf is None else sample(pdf)
    (folder / "01-giay-to-dat-dai.pdf").write_bytes(pdf or PDF)
    if data is None:
        write_manifest(folder, manifest)
    else:
        (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def valid_json() -> dict[str, Any]:
    return sample().to_json()


# --- the schema file ---------------------------------------------------------------------------------------

def test_the_schema_is_one_file_found_as_package_data_and_under_resources() -> None:
    schema = json.loads(schema_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert (ROOT / "resources" / "schemas" / "manifest.schema.json").read_text(encoding="utf-8") == schema_text()
    assert (ROOT / "uploader" / "schemas" / "manifest.schema.json").read_text(encoding="utf-8") == schema_text()


def test_the_schema_is_found_from_a_plain_checkout_without_the_editable_install(tmp_path: Path) -> None:
    """`python -S`: no .pth file runs, so the editable finder is not there; the checkout is on PYTHONPATH."""
    code = ("import sys, uploader, uploader.manifest as m; "
            "assert uploader.__file__.startswith(sys.argv[1]), uploader.__file__; "
            "assert '$defs' in m.schema_text(); "
            "assert not [n for n in sys.modules if n == 'station' or n.startswith('station.')]; print('ok')")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), sysconfig.get_paths()["purelib"]])}
    result = subprocess.run([sys.executable, "-S", "-c", code, str(ROOT)], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


# --- what the station writes -------------------------------------------------------------------------------

def test_what_the_station_writes_is_valid_and_reads_back_as_the_same_model(tmp_path: Path) -> None:
    folder = dossier(tmp_path)
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert data["schema"] == 2 and data["operator_id"] == OPERATOR
    assert data["documents"][0]["source_pages"][0] == {
        "input": 1, "page": 2, "input_sha256": "b" * 64, "quality": {"score": 88, "issues": ["blur"]},
        "rotation_applied": 180, "skew_deg": -0.4}
    assert read_manifest(folder) == sample()
    assert manifest_bytes(read_manifest(folder)) == (folder / MANIFEST).read_bytes()
    [job] = read_folder(folder, CONFIG)
    assert (job.dossier_code, job.slot, job.doc_type, job.pages) == (CODE, "01-giay-to-dat-dai", "giay-to-dat-dai", 1)
    assert (job.station_id, job.operator_id, job.batch_id) == ("Trạm Bến Nghé", OPERATOR, "3f9c0a1b2c4d")


@pytest.mark.parametrize("broken", [
    ManifestDocument("01-Giấy tờ đất đai.pdf", "giay-to-dat-dai", 1, 10, "a" * 64),  # a human name as file
    ManifestDocument("01-x.pdf", LAND, 1, 10, "a" * 64),  # the free-text type instead of its code
    ManifestDocument("../01-x.pdf", "x", 1, 10, "a" * 64),
])
def test_the_station_never_writes_a_manifest_the_uploader_would_refuse(tmp_path: Path,
                                                                     broken: ManifestDocument) -> None:
    folder = dossier(tmp_path)
    before = (folder / MANIFEST).read_bytes()
    bad = Manifest(CODE, "b1", "Trạm Bến Nghé", "2025-07-02T02:30:00+00:00", (broken,), OPERATOR)
    with pytest.raises(ManifestError) as caught:
        write_manifest(folder, bad)
    assert "documents[0]" in str(caught.value) and "phần mềm" in caught.value.user_message
    assert (folder / MANIFEST).read_bytes() == before  # the old manifest stays whole
    assert sorted(p.name for p in folder.iterdir()) == ["01-giay-to-dat-dai.pdf", MANIFEST]


# --- what the uploader reads -------------------------------------------------------------------------------

def mutated(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(valid_json())
    change(data)
    return data


HOSTILE: dict[str, tuple[Any, str]] = {
    "pages as text": (lambda d: d["documents"][0].update(pages="1"), "documents[0].pages"),
    "bytes as a fraction": (lambda d: d["documents"][0].update(bytes=10.5), "documents[0].bytes"),
    "pages a boolean": (lambda d: d["documents"][0].update(pages=True), "documents[0].pages"),
    "documents an object": (lambda d: d.update(documents={"file": "01-x.pdf"}), "documents"),
    "dossier code a number": (lambda d: d.update(dossier_code=250702), "dossier_code"),
    "file climbs out": (lambda d: d["documents"][0].update(file="../x.pdf"), "documents[0].file"),
    "file in a subfolder": (lambda d: d["documents"][0].update(file="con/01-x.pdf"), "documents[0].file"),
    "file absolute": (lambda d: d["documents"][0].update(file="/etc/01-x.pdf"), "documents[0].file"),
    "file a Windows path": (lambda d: d["documents"][0].update(file="C:\\01-x.pdf"), "documents[0].file"),
    "file named after the citizen": (lambda d: d["documents"][0].update(file=f"01-{OPERATOR}.pdf"),
                                     "documents[0].file"),
    "huge page count": (lambda d: d["documents"][0].update(pages=10**30), "documents[0].pages"),
    "huge size": (lambda d: d["documents"][0].update(bytes=2**62), "documents[0].bytes"),
    "negative size": (lambda d: d["documents"][0].update(bytes=-1), "documents[0].bytes"),
    "huge input index": (lambda d: d["excluded_pages"][0].update(input=10**20), "excluded_pages[0].input"),
    "unknown version": (lambda d: d.update(schema=3), "schema"),
    "version as text": (lambda d: d.update(schema="2"), "schema"),
    "no version": (lambda d: d.pop("schema"), "top level"),
    "an input path in version 2": (lambda d: d["documents"][0]["source_pages"][0].update(
        source=f"/home/quầy/{OPERATOR}.png"), "documents[0].source_pages[0]"),
    "an unknown field in version 2": (lambda d: d.update(applicant=OPERATOR), "top level"),
    "control character in an id": (lambda d: d.update(operator_id="Nguyễn\r\nX-Evil: 1"), "operator_id"),
    "upper-case SHA-256": (lambda d: d["documents"][0].update(sha256="A" * 64), "documents[0].sha256"),
    "doc type not a code": (lambda d: d["documents"][0].update(doc_type=LAND), "documents[0].doc_type"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_manifest_is_refused_naming_the_field_never_the_value(tmp_path: Path, name: str) -> None:
    change, field = HOSTILE[name]
    folder = dossier(tmp_path, mutated(change))
    with pytest.raises(ManifestError) as caught:
        read_folder(folder, CONFIG)
    message = str(caught.value)
    assert message.startswith(str(folder / MANIFEST)) and f": {field}:" in message, message
    assert OPERATOR not in message and "../" not in message and "/etc" not in message
    assert caught.value.user_message and caught.value.exit_code == 4


def test_numbers_json_cannot_hold_and_non_json_are_refused_as_unreadable(tmp_path: Path) -> None:
    raw = json.dumps(valid_json()).replace('"pages": 1', '"pages": 1e400')
    folder = dossier(tmp_path)
    (folder / MANIFEST).write_text(raw, encoding="utf-8")  # 1e400 parses as infinity: not an integer
    with pytest.raises(ManifestError, match=r"documents\[0\]\.pages"):
        read_folder(folder, CONFIG)
    (folder / MANIFEST).write_text(raw.replace("1e400", "9" * 5000), encoding="utf-8")  # beyond int parsing
    with pytest.raises(ManifestError, match="unreadable"):
        read_folder(folder, CONFIG)
    (folder / MANIFEST).write_bytes(b"\xff\xfe not json")
    with pytest.raises(ManifestError, match="unreadable"):
        read_folder(folder, CONFIG)


def test_an_oversized_or_linked_manifest_is_refused_unread(tmp_path: Path) -> None:
    folder = dossier(tmp_path)
    data = valid_json()
    data["warnings"] = ["x" * 900] * (MAX_MANIFEST_BYTES // 900 + 10)
    (folder / MANIFEST).write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ManifestError, match="larger than"):
        read_folder(folder, CONFIG)
    elsewhere = tmp_path / "ở nơi khác.json"
    elsewhere.write_text(json.dumps(valid_json()), encoding="utf-8")
    (folder / MANIFEST).unlink()
    (folder / MANIFEST).symlink_to(elsewhere)
    with pytest.raises(ManifestError, match="unreadable"):
        read_folder(folder, CONFIG)


def test_a_pdf_linked_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = dossier(tmp_path)
    outside = tmp_path / "01-giay-to-dat-dai.pdf"
    os.replace(folder / "01-giay-to-dat-dai.pdf", outside)
    (folder / "01-giay-to-dat-dai.pdf").symlink_to(outside)
    with pytest.raises(ManifestError, match="inside the dossier folder"):
        read_folder(folder, CONFIG)


def test_a_station_without_an_id_writes_a_manifest_the_uploader_completes(tmp_path: Path) -> None:
    folder = dossier(tmp_path, mutated(lambda d: d.update(station_id="", operator_id=None)))
    [job] = read_folder(folder, CONFIG)
    assert (job.station_id, job.operator_id) == ("trạm-dự-phòng", "Trần Thị Bích")


def test_batch_only_and_empty_manifests_are_valid_but_not_uploaded(tmp_path: Path) -> None:
    folder = dossier(tmp_path, mutated(lambda d: d.update(dossier_code=None)))
    with pytest.raises(ManifestError, match="no valid dossier_code") as caught:
        read_folder(folder, CONFIG)
    assert "mã hồ sơ" in caught.value.user_message
    (folder / MANIFEST).write_text(json.dumps(mutated(lambda d: d.update(documents=[]))), encoding="utf-8")
    with pytest.raises(ManifestError, match="no documents"):
        read_folder(folder, CONFIG)


def test_a_version_1_manifest_of_an_older_station_is_still_uploaded_without_its_named_inputs(tmp_path: Path) -> None:
    pdf = "%PDF-1.7\n% Tờ khai\n%%EOF\n".encode()
    legacy = {
        "schema": 1, "dossier_code": CODE, "batch_id": "3f9c0a1b2c4d", "station_id": "station-01",
        "created": "2025-07-02T02:30:00+00:00",
        "documents": [{"file": "01-giay-to-dat-dai.pdf", "doc_type": "giay-to-dat-dai", "doc_title": LAND,
                       "pages": 1, "bytes": len(pdf), "sha256": hashlib.sha256(pdf).hexdigest(), "text_chars": 9,
                       "source_pages": [{"source": f"scans/{OPERATOR}.png", "page": 1,
                                         "quality": {"score": 100, "issues": []}, "rotation_applied": 0,
                                         "skew_deg": 0.4}]}],
        "excluded_pages": [{"source": "scans/03.png", "page": 1, "reason": "separator"}], "cccd": [], "warnings": [],
    }
    folder = dossier(tmp_path, legacy, pdf)
    manifest = read_manifest(folder)
    assert manifest.version == 1 and manifest.documents[0].source_pages == () and manifest.excluded_pages == ()
    [job] = read_folder(folder, CONFIG)
    assert (job.doc_type, job.operator_id, job.station_id) == ("giay-to-dat-dai", "Trần Thị Bích", "station-01")
