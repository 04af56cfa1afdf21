"""Fault injection for the reference backend: an ASGI middleware driven by a shared, lockable state.

Faults apply to contract calls (``/api/v1/...``) except the health and admin endpoints. They are set at
start (``station backend --fail-next ...``) or at run time with ``POST /api/v1/admin/faults`` (token
protected). Counters (``*_next``) decrease as requests consume them.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from dataclasses import asdict, dataclass, fields
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

FAULT_FIELDS = (
    "fail_next",
    "fail_status",
    "fail_ratio",
    "retry_after",
    "drop_next",
    "delay_ms",
    "delay_next",
    "refuse_auth_next",
    "refuse_auth",
    "html_next",
    "seed",
)


@dataclass
class FaultPlan:
    fail_next: int = 0  # answer the next N requests with fail_status (503 or 429) + Retry-After
    fail_status: int = 503
    fail_ratio: float = 0.0  # answer this share of requests with fail_status (benchmarks)
    retry_after: int = 1  # seconds, sent in Retry-After
    drop_next: int = 0  # close the connection in the middle of the next N request bodies (PUT/POST)
    delay_ms: int = 0  # answer slowly: wait this long before sending the response (after the work is done)
    delay_next: int = -1  # how many requests get the delay (-1: all while delay_ms > 0)
    refuse_auth_next: int = 0  # answer the next N requests with 401
    refuse_auth: bool = False  # answer every request with 401
    html_next: int = 0  # answer the next N requests with an HTML page (a captive portal / wrong URL)
    seed: int | None = None


class Faults:
    def __init__(self, plan: FaultPlan | None = None) -> None:
        self._lock = threading.Lock()
        self._plan = plan or FaultPlan()
        self._rng = random.Random(self._plan.seed)
        self.injected: dict[str, int] = {"fail": 0, "drop": 0, "delay": 0, "refuse_auth": 0, "html": 0}

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {**asdict(self._plan), "injected": dict(self.injected)}

    def update(self, changes: dict[str, Any]) -> None:
        """Apply a partial update; raises ValueError on unknown keys or wrong types."""
        types = {f.name: f.type for f in fields(FaultPlan)}
        with self._lock:
            for key, value in changes.items():
                if key not in types:
                    raise ValueError(f"unknown fault {key!r}")
                kind = str(types[key])
                if "bool" in kind:
                    ok = isinstance(value, bool)
                elif "float" in kind:
                    ok = isinstance(value, int | float) and not isinstance(value, bool)
                elif "None" in kind:
                    ok = value is None or (isinstance(value, int) and not isinstance(value, bool))
                else:
                    ok = isinstance(value, int) and not isinstance(value, bool)
                if not ok:
                    raise ValueError(f"wrong type for fault {key!r}")
                setattr(self._plan, key, value)
            if "seed" in changes:
                self._rng = random.Random(self._plan.seed)

    def reset(self) -> None:
        with self._lock:
            self._plan = FaultPlan()
            self.injected = dict.fromkeys(self.injected, 0)

    def decide(self, method: str) -> tuple[str | None, int]:
        """Pick the fault for one request: (kind or None, delay in ms)."""
        with self._lock:
            p = self._plan
            delay = 0
            if p.delay_ms > 0 and p.delay_next != 0:
                delay = p.delay_ms
                if p.delay_next > 0:
                    p.delay_next -= 1
                self.injected["delay"] += 1
            kind: str | None = None
            if p.drop_next > 0 and method in ("PUT", "POST"):
                p.drop_next -= 1
                kind = "drop"
            elif p.fail_next > 0:
                p.fail_next -= 1
                kind = "fail"
            elif p.fail_ratio > 0 and self._rng.random() < p.fail_ratio:
                kind = "fail"
            elif p.html_next > 0:
                p.html_next -= 1
                kind = "html"
            elif p.refuse_auth or p.refuse_auth_next > 0:
                p.refuse_auth_next = max(0, p.refuse_auth_next - 1)
                kind = "refuse_auth"
            if kind:
                self.injected[kind] += 1
            return kind, delay

    @property
    def fail_status(self) -> int:
        return self._plan.fail_status

    @property
    def retry_after(self) -> int:
        return self._plan.retry_after


HTML_PAGE = b"<!DOCTYPE html><html><head><title>Wi-Fi login</title></head><body><h1>Please sign in</h1></body></html>"


async def _send_simple(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]]
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _error_body(code: str, message: str) -> bytes:
    return json.dumps({"error": {"code": code, "message": message}}).encode()


async def _drop_mid_body(receive: Receive) -> None:
    """Read part of the request body, then close the TCP connection without answering."""
    await receive()  # the first chunk of the body
    cycle = getattr(receive, "__self__", None)  # uvicorn's RequestResponseCycle (h11 implementation)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        raise RuntimeError("drop fault needs uvicorn's h11 protocol")
    transport.abort()
    cycle.disconnected = True  # type: ignore[union-attr]  # no "returned without response" error, no 500


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults) -> None:
        self.app = app
        self.faults = faults

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not path.startswith("/api/v1/")
            or path.startswith(("/api/v1/admin", "/api/v1/health"))
        ):
            await self.app(scope, receive, send)
            return
        kind, delay_ms = self.faults.decide(scope["method"])
        if kind == "drop":
            await _drop_mid_body(receive)
            return
        if delay_ms:
            send = _delayed(send, delay_ms / 1000)
        if kind == "fail":
            status = self.faults.fail_status
            code = "rate_limited" if status == 429 else "unavailable"
            body = _error_body(code, "injected fault: try again later")
            await _send_simple(
                send, status, body, "application/json", [(b"retry-after", str(self.faults.retry_after).encode())]
            )
        elif kind == "html":
            await _send_simple(send, 200, HTML_PAGE, "text/html; charset=utf-8", [])
        elif kind == "refuse_auth":
            body = _error_body("unauthorized", "injected fault: token refused")
            await _send_simple(send, 401, body, "application/json", [(b"www-authenticate", b"Bearer")])
        else:
            await self.app(scope, receive, send)


def _delayed(send: Send, seconds: float) -> Send:
    async def wrapper(message: Message) -> None:
        if message["type"] == "http.response.start":
            await asyncio.sleep(seconds)
        await send(message)

    return wrapper
