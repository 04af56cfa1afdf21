"""Nothing read back from a work folder runs as code or is followed as a path: a crafted batch journal or a
planted cache file is refused, and the page is simply done again."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import numpy as np
import pytest

from ocr.models import OcrResult, OcrWord
from station.batch.runner import ProcessOptions, run_batch
from station.output.pagedata import PageDataError, confined_file
from station.workflow.finish import load_cleaned, save_cleaned
from tests.batch_inputs import make_inputs, output_files


class Boom:
    """Unpickling this runs os.mkdir(marker): proof that a payload was executed."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.mkdir, (str(self.marker),)


class Crash(Exception):
    pass


@pytest.mark.timeout(600)
def test_crafted_spill_names_and_pickle_payloads_are_refused_and_the_pages_redone(tmp_path: Path) -> None:
    inputs = make_inputs(tmp_path / "đầu vào")
    reference = tmp_path / "reference"
    run_batch(inputs, ProcessOptions(out_dir=reference, jobs=1))
    out = tmp_path / "out"

    def die_before_building(done: int, source: str) -> None:
        if done == 8:  # every page recorded, no document built yet
            raise Crash

    with pytest.raises(Crash):
        run_batch(inputs, ProcessOptions(out_dir=out, jobs=1), progress=die_before_building)
    [work] = (out / ".station-work").iterdir()
    pages_dir = work / "pages"
    marker = tmp_path / "payload-ran"
    outside = tmp_path / "ngoài-thư-mục.pkl"
    outside.write_bytes(pickle.dumps(Boom(marker)))
    lines = [json.loads(line) for line in (work / "journal.jsonl").read_text(encoding="utf-8").splitlines()]
    spills = {r["position"]: r["spill"] for r in lines if r["kind"] == "page" and r.get("spill")}
    assert len(spills) == 6
    first, second, third, fourth, fifth, *_ = sorted(spills)
    crafted = {first: str(outside), second: "../../ngoài-thư-mục.pkl", third: spills[third], fourth: "x/../y"}
    (pages_dir / spills[third]).write_bytes(pickle.dumps(Boom(marker)))  # a payload in place of the page data
    (pages_dir / spills[fifth]).unlink()
    (pages_dir / spills[fifth]).symlink_to(outside)  # a link planted under the right name
    for record in lines:
        if record["kind"] == "page" and record["position"] in crafted:
            record["spill"] = crafted[record["position"]]
    (work / "journal.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines),
                                        encoding="utf-8")

    summary = run_batch(inputs, ProcessOptions(out_dir=out, jobs=2))
    assert summary.resumed and not summary.failures
    assert not marker.exists()
    assert output_files(out) == output_files(reference)
    assert outside.read_bytes() == pickle.dumps(Boom(marker))  # never written through the link either


@pytest.mark.parametrize("name", ["../etc/passwd", "/etc/passwd", "", ".", "..", "a/b", "a\\b", "x\0y", 7, None])
def test_only_plain_names_of_regular_files_in_the_folder_are_accepted(tmp_path: Path, name: object) -> None:
    with pytest.raises(PageDataError):
        confined_file(tmp_path, name)


def test_the_cleaned_page_cache_holds_no_pickle_and_no_text_in_clear(tmp_path: Path) -> None:
    cache = tmp_path / "analysis"
    image = np.full((40, 30), 200, dtype=np.uint8)
    ocr = OcrResult("Nguyễn Văn Ánh 001190012345", (OcrWord("Nguyễn", (1, 2, 3, 4), 91.5, 1, 1),), "vie", 30, 40, 91.5)
    save_cleaned(cache, "trang-01", image, 300, ocr, 87)
    [stored] = cache.iterdir()
    assert "Nguyễn".encode() not in stored.read_bytes() and b"001190012345" not in stored.read_bytes()
    loaded = load_cleaned(cache, "trang-01")
    assert loaded is not None and loaded.ocr == ocr and loaded.dpi == 300 and loaded.quality_score == 87
    assert np.array_equal(loaded.image, image)

    marker = tmp_path / "payload-ran"
    (cache / "trang-02.cleaned").write_bytes(np.zeros(4).tobytes() + pickle.dumps(Boom(marker)))
    outside = tmp_path / "outside.cleaned"
    outside.write_bytes(pickle.dumps(Boom(marker)))
    (cache / "trang-03.cleaned").symlink_to(outside)
    assert load_cleaned(cache, "trang-02") is None
    assert load_cleaned(cache, "trang-03") is None
    assert load_cleaned(cache, "../outside") is None
    assert not marker.exists()
    with pytest.raises(PageDataError):
        save_cleaned(cache, "../ngoài", image, 300, ocr, 87)
    assert not (tmp_path / "ngoài.cleaned").exists()


def test_without_the_at_rest_key_the_run_stops_instead_of_dropping_pages(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The one mocked fault: the OS keyring refuses the key. No page may then end up 'unreadable' and left out
    of its document; the run stops with the key error and a re-run (key back) makes everything."""
    from station import atrest
    from station.output import pagedata

    inputs = make_inputs(tmp_path / "đầu vào")[:2]

    def no_key(path: Path, data: bytes) -> None:
        raise atrest.AtRestKeyError("the keyring is locked")

    monkeypatch.setattr(pagedata, "write_sealed", no_key)
    with pytest.raises(atrest.AtRestKeyError):
        run_batch(inputs, ProcessOptions(out_dir=tmp_path / "out", jobs=1))
    monkeypatch.undo()
    summary = run_batch(inputs, ProcessOptions(out_dir=tmp_path / "out", jobs=1))
    assert summary.pages == 4 and not summary.failures
