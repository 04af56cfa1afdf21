"""PDF/A builder: structure, metadata, determinism, atomic delivery. Real pikepdf / pypdf / pdfium / qpdf."""

from __future__ import annotations

import hashlib
import io
import os
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest

from ocr.models import OcrResult, OcrWord
from station import __version__
from station.pdfa import (
    BuildSettings,
    DocumentInfo,
    Encoding,
    EncodingMode,
    IccProfileMissingError,
    InvalidPageError,
    PdfaCheckFailedError,
    PdfaWriteError,
    PdfPage,
    build_pdfa,
    build_pdfa_bytes,
    check_pdfa,
)
from station.pdfa.check import NS
from station.pdfa.metadata import STATION_NS
from tests import pagegen
from tests.paths import ROOT

CAPTURED = datetime(2025, 7, 17, 9, 30, 15, tzinfo=timezone(timedelta(hours=7)))


def ocr_from_truth(page: pagegen.TextPage) -> OcrResult:
    words = tuple(OcrWord(w.text, w.bbox, 96.0, 0, w.line) for w in page.words)
    height, width = page.image.shape[:2]
    return OcrResult(page.text, words, "vie", width, height, 96.0)


def make_info(**overrides: object) -> DocumentInfo:
    values: dict[str, object] = {
        "title": "Đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất",
        "doc_type": "don-de-nghi",
        "station_id": "TTPVHCC-HN-01",
        "operator": "Nguyễn Thị Hồng Nhung",
        "captured_at": CAPTURED,
        "dossier_code": "H01.23-250717-0001",
    }
    values.update(overrides)
    return DocumentInfo(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def pages() -> list[PdfPage]:
    gray = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:8])
    color = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[8:16], color=True)
    small = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:3], dpi=200, size_mm=(85.6, 53.98))
    return [
        PdfPage(pagegen.add_noise(gray.image, 6, seed=1), 300, ocr_from_truth(gray), "a" * 64, 91),
        PdfPage(pagegen.add_noise(color.image, 6, seed=2), 300, ocr_from_truth(color), "b" * 64, 77),
        PdfPage(small.image, 200, None, "", None),
    ]


@pytest.fixture(scope="module")
def built(pages: list[PdfPage]) -> bytes:
    data, _ = build_pdfa_bytes(pages, make_info())
    return data


def test_built_file_passes_the_check_and_qpdf(built: bytes) -> None:
    report = check_pdfa(built)
    assert report.ok, report.failures
    assert built.startswith(b"%PDF-1.7\n")


def test_pages_are_at_scanned_size_and_keep_their_colour(pages: list[PdfPage], built: bytes) -> None:
    with pikepdf.open(io.BytesIO(built)) as pdf:
        assert len(pdf.pages) == 3
        for page, src in zip(pdf.pages, pages, strict=True):
            box = [float(v) for v in page.MediaBox]
            assert box[2] == pytest.approx(src.width / src.dpi * 72, abs=0.01)
            assert box[3] == pytest.approx(src.height / src.dpi * 72, abs=0.01)
            xobjects = page.Resources.XObject
            # the full-resolution image: the page's own, or for MRC the ink mask of the foreground
            image = xobjects.Im1.Mask if "/Im1" in xobjects else xobjects.Im0
            assert image.Width == src.width and image.Height == src.height
            assert all(bool(xobject.Interpolate) is False for _, xobject in xobjects.items())
        # page 2 is a colour page: MRC, both JPEG layers RGB at 100 dpi, the ink painted through a G4 mask
        color_page = pdf.pages[1]
        paper, ink = color_page.Resources.XObject.Im0, color_page.Resources.XObject.Im1
        for layer in (paper, ink):
            assert layer.ColorSpace == pikepdf.Name.DeviceRGB and layer.Filter == pikepdf.Name.DCTDecode
            assert int(layer.Width) == round(pages[1].width * 100 / pages[1].dpi)
        assert bool(ink.Mask.ImageMask) is True and ink.Mask.Filter == pikepdf.Name.CCITTFaxDecode
        gray_page = pdf.pages[0]
        assert gray_page.Resources.XObject.Im0.Filter == pikepdf.Name.CCITTFaxDecode
    # Rendered back, the colour page still has colour (the red stamp) and the text page is black on white.
    doc = pdfium.PdfDocument(built)
    rgb = doc[1].render(scale=100 / 72).to_numpy()[..., :3].astype(np.int16)
    reddish = (rgb[..., 2] - rgb[..., 0] > 80) | (rgb[..., 0] - rgb[..., 2] > 80)  # BGR or RGB order alike
    assert reddish.sum() > 200
    doc.close()


