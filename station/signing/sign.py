"""Sign a PDF with one visible PAdES signature (officer or agency) as an incremental update.

The level follows what is reachable: B-T with an RFC 3161 timestamp when a TSA is configured, B-LT when the
signer's revocation data could also be fetched (kept in the DSS of the signature's own revision), B-B otherwise.
The bytes before the update are the unsigned file, unchanged; document metadata (Info, XMP) is left as built, so
the PDF/A-2b description stays valid.
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.fsutil import write_atomic
from station.signing.config import SigningConfig
from station.signing.errors import (
    CertificateExpiredError,
    CertificateRevokedError,
    SignedFileError,
    StampFontMissingError,
    TokenMissingError,
    TsaUnreachableError,
)
from station.signing.models import FIELD_NAMES, Role, SignatureLevel, Stamp
from station.signing.token import TokenSession
from station.signing.trust import validation_context

if TYPE_CHECKING:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.pkcs11 import PKCS11Signer
    from pyhanko.sign.timestamps import TimeStamper
    from pyhanko_certvalidator import ValidationContext

log = logging.getLogger(__name__)

# Times New Roman's metric-compatible twin, embedded as a subset by pyHanko: Liberation Serif 2 (Debian
# fonts-liberation2) covers Vietnamese; Liberation Serif 1 (fonts-liberation) lacks ơ, ư and the stacked marks
# (ễ, ố, ờ...), so a stamp is set in the first font that has every letter of its text.
LIBERATION_SERIF = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
STAMP_FONTS = (
    LIBERATION_SERIF,
    Path("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
)
FONT_PT = 10
LEADING_PT = 12
MARGIN_PT = 14.0  # from the page edge
PADDING_PT = 10.0  # pyHanko's text box padding on each side, inside the field
TSA_TIMEOUT_S = 10
REASONS = {Role.OFFICER: "Cán bộ số hóa ký xác nhận bản số hóa", Role.AGENCY: "Cơ quan ký xác nhận bản sao điện tử"}


def _writer(data: bytes) -> IncrementalPdfFileWriter:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class KeepMetadataWriter(IncrementalPdfFileWriter):
        """pyHanko rewrites the XMP packet on every update, which breaks the PDF/A extension schema the builder
        wrote; a signature changes no metadata, so the update leaves Info and XMP as they are."""

        def _update_meta(self) -> None:
            return None

    try:
        return KeepMetadataWriter(io.BytesIO(data), strict=False)
    except Exception as err:  # pyHanko raises several types for a file that is not a PDF
        raise SignedFileError(f"the file cannot be opened as a PDF: {type(err).__name__}") from None


def _page_box(writer: IncrementalPdfFileWriter) -> tuple[float, float, float, float]:
    page_ref, _ = writer.find_page_for_modification(0)  # type: ignore[no-untyped-call]
    page = page_ref.get_object()
    box = page.get("/CropBox") or page.get("/MediaBox") or [0, 0, 595, 842]
    x1, y1, x2, y2 = (float(v) for v in box)
    return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)


def _text_width_pt(font: Path, line: str) -> float:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    tt = TTFont(str(font), lazy=True)
    cmap, metrics = tt.getBestCmap(), tt["hmtx"].metrics
    units = sum(metrics[cmap[ord(ch)]][0] for ch in line if ord(ch) in cmap)
    return float(units / tt["head"].unitsPerEm * FONT_PT)


def field_box(writer: IncrementalPdfFileWriter, stamp: Stamp) -> tuple[int, int, int, int]:
    """Top left of page 1 for the officer, top right for the agency (Circular 01/2023, Decree 30/2020), as large
    as the text at 10 pt needs, so pyHanko does not shrink it."""
    left, _bottom, right, top = _page_box(writer)
    lines = stamp.text().split("\n")
    font = stamp_font(stamp.text())
    width = max(_text_width_pt(font, line) for line in lines) * 1.04 + 2 * PADDING_PT + 2
    height = len(lines) * LEADING_PT + 2 * PADDING_PT
    x = left + MARGIN_PT if stamp.role is Role.OFFICER else right - MARGIN_PT - width
    y = top - MARGIN_PT - height
    return round(x), round(y), round(x + width), round(y + height)


@functools.lru_cache(maxsize=4)
def _characters(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(path), lazy=True).getBestCmap())


def stamp_font(text: str) -> Path:
    """The first of STAMP_FONTS installed and covering every letter of `text` (never a .notdef box)."""
    needed = {ord(ch) for ch in text if not ch.isspace()}
    installed = [path for path in STAMP_FONTS if path.is_file()]
    for path in installed:
        if needed <= _characters(path):
            return path
    if not installed:
        raise StampFontMissingError("no stamp font installed (fonts-liberation2, fonts-liberation, fonts-dejavu)")
    log.warning("no stamp font covers every letter of the stamp; using %s", installed[0].name)
    return installed[0]


@functools.lru_cache(maxsize=4)
def _font_at_1000_units(path: Path) -> bytes:
    """The font rescaled to 1000 units per em. pyHanko writes glyph widths (/W) in the font's own units while
    PDF reads them per 1000: at TrueType's 2048 every glyph would be drawn twice as far apart."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem  # type: ignore[import-untyped]

    font = TTFont(str(path))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _font_factory(path: Path) -> Any:
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory

    class ScaledFontFactory(GlyphAccumulatorFactory):
        def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
            if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
                obj_stream = writer.prepare_object_stream()
            return GlyphAccumulator(writer=writer, font_handle=io.BytesIO(_font_at_1000_units(path)),
                                    font_size=self.font_size, obj_stream=obj_stream)

    return ScaledFontFactory(str(path), font_size=FONT_PT)


