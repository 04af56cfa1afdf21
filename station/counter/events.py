"""What the counter service tells its front end, from whichever thread it happens on. The window re-emits each
event as a Qt signal on the GUI thread; a test collects them in a list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from station.workflow.finish import FinishResult
from uploader.models import SenderStatus


@dataclass(frozen=True)
class SenderStatusChanged:
    """The sender's counts and reachability changed (from the sender's thread)."""

    status: SenderStatus


@dataclass(frozen=True)
class SenderBusy:
    """Another station program holds this outbox's sender lock: this one does not send."""


@dataclass(frozen=True)
class DossierQueued:
    """A finished dossier's PDF/A files are built and in the outbox."""

    result: FinishResult


CounterEvent = SenderStatusChanged | SenderBusy | DossierQueued
Listener = Callable[[CounterEvent], None]