def test_xmp_carries_pdfa_id_and_station_properties(built: bytes) -> None:
    with pikepdf.open(io.BytesIO(built)) as pdf:
        root = ET.fromstring(pdf.Root.Metadata.read_bytes())
        info = pdf.docinfo
        assert str(info.Title) == "Đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất"
        assert str(info.Author) == "Nguyễn Thị Hồng Nhung"
        assert str(info.Creator) == f"Digitization Station {__version__}"
        assert str(info.CreationDate) == "D:20250717093015+07'00'"
        assert str(info.ModDate) == "D:20250717093015+07'00'"
        assert "/Encrypt" not in pdf.trailer
        ids = pdf.trailer.ID
        assert len(ids) == 2 and len(bytes(ids[0])) == 16

    def text(prefix: str, local: str, ns: str | None = None) -> list[str]:
        tag = f"{{{ns or NS[prefix]}}}{local}"
        return ["".join(e.itertext()).strip() for e in root.iter(tag)]

    assert text("pdfaid", "part") == ["2"]
    assert text("pdfaid", "conformance") == ["B"]
    assert text("xmp", "CreateDate") == ["2025-07-17T09:30:15+07:00"]
    assert text("xmp", "CreatorTool") == [f"Digitization Station {__version__}"]
    assert text("", "documentType", STATION_NS) == ["don-de-nghi"]
    assert text("", "dossierCode", STATION_NS) == ["H01.23-250717-0001"]
    assert text("", "pageCount", STATION_NS) == ["3"]
    seq = [li.text for e in root.iter(f"{{{STATION_NS}}}sourceSha256") for li in e.iter(f"{{{NS['rdf']}}}li")]
    assert seq[:2] == ["a" * 64, "b" * 64]
    assert seq[2] is not None and len(seq[2]) == 64  # computed from the pixels when not given
    scores = [li.text for e in root.iter(f"{{{STATION_NS}}}qualityScores") for li in e.iter(f"{{{NS['rdf']}}}li")]
    assert scores == ["91", "77", "-1"]
    described = {e.text for e in root.iter(f"{{{NS['pdfaProperty']}}}name")}
    assert {"documentType", "dossierCode", "pageCount", "sourceSha256", "qualityScores", "stationId"} <= described
    # pypdf reads the same metadata
    reader = pypdf.PdfReader(io.BytesIO(built))
    assert reader.metadata is not None and reader.metadata.title == "Đơn đề nghị cấp giấy chứng nhận quyền sử dụng đất"


def test_same_input_gives_identical_bytes(pages: list[PdfPage], built: bytes) -> None:
    again, report = build_pdfa_bytes(pages, make_info())
    assert again == built
    assert report.sha256 == hashlib.sha256(built).hexdigest()
    # A different capture time (or anything else) changes the file and its /ID.
    other, _ = build_pdfa_bytes(pages, make_info(captured_at=CAPTURED + timedelta(seconds=1)))
    assert other != built
    with pikepdf.open(io.BytesIO(other)) as a, pikepdf.open(io.BytesIO(built)) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])


