"""File import: real files from OCRmyPDF's test corpus and files generated here, through real Pillow/PDFium."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import img2pdf
import numpy as np
import pikepdf
import pytest
from PIL import Image as PILImage

from scanning.drivers.files import import_file
from scanning.drivers.limits import MAX_PAGE_PIXELS
from scanning.errors import (
    CorruptFileError,
    EncryptedFileError,
    FileTooLargeError,
    ImportFailedError,
    ScanCancelledError,
    UnsupportedFileError,
)
from scanning.models import Page
from tests.pagegen import render_text_page
from tests.paths import CORPORA

OCRMYPDF = CORPORA / "ocrmypdf"
GIB = 1024**3

# Expected outcome per corpus file: the pages as (height, width, channels, dpi), or the error type.
# channels 1 = gray (H, W); 3 = RGB (H, W, 3).
A4_LETTER_300 = (3300, 2550, 1, 300)
EXPECTED: dict[str, list[tuple[int, int, int, int | None]] | type[ImportFailedError]] = {
    "2400dpi.pdf": [(716, 1000, 1, 600)],  # a 2400 dpi scan: rendered at the 600 dpi ceiling on purpose
    "aspect.pdf": [(800, 1000, 3, 200)],  # 200 x 100 dpi image: the finer axis wins
    "baiona.png": [(682, 640, 3, None)],
    "baiona_alpha.png": [(682, 640, 3, None)],
    "baiona_cmyk.jpg": [(682, 640, 3, 200)],
    "baiona_colormapped.png": [(682, 640, 3, None)],
    "baiona_gray.png": [(682, 640, 1, None)],
    "blank.pdf": [A4_LETTER_300],
    "c02-22.pdf": [(981, 800, 3, 150)],
    "cardinal.pdf": [A4_LETTER_300, (2550, 3300, 1, 300), A4_LETTER_300, (2550, 3300, 1, 300)],
    "ccitt.pdf": [A4_LETTER_300],
    "crom.png": [(50, 400, 1, None)],
    "enormous.pdf": [(9000, 9000, 1, 300)],  # 81 Mpx: under the 100 Mpx page limit, rendered whole
    "epson.pdf": [(3507, 2482, 1, 300)],
    "francais.pdf": [(900, 900, 1, 300)],
    "hugemono.pdf": [(9917, 9917, 1, 85)],  # 35000 x 35000 px: downscaled to the page limit on purpose
    "invalid.pdf": CorruptFileError,
    "jbig2.pdf": [A4_LETTER_300],
    "kcs.pdf": [(930, 1915, 1, 300)],
    "linn.png": [(3300, 2550, 1, None)],
    "linn.txt": UnsupportedFileError,
    "multipage.pdf": [
        (981, 800, 3, 150),
        (9000, 9000, 1, 300),
        (400, 958, 3, 96),
        (400, 958, 3, 96),
        (792, 612, 1, 72),
        (2550, 3300, 3, 300),
    ],
    "no_contents.pdf": [(3000, 3000, 1, 300)],
    "README.rst": UnsupportedFileError,
    "REUSE.toml": UnsupportedFileError,
    "rotated_skew.pdf": [A4_LETTER_300],
    "skew.pdf": [A4_LETTER_300],
    "trivial.pdf": [(1250, 1250, 1, 300)],
    "typewriter.png": [(2864, 4000, 1, None)],
}
BIG = ("enormous.pdf", "hugemono.pdf", "multipage.pdf")


def shape_of(page: Page) -> tuple[int, int, int, int | None]:
    channels = 1 if page.image.ndim == 2 else page.image.shape[2]
    return (page.height, page.width, channels, page.dpi)


def test_every_corpus_file_has_an_expected_outcome(corpora: Path) -> None:
    assert {p.name for p in (corpora / "ocrmypdf").iterdir()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n not in BIG))
def test_corpus_file(name: str, corpora: Path) -> None:
    path = corpora / "ocrmypdf" / name
    expected = EXPECTED[name]
    if isinstance(expected, type):
        with pytest.raises(expected, match=re.escape(name)):  # the message names the file
            list(import_file(path))
        return
    pages = list(import_file(path))
    assert [shape_of(p) for p in pages] == expected
    assert [p.index for p in pages] == list(range(1, len(expected) + 1))
    for page in pages:
        assert page.image.dtype == np.uint8 and not page.image.flags.writeable
        assert page.source == str(path)


@pytest.mark.parametrize("name", BIG)
def test_big_corpus_file_in_bounded_memory(name: str, corpora: Path) -> None:
    """Run in a fresh process so its peak RSS belongs to this file alone."""
    code = (
        "import json, resource, sys\n"
        "from scanning.drivers.files import import_file\n"
        "shapes = [[p.height, p.width, 1 if p.image.ndim == 2 else 3, p.dpi] for p in import_file(sys.argv[1])]\n"
        "print(json.dumps({'shapes': shapes, 'rss': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))\n"
    )
    path = corpora / "ocrmypdf" / name
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [tuple(s) for s in result["shapes"]] == EXPECTED[name]
    assert result["rss"] < 2 * GIB
    print(f"{name}: peak RSS {result['rss'] / 2**20:.0f} MiB")


# --- what the pages contain --------------------------------------------------------------------------


def test_cmyk_alpha_and_palette_variants_match_the_rgb_original() -> None:
    original = next(import_file(OCRMYPDF / "baiona.png")).image.astype(np.int16)
    for name, tolerance in (("baiona_alpha.png", 0.0), ("baiona_colormapped.png", 1.0), ("baiona_cmyk.jpg", 3.0)):
        variant = next(import_file(OCRMYPDF / name)).image.astype(np.int16)
        assert np.abs(variant - original).mean() <= tolerance, name  # inverted Adobe CMYK would be ~230


def test_a_bilevel_pdf_page_is_exactly_the_embedded_image() -> None:
    (page,) = import_file(OCRMYPDF / "ccitt.pdf")
    with pikepdf.open(OCRMYPDF / "ccitt.pdf") as pdf:
        (embedded,) = pdf.pages[0].get_images().values()
        assert isinstance(embedded, pikepdf.Stream)
        reference = np.asarray(pikepdf.PdfImage(embedded).as_pil_image().convert("L"))
    assert np.array_equal(page.image, reference)


def test_blank_pages_render_white() -> None:
    for name in ("blank.pdf", "trivial.pdf", "no_contents.pdf"):
        (page,) = import_file(OCRMYPDF / name)
        assert int(page.image.min()) == 255, name


def test_pdf_render_dpi_is_chosen_for_pages_that_are_not_scans() -> None:
    (page,) = import_file(OCRMYPDF / "trivial.pdf", pdf_dpi=150)  # 300 x 300 pt, no image
    assert (page.height, page.width, page.dpi) == (625, 625, 150)


# --- generated files ------------------------------------------------------------------------------


def test_multipage_tiff_with_mixed_modes(tmp_path: Path) -> None:
    text = render_text_page(dpi=100).image
    frames = [
        PILImage.fromarray(text).convert("1"),
        PILImage.fromarray(text),
        PILImage.fromarray(np.dstack([text, text, 255 - text])),
    ]
    path = tmp_path / "pages.tif"
    frames[0].save(path, save_all=True, append_images=frames[1:], dpi=(200, 200), compression="tiff_deflate")
    pages = list(import_file(path))
    assert [p.index for p in pages] == [1, 2, 3]
    assert all(p.dpi == 200 for p in pages)
    assert set(np.unique(pages[0].image).tolist()) == {0, 255}
    assert np.array_equal(pages[1].image, text)
    assert pages[2].image.shape == (*text.shape, 3)


def test_16_bit_png_keeps_the_high_byte(tmp_path: Path) -> None:
    values = (np.arange(256 * 64, dtype=np.uint32) * 4).astype(np.uint16).reshape(64, 256)
    path = tmp_path / "deep.png"
    PILImage.fromarray(values).save(path, dpi=(300, 300))
    (page,) = import_file(path)
    assert page.image.dtype == np.uint8 and page.dpi == 300
    assert np.array_equal(page.image, (values >> 8).astype(np.uint8))


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = PILImage.new("L", (300, 100), 255)
    image.paste(0, (0, 0, 30, 100))  # a black band on the left
    exif = PILImage.Exif()
    exif[0x0112] = 6  # "rotate 90 CW to display"
    path = tmp_path / "phone.jpg"
    image.save(path, exif=exif, dpi=(300, 300), quality=95)
    (page,) = import_file(path)
    assert (page.width, page.height) == (100, 300)
    assert page.image[:30].mean() < 40 and page.image[-30:].mean() > 215  # band is now at the top
    assert page.dpi == 300


@pytest.mark.parametrize(("fmt", "suffix"), [("BMP", ".bmp"), ("WEBP", ".webp"), ("PNG", ".png")])
def test_lossless_formats_round_trip(tmp_path: Path, fmt: str, suffix: str) -> None:
    rgb = render_text_page(dpi=60, color=True).image
    path = tmp_path / f"page{suffix}"
    options = {"lossless": True} if fmt == "WEBP" else {}
    PILImage.fromarray(rgb).save(path, format=fmt, **options)
    (page,) = import_file(path)
    assert np.array_equal(page.image, rgb)


def test_dpi_is_unknown_when_the_file_does_not_say(tmp_path: Path) -> None:
    path = tmp_path / "plain.png"
    PILImage.new("L", (50, 50), 200).save(path)
    assert next(import_file(path)).dpi is None


def test_transparency_is_composited_on_white(tmp_path: Path) -> None:
    rgba = np.zeros((20, 20, 4), dtype=np.uint8)
    rgba[:10, :, 3] = 255  # top half opaque black, bottom half fully transparent
    path = tmp_path / "alpha.png"
    PILImage.fromarray(rgba, "RGBA").save(path)
    (page,) = import_file(path)
    assert page.image[:10].max() == 0 and page.image[10:].min() == 255


def test_gray_palette_becomes_gray(tmp_path: Path) -> None:
    path = tmp_path / "palette.png"
    PILImage.fromarray(render_text_page(dpi=50).image).convert("P").save(path)
    assert next(import_file(path)).image.ndim == 2


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    side = int((MAX_PAGE_PIXELS * 2.5) ** 0.5)
    path = tmp_path / "bomb.png"
    PILImage.new("1", (side, side), 1).save(path, optimize=True)
    assert path.stat().st_size < 2_000_000  # tiny file, gigantic page
    with pytest.raises(FileTooLargeError, match=r"bomb\.png"):
        list(import_file(path))


def test_image_just_over_the_page_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "wide.png"
    PILImage.new("1", (MAX_PAGE_PIXELS // 1000 + 1000, 1000), 1).save(path)
    with pytest.raises(FileTooLargeError, match="page limit"):
        list(import_file(path))


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    with pikepdf.open(OCRMYPDF / "trivial.pdf") as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="owner-secret", user="user-secret"))
    with pytest.raises(EncryptedFileError, match=r"locked\.pdf"):
        list(import_file(path))


def test_truncated_files_are_corrupt(tmp_path: Path) -> None:
    for name in ("c02-22.pdf", "linn.png"):
        data = (OCRMYPDF / name).read_bytes()
        path = tmp_path / f"cut-{name}"
        path.write_bytes(data[: len(data) // 3])
        with pytest.raises(CorruptFileError, match=re.escape(f"cut-{name}")):
            list(import_file(path))


def test_missing_file_is_a_typed_error(tmp_path: Path) -> None:
    with pytest.raises(ImportFailedError, match="no such file"):
        list(import_file(tmp_path / "nowhere.pdf"))


def make_pdf(tmp_path: Path, pages: int) -> Path:
    buffer = io.BytesIO()
    PILImage.fromarray(render_text_page(dpi=300).image).save(buffer, format="PNG", dpi=(300, 300))
    path = tmp_path / f"{pages}-pages.pdf"
    path.write_bytes(img2pdf.convert([buffer.getvalue()] * pages))
    return path


def test_cancel_stops_between_pages(tmp_path: Path) -> None:
    cancel = threading.Event()
    pages = []
    with pytest.raises(ScanCancelledError):
        for page in import_file(make_pdf(tmp_path, 4), cancel=cancel):
            pages.append(page)
            cancel.set()
    assert len(pages) == 1


def test_long_pdf_streams_one_page_at_a_time(tmp_path: Path) -> None:
    """16 A4 pages at 300 dpi are 140 MB decoded; streaming keeps the peak near one page."""
    path = make_pdf(tmp_path, 16)
    code = (
        "import json, resource, sys\n"
        "from scanning.drivers.files import import_file\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "n = sum(1 for page in import_file(sys.argv[1]) if page.width == 2480)\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024\n"
        "print(json.dumps({'pages': n, 'growth': after - before}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["pages"] == 16
    assert result["growth"] < 70 * 2**20  # all 16 pages held would be 140 MB
    print(f"16-page PDF: peak RSS growth {result['growth'] / 2**20:.0f} MiB")
