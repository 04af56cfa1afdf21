"""The SANE driver against real SANE virtual devices (`test`, `pnm`) from resources/sane."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from scanning.drivers.base import ScanDriver
from scanning.drivers.sane_driver import OptionSetter, SaneDriver, frame_to_image
from scanning.drivers.sane_options import mode_kind, source_kind
from scanning.drivers.sane_runtime import VIRTUAL_CONFIG_DIR, use_virtual_devices
from scanning.errors import (
    CoverOpenError,
    DeviceBusyError,
    DeviceGoneError,
    DeviceNotFoundError,
    NoDocumentsError,
    PaperJamError,
    ScanCancelledError,
    ScannerError,
    UnsupportedOptionError,
)
from scanning.models import ColorMode, Page, PageSize, ScanOptions, Source
from tests.pagegen import render_text_page, write_pnm
from tests.sane_fixtures import SLOW, PageWatch, clean_virtual_devices, reset_virtual_devices

__all__ = ["clean_virtual_devices"]  # autouse fixture: each test starts from the backends' defaults

ADF = ScanOptions(source=Source.ADF, resolution=75, page_size=PageSize.A5)


def fault_on_page(page: int, status: str) -> SaneDriver:
    """A driver whose `test` device reports `status` from page `page` on, within one ADF job."""

    def hook(number: int, set_option: OptionSetter) -> None:
        if number == page:
            set_option("read_return_value", status)

    return SaneDriver(before_each_page=hook)


def scan_keeping_pages(driver: SaneDriver, device: str, options: ScanOptions) -> tuple[list[Page], Exception | None]:
    pages: list[Page] = []
    try:
        for page in driver.scan(device, options):
            pages.append(page)
    except ScannerError as err:
        return pages, err
    return pages, None


def transitions(line: np.ndarray) -> np.ndarray:
    return np.flatnonzero(np.diff(line.astype(np.int16)))


# --- device list and capabilities -------------------------------------------------------------------


def test_driver_satisfies_the_interface() -> None:
    assert isinstance(SaneDriver(), ScanDriver)


def test_lists_the_virtual_devices() -> None:
    devices = {d.name: d for d in SaneDriver().list_devices()}
    assert {"test:0", "test:1", "pnm:0", "pnm:1"} <= set(devices)
    assert devices["test:0"].kind == "virtual device"
    assert devices["test:0"].driver == "sane"


def test_capabilities_of_the_test_device() -> None:
    caps = SaneDriver().capabilities("test:0")
    assert caps.sources == (Source.FLATBED, Source.ADF)
    assert caps.modes == (ColorMode.COLOR, ColorMode.GRAY, ColorMode.LINEART)
    assert {150, 200, 300, 600} <= set(caps.resolutions)
    assert PageSize.A4 in caps.page_sizes and PageSize.AUTO in caps.page_sizes
    assert (caps.max_width_mm, caps.max_height_mm) == (300.0, 300.0)  # test.conf's geometry_max


def test_capabilities_of_the_pnm_device() -> None:
    caps = SaneDriver().capabilities("pnm:0")
    assert caps.sources == (Source.FLATBED,)
    assert caps.resolutions[0] == 75 and caps.resolutions[-1] == 300
    assert caps.page_sizes == (PageSize.AUTO,)  # no geometry: the file decides


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Flatbed", Source.FLATBED),
        ("FlatBed", Source.FLATBED),
        ("Automatic Document Feeder", Source.ADF),
        ("ADF", Source.ADF),
        ("ADF Front", Source.ADF),
        ("ADF Back", None),
        ("ADF Duplex", Source.DUPLEX),
        ("Duplex", Source.DUPLEX),
        ("Automatic Document Feeder(left aligned,Duplex)", Source.DUPLEX),
        ("Transparency Adapter", None),
    ],
)
def test_backend_source_names_map_to_sources(name: str, kind: Source | None) -> None:
    assert source_kind(name) is kind


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Color", ColorMode.COLOR),
        ("24bit Color", ColorMode.COLOR),
        ("Gray", ColorMode.GRAY),
        ("Grayscale", ColorMode.GRAY),
        ("True Gray", ColorMode.GRAY),
        ("Lineart", ColorMode.LINEART),
        ("Binary", ColorMode.LINEART),
        ("Black & White", ColorMode.LINEART),
        ("Halftone", None),  # dithered: only a last resort for lineart, see mode_names
    ],
)
def test_backend_mode_names_map_to_modes(name: str, kind: ColorMode | None) -> None:
    assert mode_kind(name) is kind


# --- pixels ---------------------------------------------------------------------------------------


def test_a4_at_300_dpi_has_the_a4_pixel_size() -> None:
    (page,) = SaneDriver().scan("test:0", ScanOptions(resolution=300, page_size=PageSize.A4))
    assert abs(page.width - 2480) <= 1 and abs(page.height - 3508) <= 1
    assert page.dpi == 300 and page.index == 1 and page.side is None
    assert page.image.dtype == np.uint8 and page.image.ndim == 2


def test_grid_squares_are_10_mm_at_the_requested_resolution() -> None:
    driver = SaneDriver(extra_options={"test_picture": "Grid"})
    (page,) = driver.scan("test:0", ScanOptions(resolution=200, page_size=PageSize.A5))
    ten_mm_px = 10 / 25.4 * 200
    for line in (page.image[20], page.image[:, 20]):
        steps = np.diff(transitions(line))
        assert len(steps) >= 10
        assert abs(steps.mean() - ten_mm_px) < 0.01 * ten_mm_px  # the backend alternates 77 / 80 px
        assert np.all(np.abs(steps - ten_mm_px) <= 2.0)


def test_color_pattern_arrives_as_rgb() -> None:
    driver = SaneDriver(extra_options={"test_picture": "Color pattern"})
    (page,) = driver.scan("test:0", ScanOptions(mode=ColorMode.COLOR, resolution=75, page_size=PageSize.A5))
    assert page.image.ndim == 3 and page.image.shape[2] == 3
    assert abs(page.width - 148 / 25.4 * 75) <= 1 and abs(page.height - 210 / 25.4 * 75) <= 1
    red, green = page.image[..., 0].astype(int), page.image[..., 1].astype(int)
    assert np.count_nonzero(red != green) > page.width * page.height // 10  # really coloured, not gray


def test_lineart_on_a_gray_only_device_is_0_and_255() -> None:
    driver = SaneDriver(extra_options={"test_picture": "Color pattern"})
    (page,) = driver.scan("test:0", ScanOptions(mode=ColorMode.LINEART, resolution=75, page_size=PageSize.A5))
    assert set(np.unique(page.image).tolist()) == {0, 255}


@pytest.mark.parametrize(("picture", "value"), [("Solid white", 255), ("Solid black", 0)])
def test_16_bit_frames_become_8_bit(picture: str, value: int) -> None:
    driver = SaneDriver(extra_options={"test_picture": picture, "depth": 16})
    (page,) = driver.scan("test:0", ScanOptions(resolution=75, page_size=PageSize.ID_CARD))
    assert page.image.dtype == np.uint8
    assert np.all(page.image == value)


def test_frame_conversion_keeps_the_high_byte_of_16_bit_samples() -> None:
    samples = np.array([0, 255, 256, 0x8000, 0xFFFF, 0x7F00], dtype=np.uint16)
    image = frame_to_image(samples.tobytes(), 3, 2, 1, 2)
    assert image.tolist() == [[0, 0, 1], [128, 255, 127]]


def test_a_real_text_page_passes_through_pnm_unchanged(tmp_path: Path) -> None:
    text = render_text_page(dpi=150).image
    source = write_pnm(text, tmp_path / "page.pgm")
    driver = SaneDriver(extra_options={"filename": str(source)})
    (page,) = driver.scan("pnm:0", ScanOptions(resolution=150, page_size=PageSize.AUTO))
    assert page.dpi == 150
    assert np.array_equal(page.image, text)
    assert not page.image.flags.writeable  # the capture is frozen


def test_a_page_file_with_a_vietnamese_name_scans_through_pnm(tmp_path: Path) -> None:
    text = render_text_page(dpi=75).image
    folder = tmp_path / "Hồ sơ của Nguyễn Văn Ánh"
    folder.mkdir()
    source = write_pnm(text, folder / "Giấy tờ đất đai.pgm")
    (page,) = SaneDriver(extra_options={"filename": str(source)}).scan(
        "pnm:0", ScanOptions(resolution=75, page_size=PageSize.AUTO))
    assert np.array_equal(page.image, text)


def test_a_colour_page_through_pnm_can_be_scanned_gray(tmp_path: Path) -> None:
    text = render_text_page(dpi=100, color=True).image
    driver = SaneDriver(extra_options={"filename": str(write_pnm(text, tmp_path / "page.ppm"))})
    (colour,) = driver.scan("pnm:0", ScanOptions(mode=ColorMode.COLOR, resolution=100, page_size=PageSize.AUTO))
    (gray,) = driver.scan("pnm:0", ScanOptions(mode=ColorMode.GRAY, resolution=100, page_size=PageSize.AUTO))
    assert np.array_equal(colour.image, text)
    assert gray.image.shape == text.shape[:2]


# --- feeder, faults, closing ------------------------------------------------------------------------


def test_adf_batch_ends_normally_when_the_feeder_runs_empty() -> None:
    pages = list(SaneDriver().scan("test:0", ADF))
    assert [p.index for p in pages] == list(range(1, 11))  # the test device's feeder holds 10 sheets


def test_adf_batch_stops_at_max_pages() -> None:
    pages = list(SaneDriver().scan("test:0", ScanOptions(source=Source.ADF, resolution=75, max_pages=3)))
    assert len(pages) == 3


@pytest.mark.parametrize(
    ("status", "error"),
    [
        ("SANE_STATUS_JAMMED", PaperJamError),
        ("SANE_STATUS_COVER_OPEN", CoverOpenError),
        ("SANE_STATUS_DEVICE_BUSY", DeviceBusyError),
        ("SANE_STATUS_IO_ERROR", DeviceGoneError),
    ],
)
def test_a_fault_on_page_3_keeps_pages_1_and_2_and_frees_the_device(status: str, error: type[Exception]) -> None:
    pages, err = scan_keeping_pages(fault_on_page(3, status), "test:0", ADF)
    assert isinstance(err, error)
    assert "page 3" in str(err) and err.user_message  # type: ignore[attr-defined]
    assert [p.index for p in pages] == [1, 2]
    assert all(p.image.shape == pages[0].image.shape for p in pages)
    # the device was closed: it opens again (a handle left open makes the test backend answer "busy")
    reset_virtual_devices()
    assert len(list(SaneDriver().scan("test:0", ScanOptions(resolution=75)))) == 1


def test_no_documents_after_some_pages_is_the_normal_end_of_a_batch() -> None:
    pages, err = scan_keeping_pages(fault_on_page(3, "SANE_STATUS_NO_DOCS"), "test:0", ADF)
    assert err is None and len(pages) == 2


@pytest.mark.parametrize(
    ("status", "error"), [("SANE_STATUS_NO_DOCS", NoDocumentsError), ("SANE_STATUS_JAMMED", PaperJamError)]
)
def test_a_fault_on_the_first_sheet_gives_no_page(status: str, error: type[Exception]) -> None:
    pages, err = scan_keeping_pages(fault_on_page(1, status), "test:0", ADF)
    assert isinstance(err, error) and pages == []


@pytest.mark.parametrize(
    ("flag", "error"),
    [("status_jammed", PaperJamError), ("status_coveropen", CoverOpenError), ("status_ioerror", DeviceGoneError)],
)
def test_pnm_faults_are_typed(tmp_path: Path, flag: str, error: type[Exception]) -> None:
    source = write_pnm(render_text_page(dpi=75).image, tmp_path / "page.pgm")
    driver = SaneDriver(extra_options={"filename": str(source), flag: True})
    pages, err = scan_keeping_pages(driver, "pnm:0", ScanOptions(resolution=75, page_size=PageSize.AUTO))
    assert isinstance(err, error) and pages == []


def test_a_device_open_elsewhere_is_busy() -> None:
    other = SaneDriver().scan("test:1", ADF)  # another job holds test:1 open, between two sheets
    next(other)
    try:
        with pytest.raises(DeviceBusyError):
            list(SaneDriver().scan("test:1", ScanOptions(resolution=75)))
        with pytest.raises(DeviceBusyError):
            SaneDriver().capabilities("test:1")
    finally:
        other.close()
    assert len(list(SaneDriver().scan("test:1", ScanOptions(resolution=75)))) == 1  # free again


def test_unknown_device_and_unsupported_settings_are_refused() -> None:
    with pytest.raises(DeviceNotFoundError):
        list(SaneDriver().scan("nosuch:0", ScanOptions()))
    with pytest.raises(UnsupportedOptionError, match="no duplex source"):
        list(SaneDriver().scan("test:0", ScanOptions(source=Source.DUPLEX)))
    with pytest.raises(UnsupportedOptionError, match="no adf source"):
        list(SaneDriver().scan("pnm:0", ScanOptions(source=Source.ADF)))


def test_abandoning_a_job_releases_the_device() -> None:
    job = SaneDriver().scan("test:0", ADF)
    next(job)
    job.close()  # the GUI dropped the job after page 1
    assert len(list(SaneDriver().scan("test:0", ScanOptions(resolution=75)))) == 1


# --- streaming, threads, cancel -----------------------------------------------------------------------


def run_in_worker(driver: SaneDriver, options: ScanOptions, cancel: threading.Event) -> queue.Queue[object]:
    """Scan in a worker thread as the GUI does; pages, then the final error or None, go to a queue."""
    out: queue.Queue[object] = queue.Queue()

    def work() -> None:
        try:
            for page in driver.scan("test:0", options, cancel):
                out.put(page)
            out.put(None)
        except ScannerError as err:
            out.put(err)

    threading.Thread(target=work, daemon=True).start()
    return out


def test_page_1_reaches_the_consumer_while_page_2_is_still_being_read() -> None:
    watch = PageWatch(2, {**SLOW, "read_limit_size": 8192})  # page 1 at once, page 2 in about 4 s
    driver = SaneDriver(before_each_page=watch.hook)
    options = ScanOptions(source=Source.ADF, resolution=150, page_size=PageSize.ID_CARD, max_pages=2)
    out = run_in_worker(driver, options, threading.Event())
    first = out.get(timeout=30)
    assert isinstance(first, Page) and first.index == 1
    watch.wait_reading()  # the child reads page 2 ...
    assert out.empty()  # ... which has not been delivered, while page 1 already reached us
    second = out.get(timeout=30)
    assert isinstance(second, Page) and second.index == 2
    assert out.get(timeout=30) is None


def test_cancel_between_pages_keeps_the_pages_already_delivered() -> None:
    cancel = threading.Event()
    pages: list[Page] = []
    with pytest.raises(ScanCancelledError):
        for page in SaneDriver().scan("test:0", ADF, cancel):
            pages.append(page)
            if page.index == 2:
                cancel.set()
    assert [p.index for p in pages] == [1, 2]
    assert len(list(SaneDriver().scan("test:0", ScanOptions(resolution=75)))) == 1  # device released


def test_cancel_interrupts_a_page_being_read() -> None:
    # 300 dpi gray A4 with a 0.2 s pause per 16 KiB: about 110 s if the read were not interrupted, so an answer
    # within the 60 s below can only come from the cancel cutting the read short
    watch = PageWatch(1, {**SLOW, "read_limit_size": 16384})
    cancel = threading.Event()
    out = run_in_worker(SaneDriver(before_each_page=watch.hook), ScanOptions(resolution=300), cancel)
    watch.wait_reading()
    cancel.set()
    result = out.get(timeout=60)
    assert isinstance(result, ScanCancelledError)
    assert out.empty()  # the truncated page was never delivered


# --- SANE configuration ----------------------------------------------------------------------------


def test_virtual_config_is_the_one_the_tests_use() -> None:
    assert use_virtual_devices() == VIRTUAL_CONFIG_DIR
    assert os.environ["SANE_CONFIG_DIR"] == str(VIRTUAL_CONFIG_DIR)


def test_switching_config_after_init_is_refused(tmp_path: Path) -> None:
    code = (
        "from scanning.drivers.sane_driver import SaneDriver\n"
        "from scanning.drivers.sane_runtime import SaneConfigError, use_virtual_devices\n"
        "SaneDriver().list_devices()\n"
        "try:\n    use_virtual_devices()\nexcept SaneConfigError as err:\n    print('refused:', err)\n"
    )
    env = {**os.environ, "SANE_CONFIG_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "refused: SANE already initialised" in done.stdout


def test_auto_page_size_scans_the_whole_bed_and_id_card_its_own_size() -> None:
    (auto,) = SaneDriver().scan("test:0", ScanOptions(resolution=75, page_size=PageSize.AUTO))
    full_bed = 300 / 25.4 * 75  # test.conf's geometry_max: 300 mm
    assert abs(auto.width - full_bed) <= 1 and abs(auto.height - full_bed) <= 1
    (card,) = SaneDriver().scan("test:0", ScanOptions(resolution=300, page_size=PageSize.ID_CARD))
    # 85.6 x 53.98 mm; the test backend's geometry moves in whole millimetres: 86 x 54 mm at 300 dpi
    assert abs(card.width - 86 / 25.4 * 300) <= 1 and abs(card.height - 54 / 25.4 * 300) <= 1


def test_flatbed_pages_in_one_job_each_get_their_own_scan(tmp_path: Path) -> None:
    """Several flatbed pages in one job (a virtual feeder): each page must be a fresh scan of the new file."""
    shades = (30, 120, 210)
    files = iter([write_pnm(np.full((80, 60), shade, np.uint8), tmp_path / f"p{shade}.pgm") for shade in shades])

    def next_file(_number: int, set_option: OptionSetter) -> None:
        set_option("filename", str(next(files)))

    driver = SaneDriver(before_each_page=next_file)
    pages = list(driver.scan("pnm:0", ScanOptions(resolution=100, page_size=PageSize.AUTO, max_pages=3)))
    assert [int(page.image[10, 10]) for page in pages] == list(shades)
    assert [page.index for page in pages] == [1, 2, 3]
