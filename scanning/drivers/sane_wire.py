"""The messages between the station and its SANE child process: JSON headers, raw page bytes.

Nothing the child says is unpickled: a vendor driver that scribbles over the child's memory can at
worst send a malformed header, which the parent refuses as a scanner fault.
"""

from __future__ import annotations

import json
from multiprocessing.connection import Connection
from typing import Any

from scanning.drivers.sane_options import Constraint, OptionInfo
from scanning.errors import (
    CoverOpenError,
    DeviceBusyError,
    DeviceGoneError,
    DeviceNotFoundError,
    NoDocumentsError,
    PaperJamError,
    ScanCancelledError,
    ScannerError,
    UnsupportedOptionError,
)

Message = dict[str, Any]

ERROR_TYPES: dict[str, type[ScannerError]] = {
    cls.__name__: cls
    for cls in (
        ScannerError,
        PaperJamError,
        CoverOpenError,
        NoDocumentsError,
        DeviceBusyError,
        DeviceGoneError,
        DeviceNotFoundError,
        UnsupportedOptionError,
        ScanCancelledError,
    )
}
"""The only error types the child may name; anything else arrives as a plain ScannerError."""


class WireError(ScannerError):
    """The child sent something that is not a message of this protocol."""


def send(conn: Connection, message: Message, payload: bytes | bytearray | None = None) -> None:
    """One JSON header; a page's raw bytes follow it when `payload` is given (header says so)."""
    header = dict(message, payload=payload is not None)
    conn.send_bytes(json.dumps(header, ensure_ascii=False).encode("utf-8"))
    if payload is not None:
        conn.send_bytes(payload)


def receive(conn: Connection) -> tuple[Message, bytes | None]:
    """The next message and its payload. Raises EOFError when the other side is gone."""
    raw = conn.recv_bytes()
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise WireError("the scanner process sent an unreadable message") from err
    if not isinstance(header, dict) or not isinstance(header.get("ev", header.get("op")), str):
        raise WireError("the scanner process sent a message without a kind")
    payload = conn.recv_bytes() if header.get("payload") is True else None
    return header, payload


def error_message(err: ScannerError) -> Message:
    return {"type": type(err).__name__, "message": str(err), "user_message": err.user_message}


def error_from(message: Message) -> ScannerError:
    """Rebuild a typed error the child reported (unknown type names become a plain ScannerError)."""
    error_type = ERROR_TYPES.get(str(message.get("type")), ScannerError)
    user_message = message.get("user_message")
    return error_type(
        str(message.get("message", "scanner fault")),
        user_message=user_message if isinstance(user_message, str) and user_message else None,
    )


def option_to_wire(info: OptionInfo) -> Message:
    constraint: Any = info.constraint
    if isinstance(constraint, tuple):
        constraint = {"range": list(constraint)}
    elif isinstance(constraint, list):
        constraint = {"list": constraint}
    return {"name": info.name, "type": info.type, "unit": info.unit, "constraint": constraint,
            "active": info.active, "settable": info.settable}


def option_from_wire(message: Message) -> OptionInfo:
    raw = message.get("constraint")
    constraint: Constraint = None
    if isinstance(raw, dict) and isinstance(raw.get("range"), list) and len(raw["range"]) == 3:
        low, high, quant = (float(v) for v in raw["range"])
        constraint = (low, high, quant)
    elif isinstance(raw, dict) and isinstance(raw.get("list"), list):
        constraint = list(raw["list"])
    return OptionInfo(
        name=str(message["name"]),
        type=int(message["type"]),
        unit=int(message["unit"]),
        constraint=constraint,
        active=bool(message["active"]),
        settable=bool(message["settable"]),
    )
