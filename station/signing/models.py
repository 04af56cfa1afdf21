"""The nouns of signing: roles, copy forms, PAdES levels and what each visible stamp says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum

VIETNAM = timezone(timedelta(hours=7), "+07:00")


class Role(StrEnum):
    OFFICER = "officer"  # the scanning officer (Circular 01/2023 Art. 8)
    AGENCY = "agency"  # the agency's signature on a true electronic copy (Decree 30/2020 Art. 25)


class CopyForm(StrEnum):
    SAO_Y = "SAO Y"
    SAO_LUC = "SAO LỤC"
    TRICH_SAO = "TRÍCH SAO"


class SignatureLevel(StrEnum):
    B_B = "B-B"
    B_T = "B-T"
    B_LT = "B-LT"


# The signature field of each role: verification reads the role back from it.
FIELD_NAMES: dict[Role, str] = {Role.OFFICER: "ChuKyCanBoSoHoa", Role.AGENCY: "ChuKyCoQuanSaoY"}


def role_of_field(name: str | None) -> Role | None:
    for role, prefix in FIELD_NAMES.items():
        if name and name.startswith(prefix):
            return role
    return None


def vietnam_time(moment: datetime) -> str:
    """ISO 8601 in Vietnam time with its offset, to the second: `2026-12-01T17:45:03+07:00`."""
    if moment.tzinfo is None:
        raise ValueError("a signing or scan time must carry its time zone")
    return moment.astimezone(VIETNAM).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class OfficerStamp:
    """The officer's visible signature: top left of page 1, the officer's name and the scan time."""

    officer: str
    scan_time: datetime

    role = Role.OFFICER

    def text(self) -> str:
        return f"Người số hóa: {self.officer}\nThời gian quét: {vietnam_time(self.scan_time)}"


@dataclass(frozen=True)
class AgencyStamp:
    """The agency's true-copy signature: top right of page 1, no image, the copy form, the agency, the time."""

    copy_form: CopyForm
    agency: str
    time: datetime

    role = Role.AGENCY

    def text(self) -> str:
        return f"{self.copy_form.value}\n{self.agency}\n{vietnam_time(self.time)}"


Stamp = OfficerStamp | AgencyStamp
