"""Machine-readable zones of ICAO 9303 travel documents from any issuing state.

Public API:
    read_mrz_documents(image) -> list[MrzFields]   every zone on a page, photo or card image
    find_mrz_zones(image) -> list[MrzZone]          where the zones are (level line images)
    parse_lines(lines) -> MrzFields | None          MRZ lines given as text
"""

from __future__ import annotations

from ocr.icao.locate import MrzZone, find_mrz_zones
from ocr.icao.mrz import MrzFields, parse_lines
from ocr.icao.reader import read_mrz_documents

__all__ = ["MrzFields", "MrzZone", "find_mrz_zones", "parse_lines", "read_mrz_documents"]
