"""Build one PDF/A-2b file from page images: image XObjects, invisible text, output intent, metadata.

Pages are encoded one at a time (the caller may pass a generator so decoded pages are not all held at
once); the file is checked with the built-in PDF/A check before it is delivered, and written atomically.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

from station import __version__
from station.pdfa import metadata, textlayer
from station.pdfa.check import check_pdfa
from station.pdfa.encode import EncodedImage, EncodedPage, PreEncodedPage, encode_page, validate_image
from station.pdfa.errors import (
    IccProfileMissingError,
    InvalidPageError,
    PdfaCheckFailedError,
    PdfaWriteError,
)
from station.pdfa.models import BuildReport, BuildSettings, DocumentInfo, PageReport, PdfPage
from station.pdfa.textlayer import fmt_num

PDF_VERSION = "1.7"
FONT_RESOURCE = "F1"
IMAGE_RESOURCE = "Im0"
FOREGROUND_RESOURCE = "Im1"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"


def _load_icc(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as err:
        raise IccProfileMissingError(
            f"sRGB ICC profile not readable at {path} (install icc-profiles-free): {err.strerror}"
        ) from err
    if len(data) < 132 or data[36:40] != b"acsp" or data[16:20] != b"RGB ":
        raise IccProfileMissingError(f"{path} is not an RGB ICC profile")
    return data


def _image_xobject(pdf: Pdf, encoded: EncodedImage, *, stencil: bool = False) -> pikepdf.Stream:
    stream = pdf.make_stream(b"")
    stream.Type = Name.XObject
    stream.Subtype = Name.Image
    stream.Width = encoded.width
    stream.Height = encoded.height
    if stencil:
        stream.ImageMask = True  # 0-samples (the ink) are painted in the current fill colour
    else:
        stream.ColorSpace = Name(encoded.color_space)
    stream.BitsPerComponent = encoded.bits_per_component
    stream.Interpolate = False
    parms = Dictionary({f"/{k}": v for k, v in encoded.decode_parms.items()}) if encoded.decode_parms else None
    stream.write(encoded.data, filter=Name(encoded.filter), decode_parms=parms)
    return stream


def _font(pdf: Pdf) -> pikepdf.Object:
    font_file = pdf.make_stream(textlayer.glyphless_font_program())
    font_file.Length1 = len(textlayer.glyphless_font_program())
    descriptor = Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + textlayer.FONT_NAME),
        Flags=4,  # symbolic
        FontBBox=Array([0, textlayer.DESCENT, textlayer.CHAR_WIDTH, textlayer.ASCENT]),
        ItalicAngle=0,
        Ascent=textlayer.ASCENT,
        Descent=textlayer.DESCENT,
        CapHeight=textlayer.ASCENT,
        StemV=80,
        FontFile2=font_file,
    )
    cid_font = Dictionary(
        Type=Name.Font,
        Subtype=Name.CIDFontType2,
        BaseFont=Name("/" + textlayer.FONT_NAME),
        CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
        FontDescriptor=pdf.make_indirect(descriptor),
        DW=textlayer.CHAR_WIDTH,
        CIDToGIDMap=pdf.make_stream(textlayer.cid_to_gid_map()),
    )
    font = Dictionary(
        Type=Name.Font,
        Subtype=Name.Type0,
        BaseFont=Name("/" + textlayer.FONT_NAME),
        Encoding=Name("/Identity-H"),
        DescendantFonts=Array([pdf.make_indirect(cid_font)]),
        ToUnicode=pdf.make_stream(textlayer.to_unicode_cmap()),
    )
    return pdf.make_indirect(font)


def _add_page(pdf: Pdf, page: PdfPage | PreEncodedPage, number: int, settings: BuildSettings,
              font: pikepdf.Object | None) -> tuple[PageReport, pikepdf.Object | None]:
    if not isinstance(page.dpi, int | float) or not 0 < page.dpi < 10_000:
        raise InvalidPageError(f"page {number}: resolution must be a positive dpi, got {page.dpi!r}")
    encoded: EncodedPage
    if isinstance(page, PreEncodedPage):
        if not page.sha256:
            raise InvalidPageError(f"page {number}: a pre-encoded page needs the source image's SHA-256")
        encoded = page.encoded
    else:
        validate_image(page.image)
        encoded, _ = encode_page(page.image, page.dpi, settings)
    width_pt = page.width / page.dpi * 72.0
    height_pt = page.height / page.dpi * 72.0
    # Round the page size once, and use exactly the same numbers for the image matrix and the boxes.
    w, h = float(fmt_num(width_pt)), float(fmt_num(height_pt))
    matrix = f"{fmt_num(w)} 0 0 {fmt_num(h)} 0 0 cm"
    content = f"q\n{matrix}\n/{IMAGE_RESOURCE} Do\nQ\n".encode("ascii")
    xobjects = Dictionary({f"/{IMAGE_RESOURCE}": _image_xobject(pdf, encoded.base)})
    if encoded.mask is not None and encoded.foreground is not None:
        # The ink's colours, painted only where the full-resolution mask has ink (explicit masking, PDF 1.3:
        # no transparency group, so PDF/A-1 and -2 readers draw it alike).
        ink = _image_xobject(pdf, encoded.foreground)
        ink.Mask = _image_xobject(pdf, encoded.mask, stencil=True)
        content += f"q\n{matrix}\n/{FOREGROUND_RESOURCE} Do\nQ\n".encode("ascii")
        xobjects[f"/{FOREGROUND_RESOURCE}"] = ink
    resources = Dictionary(XObject=xobjects)
    words = textlayer.words_of(page.ocr)
    if page.ocr is not None and words:
        if font is None:
            font = _font(pdf)
        content += textlayer.text_operators(page.ocr, w, h, FONT_RESOURCE)
        resources.Font = Dictionary({f"/{FONT_RESOURCE}": font})
    pdf_page = pikepdf.Page(
        Dictionary(
            Type=Name.Page,
            MediaBox=Array([0, 0, w, h]),
            Resources=resources,
            Contents=pdf.make_stream(content),
        )
    )
    pdf.pages.append(pdf_page)
    report = PageReport(number, encoded.encoding, encoded.size, page.width, page.height, page.dpi, words)
    return report, font


def _assemble(pages: Iterable[PdfPage | PreEncodedPage], info: DocumentInfo,
              settings: BuildSettings) -> tuple[bytes, list[PageReport]]:
    icc = _load_icc(settings.icc_profile)
    tool = metadata.creator_tool(settings.creator_tool, __version__)
    reports: list[PageReport] = []
    metas: list[metadata.PageMeta] = []
    with Pdf.new() as pdf:
        font: pikepdf.Object | None = None
        for number, page in enumerate(pages, start=1):
            report, font = _add_page(pdf, page, number, settings, font)
            reports.append(report)
            metas.append(metadata.PageMeta(page.sha256, page.quality_score))
        if not reports:
            raise InvalidPageError("a PDF/A document needs at least one page")
        icc_stream = pdf.make_stream(icc)
        icc_stream.N = 3
        pdf.Root.OutputIntents = Array([
            Dictionary(
                Type=Name.OutputIntent,
                S=Name.GTS_PDFA1,
                OutputConditionIdentifier=String(OUTPUT_CONDITION),
                Info=String(OUTPUT_CONDITION),
                RegistryName=String("http://www.color.org"),
                DestOutputProfile=icc_stream,
            )
        ])
        xmp = pdf.make_stream(metadata.build_xmp(info, metas, tool))
        xmp.Type = Name.Metadata
        xmp.Subtype = Name.XML
        pdf.Root.Metadata = xmp
        pdf.Root.Lang = String(info.language)
        for key, value in metadata.info_entries(info, tool).items():
            pdf.docinfo[Name(key)] = String(value)
        out = _save(pdf)
    return out, reports


def _save(pdf: Pdf) -> bytes:
    import io

    buf = io.BytesIO()
    pdf.save(
        buf,
        min_version=PDF_VERSION,
        force_version=PDF_VERSION,
        deterministic_id=True,  # /ID from an MD5 of the content: same input -> same bytes
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        linearize=False,
        fix_metadata_version=False,
    )
    return buf.getvalue()


def build_pdfa_bytes(pages: Iterable[PdfPage | PreEncodedPage], info: DocumentInfo,
                     settings: BuildSettings | None = None) -> tuple[bytes, BuildReport]:
    """Build in memory and check. Raises PdfaCheckFailedError when the result is not valid PDF/A-2b."""
    settings = settings or BuildSettings()
    data, reports = _assemble(pages, info, settings)
    if settings.check:
        result = check_pdfa(data, qpdf_timeout_s=settings.qpdf_timeout_s)
        if not result.ok:
            raise PdfaCheckFailedError(result.failed_names, detail="; ".join(f.detail for f in result.failures))
    report = BuildReport(None, len(data), hashlib.sha256(data).hexdigest(), len(reports), tuple(reports))
    return data, report


def build_pdfa(pages: Iterable[PdfPage | PreEncodedPage], info: DocumentInfo, settings: BuildSettings | None,
               out_path: Path) -> BuildReport:
    """Build, write to a temp file beside `out_path`, fsync, check the written file, then rename.

    On any failure nothing is left at `out_path` (an existing file there is not touched) and no temp file
    remains.
    """
    settings = settings or BuildSettings()
    out_path = Path(out_path)
    data, reports = _assemble(pages, info, settings)
    directory = out_path.parent
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".tmp", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if settings.check:
            result = check_pdfa(Path(tmp_name), qpdf_timeout_s=settings.qpdf_timeout_s)
            if not result.ok:
                raise PdfaCheckFailedError(
                    result.failed_names, detail="; ".join(f.detail for f in result.failures)
                )
        os.replace(tmp_name, out_path)
        tmp_name = None
        _fsync_dir(directory)
    except OSError as err:
        raise PdfaWriteError(f"cannot write {out_path.name} in {directory}: {err.strerror or err}") from err
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    return BuildReport(out_path, len(data), hashlib.sha256(data).hexdigest(), len(reports), tuple(reports))


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
