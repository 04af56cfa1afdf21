"""Loading the UI translations (resources/translations/station_<lang>.qm, compiled from the .ts files).

Source strings in the code are English; Vietnamese is the default language. The .qm files are committed
(compile: `.venv/bin/pyside6-lrelease resources/translations/station_vi.ts`); tests/station/ui/test_ui_translations.py
fails when a .qm is older than its .ts or when a string in the code has no Vietnamese translation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "resources" / "translations"
LANGUAGES = ("vi", "en")


def install_translator(app: QCoreApplication, language: str) -> QTranslator | None:
    """Install station_<language>.qm; returns the translator (keep a reference) or None for English."""
    if language not in LANGUAGES:
        language = "vi"
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else QLocale.Language.English))
    if language == "en":
        return None
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS_DIR / f"station_{language}.qm")):
        return None
    app.installTranslator(translator)
    return translator


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark `text` for translation in `context` (lupdate finds it by this name) and return it unchanged;
    typed, unlike PySide6's own, so tables of source strings stay `str`."""
    return text
