"""What crosses between coordinator and worker: options as JSON, answers as sealed files, messages checked."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from ocr.models import CardSide, CardStyle, CitizenId
from scanning.cleanup.config import CleanupConfig
from station.batch.resume_log import PageRecord
from station.batch.runner import PageResult
from station.cluster.codec import (
    MessageError,
    PageFailure,
    from_json,
    options_from_json,
    options_to_json,
    read_options,
    read_result,
    result_name,
    write_options,
    write_result,
)
from station.cluster.work import check_work_dir, do_page
from station.output.pagedata import PageDataError
from station.pdfa.models import BuildSettings, EncodingMode
from station.runtime import load_runtime
from uploader.manifest import CardSummary

CARD = CitizenId(side=CardSide.FRONT, card_style=CardStyle.CAN_CUOC_2024, id_number="001234567845",
                 full_name="Nguyễn Thị Ánh Tuyết", date_of_birth=date(1990, 3, 4), sex="Nữ",
                 address="12 Lê Lợi, phường Bến Nghé, TP. Hồ Chí Minh", sources=("qr", "ocr"),
                 checks={"checksum": True, "qr_matches_ocr": False}, warnings=("họ tên khác nhau",))


def test_the_runtimes_batch_options_survive_the_message(tmp_path: Path) -> None:
    options = load_runtime().process_options(tmp_path / "kết quả")
    options = replace(options, analysis=replace(options.analysis, lang="vie", cccd=False),
                      build=replace(BuildSettings(), mode=EncodingMode.JPEG, jpeg_quality=61),
                      pdf_dpi=200, preview_long_side=800)
    write_options(tmp_path, options)
    assert b"vie" not in (tmp_path / "batch.options").read_bytes()  # sealed: not to be changed on the shared folder
    back = read_options(tmp_path, tmp_path / "việc")
    assert back.analysis == options.analysis
    assert back.build == options.build
    assert (back.pdf_dpi, back.preview_long_side) == (200, 800)
    assert back.journal_path is None and back.out_dir == tmp_path / "việc"  # the coordinator keeps those


@pytest.mark.parametrize("data", [
    {"crop": True, "lệnh": "rm -rf /"},  # a field the options do not have
    {"crop": "có"},  # a wrong type
    {"analysis_dpi": True},  # a boolean is not a number here
    ["crop"],
])
def test_a_forged_options_object_is_refused(data: object) -> None:
    with pytest.raises(MessageError):
        from_json(CleanupConfig, data)


def test_options_from_another_program_are_refused(tmp_path: Path) -> None:
    good = options_to_json(load_runtime().process_options(tmp_path))
    with pytest.raises(MessageError):
        options_from_json({**good, "journal_path": "/tmp/nhật-ký"}, tmp_path)
    with pytest.raises(MessageError):
        options_from_json({**good, "analysis": {**good["analysis"], "lang": 7}}, tmp_path)
    assert options_from_json(good, tmp_path).analysis == replace(load_runtime().analysis, keep_image=True)


def test_a_page_answer_with_card_fields_and_preview_comes_back_whole(tmp_path: Path) -> None:
    preview = np.arange(40 * 30 * 3, dtype=np.uint8).reshape(40, 30, 3)
    record = PageRecord(position=7, input=2, page=3, dossier_code="000.00.01.H22-250702-0013", quality_score=88,
                        quality_issues=("skewed",), cards=(CardSummary("front", "2024", ("qr",), ("họ tên",)),),
                        spill="000007.page", captured_at="2025-07-02T02:30:00+00:00")
    answer = PageResult(record, (CARD,), preview, {"contrast": 180.5}, 300, 2480, 3508, 2)
    write_result(tmp_path, 7, answer)
    sealed = (tmp_path / result_name(7)).read_bytes()
    assert b"Tuy" not in sealed and b"001234567845" not in sealed  # personal data sealed on the shared folder
    back = read_result(tmp_path, 7)
    assert isinstance(back, PageResult)
    assert back.record == record and back.cards == (CARD,) and back.metrics == {"contrast": 180.5}
    assert back.preview is not None and np.array_equal(back.preview, preview)
    assert (back.dpi, back.width, back.height, back.barcodes) == (300, 2480, 3508, 2)


def test_a_failure_answer_and_a_misplaced_answer(tmp_path: Path) -> None:
    write_result(tmp_path, 3, PageFailure("disk", "Không còn chỗ trống", 28))
    assert read_result(tmp_path, 3) == PageFailure("disk", "Không còn chỗ trống", 28)
    write_result(tmp_path, 4, PageResult(PageRecord(position=5, input=0, page=1)))
    with pytest.raises(PageDataError):
        read_result(tmp_path, 4)  # an answer renamed onto another position is not taken
    (tmp_path / result_name(9)).symlink_to(tmp_path / result_name(3))
    with pytest.raises(PageDataError):
        read_result(tmp_path, 9)


def test_a_worker_acts_only_on_work_folders_it_may_write(tmp_path: Path) -> None:
    shared = tmp_path / "thư mục chung"
    batch = shared / ".station-work" / "abc123"
    batch.mkdir(parents=True)
    assert check_work_dir(str(batch), shared) == batch
    (shared / "liên kết").symlink_to(batch)
    outside = tmp_path / "nơi khác"
    outside.mkdir()
    for refused in ("relative/path", str(outside), str(shared / "liên kết"), str(batch / ".." / ".."), 42):
        with pytest.raises(MessageError):
            check_work_dir(refused, shared)


def test_a_page_past_its_deliveries_is_answered_unreadable_without_being_tried(tmp_path: Path) -> None:
    batch = tmp_path / "lô việc"
    batch.mkdir()
    message = {"work_dir": str(batch), "position": 5, "input": 1, "page": 2, "dpi": 300, "captured_at": None}
    # No capture and no options on the shared folder: the page is not even looked at.
    assert do_page(message, attempt=4, max_attempts=3) == "unreadable"
    answer = read_result(batch / "cluster", 5)
    assert answer == PageFailure("crashed", "page crashed a worker 3 times")
    assert do_page(message, attempt=1, max_attempts=3) == "done-before"  # a late redelivery does nothing twice
