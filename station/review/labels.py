"""Vietnamese names of the quality flags and queue reasons (shared by the review window and reports)."""

from __future__ import annotations

FLAG_LABELS = {
    "blur": "mờ",
    "low_dpi": "độ phân giải thấp",
    "too_dark": "quá tối",
    "too_light": "quá sáng",
    "low_contrast": "tương phản thấp",
    "skewed": "nghiêng",
    "cut_off": "mất nội dung ở mép",
    "blank": "trang trắng",
}
STATE_LABELS = {"pending": "chờ duyệt", "approved": "đạt", "rejected": "từ chối"}
QUEUE_REASON_LABELS = {"flagged": "gắn cờ", "sample": "mẫu ngẫu nhiên"}


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


def flags_text(flags: tuple[str, ...] | list[str]) -> str:
    return ", ".join(flag_label(f) for f in flags)
