import json
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np

from scanning.models import Page
from station.workflow.draft import Draft, DraftPage
from station.workflow.session import SessionStore
from tests import pagegen
from tests.paths import ROOT


def page(index: int, color: bool = False) -> Page:
    text = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:3], dpi=100, color=color)
    return Page(image=text.image, dpi=100, source="test:0", index=index)


def test_captures_round_trip_losslessly(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    gray, color = page(1), page(2, color=True)
    gray_id = store.save_capture(gray, {"quality_issues": ["blur"]})
    color_id = store.save_capture(color)
    assert np.array_equal(store.load_capture(gray_id).image, gray.image)
    restored_color = store.load_capture(color_id)
    assert restored_color.image.shape == color.image.shape and np.array_equal(restored_color.image, color.image)
    assert restored_color.dpi == 100


def test_restore_returns_saved_draft_with_edits(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    a, b = store.save_capture(page(1)), store.save_capture(page(2))
    draft = Draft().append_page(DraftPage(a)).append_page(DraftPage(b)).rotate(b, 90).set_dossier_code(
        "000.00.01.H22-250702-0013")
    store.save_draft(draft)
    assert SessionStore(tmp_path).has_unfinished()
    assert SessionStore(tmp_path).restore() == draft


def test_capture_written_after_last_draft_save_is_not_lost(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    a = store.save_capture(page(1))
    store.save_draft(Draft().append_page(DraftPage(a)))
    b = store.save_capture(page(2), {"quality_issues": ["too_dark"]})  # crash before the draft was saved
    restored = SessionStore(tmp_path).restore()
    assert [p.page_id for p in restored.documents[0].pages] == [a, b]
    assert restored.documents[0].pages[1].quality_issues == ("too_dark",)


def test_damaged_draft_falls_back_to_captures(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    a = store.save_capture(page(1))
    (store.current / "draft.json").write_text("{trunc")
    assert [p.page_id for p in SessionStore(tmp_path).restore().documents[0].pages] == [a]


def test_killed_process_leaves_restorable_session(tmp_path: Path) -> None:
    """A real kill -9 right after the captures were saved: everything comes back."""
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from tests.station.workflow.test_workflow_session import page
        from station.workflow.session import SessionStore
        from station.workflow.draft import Draft, DraftPage
        store = SessionStore(__import__("pathlib").Path({str(tmp_path)!r}))
        ids = [store.save_capture(page(i)) for i in (1, 2, 3)]
        store.save_draft(Draft().append_page(DraftPage(ids[0])))
        print(",".join(ids), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == -9
    ids = result.stdout.strip().split(",")
    restored = SessionStore(tmp_path).restore()
    assert [p.page_id for p in restored.documents[0].pages] == ids
    assert not list((tmp_path / "current").rglob("*.tmp"))


def test_discard_removes_session(tmp_path: Path) -> None:
    store = SessionStore(tmp_path)
    store.save_capture(page(1))
    store.discard()
    assert not store.has_unfinished()
    assert json.dumps(store.restore().documents[0].pages) == "[]"


def test_captures_and_their_metadata_are_sealed_on_disk(tmp_path: Path) -> None:
    import stat

    from station.atrest import HEADER

    store = SessionStore(tmp_path)
    card = Page(image=page(1).image, dpi=100, source="/scans/Nguyễn Văn Ánh - CCCD.png", index=1)
    page_id = store.save_capture(card, {"quality_issues": ["blur"]})
    png, meta = store.captures / f"{page_id}.png", store.captures / f"{page_id}.json"
    for path in (png, meta):
        blob = path.read_bytes()
        assert blob.startswith(HEADER) and b"\x89PNG" not in blob and "Nguyễn".encode() not in blob
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.captures.stat().st_mode) == 0o700
    restored = SessionStore(tmp_path).load_capture(page_id)
    assert np.array_equal(restored.image, card.image) and restored.source == card.source
    assert SessionStore(tmp_path).restore().documents[0].pages[0].quality_issues == ("blur",)


def test_a_tampered_capture_is_refused_not_shown(tmp_path: Path) -> None:
    import pytest

    from station.atrest import AtRestError

    store = SessionStore(tmp_path)
    a, b = store.save_capture(page(1)), store.save_capture(page(2))
    (store.captures / f"{b}.png").replace(store.captures / f"{a}.png")  # page 2 planted as page 1
    with pytest.raises(AtRestError):
        store.load_capture(a)


def test_page_ids_from_the_draft_never_leave_the_captures_folder(tmp_path: Path) -> None:
    import pytest

    store = SessionStore(tmp_path)
    a = store.save_capture(page(1))
    draft = {"dossier_code": None, "excluded": [],
             "documents": [{"doc_type": "Giấy tờ đất đai", "pages": [{"page_id": a}, {"page_id": "../../../etc/x"}]}]}
    (store.current / "draft.json").write_text(json.dumps(draft, ensure_ascii=False), encoding="utf-8")
    assert [p.page_id for p in SessionStore(tmp_path).restore().documents[0].pages] == [a]
    with pytest.raises(ValueError):
        store.load_capture("../../secret")


def test_a_plain_capture_from_before_sealing_is_restored_and_sealed(tmp_path: Path) -> None:
    import cv2

    from station.atrest import is_sealed

    store = SessionStore(tmp_path)
    store.start()
    old = page(1)
    ok, encoded = cv2.imencode(".png", old.image)
    assert ok
    (store.captures / "20250101T000000000000-abc123.png").write_bytes(encoded.tobytes())
    (store.captures / "20250101T000000000000-abc123.json").write_text('{"dpi": 100, "source": "Sổ đỏ.png"}')
    restored = SessionStore(tmp_path).restore()
    assert [p.page_id for p in restored.documents[0].pages] == ["20250101T000000000000-abc123"]
    capture = store.load_capture("20250101T000000000000-abc123")
    assert np.array_equal(capture.image, old.image) and capture.source == "Sổ đỏ.png" and capture.dpi == 100
    assert is_sealed(store.captures / "20250101T000000000000-abc123.png")
    assert is_sealed(store.captures / "20250101T000000000000-abc123.json")
