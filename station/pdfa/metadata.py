"""XMP metadata (PDF/A-2b identification, Dublin Core, custom station properties with their extension schema)
and the matching Info dictionary entries. Everything derives from DocumentInfo: no clock is read."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from station.pdfa.models import DocumentInfo

STATION_NS = "https://digitization-station.vn/ns/pdfa/1.0/"
STATION_PREFIX = "dstation"
PRODUCER = "Digitization Station PDF/A builder (pikepdf)"

# name, XMP value type, description: described in the pdfaExtension schema as PDF/A-2 requires.
CUSTOM_PROPERTIES: tuple[tuple[str, str, str], ...] = (
    ("documentType", "Text", "Document type within the administrative dossier"),
    ("dossierCode", "Text", "Receipt code of the administrative dossier"),
    ("stationId", "Text", "Identifier of the digitization station"),
    ("pageCount", "Integer", "Number of pages"),
    ("sourceSha256", "seq Text", "SHA-256 of each page's source image, in page order"),
    ("qualityScores", "seq Integer", "Scan quality score 0..100 of each page, -1 when unknown"),
)


@dataclass(frozen=True)
class PageMeta:
    sha256: str
    quality_score: int | None


def xmp_date(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def pdf_date(moment: datetime) -> str:
    """D:YYYYMMDDHHmmSS+HH'mm' (same instant as xmp_date)."""
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def creator_tool(tool: str, version: str) -> str:
    return f"{tool} {version}"


def clean_text(value: str) -> str:
    """NFC, without the control characters XML 1.0 cannot carry (tab, newline kept as a space)."""
    text = unicodedata.normalize("NFC", value)
    return "".join(" " if ch in "\t\r\n" else ch for ch in text if ch in "\t\r\n" or ord(ch) >= 0x20).strip()


def _text(value: str) -> str:
    return escape(clean_text(value))


def build_xmp(info: DocumentInfo, pages: Sequence[PageMeta], tool: str) -> bytes:
    created = xmp_date(info.capture_time)
    scores = "".join(
        f"<rdf:li>{-1 if p.quality_score is None else int(p.quality_score)}</rdf:li>" for p in pages
    )
    hashes = "".join(f"<rdf:li>{_text(p.sha256)}</rdf:li>" for p in pages)
    props = "\n".join(
        "        <rdf:li rdf:parseType=\"Resource\">"
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        f"<pdfaProperty:valueType>{value_type}</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"
        for name, value_type, description in CUSTOM_PROPERTIES
    )
    dossier = info.dossier_code or ""
    xml = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#"
    xmlns:{STATION_PREFIX}="{STATION_NS}">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_text(info.title)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{_text(info.operator)}</rdf:li></rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{_text(info.language)}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>{_text(tool)}</xmp:CreatorTool>
   <xmp:CreateDate>{created}</xmp:CreateDate>
   <xmp:ModifyDate>{created}</xmp:ModifyDate>
   <xmp:MetadataDate>{created}</xmp:MetadataDate>
   <pdf:Producer>{_text(PRODUCER)}</pdf:Producer>
   <{STATION_PREFIX}:documentType>{_text(info.doc_type)}</{STATION_PREFIX}:documentType>
   <{STATION_PREFIX}:dossierCode>{_text(dossier)}</{STATION_PREFIX}:dossierCode>
   <{STATION_PREFIX}:stationId>{_text(info.station_id)}</{STATION_PREFIX}:stationId>
   <{STATION_PREFIX}:pageCount>{len(pages)}</{STATION_PREFIX}:pageCount>
   <{STATION_PREFIX}:sourceSha256><rdf:Seq>{hashes}</rdf:Seq></{STATION_PREFIX}:sourceSha256>
   <{STATION_PREFIX}:qualityScores><rdf:Seq>{scores}</rdf:Seq></{STATION_PREFIX}:qualityScores>
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Digitization Station document properties</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>{STATION_NS}</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>{STATION_PREFIX}</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
{props}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"""
    return xml.encode("utf-8")


def info_entries(info: DocumentInfo, tool: str) -> dict[str, str]:
    """Info dictionary entries, equal in meaning to the XMP above (ISO 19005-2, 6.6.2.3.1)."""
    moment = pdf_date(info.capture_time)
    return {
        "/Title": clean_text(info.title),
        "/Author": clean_text(info.operator),
        "/Creator": clean_text(tool),
        "/Producer": PRODUCER,
        "/CreationDate": moment,
        "/ModDate": moment,
    }
