"""Where the token's PIN comes from: the environment for unattended batches, the GUI's dialog at the counter.

A PIN lives in memory only: never logged, never written, never part of an error message. A provider that was
told the PIN is wrong forgets it, so the next attempt asks again instead of locking the token.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

PIN_VARIABLE = "STATION_PKCS11_PIN"


class PinTries(StrEnum):
    """What the token says of its PIN counter (PKCS#11 token flags), when it says anything."""

    UNKNOWN = "unknown"
    COUNT_LOW = "count-low"  # CKF_USER_PIN_COUNT_LOW: a wrong PIN was entered since the last good one
    FINAL_TRY = "final-try"  # CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token
    LOCKED = "locked"  # CKF_USER_PIN_LOCKED


@dataclass(frozen=True)
class PinRequest:
    """What a PIN dialog shows: which token, and how many tries the token says are left."""

    token_label: str
    tries: PinTries


class PinProvider(Protocol):
    @property
    def interactive(self) -> bool:
        """A person types the PIN (may be trusted with the token's last try); False for a stored PIN."""
        ...

    def pin(self, request: PinRequest) -> str | None:
        """The PIN, or None when none is available (the document then waits for its signature)."""
        ...

    def rejected(self) -> None:
        """The token refused the last PIN: forget it."""
        ...


class EnvironmentPin:
    """`STATION_PKCS11_PIN`, read once, for unattended batches."""

    interactive = False

    def __init__(self, environ: Mapping[str, str] = os.environ) -> None:
        self._pin: str | None = environ.get(PIN_VARIABLE) or None

    def pin(self, request: PinRequest) -> str | None:
        return self._pin

    def rejected(self) -> None:
        self._pin = None

    def __repr__(self) -> str:
        return "EnvironmentPin(<hidden>)"


class MemoryPin:
    """The counter's PIN for the working session: asked through `ask` (the GUI's masked dialog, called off the
    GUI thread's signing job) the first time, then kept in memory until :meth:`forget` (the "lock" action)."""

    interactive = True

    def __init__(self, ask: Callable[[PinRequest], str | None] | None = None) -> None:
        self._ask = ask
        self._pin: str | None = None

    def remember(self, pin: str) -> None:
        self._pin = pin or None

    def forget(self) -> None:
        self._pin = None

    @property
    def has_pin(self) -> bool:
        return self._pin is not None

    def pin(self, request: PinRequest) -> str | None:
        if self._pin is None and self._ask is not None:
            self._pin = self._ask(request) or None
        return self._pin

    def rejected(self) -> None:
        self._pin = None

    def __repr__(self) -> str:
        return f"MemoryPin(has_pin={self.has_pin})"
