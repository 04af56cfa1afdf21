"""Every quality flag the cleanup can raise has a Vietnamese label and a score penalty of its own."""

from __future__ import annotations

from scanning.cleanup.config import QualityThresholds
from scanning.models import QualityFlag
from station.review.labels import flag_label, flags_text


def test_every_flag_has_its_own_vietnamese_label() -> None:
    labels = {flag: flag_label(flag) for flag in QualityFlag}
    assert all(label != str(flag) for flag, label in labels.items()), labels
    assert len(set(labels.values())) == len(labels)


def test_every_flag_has_an_explicit_penalty() -> None:
    assert {flag for flag, _ in QualityThresholds().penalties} == set(QualityFlag)


def test_flags_read_back_from_json_strings_get_the_same_labels() -> None:
    assert flags_text(["orientation_uncertain", "blur"]) == "không rõ chiều trang, mờ"
