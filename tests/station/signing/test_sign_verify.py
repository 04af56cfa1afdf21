"""Signing on a real SoftHSM2 token with a real TSA and OCSP responder (certomancer on 127.0.0.1); pyHanko's
validator and poppler's pdfsig (NSS) check the result independently."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pikepdf

from station.pdfa import check_pdfa
from station.signing import (
    AgencyStamp,
    CopyForm,
    MemoryPin,
    OfficerStamp,
    Role,
    SignatureLevel,
    SigningConfig,
    TokenSession,
    sign_file,
    verify_file,
)
from station.signing.sign import stamp_font
from tests.signing_fixtures import AGENCY, AGENCY_NAME, OFFICER, OFFICER_NAME, SigningPki

SCAN_TIME = datetime(2026, 11, 30, 1, 15, 42, tzinfo=UTC)  # 08:15:42 in Vietnam


def config_of(pki: SigningPki, **changes: object) -> SigningConfig:
    config = SigningConfig(module=pki.module, token_label=pki.token_label, key_label=OFFICER, agency_key_label=AGENCY,
                           tsa_url=pki.tsa_url, trust_roots=pki.trust_roots)
    return replace(config, **changes)  # type: ignore[arg-type]


def pins(pki: SigningPki) -> MemoryPin:
    provider = MemoryPin()
    provider.remember(pki.pin)
    return provider


def pdfsig(path: Path, nss_dir: Path) -> str:
    done = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss_dir}", str(path)], capture_output=True, text=True,
                          timeout=120, check=False)
    return done.stdout


def flip_byte_inside_first_revision(path: Path) -> None:
    """Change one byte of an image stream the officer's signature covers (the file still parses)."""
    data = bytearray(path.read_bytes())
    start = data.index(b"stream", data.index(b"/Subtype /Image") if b"/Subtype /Image" in data
                       else data.index(b"/Image")) + 200
    data[start] ^= 0x01
    path.write_bytes(bytes(data))


OFFICER_STAMP = OfficerStamp(OFFICER_NAME, SCAN_TIME)
AGENCY_STAMP = AgencyStamp(CopyForm.SAO_LUC, AGENCY_NAME, datetime(2026, 12, 1, 2, 30, 5, tzinfo=UTC))


def sign_both(pki: SigningPki, path: Path, **changes: object) -> tuple[SignatureLevel, SignatureLevel]:
    with TokenSession(config_of(pki, **changes), pins(pki)) as token:
        officer = sign_file(path, token, OFFICER_STAMP)
        agency = sign_file(path, token, AGENCY_STAMP)
    return officer, agency


def unicode_of(font: pikepdf.Dictionary) -> set[str]:
    """The characters a Type0 font's ToUnicode map gives its glyphs (CID 0, .notdef, excluded)."""
    found: set[str] = set()
    for line in font.ToUnicode.read_bytes().decode("latin-1").splitlines():
        tokens = re.findall(r"<([0-9A-Fa-f]+)>", line)
        if len(tokens) == 2 and "[" not in line and int(tokens[0], 16):  # bfchar: <cid> <unicode>
            found.add(bytes.fromhex(tokens[1]).decode("utf-16-be"))
        elif len(tokens) > 2 and "[" in line and int(tokens[0], 16):  # bfrange: <first> <last> [<unicode>...]
            found.update(bytes.fromhex(t).decode("utf-16-be") for t in tokens[2:])
        elif len(tokens) == 3 and int(tokens[0], 16):  # bfrange: <first> <last> <first unicode>
            start = int(tokens[2], 16)
            found.update(chr(start + n) for n in range(int(tokens[1], 16) - int(tokens[0], 16) + 1))
    return found


