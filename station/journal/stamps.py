"""Ids and time stamps of journal rows."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def stamp(at: datetime | None, clock: float) -> tuple[str, float]:
    """(ISO 8601 with the local UTC offset, epoch seconds)."""
    moment = at if at is not None else datetime.fromtimestamp(clock, UTC).astimezone()
    if moment.tzinfo is None:
        moment = moment.astimezone()  # a naive time is the station's local time
    return moment.isoformat(timespec="seconds"), moment.timestamp()


def new_id() -> str:
    return uuid.uuid4().hex
