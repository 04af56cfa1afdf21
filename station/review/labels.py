"""Vietnamese names of the quality flags and queue reasons (shared by the review window and reports)."""

from __future__ import annotations

from scanning.models import QualityFlag

# One Vietnamese label per quality flag (a test keeps it complete), plus the page's blank mark.
FLAG_LABELS: dict[str, str] = {
    QualityFlag.BLUR: "mờ",
    QualityFlag.LOW_DPI: "độ phân giải thấp",
    QualityFlag.TOO_DARK: "quá tối",
    QualityFlag.TOO_LIGHT: "quá sáng",
    QualityFlag.LOW_CONTRAST: "tương phản thấp",
    QualityFlag.SKEWED: "nghiêng",
    QualityFlag.CUT_OFF: "mất nội dung ở mép",
    QualityFlag.ORIENTATION_UNCERTAIN: "không rõ chiều trang",
    "blank": "trang trắng",
}
STATE_LABELS = {"pending": "chờ duyệt", "approved": "đạt", "rejected": "từ chối"}
QUEUE_REASON_LABELS = {"flagged": "gắn cờ", "sample": "mẫu ngẫu nhiên"}


def flag_label(flag: str) -> str:
    return FLAG_LABELS.get(flag, flag)


def flags_text(flags: tuple[str, ...] | list[str]) -> str:
    return ", ".join(flag_label(f) for f in flags)