def test_officer_and_agency_sign_at_b_lt_and_both_verifiers_agree(signing_pki: SigningPki,
                                                                 unsigned_pdf: Path) -> None:
    unsigned = unsigned_pdf.read_bytes()
    levels = sign_both(signing_pki, unsigned_pdf)
    assert levels == (SignatureLevel.B_LT, SignatureLevel.B_LT)

    signed = unsigned_pdf.read_bytes()
    assert signed.startswith(unsigned)  # an incremental update: the unsigned file is untouched
    assert check_pdfa(unsigned_pdf).failures == ()  # PDF/A-2b check (with qpdf --check) still passes

    report = verify_file(unsigned_pdf, signing_pki.trust_roots)
    assert report.valid
    officer, agency = report.signatures
    assert (officer.role, officer.signer, agency.role, agency.signer) == (Role.OFFICER, OFFICER_NAME, Role.AGENCY,
                                                                           AGENCY_NAME)
    for check in report.signatures:
        assert check.intact and check.trusted and check.covers_whole_document
        assert check.timestamp is not None and check.signing_time is not None
        assert abs(check.timestamp - datetime.now(UTC)) < timedelta(minutes=10)

    independent = pdfsig(unsigned_pdf, signing_pki.nss_dir)
    assert independent.count("Signature Validation: Signature is Valid.") == 2
    assert f"Signer Certificate Common Name: {OFFICER_NAME}" in independent
    assert f"Signer Certificate Common Name: {AGENCY_NAME}" in independent
    assert "Total document signed" in independent  # the agency's signature covers the whole file
    # NSS found the chain to the test root (an untrusted or unknown issuer would be named here).
    assert "issuer" not in independent.lower() and "revoked" not in independent.lower()


def test_stamps_sit_top_left_and_top_right_with_the_embedded_font(signing_pki: SigningPki,
                                                                 unsigned_pdf: Path) -> None:
    sign_both(signing_pki, unsigned_pdf)
    with pikepdf.open(unsigned_pdf) as pdf:
        page = pdf.pages[0]
        width, height = float(page.mediabox[2]), float(page.mediabox[3])
        widgets = {str(a.T): [float(v) for v in a.Rect] for a in page.Annots if a.get("/FT") == "/Sig"}
        officer, agency = widgets["ChuKyCanBoSoHoa"], widgets["ChuKyCoQuanSaoY"]
        assert officer[0] < width / 4 and officer[3] > height - 40  # top left
        assert agency[2] > width * 3 / 4 and agency[3] > height - 40  # top right
        fonts = [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
                 and obj.get("/Subtype") == "/Type0"]
        family = stamp_font(OFFICER_STAMP.text()).stem.split("-")[0]  # LiberationSerif once fonts-liberation2 is in
        assert len(fonts) == 2 and all(family in str(f.BaseFont) for f in fonts)
        stamps: tuple[OfficerStamp | AgencyStamp, ...] = (OFFICER_STAMP, AGENCY_STAMP)
        for font, stamp in zip(fonts, stamps, strict=True):
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile2" in descriptor or "/FontFile3" in descriptor  # embedded (PDF/A)
            assert set(stamp.text()) - {"\n", " "} <= unicode_of(font)  # every letter has its glyph, none .notdef


def test_one_changed_byte_breaks_both_verifiers(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    sign_both(signing_pki, unsigned_pdf)
    flip_byte_inside_first_revision(unsigned_pdf)

    report = verify_file(unsigned_pdf, signing_pki.trust_roots)
    assert not report.valid
    assert not all(s.intact for s in report.signatures)
    independent = pdfsig(unsigned_pdf, signing_pki.nss_dir)
    assert independent.count("Signature Validation: Signature is Valid.") < 2
    assert "Digest Mismatch" in independent or "Invalid" in independent


def test_without_tsa_the_level_is_b_b(signing_pki: SigningPki, unsigned_pdf: Path) -> None:
    with TokenSession(config_of(signing_pki, tsa_url=""), pins(signing_pki)) as token:
        level = sign_file(unsigned_pdf, token, OfficerStamp(OFFICER_NAME, SCAN_TIME))
    assert level is SignatureLevel.B_B
    (check,) = verify_file(unsigned_pdf, signing_pki.trust_roots).signatures
    assert check.timestamp is None and check.intact and check.trusted


def test_without_trust_roots_the_level_is_b_t_and_nothing_is_trusted(signing_pki: SigningPki,
                                                                     unsigned_pdf: Path) -> None:
    with TokenSession(config_of(signing_pki, trust_roots=None), pins(signing_pki)) as token:
        level = sign_file(unsigned_pdf, token, OfficerStamp(OFFICER_NAME, SCAN_TIME))
    assert level is SignatureLevel.B_T
    report = verify_file(unsigned_pdf, None)
    assert not report.valid and report.signatures[0].intact and not report.signatures[0].trusted


def test_the_stamp_font_has_every_vietnamese_letter() -> None:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    text = "Người số hóa: Phạm Thị Thu Hương\nTRÍCH SAO\nỦy ban nhân dân xã Đồng Hữu"
    chosen = stamp_font(text)
    covered = TTFont(str(chosen), lazy=True).getBestCmap()
    assert all(ord(ch) in covered for ch in text if not ch.isspace())
