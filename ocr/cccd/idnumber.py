"""The 12-digit personal identification number (số định danh cá nhân) printed on CCCD / Căn cước cards.

Layout (Decree 137/2015/NĐ-CP, Circular 07/2016/TT-BCA, amended by Circular 59/2021/TT-BCA):

    PPP  C  YY  NNNNNN
    |    |  |   random digits
    |    |  last two digits of the year of birth
    |    century and sex: 0/1 = male/female born 1900-1999, 2/3 = 2000s, 4/5 = 2100s, 6/7 = 2200s, 8/9 = 1800s
    province (or country, for births registered abroad) of birth registration

The province codes are those of the 63 provinces before the 2025 merger; the codes on cards already
issued do not change with the merger. Numbers can be re-issued or corrected, so a mismatch between the
decoded digits and the card's other fields is a warning for the operator, never a reason to reject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# Circular 07/2016/TT-BCA, appendix: codes of the provinces and centrally-run cities.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
    "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
    "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
    "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
    "054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
    "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh", "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh",
    "086": "Vĩnh Long", "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}  # fmt: skip

_ID_RE = re.compile(r"[0-9]{12}")
_CENTURY = {0: 1900, 1: 1900, 2: 2000, 3: 2000, 4: 2100, 5: 2100, 6: 2200, 7: 2200, 8: 1800, 9: 1800}


@dataclass(frozen=True)
class IdNumberInfo:
    """What the digits of a 12-digit number say (personal data: do not log)."""

    province_code: str
    province: str | None  # None when the code is not in the table
    sex: str  # "Nam" | "Nữ"
    birth_year: int
    serial: str


def is_id_number(value: str | None) -> bool:
    return value is not None and _ID_RE.fullmatch(value) is not None


def decode_id_number(value: str | None) -> IdNumberInfo | None:
    """Decode a 12-digit number; None when `value` is not exactly 12 ASCII digits."""
    if not is_id_number(value):
        return None
    assert value is not None
    digit = int(value[3])
    return IdNumberInfo(
        province_code=value[:3],
        province=PROVINCE_CODES.get(value[:3]),
        sex="Nam" if digit % 2 == 0 else "Nữ",
        birth_year=_CENTURY[digit] + int(value[4:6]),
        serial=value[6:],
    )


def century_of(value: str) -> int | None:
    """The century (1800, 1900, ...) a 12-digit number encodes; None for anything else."""
    info = decode_id_number(value)
    return None if info is None else info.birth_year - info.birth_year % 100


def id_number_checks(
    value: str | None, *, date_of_birth: date | None, sex: str | None
) -> tuple[dict[str, bool], list[str]]:
    """Checks of the number against itself and the card's date of birth and sex.

    Returns named checks and warnings; warnings never contain the number or the birth date.
    """
    checks: dict[str, bool] = {}
    warnings: list[str] = []
    info = decode_id_number(value)
    checks["id_number_format"] = info is not None
    if info is None:
        if value is not None:
            warnings.append("id_number: not 12 digits")
        return checks, warnings
    checks["id_province_known"] = info.province is not None
    if info.province is None:
        warnings.append("id_number: province code not in the table of Circular 07/2016/TT-BCA")
    if date_of_birth is not None:
        checks["id_birth_year_matches_dob"] = info.birth_year == date_of_birth.year
        if info.birth_year != date_of_birth.year:
            warnings.append("id_number: century/year digits do not match the date of birth")
    if sex is not None:
        checks["id_sex_matches"] = info.sex == sex
        if info.sex != sex:
            warnings.append("id_number: century/sex digit does not match the sex on the card")
    return checks, warnings
