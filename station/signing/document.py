"""Facts a stamp needs from the file it is put on."""

from __future__ import annotations

import io
from datetime import datetime


def scan_time_of(data: bytes) -> datetime | None:
    """The scan time the station wrote into the PDF (XMP xmp:CreateDate), or None when there is none."""
    import pikepdf

    from station.pdfa.check import parse_xmp_date

    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            value = str(pdf.open_metadata().get("xmp:CreateDate") or "")
    except (pikepdf.PdfError, ValueError):
        return None
    return parse_xmp_date(value) if value else None
