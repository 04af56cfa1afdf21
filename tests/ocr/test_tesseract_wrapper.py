"""One Tesseract wrapper: page OCR and the card/MRZ line readers open their engines the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from ocr.errors import OcrEngineError
from ocr.tesseract import default_tessdata, open_api


def test_a_missing_language_model_is_a_typed_setup_error() -> None:
    with pytest.raises(OcrEngineError, match="missing") as raised:
        open_api("vie+khong-co", psm=6)
    assert raised.value.exit_code == 7 and "tesseract-ocr-vie" in raised.value.user_message


def test_an_empty_tessdata_folder_is_a_typed_setup_error(tmp_path: Path) -> None:
    with pytest.raises(OcrEngineError):
        open_api("vie", psm=6, tessdata=str(tmp_path))


def test_an_unknown_variable_is_refused_not_ignored() -> None:
    with pytest.raises(OcrEngineError, match="biến_không_có"):
        open_api("eng", psm=6, variables={"biến_không_có": "1"})


def test_the_card_readers_use_the_same_tessdata_as_page_ocr(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from ocr.cccd import engine

    monkeypatch.setenv("TESSDATA_PREFIX", str(tmp_path))  # holds no model: the system folder is used
    assert default_tessdata() == "/usr/share/tesseract-ocr/5/tessdata/"
    monkeypatch.setattr(engine, "_engines", {})
    with engine._locked("mrz") as api:
        assert api.GetVariableAsString("tessedit_char_whitelist") == engine.MRZ_WHITELIST
