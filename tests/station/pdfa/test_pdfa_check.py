"""The built-in PDF/A check: passes the builder's output, and fails the right rule for each broken file."""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Callable
from datetime import datetime

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, String

from ocr.models import OcrResult, OcrWord
from station.pdfa import DocumentInfo, PdfPage, build_pdfa_bytes, check_pdfa
from station.pdfa.check import CHECKS
from tests import pagegen

INFO = DocumentInfo("Giấy ủy quyền", "giay-uy-quyen", "ST-2", "Võ Minh Đức", datetime(2025, 7, 1, 10, 0), "H02-9")


@pytest.fixture(scope="module")
def good() -> bytes:
    page = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[:4], dpi=150, size_mm=(148.0, 105.0), color=True)
    words = tuple(OcrWord(w.text, w.bbox, 90.0, 0, w.line) for w in page.words)
    ocr = OcrResult(page.text, words, "vie", page.image.shape[1], page.image.shape[0], 90.0)
    gray = pagegen.render_text_page(pagegen.VIETNAMESE_LINES[4:6], dpi=150, size_mm=(148.0, 105.0))
    data, _ = build_pdfa_bytes([PdfPage(page.image, 150, ocr), PdfPage(gray.image, 150)], INFO)
    return data


def mutate(data: bytes, change: Callable[[pikepdf.Pdf], None], **save: object) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        change(pdf)
        out = io.BytesIO()
        options: dict[str, object] = {
            "fix_metadata_version": False,  # keep the XMP exactly as mutated
            "stream_decode_level": pikepdf.StreamDecodeLevel.none,  # keep LZW / filtered metadata as written
            "compress_streams": False,
        }
        options.update(save)
        pdf.save(out, **options)  # type: ignore[arg-type]
        return out.getvalue()


def lzw_encode(data: bytes) -> bytes:
    """Valid LZW without dictionary references: clear, one 9-bit code per byte, end of data."""
    codes = [256, *data, 257]
    bits = "".join(f"{c:09b}" for c in codes)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i : i + 8], 2) for i in range(0, len(bits), 8))


def xmp_replace(old: str, new: str) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        raw = pdf.Root.Metadata.read_bytes().decode("utf-8")
        assert old in raw
        pdf.Root.Metadata.write(raw.replace(old, new).encode("utf-8"))

    return change


def first_image(pdf: pikepdf.Pdf) -> pikepdf.Object:
    return pdf.pages[0].Resources.XObject.Im0


def set_(path: Callable[[pikepdf.Pdf], pikepdf.Object], key: str, value: object) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        path(pdf)[key] = value

    return change


def add_font_helvetica(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].Resources.Font = Dictionary(
        F9=Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )


def add_extgstate(**entries: object) -> Callable[[pikepdf.Pdf], None]:
    def change(pdf: pikepdf.Pdf) -> None:
        state = Dictionary(Type=Name.ExtGState)
        for key, value in entries.items():
            state[f"/{key}"] = value
        pdf.pages[0].Resources.ExtGState = Dictionary(GS1=state)

    return change


def add_smask(pdf: pikepdf.Pdf) -> None:
    mask = pdf.make_stream(b"\xff" * 4, Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2,
                           ColorSpace=Name.DeviceGray, BitsPerComponent=8)
    first_image(pdf).SMask = mask


def add_lzw_stream(pdf: pikepdf.Pdf) -> None:
    stream = pdf.make_stream(b"")
    stream.write(lzw_encode(b"q 1 0 0 1 0 0 cm Q\n"), filter=Name.LZWDecode)
    pdf.pages[1].Contents = Array([pdf.pages[1].Contents, stream])


def add_external_stream(pdf: pikepdf.Pdf) -> None:
    first_image(pdf).F = String("file:///etc/passwd")


def add_launch_annotation(pdf: pikepdf.Pdf) -> None:
    action = Dictionary(Type=Name.Action, S=Name.Launch, F=String("cmd.exe"))
    annot = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]), A=action, F=4)
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annot)]))


