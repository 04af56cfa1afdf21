"""`station cccd IMAGE... [--json]`: read citizen ID cards (CCCD 2021, Căn cước 2024) from images, and the
machine-readable zone of any ICAO 9303 document (foreign passports, ID and residence cards, visas).

Output is personal data. With --json the full decoded values are printed (the operator asked for them:
JSON Lines, one object per card side or document found, on stdout, never to the log; every object has
"document_type": "cccd" | "passport" | "id_card" | "visa"). Without --json a short summary
is printed with the ID number masked (`001*******45`) and the name reduced to initials, so a terminal
or a screenshot does not expose a citizen. Exit status: 0 when every input had at least one card,
1 when some input had none, 4 when some input could not be read — always after processing the rest.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

import numpy as np
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

from ocr.models import CitizenId, mask_id
from scanning.errors import ImportFailedError
from scanning.models import Image
from station.exit_codes import ExitCode

EXIT_NO_CARD = ExitCode.PARTIAL
NO_CARD_USER_MESSAGE = (
    "Không tìm thấy thẻ căn cước trong ảnh. Đặt thẻ phẳng trên mặt kính, cách mép vài cm, quét ở 300 dpi "
    "trở lên rồi thử lại."
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "cccd",
        help="read citizen ID cards (CCCD / Căn cước) and passports/visas (ICAO MRZ) from images",
        description="Finds every card side on each image (flatbed scan or photo) and reads its QR code, MRZ "
        "and printed number; reads the machine-readable zone of any passport, ID card or visa. --json "
        "prints full values (JSON Lines, one object per card side or document); the "
        "default summary masks them. Exit status 1 if an input had no card, 4 if one could not be read "
        "(after all others).",
    )
    parser.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help="image files (PNG, JPEG, TIFF, ...)")
    parser.add_argument("--json", action="store_true", help="JSON Lines with the full decoded values")
    parser.add_argument("--dpi", type=int, default=None,
                        help="resolution of the images when the files do not say (a photo: leave unset)")
    parser.set_defaults(run=run)


def load_image(path: Path) -> tuple[Image, int | None]:
    """An image file as RGB or gray pixels, upright per EXIF, with the dpi it declares (if any)."""
    try:
        with PILImage.open(path) as opened:
            img = ImageOps.exif_transpose(opened)
            dpi_info = opened.info.get("dpi")
            if img.mode not in ("RGB", "L"):
                img = img.convert("RGB")
            pixels = np.asarray(img, dtype=np.uint8)
    except (UnidentifiedImageError, ValueError) as err:
        raise ImportFailedError(f"{path}: not an image file ({type(err).__name__})") from err
    except OSError as err:
        raise ImportFailedError(f"{path}: cannot read: {err.strerror or err}") from err
    dpi = None
    if isinstance(dpi_info, tuple) and dpi_info and float(dpi_info[0]) > 1:
        dpi = round(float(dpi_info[0]))
    return pixels, dpi


def summary(card: CitizenId) -> str:
    """One masked line for a terminal: no full number, name or date."""
    initials = "".join(w[0] + "." for w in (card.full_name or "").split()) or "-"
    failed = [k for k, v in card.checks.items() if not v]
    verdict = f"all {len(card.checks)} checks passed" if not failed else "FAILED: " + ", ".join(failed)
    parts = [
        f"{card.side or '?'} {card.card_style or '?'}",
        f"ID {mask_id(card.id_number) or '-'}",
        f"name {initials}",
        f"born {card.date_of_birth.year if card.date_of_birth else '-'}",
        f"sources {'+'.join(card.sources) or 'none'}",
        verdict,
    ]
    text = " · ".join(parts)
    if card.warnings:
        text += "\n    warnings: " + "; ".join(card.warnings)
    return text


def run(args: argparse.Namespace) -> int:
    from ocr.documents import document_summary, document_to_json, read_documents  # heavy: only when run

    out: TextIO = sys.stdout
    status: int = ExitCode.OK
    for path in args.images:
        try:
            pixels, file_dpi = load_image(path)
        except ImportFailedError as err:
            print(f"station: {err}", file=sys.stderr)
            status = max(status, err.exit_code)
            continue
        cards = read_documents(pixels, args.dpi or file_dpi)
        if not cards:
            print(f"station: {path}: no citizen ID card found. {NO_CARD_USER_MESSAGE}", file=sys.stderr)
            status = max(status, EXIT_NO_CARD)
            continue
        for index, card in enumerate(cards, 1):
            if args.json:
                record = {"source": str(path), "card": index, **document_to_json(card)}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif isinstance(card, CitizenId):
                print(f"{path}: card {index}: {summary(card)}", file=out)
            else:
                print(f"{path}: document {index}: {document_summary(card)}", file=out)
        # Only unrecognisable card candidates: printed, but not a document.
        if all(isinstance(card, CitizenId) and card.side is None for card in cards):
            print(f"station: {path}: no citizen ID card recognised. {NO_CARD_USER_MESSAGE}", file=sys.stderr)
            status = max(status, EXIT_NO_CARD)
    out.flush()
    return status
