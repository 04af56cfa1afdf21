"""The reference backend's HTTP layer (FastAPI). Implements uploader/openapi.yaml.

Request parsing is explicit (no pydantic models) so every refusal has the contract's error body
``{"error": {"code", "message"}}``. Nothing about applicants is logged.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from uploader.backend.auth import Principal, Role, TokenRegistry
from uploader.backend.faults import FaultMiddleware, Faults
from uploader.backend.limits import MAX_FORM_BYTES, MAX_JSON_BYTES, BodyLimitMiddleware, BodyTooLarge, limit_for
from uploader.backend.review import ReviewStore
from uploader.backend.review_api import register_review_routes
from uploader.backend.store import AttachmentMeta, Store, StoreError
from uploader.models import ATTACHMENT_ID_PATTERN, DOC_TYPE_PATTERN, SHA256_PATTERN, is_valid_dossier_code

API_VERSION = "1.0.0"
OPENAPI_FILE = Path(__file__).resolve().parent.parent / "openapi.yaml"
_ATTACHMENT_ID_RE = re.compile(ATTACHMENT_ID_PATTERN)
_DOC_TYPE_RE = re.compile(DOC_TYPE_PATTERN)
_SHA256_RE = re.compile(SHA256_PATTERN)
_ID_NUMBER_RE = re.compile(r"^[0-9]{9,12}$")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


@dataclass
class BackendState:
    store: Store
    tokens: TokenRegistry
    faults: Faults
    max_upload_bytes: int = 100 * 1024 * 1024
    oauth_ttl: int = 3600
    review: ReviewStore | None = None  # the central journal and supervisor review (review_api.py)


def _require_auth(request: Request, state: BackendState) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, presented = header.partition(" ")
    principal = state.tokens.lookup(presented.strip()) if scheme.lower() == "bearer" and presented else None
    if principal is None:
        raise ApiError(401, "unauthorized", "missing or invalid bearer token", {"WWW-Authenticate": "Bearer"})
    return principal


def _forbidden(message: str) -> ApiError:
    return ApiError(403, "forbidden", message)


def _require_admin(request: Request, state: BackendState) -> Principal:
    principal = _require_auth(request, state)
    if principal.role is not Role.ADMIN:
        raise _forbidden("this endpoint needs an admin token")
    return principal


def _check_code(code: str) -> None:
    if not is_valid_dossier_code(code):
        raise ApiError(422, "invalid_dossier_code", "dossier code must look like 000.00.01.H22-250702-0013")


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, up to limit bytes (BodyLimitMiddleware has already refused larger declared lengths)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "too_large", f"body larger than {limit} bytes", {"Connection": "close"})
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "too_large", f"body larger than {limit} bytes", {"Connection": "close"})
        chunks.append(chunk)
    return b"".join(chunks)


def _form(body: bytes) -> dict[str, str]:
    """An application/x-www-form-urlencoded body (already size-limited); never multipart, never to disk."""
    try:
        pairs = parse_qsl(body.decode("ascii"), keep_blank_values=True, strict_parsing=False, max_num_fields=16)
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "bad_request", "send a small application/x-www-form-urlencoded form") from None
    return dict(pairs)


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _required_header(request: Request, name: str) -> str:
    value = request.headers.get(name)
    if value is None or not value.strip():
        raise ApiError(400, "bad_request", f"missing header {name}")
    return value.strip()


def _id_header(request: Request, name: str) -> str:
    """A free-text id header (station, operator): percent-encoded UTF-8 (RFC 3986), decoded and stored exactly.
    Raw non-ASCII is refused rather than guessed at (Latin-1 on the wire would garble Vietnamese)."""
    raw = _required_header(request, name)
    if not raw.isascii():
        raise ApiError(422, "invalid_header", f"{name} must be ASCII: percent-encode its UTF-8 bytes")
    try:
        value = unquote(raw, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ApiError(422, "invalid_header", f"{name} is not percent-encoded UTF-8") from None
    if not value.strip() or len(value) > 128 or any(unicodedata.category(c) == "Cc" for c in value):
        raise ApiError(422, "invalid_header", f"{name} must be 1 to 128 printable characters once decoded")
    return value


def _parse_applicant(raw: object) -> dict[str, Any] | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError(422, "validation_error", "applicant must be an object or null")
    name = raw.get("name")
    if not isinstance(name, str) or not 1 <= len(name) <= 200:
        raise ApiError(422, "validation_error", "applicant.name must be a string of 1 to 200 characters")
    id_number = raw.get("id_number")
    if id_number is not None and (not isinstance(id_number, str) or not _ID_NUMBER_RE.fullmatch(id_number)):
        raise ApiError(422, "validation_error", "applicant.id_number must be 9 to 12 digits")
    return {"name": name, "id_number": id_number}


def build_fastapi(state: BackendState) -> FastAPI:
    app = FastAPI(title="Digitization Station reference backend", openapi_url=None, docs_url=None, redoc_url=None)

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(BodyTooLarge)
    async def _too_large(_: Request, exc: BodyTooLarge) -> Response:
        return error_response(413, "too_large", str(exc), {"Connection": "close"})

    @app.exception_handler(StoreError)
    async def _store_error(_: Request, exc: StoreError) -> Response:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "bad_request")
        return error_response(exc.status_code, code, str(exc.detail), dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> Response:
        return error_response(422, "validation_error", "invalid request")

    @app.get("/api/v1/health")
    async def health() -> Response:
        return JSONResponse({"status": "ok", "version": API_VERSION})

    @app.get("/api/v1/openapi.yaml", include_in_schema=False)
    async def contract() -> Response:
        return Response(OPENAPI_FILE.read_bytes(), media_type="application/yaml")

    @app.post("/api/v1/dossiers")
    async def create_dossier(request: Request) -> Response:
        if _require_auth(request, state).role is Role.SUPERVISOR:
            raise _forbidden("supervisors review; they do not create dossiers")
        body = await _read_body(request, MAX_JSON_BYTES)
        if _media_type(request) != "application/json":
            raise ApiError(415, "unsupported_media_type", "send application/json")
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError) as err:
            raise ApiError(400, "bad_request", "body is not valid JSON") from err
        if not isinstance(data, dict):
            raise ApiError(422, "validation_error", "body must be a JSON object")
        code, procedure = data.get("code"), data.get("procedure_code")
        if not isinstance(code, str) or not isinstance(procedure, str) or not 1 <= len(procedure) <= 32:
            raise ApiError(422, "validation_error", "code and procedure_code must be strings")
        _check_code(code)
        applicant = _parse_applicant(data.get("applicant"))
        dossier = state.store.create_dossier(code, procedure, applicant)
        return JSONResponse(dossier, status_code=201)

    @app.get("/api/v1/dossiers/{code}")
    async def get_dossier(code: str, request: Request) -> Response:
        _require_auth(request, state)
        _check_code(code)
        dossier = state.store.get_dossier(code)
        if dossier is None:
            raise ApiError(404, "dossier_not_found", "no dossier with this code")
        return JSONResponse(dossier)

    @app.get("/api/v1/dossiers/{code}/attachments/{attachment_id}")
    async def get_attachment(code: str, attachment_id: str, request: Request) -> Response:
        _require_auth(request, state)
        _check_code(code)
        if not _ATTACHMENT_ID_RE.fullmatch(attachment_id):
            raise ApiError(422, "validation_error", "invalid attachment id")
        if state.store.dossier_status(code) is None:
            raise ApiError(404, "dossier_not_found", "no dossier with this code")
        receipt = state.store.get_attachment(code, attachment_id)
        if receipt is None:
            raise ApiError(404, "attachment_not_found", "no attachment with this id")
        return JSONResponse(receipt)

    @app.put("/api/v1/dossiers/{code}/attachments/{attachment_id}")
    async def put_attachment(code: str, attachment_id: str, request: Request) -> Response:
        principal = _require_auth(request, state)
        _check_code(code)
        if not _ATTACHMENT_ID_RE.fullmatch(attachment_id):
            raise ApiError(422, "validation_error", "invalid attachment id")
        station = _id_header(request, "X-Station-Id")
        operator = _id_header(request, "X-Operator-Id")
        if not principal.can_write_as(station):
            raise _forbidden("this token may not upload for the station named in X-Station-Id")
        doc_type = _required_header(request, "x-doc-type")
        pages_raw = _required_header(request, "x-page-count")
        sha = _required_header(request, "x-content-sha256")
        if not _DOC_TYPE_RE.fullmatch(doc_type):
            raise ApiError(422, "invalid_header", "X-Doc-Type must match ^[a-z0-9][a-z0-9._-]{0,63}$")
        if not pages_raw.isdigit() or not 1 <= int(pages_raw) <= 10000:
            raise ApiError(422, "invalid_header", "X-Page-Count must be an integer from 1 to 10000")
        if not _SHA256_RE.fullmatch(sha):
            raise ApiError(422, "invalid_header", "X-Content-SHA256 must be 64 lower-case hex digits")
        status = state.store.dossier_status(code)
        if status is None:
            raise ApiError(404, "dossier_not_found", "no dossier with this code")
        if status != "open":
            raise ApiError(403, "forbidden", "the dossier is closed")
        if _media_type(request) != "application/pdf":
            raise ApiError(415, "unsupported_media_type", "send the file as application/pdf")
        body = await _read_body(request, state.max_upload_bytes)
        if not body.startswith(b"%PDF-"):
            raise ApiError(415, "unsupported_media_type", "the body is not a PDF file")
        meta = AttachmentMeta(
            doc_type=doc_type, pages=int(pages_raw), sha256=sha, station_id=station, operator_id=operator
        )
        receipt, created = await run_in_threadpool(state.store.put_attachment, code, attachment_id, meta, body)
        return JSONResponse(
            receipt, status_code=201 if created else 200, headers={"X-Content-SHA256": receipt["sha256"]}
        )

    @app.post("/oauth/token", include_in_schema=False)
    async def oauth_token(request: Request) -> Response:
        # size-limited before anything is parsed (BodyLimitMiddleware); urlencoded only: no multipart spooling
        if _media_type(request) != "application/x-www-form-urlencoded":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        form = _form(await _read_body(request, MAX_FORM_BYTES))
        if form.get("grant_type") != "client_credentials":
            return JSONResponse({"error": "unsupported_grant_type"}, status_code=400)
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if not client_id or secret is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        principal = state.tokens.static_principal(secret)
        if principal is None:
            return JSONResponse({"error": "invalid_client"}, status_code=401)
        access = state.tokens.issue(principal, state.oauth_ttl)  # the same role and station as the secret
        return JSONResponse(
            {"access_token": access, "token_type": "Bearer", "expires_in": state.oauth_ttl},
            headers={"Cache-Control": "no-store"},
        )

    if state.review is not None:
        register_review_routes(app, state.review, lambda r: _require_auth(r, state), _read_body, ApiError)

    # -- admin (reference backend only; not part of the contract) ------------------------------------

    @app.get("/api/v1/admin/faults", include_in_schema=False)
    async def get_faults(request: Request) -> Response:
        _require_admin(request, state)
        return JSONResponse(state.faults.snapshot())

    @app.post("/api/v1/admin/faults", include_in_schema=False)
    async def set_faults(request: Request) -> Response:
        _require_admin(request, state)
        try:
            changes = json.loads(await _read_body(request, MAX_JSON_BYTES))
            if not isinstance(changes, dict):
                raise ValueError("body must be a JSON object")
            state.faults.update(changes)
        except ValueError as err:
            raise ApiError(422, "validation_error", str(err)) from err
        return JSONResponse(state.faults.snapshot())

    @app.delete("/api/v1/admin/faults", include_in_schema=False)
    async def reset_faults(request: Request) -> Response:
        _require_admin(request, state)
        state.faults.reset()
        return JSONResponse(state.faults.snapshot())

    @app.get("/api/v1/admin/stats", include_in_schema=False)
    async def stats(request: Request) -> Response:
        _require_admin(request, state)
        return JSONResponse(state.store.stats())

    return app


def create_app(
    store: Store,
    tokens: TokenRegistry | str,
    faults: Faults | None = None,
    *,
    max_upload_bytes: int = 100 * 1024 * 1024,
) -> ASGIApp:
    """The backend as an ASGI app: fault injection (idle unless an admin set faults; its drop fault needs
    uvicorn's own receive), then the size limits before any route reads a byte, then the routes.
    ``tokens``: the registry, or one admin token (tests, the embedded single-station backend)."""
    if isinstance(tokens, str):
        registry = TokenRegistry()
        registry.add(tokens, Principal(Role.ADMIN, name="admin"))
        tokens = registry
    state = BackendState(store=store, tokens=tokens, faults=faults or Faults(), max_upload_bytes=max_upload_bytes,
                         review=ReviewStore(store.data_dir))
    limited = BodyLimitMiddleware(build_fastapi(state), lambda method, path: limit_for(method, path, max_upload_bytes))
    return FaultMiddleware(limited, state.faults)
