"""What a person reads in a window, for the one-language tests: every label, button, title, tab, tooltip,
placeholder, combo item, table header and cell, status line and chart title under a widget. No tests here."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QTabWidget,
    QWidget,
)

_WORD = re.compile(r"[A-Za-z]{4,}")


def _model_strings(view: QAbstractItemView) -> Iterable[str]:
    model = view.model()
    if model is None:
        return
    top = QModelIndex()
    columns = 1 if isinstance(view, QListView) else model.columnCount(top)  # a list's model hides columnCount
    for column in range(columns):
        yield str(model.headerData(column, Qt.Orientation.Horizontal) or "")
        for row in range(model.rowCount(top)):
            index = model.index(row, column)
            yield str(model.data(index) or "")
            yield str(model.data(index, Qt.ItemDataRole.ToolTipRole) or "")


def ui_strings(root: QWidget) -> list[str]:
    """Every visible text under `root` (hidden widgets too: a tab not shown is still the window's)."""
    texts: list[str] = [root.windowTitle()]
    if isinstance(root, QMainWindow):
        texts.append(root.statusBar().currentMessage())
    for widget in [root, *root.findChildren(QWidget)]:
        texts.append(widget.toolTip())
        texts.extend(t for a in widget.actions() for t in (a.text(), a.toolTip()))
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        elif isinstance(widget, QLineEdit):
            texts.append(widget.placeholderText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        if isinstance(widget, QAbstractItemView) and not isinstance(widget.parent(), QComboBox):
            texts.extend(_model_strings(widget))
        for attribute in ("title", "notice"):  # custom-painted widgets (charts, the page view)
            value = getattr(widget, attribute, None)
            if isinstance(value, str):
                texts.append(value)
    return [t for t in texts if t.strip()]


def scrub(texts: Iterable[str], data: Iterable[str]) -> list[str]:
    """The texts without the data they show (names, codes, configured reasons): those are not the UI's words."""
    values = sorted({d for d in data if d}, key=len, reverse=True)
    cleaned = []
    for text in texts:
        for value in values:
            text = text.replace(value, " ")
        cleaned.append(text)
    return cleaned


def vietnamese_in(texts: Iterable[str]) -> list[str]:
    """Texts with a letter outside ASCII: in this UI, Vietnamese."""
    return [t for t in texts if any(c.isalpha() and not c.isascii() for c in t)]


def english_words(ts: Path) -> set[str]:
    """Words of four letters or more of the English source strings that no Vietnamese translation uses."""
    root = ET.parse(ts).getroot()
    sources = " ".join(m.findtext("source") or "" for m in root.iter("message"))
    translations = " ".join(m.findtext("translation") or "" for m in root.iter("message"))
    return {w.lower() for w in _WORD.findall(sources)} - {w.lower() for w in _WORD.findall(translations)}


def english_in(texts: Iterable[str], words: set[str]) -> list[str]:
    return [t for t in texts if any(w.lower() in words for w in _WORD.findall(t))]