def add_uri_annotation(pdf: pikepdf.Pdf) -> None:
    action = Dictionary(S=Name.URI, URI=String("http://example.invalid/"))
    annot = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]), A=action, F=4)
    pdf.pages[0].Annots = Array([pdf.make_indirect(annot)])


def add_js_open_action(pdf: pikepdf.Pdf) -> None:
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("app.alert('x')"))


def add_js_names(pdf: pikepdf.Pdf) -> None:
    js = Dictionary(S=Name.JavaScript, JS=String("1"))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("a"), pdf.make_indirect(js)])))


def add_embedded_file(pdf: pikepdf.Pdf) -> None:
    spec = pikepdf.AttachedFileSpec(pdf, b"hello", description="", filename="a.txt", mime_type="text/plain",
                                    creation_date="", mod_date="")
    pdf.attachments["a.txt"] = spec


def compress_metadata_in_place(good: bytes) -> bytes:
    """qpdf always writes the root XMP uncompressed, so Flate it by patching the bytes at the same length."""
    plain = mutate(good, lambda pdf: None, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    match = re.search(rb"<<[^>]*/Type /Metadata[^>]*>>\nstream\n(<\?xpacket.*?)\nendstream", plain, re.S)
    assert match is not None
    packed = zlib.compress(match.group(1))
    span = match.end(1) - match.start()
    head = b"<< /Filter /FlateDecode /Length %06d /Subtype /XML /Type /Metadata >>\nstream\n"  # fixed width
    body_len = span - len(head % 0)
    segment = head % body_len + packed + b"\0" * (body_len - len(packed))
    assert len(segment) == span
    return plain[: match.start()] + segment + plain[match.end(1) :]


def break_content_stream(pdf: pikepdf.Pdf) -> None:
    pdf.pages[1].Contents.write(b"this is not deflate data", filter=Name.FlateDecode)


def tounicode_removed(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Resources.Font.F1.ToUnicode


def font_file_removed(pdf: pikepdf.Pdf) -> None:
    del pdf.pages[0].Resources.Font.F1.DescendantFonts[0].FontDescriptor.FontFile2


MUTATIONS: dict[str, tuple[Callable[[pikepdf.Pdf], None], set[str]]] = {
    "no-output-intent": (lambda pdf: pdf.Root.__delattr__("OutputIntents"), {"output-intent"}),
    "output-intent-not-pdfa": (set_(lambda pdf: pdf.Root.OutputIntents[0], "/S", Name.GTS_PDFX), {"output-intent"}),
    "icc-not-rgb": (set_(lambda pdf: pdf.Root.OutputIntents[0].DestOutputProfile, "/N", 4), {"output-intent"}),
    "no-metadata": (lambda pdf: pdf.Root.__delattr__("Metadata"), {"xmp-present"}),
    "xmp-broken-xml": (xmp_replace("</x:xmpmeta>", "</x:xmpmet>"), {"xmp-parse"}),
    "xmp-part-1": (xmp_replace("<pdfaid:part>2</pdfaid:part>", "<pdfaid:part>1</pdfaid:part>"), {"xmp-pdfaid"}),
    "xmp-no-extension-schema": (
        xmp_replace("<pdfaProperty:name>dossierCode</pdfaProperty:name>", "<pdfaProperty:name>x</pdfaProperty:name>"),
        {"xmp-extension-schema"},
    ),
    "info-title-differs": (set_(lambda pdf: pdf.trailer.Info, "/Title", String("Khác")), {"xmp-info-consistency"}),
    "info-moddate-differs": (
        set_(lambda pdf: pdf.trailer.Info, "/ModDate", String("D:20250701100001+07'00'")),
        {"xmp-info-consistency"},
    ),
    "font-not-embedded": (add_font_helvetica, {"font-embedded", "font-tounicode"}),
    "font-program-removed": (font_file_removed, {"font-embedded"}),
    "font-no-tounicode": (tounicode_removed, {"font-tounicode"}),
    "js-open-action": (add_js_open_action, {"javascript"}),
    "js-names": (add_js_names, {"javascript"}),
    "launch-action": (add_launch_annotation, {"actions"}),
    "uri-action": (add_uri_annotation, {"actions"}),
    "page-additional-actions": (
        set_(lambda pdf: pdf.pages[0].obj, "/AA", Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("1")))),
        {"actions", "javascript"},
    ),
    "image-smask": (add_smask, {"transparency"}),
    "extgstate-ca": (add_extgstate(ca=0.5), {"transparency"}),
    "extgstate-blend": (add_extgstate(BM=Name.Multiply), {"transparency"}),
    "transparency-group": (
        set_(lambda pdf: pdf.pages[0].obj, "/Group", Dictionary(S=Name.Transparency, CS=Name.DeviceRGB)),
        {"transparency"},
    ),
    "lzw-stream": (add_lzw_stream, {"lzw"}),
    "external-stream": (add_external_stream, {"external-stream"}),
    "interpolate": (set_(first_image, "/Interpolate", True), {"interpolate"}),
    "embedded-file": (add_embedded_file, {"embedded-files"}),
    "page-too-big": (set_(lambda pdf: pdf.pages[0].obj, "/MediaBox", Array([0, 0, 20000, 500])), {"page-boxes"}),
    "cropbox-malformed": (set_(lambda pdf: pdf.pages[0].obj, "/CropBox", Array([0, 0, 10])), {"page-boxes"}),
    "broken-stream": (break_content_stream, {"qpdf"}),
}


