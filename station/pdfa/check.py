"""The built-in PDF/A-2b check (veraPDF is not available here).

It verifies the structural requirements of ISO 19005-2 level B that the station's files rely on, with pikepdf
and `qpdf --check`. Each rule has a stable name; a report lists every failed rule with a detail.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, Stream

from station.pdfa import qpdf
from station.pdfa.models import CheckFailure, CheckReport

CHECKS: tuple[str, ...] = (
    "parse",
    "header",
    "eof",
    "qpdf",
    "trailer-id",
    "encrypt",
    "output-intent",
    "xmp-present",
    "xmp-filtered",
    "xmp-parse",
    "xmp-pdfaid",
    "xmp-extension-schema",
    "xmp-info-consistency",
    "font-embedded",
    "font-tounicode",
    "javascript",
    "actions",
    "transparency",
    "lzw",
    "external-stream",
    "interpolate",
    "embedded-files",
    "page-boxes",
)

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
    "pdfaType": "http://www.aiim.org/pdfa/ns/type#",
    "pdfaField": "http://www.aiim.org/pdfa/ns/field#",
}
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Schemas predefined by XMP 2004 / ISO 19005-2: their properties need no extension schema.
PREDEFINED_NS = frozenset({
    NS["x"], NS["rdf"], NS["pdfaid"], NS["dc"], NS["xmp"], NS["pdf"], NS["pdfaExtension"], NS["pdfaSchema"],
    NS["pdfaProperty"], NS["pdfaType"], NS["pdfaField"], XML_NS,
    "http://ns.adobe.com/xap/1.0/mm/", "http://ns.adobe.com/xap/1.0/rights/", "http://ns.adobe.com/photoshop/1.0/",
    "http://ns.adobe.com/tiff/1.0/", "http://ns.adobe.com/exif/1.0/", "http://ns.adobe.com/exif/1.0/aux/",
    "http://ns.adobe.com/xap/1.0/bj/", "http://ns.adobe.com/xap/1.0/t/pg/", "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "http://ns.adobe.com/xap/1.0/sType/ResourceEvent#", "http://ns.adobe.com/xap/1.0/sType/ResourceRef#",
    "http://ns.adobe.com/xap/1.0/sType/Version#", "http://ns.adobe.com/xap/1.0/sType/Job#",
    "http://ns.adobe.com/xap/1.0/g/img/", "http://ns.adobe.com/xmp/1.0/DynamicMedia/",
})
FORBIDDEN_ACTIONS = frozenset({
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/URI", "/GoToR", "/GoToE", "/SubmitForm",
})
FONT_SUBTYPES = frozenset({"/Type0", "/Type1", "/MMType1", "/TrueType", "/Type3"})
MAX_PAGE_UNITS = 14400.0
MIN_PAGE_UNITS = 3.0


class _Report:
    def __init__(self) -> None:
        self.failures: list[CheckFailure] = []

    def fail(self, name: str, detail: str) -> None:
        if name not in CHECKS:
            raise ValueError(f"unknown check {name}")
        self.failures.append(CheckFailure(name, detail))


def check_pdfa(source: Path | str | bytes, *, qpdf_timeout_s: float = 60.0, run_qpdf: bool = True) -> CheckReport:
    """Check a file (path) or PDF bytes for the PDF/A-2b requirements; never raises for a bad file."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    report = _Report()
    _check_header(data, report)
    if run_qpdf:
        _check_qpdf(source, data, report, qpdf_timeout_s)
    try:
        pdf = Pdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as err:
        report.fail("encrypt", f"encrypted file: {err}")
        return CheckReport(tuple(report.failures), CHECKS)
    except pikepdf.PdfError as err:
        report.fail("parse", f"pikepdf cannot open the file: {err}")
        return CheckReport(tuple(report.failures), CHECKS)
    with pdf:
        _check_trailer(pdf, report)
        _check_output_intent(pdf, report)
        _check_xmp(pdf, report)
        _check_objects(pdf, report)
        _check_pages(pdf, report)
    return CheckReport(tuple(report.failures), CHECKS)


# -- file level --------------------------------------------------------------------------------------------

