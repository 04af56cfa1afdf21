"""Translations: the committed .qm files are compiled from the current .ts files, every string in the code
has a Vietnamese translation, and the window speaks Vietnamese by default."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.review.sources import JournalSource
from station.ui.i18n import TRANSLATIONS_DIR, install_translator
from station.ui.review.window import ReviewWindow
from tests.backend_fixtures import ROOT
from tests.journal_fixtures import make_journal
from tests.station.ui.ui_strings import english_in, english_words, scrub, ui_strings, vietnamese_in
from tests.station.ui.window_support import WindowFactory

BIN = ROOT / ".venv" / "bin"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_qm_is_compiled_from_the_current_ts(tmp_path: Path, language: str) -> None:
    ts = TRANSLATIONS_DIR / f"station_{language}.ts"
    out = tmp_path / f"station_{language}.qm"
    subprocess.run([str(BIN / "pyside6-lrelease"), str(ts), "-qm", str(out)], check=True, capture_output=True,
                   timeout=60)
    committed = TRANSLATIONS_DIR / f"station_{language}.qm"
    assert committed.read_bytes() == out.read_bytes(), f"run: .venv/bin/pyside6-lrelease {ts.relative_to(ROOT)}"


def test_every_string_in_the_code_has_a_vietnamese_translation(tmp_path: Path) -> None:
    ts = tmp_path / "station_vi.ts"
    shutil.copy(TRANSLATIONS_DIR / "station_vi.ts", ts)
    sources = sorted(str(p) for p in (ROOT / "station" / "ui").rglob("*.py"))  # the review window too
    subprocess.run([str(BIN / "pyside6-lupdate"), *sources, "-ts", str(ts)], check=True, capture_output=True,
                   timeout=120)
    untranslated = [
        m.findtext("source")
        for m in ET.parse(ts).getroot().iter("message")
        if m.find("translation") is not None
        and m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert untranslated == [], "add these to resources/translations/station_vi.ts (Qt Linguist), then lrelease"


def test_the_window_is_vietnamese_by_default(qtbot: QtBot, make_window: WindowFactory) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translator = install_translator(app, "vi")
    assert translator is not None
    try:
        window = make_window(start=False)
        assert window.scan_action.text() == "Quét"
        assert window.finish_action.text() == "Hoàn tất và gửi"
        assert window.dossier_panel.title() == "Hồ sơ"
        assert window.device_combo.itemText(0) == "Máy quét ảo (trang mẫu)"
    finally:
        app.removeTranslator(translator)
    assert install_translator(app, "en") is None  # English is the source language: no translator needed


@pytest.mark.parametrize("language", ["en", "vi"])
def test_the_review_window_speaks_one_language(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    """Walk the review window (queue, a page and its facts, a refused decision, the statistics) and find no
    word of the other language; names, codes and the configured reasons are data, not the UI's words."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    locale = QLocale()
    translator = install_translator(app, language)
    journal, _ids = make_journal(tmp_path)
    try:
        source = JournalSource(journal)
        reviewer = "Trần Thị Bích"
        window = ReviewWindow(source, reviewer=reviewer, sample_rate=0.25, seed=5)
        qtbot.addWidget(window)
        window.show()
        review = window.review
        qtbot.waitUntil(lambda: not review.busy and review.queue_model.rowCount() > 0, timeout=30_000)
        texts = ui_strings(window)
        review.reject()  # no reason chosen: the status line says what to do
        texts += [review.last_status, *ui_strings(window)]
        card_row = next(r for r in range(review.queue_model.rowCount())
                        if review.queue_model.entry(r).page.doc_type == "cccd")
        review.select_row(card_row)  # the blurred-preview notice and the card's facts
        qtbot.waitUntil(lambda: not review.busy, timeout=30_000)
        texts += ui_strings(window)
        review.tabs.setCurrentIndex(1)
        qtbot.waitUntil(lambda: review.last_stats is not None and not review.busy, timeout=30_000)
        texts += ui_strings(window)
        pages = journal.pages()
        data = [reviewer, str(journal.path), *source.reasons,
                *(value for p in pages for value in (p.station_id, p.operator_id, p.dossier_code, p.procedure_code,
                                                     p.doc_type, p.source, p.profile, *p.cccd_masked))]
        words = scrub(texts, [d for d in data if d])
        assert len(words) > 150  # the walk saw the whole window
        if language == "en":
            assert translator is None
            assert vietnamese_in(words) == []
            assert review.approve_button.text() == "Approve (A)"
        else:
            assert english_in(words, english_words(TRANSLATIONS_DIR / "station_vi.ts")) == []
            assert review.approve_button.text() == "Đạt (A)"
    finally:
        if translator is not None:
            app.removeTranslator(translator)
        QLocale.setDefault(locale)
        journal.close()
