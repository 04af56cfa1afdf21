"""The typed signing section the runtime derives from settings and the environment (never read here)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station.signing.models import Role


@dataclass(frozen=True)
class SigningConfig:
    """Where the keys are and how the signatures are made.

    `module`: the token's PKCS#11 module (`.so`); `token_label`: which token; `key_label`: the officer's key and
    certificate (one label for both, as Vietnamese CA tokens ship them); `agency_key_label`: the agency's key
    (empty: the same key). `tsa_url`: RFC 3161 timestamps (PAdES B-T); `trust_roots`: a PEM file of the roots a
    signature must chain to (also needed to fetch revocation data for B-LT). `tsa_required`: an unreachable TSA
    stops signing instead of falling back to B-B. `required`: the counter never uploads an unsigned document.
    """

    module: str = ""
    token_label: str = ""
    key_label: str = ""
    agency_key_label: str = ""
    tsa_url: str = ""
    trust_roots: Path | None = None
    tsa_required: bool = False
    required: bool = False

    @property
    def configured(self) -> bool:
        return bool(self.module and self.token_label and self.key_label)

    def key_for(self, role: Role) -> str:
        if role is Role.AGENCY and self.agency_key_label:
            return self.agency_key_label
        return self.key_label