def _check_header(data: bytes, report: _Report) -> None:
    match = re.match(rb"%PDF-1\.([0-7])\r?\n", data[:10])
    if match is None:
        report.fail("header", f"header is {data[:9]!r}, expected %PDF-1.0 .. %PDF-1.7")
    else:
        second = data[match.end() : match.end() + 6]
        if not (second.startswith(b"%") and sum(1 for b in second[1:5] if b > 127) == 4):
            report.fail("header", "second line must be a comment with four bytes above 127")
    tail = data.rstrip(b"\r\n")
    if not tail.endswith(b"%%EOF") or len(data) - len(tail) > 2:
        report.fail("eof", "file must end with %%EOF followed by at most one end-of-line")


def _check_qpdf(source: Path | str | bytes, data: bytes, report: _Report, timeout_s: float) -> None:
    if isinstance(source, bytes):
        fd, name = tempfile.mkstemp(suffix=".pdf")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            result = qpdf.check(Path(name), timeout_s=timeout_s)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)
    else:
        result = qpdf.check(Path(source), timeout_s=timeout_s)
    if result.returncode != 0:
        text = (result.stderr or result.stdout).strip().splitlines()
        report.fail("qpdf", f"qpdf --check exit {result.returncode}: {' | '.join(text[:3])}")


def _check_trailer(pdf: Pdf, report: _Report) -> None:
    trailer = pdf.trailer
    if "/Encrypt" in trailer or pdf.is_encrypted:
        report.fail("encrypt", "trailer has /Encrypt")
    ident = trailer.get("/ID")
    if not isinstance(ident, Array) or len(ident) != 2 or not all(isinstance(i, pikepdf.String) for i in ident):
        report.fail("trailer-id", "trailer /ID must be an array of two strings")


def _check_output_intent(pdf: Pdf, report: _Report) -> None:
    intents = pdf.Root.get("/OutputIntents")
    if not isinstance(intents, Array) or len(intents) == 0:
        report.fail("output-intent", "no /OutputIntents in the catalog")
        return
    pdfa = [i for i in intents if isinstance(i, Dictionary) and i.get("/S") == Name.GTS_PDFA1]
    if not pdfa:
        report.fail("output-intent", "no output intent with /S /GTS_PDFA1")
        return
    profiles = {p.objgen for p in (i.get("/DestOutputProfile") for i in pdfa) if isinstance(p, Stream)}
    if len(pdfa) > 1 and len(profiles) > 1:
        report.fail("output-intent", "several GTS_PDFA1 output intents with different profiles")
    profile = pdfa[0].get("/DestOutputProfile")
    if not isinstance(profile, Stream):
        report.fail("output-intent", "GTS_PDFA1 output intent has no embedded /DestOutputProfile stream")
        return
    if profile.get("/N") != 3:
        report.fail("output-intent", f"ICC profile /N is {profile.get('/N')}, expected 3 (RGB)")
    try:
        icc = profile.read_bytes()
    except pikepdf.PdfError as err:
        report.fail("output-intent", f"ICC profile stream does not decode: {err}")
        return
    if len(icc) < 132 or icc[36:40] != b"acsp" or icc[16:20] != b"RGB ":
        report.fail("output-intent", "DestOutputProfile is not an RGB ICC profile")
    elif icc[8] > 4:
        report.fail("output-intent", f"ICC profile version {icc[8]} is newer than PDF/A-2 allows")
    if "/OutputConditionIdentifier" not in pdfa[0]:
        report.fail("output-intent", "output intent lacks /OutputConditionIdentifier")


# -- XMP ---------------------------------------------------------------------------------------------------

def _q(prefix: str, local: str) -> str:
    return f"{{{NS[prefix]}}}{local}"


def _xmp_value(root: ET.Element, prefix: str, local: str) -> str | None:
    """A simple property, written as element or as attribute of an rdf:Description."""
    for desc in root.iter(_q("rdf", "Description")):
        attr = desc.get(_q(prefix, local))
        if attr is not None:
            return attr.strip()
        elem = desc.find(_q(prefix, local))
        if elem is not None:
            return (elem.text or "").strip()
    return None


def _xmp_first_item(root: ET.Element, prefix: str, local: str) -> list[str] | None:
    """The items of an rdf:Alt / rdf:Seq / rdf:Bag property (x-default first for Alt)."""
    for desc in root.iter(_q("rdf", "Description")):
        elem = desc.find(_q(prefix, local))
        if elem is None:
            continue
        items = list(elem.iter(_q("rdf", "li")))
        default = [li for li in items if li.get(f"{{{XML_NS}}}lang") == "x-default"]
        ordered = default + [li for li in items if li not in default]
        return [(li.text or "").strip() for li in ordered]
    return None


