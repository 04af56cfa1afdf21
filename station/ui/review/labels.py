"""The review window's words for codes (quality flags, queue reasons, review states, page facts): English source
strings translated through the .ts files like the rest of the UI. The PDF/CSV report keeps its Vietnamese table
(station/review/labels.py); tests/station/ui/test_ui_review.py keeps the two in step."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from scanning.models import QualityFlag
from station.ui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "ReviewLabels"

FLAG_NAMES: dict[str, str] = {
    QualityFlag.BLUR: QT_TRANSLATE_NOOP("ReviewLabels", "blurred"),
    QualityFlag.LOW_DPI: QT_TRANSLATE_NOOP("ReviewLabels", "low resolution"),
    QualityFlag.TOO_DARK: QT_TRANSLATE_NOOP("ReviewLabels", "too dark"),
    QualityFlag.TOO_LIGHT: QT_TRANSLATE_NOOP("ReviewLabels", "too light"),
    QualityFlag.LOW_CONTRAST: QT_TRANSLATE_NOOP("ReviewLabels", "low contrast"),
    QualityFlag.SKEWED: QT_TRANSLATE_NOOP("ReviewLabels", "skewed"),
    QualityFlag.CUT_OFF: QT_TRANSLATE_NOOP("ReviewLabels", "content cut off at the edge"),
    QualityFlag.ORIENTATION_UNCERTAIN: QT_TRANSLATE_NOOP("ReviewLabels", "page orientation unclear"),
    "blank": QT_TRANSLATE_NOOP("ReviewLabels", "blank page"),
}
STATE_NAMES = {
    "pending": QT_TRANSLATE_NOOP("ReviewLabels", "awaiting review"),
    "approved": QT_TRANSLATE_NOOP("ReviewLabels", "approved"),
    "rejected": QT_TRANSLATE_NOOP("ReviewLabels", "rejected"),
}
QUEUE_REASON_NAMES = {
    "flagged": QT_TRANSLATE_NOOP("ReviewLabels", "flagged"),
    "sample": QT_TRANSLATE_NOOP("ReviewLabels", "random sample"),
}


def tr_label(text: str) -> str:
    """A word of this module (or any source string of its context) in the UI's language."""
    return QCoreApplication.translate(CONTEXT, text)


def flag_name(flag: str) -> str:
    return tr_label(FLAG_NAMES[flag]) if flag in FLAG_NAMES else flag


def flags_text(flags: tuple[str, ...] | list[str]) -> str:
    return ", ".join(flag_name(f) for f in flags)


def state_name(state: str) -> str:
    return tr_label(STATE_NAMES[state]) if state in STATE_NAMES else state


def queue_reason_name(reason: str) -> str:
    return tr_label(QUEUE_REASON_NAMES[reason]) if reason in QUEUE_REASON_NAMES else reason