SCRIPT = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from ocr.models import OcrResult, OcrWord
    from station.pdfa import DocumentInfo, PdfPage, build_pdfa
    from tests import pagegen
    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:6], color=True)
    words = tuple(OcrWord(w.text, w.bbox, 90.0, 0, w.line) for w in page.words)
    ocr = OcrResult(page.text, words, "vie", page.image.shape[1], page.image.shape[0], 90.0)
    gray = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[6:12])
    info = DocumentInfo("Tờ khai", "to-khai", "ST-7", "Lê Văn Đạt",
                        datetime(2025, 8, 1, 14, 0, tzinfo=timezone(timedelta(hours=7))), "H01-0002")
    build_pdfa([PdfPage(pagegen.add_noise(page.image, 5), 300, ocr, "", 80), PdfPage(gray.image, 300, None)],
               info, None, Path(sys.argv[1]))
    """
)


def test_two_processes_write_identical_files(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONHASHSEED="random", OMP_THREAD_LIMIT="1")
    outputs = []
    for name in ("one.pdf", "two.pdf"):
        out = tmp_path / name
        subprocess.run([sys.executable, "-c", SCRIPT, str(out)], cwd=ROOT, env=env, check=True, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert check_pdfa(outputs[0]).ok


def test_build_to_path_writes_atomically(pages: list[PdfPage], built: bytes, tmp_path: Path) -> None:
    out = tmp_path / "01-don-de-nghi.pdf"
    report = build_pdfa(pages, make_info(), None, out)
    assert out.read_bytes() == built
    assert report.path == out and report.size == len(built) and report.page_count == 3
    assert [p.encoding for p in report.pages][:2] == [Encoding.CCITT_G4, Encoding.MRC]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["01-don-de-nghi.pdf"]


def test_failed_check_delivers_nothing(tmp_path: Path) -> None:
    # 100 px at 0.4 dpi is an 18000 pt page: beyond PDF/A's 14400 limit. The check must stop it.
    page = PdfPage(np.full((100, 100), 255, np.uint8), 0.4)
    out = tmp_path / "big.pdf"
    out_existing = tmp_path / "keep.pdf"
    out_existing.write_bytes(b"old")
    with pytest.raises(PdfaCheckFailedError) as err:
        build_pdfa([page], make_info(), None, out)
    assert "page-boxes" in err.value.failures
    assert "page-boxes" in err.value.user_message and "PDF/A" in err.value.user_message
    with pytest.raises(PdfaCheckFailedError):
        build_pdfa([page], make_info(), None, out_existing)
    assert out_existing.read_bytes() == b"old"  # an existing file is never replaced by a failing build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.pdf"]  # no temp file left


def test_unwritable_destination_raises_typed_error_and_leaves_nothing(pages: list[PdfPage], tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "x.pdf"  # a folder that does not exist (unplugged USB disk)
    with pytest.raises(PdfaWriteError) as err:
        build_pdfa(pages[2:], make_info(), None, missing)
    assert "ghi" in err.value.user_message
    if os.geteuid() != 0:  # root ignores directory permissions
        folder = tmp_path / "ro"
        folder.mkdir()
        folder.chmod(0o555)
        try:
            with pytest.raises(PdfaWriteError):
                build_pdfa(pages[2:], make_info(), None, folder / "x.pdf")
            assert list(folder.iterdir()) == []
        finally:
            folder.chmod(0o755)
    assert not (tmp_path / "gone").exists()


def test_missing_icc_profile_is_a_clear_error(pages: list[PdfPage], tmp_path: Path) -> None:
    settings = BuildSettings(icc_profile=tmp_path / "none.icc")
    with pytest.raises(IccProfileMissingError) as err:
        build_pdfa_bytes(pages[2:], make_info(), settings)
    assert "icc-profiles-free" in str(err.value) and "icc-profiles-free" in err.value.user_message
    gray_profile = Path("/usr/share/color/icc/Gray.icc")
    if gray_profile.exists():
        with pytest.raises(IccProfileMissingError):
            build_pdfa_bytes(pages[2:], make_info(), BuildSettings(icc_profile=gray_profile))


def test_invalid_pages_are_refused() -> None:
    with pytest.raises(InvalidPageError):
        build_pdfa_bytes([], make_info())
    with pytest.raises(InvalidPageError):
        build_pdfa_bytes([PdfPage(np.zeros((10, 10, 4), np.uint8), 300)], make_info())
    with pytest.raises(InvalidPageError):
        build_pdfa_bytes([PdfPage(np.zeros((10, 10), np.uint8), 0)], make_info())


def test_naive_capture_time_is_vietnam_time_and_metadata_is_cleaned(pages: list[PdfPage]) -> None:
    info = make_info(captured_at=datetime(2025, 7, 17, 9, 30, 15), title="  Tờ\x01 khai\nthuế ")
    data, _ = build_pdfa_bytes(pages[2:], info)
    assert check_pdfa(data).ok
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20250717093015+07'00'"
        assert str(pdf.docinfo.Title) == "Tờ khai thuế"


def test_forced_modes_and_generator_input(pages: list[PdfPage]) -> None:
    crops = [PdfPage(p.image[:900, :1200].copy(), p.dpi) for p in pages[:2]]

    def gen():  # pages may arrive one by one (decoded lazily by the caller)
        yield from crops

    for mode, expected in (
        (EncodingMode.JPEG, [Encoding.JPEG_GRAY, Encoding.JPEG_RGB]),
        (EncodingMode.LOSSLESS, [Encoding.FLATE_GRAY, Encoding.FLATE_RGB]),
        (EncodingMode.BITONAL, [Encoding.CCITT_G4, Encoding.CCITT_G4]),
    ):
        data, report = build_pdfa_bytes(gen(), make_info(), BuildSettings(mode=mode))
        assert [p.encoding for p in report.pages] == expected
        assert check_pdfa(data).ok