def _check_xmp(pdf: Pdf, report: _Report) -> None:
    meta = pdf.Root.get("/Metadata")
    if not isinstance(meta, Stream):
        report.fail("xmp-present", "catalog has no /Metadata stream")
        return
    if meta.get("/Type") != Name.Metadata or meta.get("/Subtype") != Name.XML:
        report.fail("xmp-present", "metadata stream must have /Type /Metadata /Subtype /XML")
    if "/Filter" in meta:
        report.fail("xmp-filtered", "metadata stream must not be filtered (PDF/A-2 6.6.2.1)")
    try:
        raw = meta.read_bytes()
        root = ET.fromstring(raw)
    except (pikepdf.PdfError, ET.ParseError) as err:
        report.fail("xmp-parse", f"XMP does not parse: {err}")
        return
    if b"<?xpacket begin=" not in raw or b"<?xpacket end=" not in raw:
        report.fail("xmp-parse", "XMP packet header/trailer missing")
    part = _xmp_value(root, "pdfaid", "part")
    conformance = _xmp_value(root, "pdfaid", "conformance")
    if part != "2" or conformance not in ("B", "U", "A"):
        report.fail("xmp-pdfaid", f"pdfaid:part={part!r} conformance={conformance!r}, expected 2 / B")
    _check_extension_schema(root, report)
    _check_info_consistency(pdf, root, report)


def _check_extension_schema(root: ET.Element, report: _Report) -> None:
    described: set[tuple[str, str]] = set()
    for schema in root.iter(_q("pdfaExtension", "schemas")):
        for item in schema.iter(_q("rdf", "li")):
            uri_el = item.find(_q("pdfaSchema", "namespaceURI"))
            if uri_el is None or not (uri_el.text or "").strip():
                continue
            uri = (uri_el.text or "").strip()
            for prop in item.iter(_q("pdfaProperty", "name")):
                if (prop.text or "").strip():
                    described.add((uri, (prop.text or "").strip()))
    schemas_el = _q("pdfaExtension", "schemas")
    for desc in root.iter(_q("rdf", "Description")):
        names = [child.tag for child in desc if child.tag != schemas_el]
        names += [key for key in desc.attrib if key.startswith("{")]
        for tag in names:
            uri, _, local = tag[1:].partition("}")
            if uri in PREDEFINED_NS:
                continue
            if (uri, local) not in described:
                report.fail("xmp-extension-schema", f"custom property {local} ({uri}) not described in pdfaExtension")


_PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?$")


def parse_pdf_date(value: str) -> datetime | None:
    match = _PDF_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, sign, tzh, tzm = match.groups()
    tz = UTC
    if sign in ("+", "-"):
        delta = timedelta(hours=int(tzh or 0), minutes=int(tzm or 0))
        tz = timezone(delta if sign == "+" else -delta)
    return datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                    int(second or 0), tzinfo=tz)


