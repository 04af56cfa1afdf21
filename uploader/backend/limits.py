"""Request size limits, enforced before any route parses anything (the outermost ASGI middleware).

Each route has its ceiling (an attachment, a preview, a journal batch, a small JSON body, the OAuth2 form).
A declared Content-Length above it is answered 413 at once, without reading the body and before the token
is checked; a body without Content-Length (chunked) is counted as it streams and cut at the ceiling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_JSON_BYTES = 64 * 1024
MAX_BATCH_BYTES = 4 * 1024 * 1024
MAX_PREVIEW_BYTES = 2 * 1024 * 1024
MAX_FORM_BYTES = 4 * 1024

_ATTACHMENT = re.compile(r"^/api/v1/dossiers/[^/]+/attachments/[^/]+$")
_PREVIEW = re.compile(r"^/api/v1/journal/pages/[^/]+/preview$")
_BATCH = re.compile(r"^/api/v1/journal/(pages|dossiers|uploads)$")


class BodyTooLarge(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"body larger than {limit} bytes")
        self.limit = limit


def limit_for(method: str, path: str, max_upload_bytes: int) -> int:
    if method == "PUT" and _ATTACHMENT.match(path):
        return max_upload_bytes
    if method == "PUT" and _PREVIEW.match(path):
        return MAX_PREVIEW_BYTES
    if method == "POST" and _BATCH.match(path):
        return MAX_BATCH_BYTES
    if path == "/oauth/token":
        return MAX_FORM_BYTES
    return MAX_JSON_BYTES


def too_large_body(limit: int) -> bytes:
    return json.dumps({"error": {"code": "too_large", "message": f"body larger than {limit} bytes"}}).encode()


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: Callable[[str, str], int]) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit(scope["method"], scope.get("path", ""))
        declared = _content_length(scope)
        if declared is None:
            message = {"error": {"code": "bad_request", "message": "malformed Content-Length"}}
            await _answer(send, 400, json.dumps(message).encode())
            return
        if declared > limit:
            await _answer_413(send, limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise BodyTooLarge(limit)
            return message

        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except BodyTooLarge as err:  # a route that did not turn it into a 413 itself
            if not started:
                await _answer_413(send, err.limit)


def _content_length(scope: Scope) -> int | None:
    """The declared length; 0 when absent (chunked bodies are counted instead); None when malformed."""
    values = [v for k, v in scope.get("headers", []) if k == b"content-length"]
    if not values:
        return 0
    if len(set(values)) != 1 or not values[0].isdigit() or len(values[0]) > 18:
        return None
    return int(values[0])


async def _answer_413(send: Send, limit: int) -> None:
    await _answer(send, 413, too_large_body(limit))


async def _answer(send: Send, status: int, body: bytes) -> None:
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),  # the unread body is not drained: this connection ends here
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
