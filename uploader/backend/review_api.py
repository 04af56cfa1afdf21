"""HTTP routes of the central journal and supervisor review (see uploader/openapi.yaml, tags journal/review).

Same conventions as the rest of the contract: bearer token on every call, JSON bodies, errors as
``{"error": {"code", "message"}}``. Nothing personal is received: stations report masked/hashed card numbers.

Roles (uploader/backend/auth.py): a station token reports rows, previews and resolutions for its own station
only and reads its own rescan requests; the review queue, decisions, statistics and other stations' data need
a supervisor (or admin) token.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from uploader.backend.auth import Principal, Role
from uploader.backend.limits import MAX_BATCH_BYTES, MAX_PREVIEW_BYTES
from uploader.backend.review import (
    DOSSIER_FIELDS,
    PAGE_FIELDS,
    ROW_ID_PATTERN,
    UPLOAD_FIELDS,
    ReviewStore,
    validate_rows,
)
from uploader.review_rules import PageFilter, ReviewDecision

_ROW_ID_RE = re.compile(ROW_ID_PATTERN)
RESCAN_STATUSES = ("open", "done", "withdrawn", "all")


def register_review_routes(
    app: FastAPI,
    review: ReviewStore,
    require_auth: Callable[[Request], Principal],
    read_body: Callable[[Request, int], Any],
    api_error: type[Exception],
) -> None:
    def fail(status: int, code: str, message: str) -> Exception:
        return api_error(status, code, message)

    def supervisor(request: Request) -> Principal:
        principal = require_auth(request)
        if not principal.supervises:
            raise fail(403, "forbidden", "this endpoint needs a supervisor token")
        return principal

    def writer(request: Request) -> Principal:
        principal = require_auth(request)
        if principal.role is Role.SUPERVISOR:
            raise fail(403, "forbidden", "supervisors do not report station data")
        return principal

    def own_rows(principal: Principal, rows: list[dict[str, Any]], what: str) -> str | None:
        """The station the rows must belong to (None for admin); every row must name it."""
        if principal.role is Role.ADMIN:
            return None
        for n, row in enumerate(rows):
            if row["station_id"] != principal.station_id:
                raise fail(403, "forbidden", f"{what}[{n}].station_id is not this token's station")
        return principal.station_id

    async def json_body(request: Request, limit: int) -> Any:
        body = await read_body(request, limit)
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            raise fail(415, "unsupported_media_type", "send application/json")
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            raise fail(400, "bad_request", "body is not valid JSON") from err

    def row_id(value: str, what: str) -> str:
        if not _ROW_ID_RE.fullmatch(value):
            raise fail(422, "validation_error", f"invalid {what}")
        return value

    def filters(request: Request) -> PageFilter:
        q = request.query_params
        out: dict[str, str] = {}
        for key, limit in (("station", 128), ("operator", 128), ("flag", 64), ("procedure", 32)):
            value = q.get(key)
            if value is not None:
                if not 1 <= len(value) <= limit:
                    raise fail(422, "validation_error", f"{key} must be 1 to {limit} characters")
                out[key] = value
        for key in ("from", "to"):
            value = q.get(key)
            if value is not None:
                try:
                    out[key] = date.fromisoformat(value).isoformat()
                except ValueError as err:
                    raise fail(422, "validation_error", f"{key} must be a date YYYY-MM-DD") from err
                if len(value) != 10:
                    raise fail(422, "validation_error", f"{key} must be a date YYYY-MM-DD")
        return PageFilter(station_id=out.get("station"), operator_id=out.get("operator"),
                          date_from=out.get("from"), date_to=out.get("to"), flag=out.get("flag"),
                          procedure_code=out.get("procedure"))

    def number(q: Mapping[str, str], key: str, default: float, low: float, high: float, integer: bool) -> float:
        raw = q.get(key)
        if raw is None:
            return default
        try:
            value = int(raw) if integer else float(raw)
        except ValueError as err:
            raise fail(422, "validation_error", f"{key} must be a number") from err
        if not low <= value <= high:
            raise fail(422, "validation_error", f"{key} must be between {low} and {high}")
        return value

    async def batch(
        request: Request, key: str, fields: Any, put: Callable[[Any, str | None], dict[str, int]]
    ) -> Response:
        principal = writer(request)
        data = await json_body(request, MAX_BATCH_BYTES)
        if not isinstance(data, dict):
            raise fail(422, "validation_error", "body must be a JSON object")
        rows = validate_rows(data.get(key), fields, key)
        owner = own_rows(principal, rows, key)
        result = await run_in_threadpool(put, rows, owner)
        return JSONResponse(result)

    @app.post("/api/v1/journal/pages")
    async def post_pages(request: Request) -> Response:
        return await batch(request, "pages", PAGE_FIELDS, review.put_pages)

    @app.post("/api/v1/journal/dossiers")
    async def post_dossiers(request: Request) -> Response:
        return await batch(request, "dossiers", DOSSIER_FIELDS, review.put_dossiers)

    @app.post("/api/v1/journal/uploads")
    async def post_uploads(request: Request) -> Response:
        return await batch(request, "uploads", UPLOAD_FIELDS, review.put_uploads)

    @app.put("/api/v1/journal/pages/{page_id}/preview")
    async def put_preview(page_id: str, request: Request) -> Response:
        principal = writer(request)
        row_id(page_id, "page id")
        if request.headers.get("content-type", "").split(";")[0].strip().lower() != "image/jpeg":
            raise fail(415, "unsupported_media_type", "send the preview as image/jpeg")
        body = await read_body(request, MAX_PREVIEW_BYTES)
        if not body.startswith(b"\xff\xd8\xff"):
            raise fail(415, "unsupported_media_type", "the body is not a JPEG image")
        owner = None if principal.role is Role.ADMIN else principal.station_id
        await run_in_threadpool(review.put_preview, page_id, body, owner)
        return JSONResponse({"page_id": page_id, "bytes": len(body)})

    @app.get("/api/v1/journal/pages/{page_id}/preview")
    async def get_preview(page_id: str, request: Request) -> Response:
        principal = require_auth(request)
        row_id(page_id, "page id")
        if not principal.supervises and review.page_station(page_id) not in (None, principal.station_id):
            raise fail(403, "forbidden", "this page belongs to another station")
        return Response(await run_in_threadpool(review.get_preview, page_id), media_type="image/jpeg")

    @app.get("/api/v1/review/queue")
    async def get_queue(request: Request) -> Response:
        supervisor(request)
        f = filters(request)
        q = request.query_params
        rate = number(q, "sample_rate", 0.1, 0.0, 1.0, False)
        seed = int(number(q, "seed", 0, -(2**53), 2**53, True))
        limit = int(number(q, "limit", 500, 1, 5000, True))
        include = q.get("include_reviewed", "false")
        if include not in ("true", "false"):
            raise fail(422, "validation_error", "include_reviewed must be true or false")
        items = await run_in_threadpool(review.queue, f, rate, seed, include == "true")
        return JSONResponse({"total": len(items), "items": items[:limit]})

    @app.get("/api/v1/review/rescan-requests")
    async def get_rescan_requests(request: Request) -> Response:
        principal = require_auth(request)
        station = request.query_params.get("station")
        if station is not None and not 1 <= len(station) <= 128:
            raise fail(422, "validation_error", "station must be 1 to 128 characters")
        if not principal.supervises:
            if station is not None and station != principal.station_id:
                raise fail(403, "forbidden", "a station token reads its own rescan requests only")
            station = principal.station_id
        status = request.query_params.get("status", "open")
        if status not in RESCAN_STATUSES:
            raise fail(422, "validation_error", f"status must be one of {', '.join(RESCAN_STATUSES)}")
        return JSONResponse({"items": await run_in_threadpool(review.rescan_requests, station, status)})

    @app.post("/api/v1/review/rescan-requests/{request_id}/resolve")
    async def resolve(request_id: str, request: Request) -> Response:
        principal = require_auth(request)
        row_id(request_id, "rescan request id")
        if principal.role is Role.STATION and review.rescan_station(request_id) not in (None, principal.station_id):
            raise fail(403, "forbidden", "this rescan request belongs to another station")
        data = await json_body(request, 64 * 1024)
        if not isinstance(data, dict):
            raise fail(422, "validation_error", "body must be a JSON object")
        new_page = data.get("page_id")
        if new_page is not None and (not isinstance(new_page, str) or not _ROW_ID_RE.fullmatch(new_page)):
            raise fail(422, "validation_error", "page_id must be a page id or null")
        return JSONResponse(await run_in_threadpool(review.resolve, request_id, new_page))

    @app.post("/api/v1/review/{page_id}")
    async def post_review(page_id: str, request: Request) -> Response:
        supervisor(request)
        row_id(page_id, "page id")
        data = await json_body(request, 64 * 1024)
        if not isinstance(data, dict):
            raise fail(422, "validation_error", "body must be a JSON object")
        decision = data.get("decision")
        if decision not in tuple(ReviewDecision):
            raise fail(422, "validation_error", "decision must be approve or reject")
        reason = data.get("reason")
        if decision == ReviewDecision.REJECT and (not isinstance(reason, str) or not 1 <= len(reason) <= 100):
            raise fail(422, "validation_error", "a rejection needs a reason (1 to 100 characters)")
        if reason is not None and not isinstance(reason, str):
            raise fail(422, "validation_error", "reason must be a string or null")
        note = data.get("note", "")
        if not isinstance(note, str) or len(note) > 2000:
            raise fail(422, "validation_error", "note must be a string of at most 2000 characters")
        reviewer = data.get("reviewer")
        if not isinstance(reviewer, str) or not 1 <= len(reviewer) <= 128:
            raise fail(422, "validation_error", "reviewer must be 1 to 128 characters")
        for key in ("review_id", "request_id"):
            value = data.get(key)
            if value is not None and (not isinstance(value, str) or not _ROW_ID_RE.fullmatch(value)):
                raise fail(422, "validation_error", f"{key} must match {ROW_ID_PATTERN}")
        at = data.get("reviewed_at")
        if at is not None and not PAGE_FIELDS["captured_at"](at):
            raise fail(422, "validation_error", "reviewed_at must be an ISO 8601 time with offset")
        result, created = await run_in_threadpool(review.review, page_id, data)
        return JSONResponse(result, status_code=201 if created else 200)

    @app.get("/api/v1/stats")
    async def get_stats(request: Request) -> Response:
        supervisor(request)
        return JSONResponse(await run_in_threadpool(review.stats, filters(request)))