def _style(stamp: Stamp) -> Any:
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.stamp import TextStampStyle

    font = _font_factory(stamp_font(stamp.text()))
    return TextStampStyle(
        stamp_text=stamp.text().replace("%", "%%"),  # pyHanko interpolates %(name)s in the stamp text
        text_box_style=TextBoxStyle(font=font, leading=LEADING_PT),
        border_width=1 if stamp.role is Role.OFFICER else 0,  # the true-copy text stands alone, no frame or image
        background=None,
    )


def check_validity(signer: PKCS11Signer, now: datetime) -> None:
    cert = signer.signing_cert
    if cert is None:
        raise TokenMissingError("the token gave no signing certificate")
    validity = cert["tbs_certificate"]["validity"]
    if not validity["not_before"].native <= now <= validity["not_after"].native:
        raise CertificateExpiredError("the signing certificate is outside its validity period")


async def _revocation_fetched(signer: PKCS11Signer, context: ValidationContext) -> bool:
    """Check the signer's certificate against the trust roots and its OCSP/CRL; True when revocation data came
    back (for B-LT). A revoked certificate stops here; unreachable revocation services only lower the level."""
    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError, RevokedError

    validator = CertificateValidator(signer.signing_cert, intermediate_certs=signer.cert_registry,
                                     validation_context=context)
    try:
        await validator.async_validate_usage(set())  # type: ignore[no-untyped-call]
    except RevokedError:
        raise CertificateRevokedError("the signing certificate is revoked") from None
    except (PathBuildingError, PathValidationError) as err:
        log.warning("signing certificate not validated against the trust roots (%s): no B-LT", type(err).__name__)
        return False
    return bool(context.ocsps or context.crls)


async def _sign(data: bytes, signer: PKCS11Signer, stamp: Stamp, timestamper: TimeStamper | None,
                context: ValidationContext | None) -> bytes:
    from pyhanko.sign import fields, signers
    from pyhanko.sign.signers.pdf_signer import DSSContentSettings, SigDSSPlacementPreference

    writer = _writer(data)
    name = FIELD_NAMES[stamp.role]
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=REASONS[stamp.role],
        embed_validation_info=context is not None,
        validation_context=context,
        use_pades_lta=False,
        dss_settings=DSSContentSettings(placement=SigDSSPlacementPreference.TOGETHER_WITH_SIGNATURE,
                                        include_vri=False),
    )
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=_style(stamp),
                                   new_field_spec=fields.SigFieldSpec(name, on_page=0,
                                                                      box=field_box(writer, stamp)))
    out = io.BytesIO()
    await pdf_signer.async_sign_pdf(writer, output=out)
    return out.getvalue()


def _timestamp_failed(err: BaseException) -> bool:
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, TimestampRequestError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def _sign_with_level(data: bytes, token: TokenSession, stamp: Stamp,
                           now: datetime) -> tuple[bytes, SignatureLevel]:
    import pkcs11
    from pyhanko.sign.timestamps import HTTPTimeStamper

    config: SigningConfig = token.config
    signer = token.signer(stamp.role)
    try:
        check_validity(signer, now)
        context = validation_context(config, now)
        revocation = context is not None and await _revocation_fetched(signer, context)
        timestamper = HTTPTimeStamper(config.tsa_url, timeout=TSA_TIMEOUT_S) if config.tsa_url else None
        try:
            signed = await _sign(data, signer, stamp, timestamper, context if revocation else None)
        except Exception as err:
            if timestamper is None or not _timestamp_failed(err):
                raise
            if config.tsa_required:
                raise TsaUnreachableError("the timestamp server did not answer") from None
            log.warning("timestamp server unreachable: signed without a timestamp (PAdES B-B)")
            timestamper = None
            signed = await _sign(data, signer, stamp, None, context if revocation else None)
    except pkcs11.exceptions.PKCS11Error as err:
        raise TokenMissingError(f"the token stopped answering while signing: {type(err).__name__}") from None
    if timestamper is None:
        return signed, SignatureLevel.B_B
    return signed, SignatureLevel.B_LT if revocation else SignatureLevel.B_T


def sign_bytes(data: bytes, token: TokenSession, stamp: Stamp, *,
               now: datetime | None = None) -> tuple[bytes, SignatureLevel]:
    """The signed file (`data` plus one incremental update) and the PAdES level reached."""
    moment = now or datetime.now(UTC)
    return asyncio.run(_sign_with_level(data, token, stamp, moment))


def sign_file(path: Path, token: TokenSession, stamp: Stamp) -> SignatureLevel:
    """Sign `path` in place, atomically: a failure leaves the file exactly as it was."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SignedFileError(f"cannot read the file to sign: {err.strerror or err}") from None
    signed, level = sign_bytes(data, token, stamp)
    write_atomic(path, signed)
    return level


__all__ = ["LIBERATION_SERIF", "check_validity", "field_box", "sign_bytes", "sign_file", "stamp_font"]
