"""The manifest's per-document "signed" and "signature_level" (issue 11 §4): written, read back, schema-checked;
older manifests without them still read as unsigned."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from station.output.manifest import write_manifest
from tests.station.output.test_output_manifest import sample
from uploader.errors import ManifestError
from uploader.manifest import MANIFEST, read_manifest


def test_signed_and_level_round_trip(tmp_path: Path) -> None:
    manifest = sample()
    signed = replace(manifest, documents=tuple(replace(d, signed=True, signature_level="B-LT")
                                               for d in manifest.documents))
    folder = tmp_path / "hồ sơ đã ký"
    folder.mkdir()
    write_manifest(folder, signed)
    line = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["documents"][0]
    assert (line["signed"], line["signature_level"]) == (True, "B-LT")
    assert read_manifest(folder).documents[0].signature_level == "B-LT"


def test_a_level_outside_pades_baseline_is_refused(tmp_path: Path) -> None:
    manifest = sample()
    wrong = replace(manifest, documents=tuple(replace(d, signed=True, signature_level="B-LTA-giả")
                                              for d in manifest.documents))
    with pytest.raises(ManifestError):
        write_manifest(tmp_path, wrong)


def test_older_manifests_read_as_unsigned(tmp_path: Path) -> None:
    folder = tmp_path / "hồ sơ cũ"
    folder.mkdir()
    write_manifest(folder, sample())
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    for document in data["documents"]:
        del document["signed"], document["signature_level"]
    (folder / MANIFEST).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    document = read_manifest(folder).documents[0]
    assert (document.signed, document.signature_level) == (False, None)
