"""`station scan`: capture pages from a scanner into a folder of lossless PNG files, page by page."""

from __future__ import annotations

import argparse
import io
import re
import sys
from pathlib import Path

from PIL import Image as PILImage

from scanning.drivers.sane_driver import SaneDriver, SaneValue
from scanning.drivers.sane_runtime import ensure_initialised, use_virtual_devices
from scanning.errors import ScannerError
from scanning.models import ColorMode, Page, PageSize, ScanOptions, Source
from station.exit_codes import ExitCode
from station.fsutil import write_atomic
from station.runtime import load_runtime

VIRTUAL_DEVICE = "test:0"
VIRTUAL_DEVICE_OPTIONS: dict[str, SaneValue] = {"test_picture": "Grid"}  # 10 mm squares: visibly a page
PAGE_NAME = re.compile(r"^page-(\d{4,})\.png$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "scan",
        help="scan pages into a folder (PNG, lossless)",
        description="Writes each page as it arrives (DIR/page-0001.png, ...). On a scanner fault the pages "
        "already written are kept and the exit status is non-zero. Without --device and with no scanner "
        "configured, the built-in virtual scanner is used.",
    )
    parser.add_argument("--device", help="SANE device name, e.g. epson2:libusb:001:004 (see --list)")
    parser.add_argument("--list", action="store_true", help="list the scanners and exit")
    parser.add_argument("--virtual", action="store_true", help="use the built-in virtual scanners (SANE test/pnm)")
    parser.add_argument("--source", choices=[s.value for s in Source], help="paper source (default from settings)")
    parser.add_argument("--resolution", type=int, help="dpi (default from settings: 300)")
    parser.add_argument("--mode", choices=[m.value for m in ColorMode], help="colour mode (default from settings)")
    parser.add_argument("--page-size", choices=[p.value for p in PageSize], help="page size (default from settings)")
    parser.add_argument("--pages", type=int, metavar="N", help="stop after N pages (default: until the feeder empties)")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", dest="backend_options",
        help="a backend-specific SANE option, e.g. --set filename=/tmp/page.pnm for the pnm device (repeatable)",
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="folder for the pages (created if missing)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    configured = load_runtime(args).settings.scanner
    virtual = bool(args.virtual or (not args.device and not configured.device))
    if virtual:
        use_virtual_devices()
    else:
        ensure_initialised()
    if args.list:
        return _list_devices()
    if args.out is None:
        print("station scan: --out DIR is required (or --list)\n  Cần chỉ thư mục lưu trang: --out THƯ_MỤC.",
              file=sys.stderr)
        return ExitCode.USAGE
    device = args.device or configured.device or VIRTUAL_DEVICE
    options = ScanOptions(
        source=Source(args.source or configured.source),
        resolution=args.resolution or configured.resolution,
        mode=ColorMode(args.mode or configured.mode),
        page_size=PageSize(args.page_size or configured.page_size),
        max_pages=args.pages,
    )
    extra = dict(VIRTUAL_DEVICE_OPTIONS) if virtual and device.startswith("test") else {}
    extra.update(parse_backend_options(args.backend_options))
    return scan_to_folder(SaneDriver(extra_options=extra), device, options, args.out)


def _list_devices() -> int:
    devices = SaneDriver().list_devices()
    for device in devices:
        print(f"{device.name}\t{device.vendor} {device.model} ({device.kind})")
    if not devices:
        print("no scanners found (try --virtual for the built-in virtual scanner)", file=sys.stderr)
    return ExitCode.OK


def scan_to_folder(driver: SaneDriver, device: str, options: ScanOptions, folder: Path) -> int:
    """Write each page as it arrives; on a fault report it, keep what was written, return the exit status."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written = 0
    try:
        for page in driver.scan(device, options):
            path = write_page(page, folder)
            written += 1
            print(f"page {page.index}: {path} ({page.width}x{page.height} px, {page.dpi or '?'} dpi, "
                  f"{options.mode})", flush=True)
    except ScannerError as err:
        print(f"station scan: stopped after {written} page(s): {err}", file=sys.stderr)
        print(f"station scan: {err.user_message}", file=sys.stderr)
        if written:
            print(f"{written} page(s) kept in {folder}", file=sys.stderr)
        return err.exit_code  # ExitCode.DEVICE (USAGE for an option the scanner refuses)
    print(f"{written} page(s) written to {folder}")
    return ExitCode.OK


def write_page(page: Page, folder: Path) -> Path:
    """Write the page as the next free page-NNNN.png; never overwrites, never leaves half a file."""
    image = PILImage.fromarray(page.image)
    if page.image.ndim == 2 and _is_bilevel(page):
        image = image.convert("1")  # 0/255 only: a 1-bit PNG holds the same pixels in an eighth of the size
    target = folder / f"page-{_next_number(folder):04d}.png"
    dpi = {"dpi": (page.dpi, page.dpi)} if page.dpi else {}
    encoded = io.BytesIO()
    image.save(encoded, format="PNG", **dpi)
    # Plain PNG (the user asked for it) but private: 0600, never written through a planted link.
    write_atomic(target, encoded.getvalue())
    return target


def _next_number(folder: Path) -> int:
    numbers = [int(m.group(1)) for p in folder.iterdir() if (m := PAGE_NAME.match(p.name))]
    return max(numbers, default=0) + 1


def _is_bilevel(page: Page) -> bool:
    values = page.image
    return bool(((values == 0) | (values == 255)).all())


def parse_backend_options(pairs: list[str]) -> dict[str, SaneValue]:
    options: dict[str, SaneValue] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            print(f"station: --set expects NAME=VALUE, got {pair!r}\n  Tuỳ chọn --set phải có dạng TÊN=GIÁ_TRỊ.",
                  file=sys.stderr)
            raise SystemExit(ExitCode.USAGE)
        options[name.strip()] = value
    return options