def test_good_file_passes_every_check(good: bytes) -> None:
    report = check_pdfa(good)
    assert report.ok, report.failures
    assert set(report.checks_run) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_each_broken_file_fails_exactly_its_check(good: bytes, name: str) -> None:
    change, expected = MUTATIONS[name]
    broken = mutate(good, change)
    report = check_pdfa(broken)
    assert set(report.failed_names) == expected, report.failures
    # re-saving an untouched file keeps it valid, so the failure is the mutation's doing
    assert check_pdfa(mutate(good, lambda pdf: None)).ok


def test_encrypted_file_fails(good: bytes) -> None:
    broken = mutate(good, lambda pdf: None, encryption=pikepdf.Encryption(owner="o", user="", R=4),
                    stream_decode_level=None, compress_streams=True)
    report = check_pdfa(broken)
    assert "encrypt" in report.failed_names


def test_filtered_metadata_fails(good: bytes) -> None:
    broken = compress_metadata_in_place(good)
    with pikepdf.open(io.BytesIO(broken)) as pdf:
        assert pdf.Root.Metadata.Filter == Name.FlateDecode
        assert b"pdfaid:part" in pdf.Root.Metadata.read_bytes()
    assert set(check_pdfa(broken).failed_names) == {"xmp-filtered"}


def test_missing_trailer_id_fails(good: bytes) -> None:
    plain = mutate(good, lambda pdf: None, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    match = re.search(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", plain)
    assert match is not None
    broken = plain[: match.start()] + b" " * (match.end() - match.start()) + plain[match.end() :]
    assert set(check_pdfa(broken).failed_names) == {"trailer-id"}


def test_header_and_garbage(good: bytes) -> None:
    assert set(check_pdfa(b"%PDF-2.0" + good[8:]).failed_names) == {"header"}
    assert "eof" in check_pdfa(good + b"\n\n\ntrailing junk").failed_names
    garbage = check_pdfa(b"this is not a pdf at all")
    assert not garbage.ok and {"header", "parse"} <= set(garbage.failed_names)


def test_check_accepts_a_path(good: bytes, tmp_path) -> None:
    path = tmp_path / "good.pdf"
    path.write_bytes(good)
    assert check_pdfa(path).ok