def parse_xmp_date(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _check_info_consistency(pdf: Pdf, root: ET.Element, report: _Report) -> None:
    info = pdf.trailer.get("/Info")
    if not isinstance(info, Dictionary):
        return
    texts: list[tuple[str, Callable[[], str | None]]] = [
        ("/Title", lambda: next(iter(_xmp_first_item(root, "dc", "title") or []), None)),
        ("/Author", lambda: "; ".join(_xmp_first_item(root, "dc", "creator") or []) or None),
        ("/Creator", lambda: _xmp_value(root, "xmp", "CreatorTool")),
        ("/Producer", lambda: _xmp_value(root, "pdf", "Producer")),
        ("/Keywords", lambda: _xmp_value(root, "pdf", "Keywords")),
        ("/Subject", lambda: next(iter(_xmp_first_item(root, "dc", "description") or []), None)),
    ]
    for key, xmp in texts:
        if key in info and str(info[key]) != (xmp() or ""):
            report.fail("xmp-info-consistency", f"Info {key} differs from XMP")
    for key, local in (("/CreationDate", "CreateDate"), ("/ModDate", "ModifyDate")):
        if key not in info:
            continue
        info_date = parse_pdf_date(str(info[key]))
        xmp_text = _xmp_value(root, "xmp", local)
        xmp_date = parse_xmp_date(xmp_text) if xmp_text else None
        if info_date is None or xmp_date is None or info_date != xmp_date:
            report.fail("xmp-info-consistency", f"Info {key} and xmp:{local} are not the same instant")


# -- objects -----------------------------------------------------------------------------------------------

def _walk(pdf: Pdf) -> Iterator[tuple[pikepdf.Object, str]]:
    """Every dictionary and stream reachable from the trailer, once each, with the key that led to it."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[pikepdf.Object, str]] = [(pdf.trailer, "/Trailer")]
    while stack:
        obj, via = stack.pop()
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, Dictionary | Stream):
            yield obj, via
            for key in list(obj.keys()):
                if key in ("/Parent", "/P"):
                    continue
                value = obj.get(key)
                if isinstance(value, Dictionary | Stream | Array):
                    stack.append((value, key))
        elif isinstance(obj, Array):
            for value in obj:
                if isinstance(value, Dictionary | Stream | Array):
                    stack.append((value, via))


def _filters(obj: pikepdf.Object, key: str = "/Filter") -> list[str]:
    value = obj.get(key)
    if isinstance(value, Name):
        return [str(value)]
    if isinstance(value, Array):
        return [str(v) for v in value if isinstance(v, Name)]
    return []


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _is_true(value: object) -> bool:
    return value is True


def _check_objects(pdf: Pdf, report: _Report) -> None:
    names = pdf.Root.get("/Names")
    if isinstance(names, Dictionary):
        if "/JavaScript" in names:
            report.fail("javascript", "document-level JavaScript in /Names")
        if "/EmbeddedFiles" in names:
            report.fail("embedded-files", "embedded files in /Names")
    if "/AA" in pdf.Root:
        report.fail("actions", "catalog has additional actions /AA")
    open_action = pdf.Root.get("/OpenAction")
    if isinstance(open_action, Dictionary) and open_action.get("/S") == Name.JavaScript:
        report.fail("javascript", "/OpenAction runs JavaScript")
    for obj, via in _walk(pdf):
        _check_object(obj, via, report)


def _check_object(obj: pikepdf.Object, via: str, report: _Report) -> None:
    subtype = obj.get("/Subtype")
    kind = obj.get("/Type")
    if "/JS" in obj or obj.get("/S") == Name.JavaScript:
        report.fail("javascript", f"JavaScript action (reached through {via})")
    action = obj.get("/S")
    if (
        isinstance(action, Name)
        and str(action) in FORBIDDEN_ACTIONS
        and action != Name.JavaScript
        and (kind in (None, Name.Action) or via in ("/A", "/OpenAction", "/Next"))
    ):
        report.fail("actions", f"forbidden action {action}")
    if "/AA" in obj and via != "/Trailer":
        report.fail("actions", f"additional actions /AA (reached through {via})")
    if isinstance(obj, Stream):
        if any(k in obj for k in ("/F", "/FFilter", "/FDecodeParms")):
            report.fail("external-stream", "stream refers to an external file (/F, /FFilter or /FDecodeParms)")
        if "/LZWDecode" in _filters(obj):
            report.fail("lzw", "stream uses LZWDecode")
    if subtype == Name.Image or via == "/SMask":
        if _is_true(obj.get("/Interpolate")):
            report.fail("interpolate", "image has /Interpolate true")
        if "/SMask" in obj and obj.get("/SMask") != Name("/None"):
            report.fail("transparency", "image has a soft mask /SMask")
        if "/OPI" in obj or "/Alternates" in obj:
            report.fail("external-stream", "image has /OPI or /Alternates")
    if kind == Name.ExtGState or via in ("/ExtGState",) or any(k in obj for k in ("/CA", "/ca", "/BM")):
        _check_extgstate(obj, report)
    group = obj.get("/Group")
    if isinstance(group, Dictionary) and group.get("/S") == Name.Transparency:
        report.fail("transparency", f"transparency group (reached through {via})")
    if kind == Name.Font or (isinstance(subtype, Name) and str(subtype) in FONT_SUBTYPES and "/BaseFont" in obj):
        _check_font(obj, report)


def _check_extgstate(obj: pikepdf.Object, report: _Report) -> None:
    smask = obj.get("/SMask")
    if smask is not None and smask != Name("/None") and obj.get("/Subtype") != Name.Image:
        report.fail("transparency", "ExtGState soft mask /SMask")
    for key in ("/CA", "/ca"):
        value = _number(obj.get(key)) if key in obj else None
        if value is not None and value < 1.0:
            report.fail("transparency", f"ExtGState {key} {value} < 1")
    blend = obj.get("/BM")
    modes = [blend] if isinstance(blend, Name) else list(blend) if isinstance(blend, Array) else []
    if any(str(m) not in ("/Normal", "/Compatible") for m in modes):
        report.fail("transparency", f"ExtGState blend mode {blend}")
    if "/TR" in obj:
        report.fail("transparency", "ExtGState has a transfer function /TR")


def _check_font(font: pikepdf.Object, report: _Report) -> None:
    subtype = font.get("/Subtype")
    base = str(font.get("/BaseFont", "?"))
    if subtype == Name.Type3:
        return
    if subtype == Name.Type0:
        descendants = font.get("/DescendantFonts")
        target = descendants[0] if isinstance(descendants, Array) and len(descendants) else None
        if not isinstance(target, Dictionary):
            report.fail("font-embedded", f"Type0 font {base} has no descendant font")
            return
        if target.get("/Subtype") == Name.CIDFontType2 and "/CIDToGIDMap" not in target:
            report.fail("font-embedded", f"CIDFontType2 {base} lacks /CIDToGIDMap")
    elif subtype in (Name.CIDFontType0, Name.CIDFontType2):
        return  # checked through its Type0 parent
    else:
        target = font
    descriptor = target.get("/FontDescriptor")
    if not isinstance(descriptor, Dictionary) or not any(
        isinstance(descriptor.get(k), Stream) for k in ("/FontFile", "/FontFile2", "/FontFile3")
    ):
        report.fail("font-embedded", f"font {base} is not embedded")
    if not isinstance(font.get("/ToUnicode"), Stream):
        report.fail("font-tounicode", f"font {base} has no /ToUnicode CMap")


def _check_pages(pdf: Pdf, report: _Report) -> None:
    if len(pdf.pages) == 0:
        report.fail("page-boxes", "document has no pages")
    for number, page in enumerate(pdf.pages, start=1):
        media = _box(page.obj, "/MediaBox")
        if media is None:
            report.fail("page-boxes", f"page {number}: missing or malformed /MediaBox")
            continue
        width, height = media[2] - media[0], media[3] - media[1]
        if not (MIN_PAGE_UNITS <= width <= MAX_PAGE_UNITS and MIN_PAGE_UNITS <= height <= MAX_PAGE_UNITS):
            report.fail("page-boxes", f"page {number}: MediaBox {width:.1f} x {height:.1f} pt out of range")
        for key in ("/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if key not in page.obj:
                continue
            box = _box(page.obj, key)
            if box is None or box[2] <= box[0] or box[3] <= box[1]:
                report.fail("page-boxes", f"page {number}: malformed {key}")
        if "/AA" in page.obj:
            report.fail("actions", f"page {number} has additional actions /AA")
        _check_inline_images(page, number, report)


def _box(page: pikepdf.Object, key: str) -> tuple[float, float, float, float] | None:
    node: pikepdf.Object | None = page
    while isinstance(node, Dictionary):
        if key in node:
            value = node[key]
            if not isinstance(value, Array) or len(value) != 4:
                return None
            nums = [_number(v) for v in value]
            if any(n is None for n in nums):
                return None
            x0, y0, x1, y1 = (float(n) for n in nums if n is not None)
            return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)
        node = node.get("/Parent") if key == "/MediaBox" else None
    return None


def _check_inline_images(page: pikepdf.Page, number: int, report: _Report) -> None:
    try:
        instructions = pikepdf.parse_content_stream(page)
    except pikepdf.PdfError as err:
        report.fail("qpdf", f"page {number}: content stream does not parse: {err}")
        return
    for instruction in instructions:
        if isinstance(instruction, pikepdf.ContentStreamInlineImage):
            parms = instruction.iimage.obj
            filters = _filters(parms, "/Filter") + _filters(parms, "/F")
            if any(f in ("/LZWDecode", "/LZW") for f in filters):
                report.fail("lzw", f"page {number}: inline image uses LZW")
            if _is_true(parms.get("/I")) or _is_true(parms.get("/Interpolate")):
                report.fail("interpolate", f"page {number}: inline image has /Interpolate true")
