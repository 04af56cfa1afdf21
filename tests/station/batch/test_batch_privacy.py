"""`station process` with a citizen ID card page: outside the PDFs themselves (the document, whose text layer
legitimately holds the card's text), no file under the output folder holds the citizen's ID number, name,
birth date or address in clear — not the manifest, not the work journal or page data of a run that died
half-way, not anything left after the run succeeded. Folders are 0700, files 0600."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PIL import Image as PILImage

from station.batch.resume_log import WORK_DIR_NAME
from station.batch.runner import ProcessOptions, run_batch
from tests.batch_inputs import CODE, save, text_page, with_qr
from tests.cardgen import PEOPLE, Placement, flatbed_page, render_card
from tests.paths import ROOT

PERSON = PEOPLE[0]  # NGUYỄN VĂN AN, 001093047064, born 05/01/1993, Số 12 ngõ 45 Nguyễn Trãi, ...


class Crash(Exception):
    pass


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def spellings() -> dict[str, set[bytes]]:
    dob = PERSON.date_of_birth
    secrets = {
        "id number": [PERSON.id_number],
        "name": [PERSON.full_name],
        "birth date": [dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%d%m%Y"), dob.strftime("%y%m%d")],
        "address": [PERSON.address.split(",")[0]],
    }
    found: dict[str, set[bytes]] = {}
    for what, texts in secrets.items():
        variants = {unicodedata.normalize(nf, spelled) for text in texts
                    for form in (text, text.upper(), text.lower(), text.title()) for spelled in (form, fold(form))
                    for nf in ("NFC", "NFD")}
        found[what] = ({v.encode() for v in variants} | {json.dumps(v)[1:-1].encode() for v in variants}
                       | {v.encode("utf-16-le") for v in variants})
    return found


def leaks(out: Path) -> list[str]:
    found = []
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix != ".pdf":
            data = path.read_bytes()
            found += [f"{what} in {path.relative_to(out)}" for what, forms in spellings().items()
                      if any(form in data for form in forms)]
    return found


def not_private(out: Path) -> list[str]:
    wrong = []
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode != (0o700 if path.is_dir() else 0o600):
            wrong.append(f"{path.relative_to(out)}: {oct(mode)}")
    return wrong


@pytest.mark.timeout(600)
def test_no_personal_field_in_clear_under_the_output_folder(tmp_path: Path) -> None:
    inbox = tmp_path / "đầu vào"
    inbox.mkdir()
    receipt = save(with_qr(text_page(slice(14, 20)), CODE), inbox / "01-bien-nhan.png")
    card_page = flatbed_page([Placement(render_card(PERSON, style="2021", side="front"), 25, 30),
                              Placement(render_card(PERSON, style="2021", side="back"), 25, 110)])
    card = inbox / "02-the-can-cuoc.png"
    PILImage.fromarray(card_page).save(card, dpi=(300, 300))
    out = tmp_path / "kết quả"

    def die_before_building(done: int, source: str) -> None:
        if done == 2:
            raise Crash

    with pytest.raises(Crash):  # a run that died half-way leaves its work folder: it must hold nothing in clear
        run_batch([receipt, card], ProcessOptions(out_dir=out, jobs=1), progress=die_before_building)
    [work] = [p for p in (out / WORK_DIR_NAME).iterdir() if p.is_dir()]
    assert (work / "journal.jsonl").is_file() and len(list((work / "pages").iterdir())) == 2
    assert leaks(out) == []
    assert not_private(out) == []

    summary = run_batch([receipt, card], ProcessOptions(out_dir=out, jobs=1))  # resumed to the end
    assert summary.resumed and not summary.failures
    assert list((out / WORK_DIR_NAME).iterdir()) == [out / WORK_DIR_NAME / f"{summary.batch_id}.done.json"]
    assert leaks(out) == []
    assert not_private(out) == []

    cli_out = tmp_path / "kết quả từ dòng lệnh"  # and through the real command, with its settings and pool
    result = subprocess.run([sys.executable, "-m", "station", "process", str(inbox), "--out", str(cli_out), "--jobs",
                             "2", "--quiet"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((cli_out / CODE / "manifest.json").read_text(encoding="utf-8"))
    # The card was read (so the search means something), yet only its sides and checks are in the manifest.
    assert sorted(c["side"] for c in manifest["cccd"]) == ["back", "front"]
    assert all(set(c) == {"side", "card_style", "sources", "warnings"} for c in manifest["cccd"])
    assert not [p for p in (cli_out / WORK_DIR_NAME).iterdir() if p.is_dir()]  # the work folder went with success
    assert leaks(cli_out) == []
    assert not_private(cli_out) == []
    assert PERSON.id_number not in result.stderr
