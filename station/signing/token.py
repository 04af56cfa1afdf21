"""One open, logged-in session on the configured PKCS#11 token, for any number of signatures.

A batch opens it once: one login, one PIN. A wrong PIN ends the session at once (no retry: tokens lock after a
few wrong PINs); a token that stops answering (unplugged mid-batch) becomes :class:`TokenMissingError`.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import TYPE_CHECKING, Any

from station.signing.config import SigningConfig
from station.signing.errors import (
    KeyNotFoundError,
    PinFinalTryError,
    PinLockedError,
    PinRequiredError,
    SigningNotConfiguredError,
    TokenMissingError,
    WrongPinError,
)
from station.signing.models import Role
from station.signing.pin import PinProvider, PinRequest, PinTries

if TYPE_CHECKING:
    from pyhanko.sign.pkcs11 import PKCS11Signer

log = logging.getLogger(__name__)


def pin_tries(flags: int) -> PinTries:
    """The token's PIN counter from its PKCS#11 flags (most tokens report it; SoftHSM2 does not)."""
    from pkcs11 import TokenFlag

    if flags & TokenFlag.USER_PIN_LOCKED:
        return PinTries.LOCKED
    if flags & TokenFlag.USER_PIN_FINAL_TRY:
        return PinTries.FINAL_TRY
    if flags & TokenFlag.USER_PIN_COUNT_LOW:
        return PinTries.COUNT_LOW
    return PinTries.UNKNOWN


class TokenSession:
    """`with TokenSession(config, pins) as token: token.signer(Role.OFFICER)`; the session closes on exit."""

    def __init__(self, config: SigningConfig, pins: PinProvider) -> None:
        if not config.configured:
            raise SigningNotConfiguredError("signing is not configured (module, token label, key label)")
        self.config = config
        self._pins = pins
        self._session: Any = None
        self._signers: dict[str, PKCS11Signer] = {}

    def __enter__(self) -> TokenSession:
        self.open()
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def _token(self) -> Any:
        import pkcs11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import find_token

        try:
            lib = pkcs11.lib(self.config.module)
            criteria = TokenCriteria(label=self.config.token_label)
            token = find_token(lib.get_slots(token_present=True), token_criteria=criteria)
        except pkcs11.exceptions.PKCS11Error as err:
            raise TokenMissingError(f"PKCS#11 module or token not usable: {type(err).__name__}") from None
        if token is None:
            raise TokenMissingError("no token with the configured label is present")
        return token

    def open(self) -> None:
        import pkcs11

        token = self._token()
        tries = pin_tries(int(token.flags))
        if tries is PinTries.LOCKED:
            raise PinLockedError("the token's user PIN is locked")
        if tries is PinTries.FINAL_TRY and not self._pins.interactive:
            raise PinFinalTryError("one PIN try left: a stored PIN is not tried")
        pin = self._pins.pin(PinRequest(self.config.token_label, tries))
        if pin is None:
            raise PinRequiredError("no PIN available for the token")
        try:
            self._session = token.open(user_pin=pin)
        except pkcs11.exceptions.PinIncorrect:
            self._pins.rejected()
            raise WrongPinError("the token refused the PIN", self._tries_now()) from None
        except pkcs11.exceptions.PinLocked:
            self._pins.rejected()
            raise PinLockedError("the token's user PIN is locked") from None
        except (pkcs11.exceptions.PinLenRange, pkcs11.exceptions.PinInvalid):
            self._pins.rejected()
            raise WrongPinError("the PIN has a length or characters the token refuses", PinTries.UNKNOWN) from None
        except pkcs11.exceptions.PKCS11Error as err:
            raise TokenMissingError(f"the token did not open a session: {type(err).__name__}") from None
        finally:
            del pin

    def _tries_now(self) -> PinTries:
        try:
            return pin_tries(int(self._token().flags))
        except TokenMissingError:
            return PinTries.UNKNOWN

    def close(self) -> None:
        session, self._session = self._session, None
        self._signers.clear()
        if session is not None:
            try:
                session.close()
            except Exception as err:  # an unplugged token cannot be logged out of; nothing to keep
                log.info("token session not closed cleanly: %s", type(err).__name__)

    def signer_name(self, role: Role) -> str:
        """The common name of the role's certificate (the officer's name when none is given)."""
        cert = self.signer(role).signing_cert
        if cert is None:
            raise KeyNotFoundError("the token gave no certificate")
        return str(cert.subject.native.get("common_name") or cert.subject.human_friendly)

    def signer(self, role: Role) -> PKCS11Signer:
        """pyHanko's signer for the role's key; the key and its certificate share one label on the token."""
        import pkcs11
        from pkcs11 import Attribute, ObjectClass
        from pyhanko.sign.pkcs11 import PKCS11Signer

        if self._session is None:
            raise TokenMissingError("the token session is not open")
        label = self.config.key_for(role)
        cached = self._signers.get(label)
        if cached is not None:
            return cached
        try:
            found = {obj[Attribute.CLASS] for obj in self._session.get_objects({Attribute.LABEL: label})}
        except pkcs11.exceptions.PKCS11Error as err:
            raise TokenMissingError(f"the token stopped answering: {type(err).__name__}") from None
        if not {ObjectClass.PRIVATE_KEY, ObjectClass.CERTIFICATE} <= found:
            raise KeyNotFoundError(f"no private key and certificate labelled {label!r} on the token")
        signer = PKCS11Signer(self._session, key_label=label, cert_label=label)
        self._signers[label] = signer
        return signer
