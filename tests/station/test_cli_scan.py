"""`station scan` end to end on SANE's virtual devices: files written, lines printed, exit status."""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pytest
from PIL import Image as PILImage

from scanning.drivers.files import import_file
from scanning.drivers.sane_driver import OptionSetter, SaneDriver
from scanning.models import PageSize, ScanOptions, Source
from station.commands import scan
from tests.pagegen import render_text_page, write_pnm
from tests.sane_fixtures import clean_virtual_devices

__all__ = ["clean_virtual_devices"]  # autouse: each test starts from the virtual backends' defaults


@pytest.fixture(autouse=True)
def no_saved_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh machine: no settings file, so the embedded defaults apply."""
    monkeypatch.setenv("STATION_CONFIG_DIR", str(tmp_path / "config"))


def station_scan(*argv: str) -> int:
    """The subcommand exactly as station.cli registers and runs it."""
    parser = argparse.ArgumentParser(prog="station")
    scan.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["scan", *argv])
    result: int = args.run(args)
    return result


def pngs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.png"))


def test_fresh_machine_scans_the_virtual_feeder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pages"
    assert station_scan("--out", str(out)) == 0
    files = pngs(out)
    assert [f.name for f in files] == [f"page-{n:04d}.png" for n in range(1, 11)]  # settings default: ADF
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines[:10]] == [f"page {n}" for n in range(1, 11)]
    assert lines[-1] == f"10 page(s) written to {out}"
    with PILImage.open(files[0]) as first:
        assert abs(first.width - 2480) <= 1 and abs(first.height - 3508) <= 1
        assert round(first.info["dpi"][0]) == 300


def test_list_shows_the_virtual_devices(capsys: pytest.CaptureFixture[str]) -> None:
    assert station_scan("--list") == 0
    names = [line.split("\t")[0] for line in capsys.readouterr().out.splitlines()]
    assert "test:0" in names and "pnm:0" in names


def test_a_real_page_through_pnm_is_written_losslessly(tmp_path: Path) -> None:
    text = render_text_page(dpi=150).image
    source = write_pnm(text, tmp_path / "page.pgm")
    out = tmp_path / "pages"
    code = station_scan(
        "--virtual", "--device", "pnm:0", "--set", f"filename={source}", "--source", "flatbed",
        "--resolution", "150", "--page-size", "auto", "--out", str(out),
    )
    assert code == 0
    (written,) = pngs(out)
    (page,) = import_file(written)
    assert page.dpi == 150
    assert np.array_equal(page.image, text)


def test_lineart_pages_are_1_bit_pngs_with_the_same_pixels(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    assert station_scan("--mode", "lineart", "--source", "flatbed", "--page-size", "a5", "--resolution", "100",
                        "--set", "test_picture=Grid", "--out", str(out)) == 0
    (written,) = pngs(out)
    with PILImage.open(written) as image:
        assert image.mode == "1"
    assert set(np.unique(next(import_file(written)).image).tolist()) == {0, 255}


def test_a_fault_at_the_first_page_exits_non_zero_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pages"
    code = station_scan("--set", "read_return_value=SANE_STATUS_COVER_OPEN", "--out", str(out))
    assert code == 3
    err = capsys.readouterr().err
    assert "Scanner cover is open" in err and "Đóng nắp" in err  # technical reason and what to do
    assert pngs(out) == []


def test_a_fault_on_page_3_keeps_the_two_pages_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def jam_at_3(number: int, set_option: OptionSetter) -> None:
        if number == 3:
            set_option("read_return_value", "SANE_STATUS_JAMMED")

    out = tmp_path / "pages"
    options = ScanOptions(source=Source.ADF, resolution=100, page_size=PageSize.A5)
    assert scan.scan_to_folder(SaneDriver(before_each_page=jam_at_3), "test:0", options, out) == 3
    assert [f.name for f in pngs(out)] == ["page-0001.png", "page-0002.png"]
    captured = capsys.readouterr()
    assert "stopped after 2 page(s)" in captured.err and "Document feeder jammed" in captured.err
    assert captured.out.count("page ") == 2
    assert not list(out.glob("*.part"))


def test_a_second_run_continues_the_numbering(tmp_path: Path) -> None:
    out = tmp_path / "pages"
    for _ in range(2):
        assert station_scan("--pages", "2", "--resolution", "75", "--out", str(out)) == 0
    assert [f.name for f in pngs(out)] == [f"page-{n:04d}.png" for n in range(1, 5)]


def test_unsupported_source_and_missing_out_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert station_scan("--source", "duplex", "--out", str(tmp_path / "x")) == 2
    assert "no duplex source" in capsys.readouterr().err
    assert station_scan("--resolution", "75") == 2


def test_the_station_command_line_runs_scan(tmp_path: Path) -> None:
    from station import cli

    assert cli.main(["scan", "--pages", "1", "--resolution", "75", "--out", str(tmp_path / "p")]) == 0
    assert len(pngs(tmp_path / "p")) == 1
