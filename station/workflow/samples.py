"""The embedded sample pages and the virtual feeder that scans them through the real SANE `pnm` device.

With nothing configured the station scans these pages (a receipt with the dossier-code QR, separator
sheets, a CCCD front and back of an invented person, a two-page form), so a newcomer can run the whole
counter flow in a minute. They are real scans as far as the station can tell: each page goes through
SANE's `pnm` backend (the `filename` option is set per sheet by the driver's `before_each_page` hook),
exactly the code path of a hardware scanner. The `pnm` backend reads PNM only, so the shipped PNGs are
converted to PGM/PPM in a temporary folder on first use.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PIL import Image as PILImage

from scanning.drivers.sane_driver import OptionSetter, SaneDriver
from scanning.errors import ScanCancelledError
from scanning.models import DeviceCapabilities, Page, PageSize, ScanDevice, ScanOptions, Source

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "samples"
SAMPLE_DPI = 300  # the resolution the sample PNGs were rendered at
VIRTUAL_DEVICE = "pnm:0"
FEEDER_NAME = "virtual-feeder"  # the device name the GUI shows for the feeder (settings: scanner.device "")
SAMPLE_DOSSIER_CODE = "000.00.01.H22-250702-0013"  # on the receipt; seeded in the reference backend
PNM_FAULTS = ("status_jammed", "status_coveropen", "status_nodocs", "status_ioerror")


def sample_pages() -> list[Path]:
    """The shipped sample pages, in feeding order (their names start with the position)."""
    return sorted(SAMPLES_DIR.glob("[0-9][0-9]-*.png"))


class VirtualFeeder:
    """A sheet feeder made of image files, each sheet scanned through SANE's `pnm` device.

    It implements the scan-driver interface (scanning/drivers/base.py). SANE's pnm backend delivers one
    image per sane_start..sane_cancel cycle (a second sane_start without a cancel reports end-of-file), so
    each sheet is its own one-page SANE job; the sheet's file is set by the driver's `before_each_page`
    hook. `count` pages are fed per job (default: every image once; more cycles through them).
    `fault_at` makes the pnm backend report a fault (e.g. ``(4, "status_jammed")``) when reading that sheet.
    Thread-safe: the PNM conversion happens once, on the scanning thread, under a lock.
    """

    RESCAN_SAMPLE = 2  # a one-page job (rescan, insert) feeds a text page, not the receipt

    def __init__(
        self,
        images: Sequence[Path] | None = None,
        *,
        count: int | None = None,
        fault_at: tuple[int, str] | None = None,
    ) -> None:
        self.images = list(images) if images is not None else sample_pages()
        if not self.images:
            raise FileNotFoundError(f"no sample pages in {SAMPLES_DIR}")
        self.count = count
        if fault_at is not None and fault_at[1] not in PNM_FAULTS:
            raise ValueError(f"unknown pnm fault {fault_at[1]!r} (one of {', '.join(PNM_FAULTS)})")
        self.fault_at = fault_at
        self._lock = threading.Lock()
        self._dir: Path | None = None
        self._pnm: list[Path] = []

    def prepared(self) -> list[Path]:
        """The pages as PGM/PPM files SANE's pnm backend can read (converted on first call)."""
        with self._lock:
            if not self._pnm:
                self._dir = Path(tempfile.mkdtemp(prefix="station-feeder-"))
                for n, png in enumerate(self.images, 1):
                    with PILImage.open(png) as image:
                        mode = "RGB" if _is_colour(image) else "L"
                        target = self._dir / f"{n:03d}.{'ppm' if mode == 'RGB' else 'pgm'}"
                        image.convert(mode).save(target, format="PPM")
                    self._pnm.append(target)
            return list(self._pnm)

    def driver(self) -> VirtualFeeder:
        return self

    def options(self, wanted: ScanOptions, pages: int | None = None) -> ScanOptions:
        """The job options: sheets one after the other, at the samples' true resolution."""
        count = pages or self.count or len(self.images)
        return replace(wanted, source=Source.FLATBED, resolution=SAMPLE_DPI, page_size=PageSize.AUTO, max_pages=count)

    # --- the ScanDriver interface -------------------------------------------------------------------------
    def list_devices(self) -> list[ScanDevice]:
        return [ScanDevice(FEEDER_NAME, "Digitization Station", "virtual feeder (sample pages)", "virtual device")]

    def capabilities(self, device_name: str) -> DeviceCapabilities:
        return SaneDriver().capabilities(VIRTUAL_DEVICE)

    def scan(self, device_name: str, options: ScanOptions, cancel: threading.Event | None = None) -> Iterator[Page]:
        files = self.prepared()
        count = options.max_pages or len(files)
        first = 0 if count > 1 else self.RESCAN_SAMPLE % len(files)
        for number in range(1, count + 1):
            if cancel is not None and cancel.is_set():
                raise ScanCancelledError(f"scan on {FEEDER_NAME} cancelled")
            sheet = files[(first + number - 1) % len(files)]
            faults = self._faults_for(number)

            def before_sheet(_n: int, set_option: OptionSetter, sheet: Path = sheet,
                             faults: dict[str, bool] = faults) -> None:
                set_option("filename", str(sheet))
                for flag, on in faults.items():
                    set_option(flag, on)

            job = SaneDriver(before_each_page=before_sheet).scan(VIRTUAL_DEVICE, replace(options, max_pages=1),
                                                                 cancel)
            for page in job:
                yield replace(page, index=number)

    def _faults_for(self, number: int) -> dict[str, bool]:
        """Every fault flag, set both ways: the pnm backend keeps them across jobs (a cleared jam must clear)."""
        return {flag: self.fault_at == (number, flag) for flag in PNM_FAULTS}

    def close(self) -> None:
        with self._lock:
            if self._dir is not None:
                shutil.rmtree(self._dir, ignore_errors=True)
            self._dir, self._pnm = None, []


def _is_colour(image: PILImage.Image) -> bool:
    rgb = image.convert("RGB")
    r, g, b = rgb.split()
    return r.tobytes() != g.tobytes() or g.tobytes() != b.tobytes()
