"""HTTP client for the journal and review endpoints of the backend contract (uploader/openapi.yaml, tags
journal / review). Same transport, authentication and typed errors as the upload client it extends."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import quote

from station.journal.models import PageFilter, PageRow, RescanRequest
from uploader.client import BackendClient
from uploader.errors import BackendRejectedError, BadResponseError


def filter_params(filters: PageFilter) -> dict[str, str]:
    params = {
        "station": filters.station_id,
        "operator": filters.operator_id,
        "from": filters.date_from,
        "to": filters.date_to,
        "flag": filters.flag,
        "procedure": filters.procedure_code,
    }
    return {k: v for k, v in params.items() if v}


def page_from_json(data: Mapping[str, Any]) -> PageRow:
    try:
        return PageRow(
            page_id=str(data["page_id"]), station_id=str(data["station_id"]), operator_id=str(data["operator_id"]),
            profile=str(data["profile"]), captured_at=str(data["captured_at"]),
            captured_ts=datetime.fromisoformat(str(data["captured_at"]).replace("Z", "+00:00")).timestamp(),
            source=str(data["source"]), page_index=int(data["page_index"]), dossier_code=data["dossier_code"],
            procedure_code=data["procedure_code"], doc_type=data["doc_type"],
            quality_score=int(data["quality_score"]), quality_issues=tuple(data["quality_issues"]),
            quality_metrics={str(k): float(v) for k, v in data["quality_metrics"].items()},
            blank=bool(data["blank"]), separator=bool(data["separator"]), rotation=int(data["rotation"]),
            skew_deg=float(data["skew_deg"]), dpi=data["dpi"], width=int(data["width"]), height=int(data["height"]),
            barcodes=int(data["barcodes"]), ocr_chars=int(data["ocr_chars"]), ocr_confidence=data["ocr_confidence"],
            cccd_read=bool(data["cccd_read"]), cccd_masked=tuple(data["cccd_masked"]),
            cccd_hashes=tuple(data["cccd_hashes"]),
            preview_path=None, preview_kind=str(data["preview_kind"]) if data.get("has_preview") else "none",
            review_state=str(data.get("review_state", "pending")), review_reason=data.get("review_reason"),
            review_note=data.get("review_note"),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BadResponseError("journal page does not follow the contract") from None


def rescan_from_json(data: Mapping[str, Any]) -> RescanRequest:
    try:
        return RescanRequest(
            request_id=str(data["request_id"]), page_id=str(data["page_id"]), review_id=str(data["review_id"]),
            station_id=str(data["station_id"]), operator_id=str(data["operator_id"]),
            dossier_code=data["dossier_code"], doc_type=data["doc_type"], page_index=int(data["page_index"]),
            reason=str(data["reason"]), note=str(data["note"]), created_at=str(data["created_at"]),
            status=str(data["status"]), resolved_page_id=data["resolved_page_id"],
        )
    except (KeyError, TypeError, ValueError):
        raise BadResponseError("rescan request does not follow the contract") from None


class JournalApi(BackendClient):
    def _post_json(self, path: str, body: Any, what: str) -> Any:
        resp = self._request("POST", path, what=what, data=json.dumps(body, ensure_ascii=False).encode(),
                             headers={"Content-Type": "application/json"})
        return self._json(resp, what)

    def _get_json(self, path: str, what: str, params: Mapping[str, str] | None = None) -> Any:
        return self._json(self._request("GET", path, what=what, params=dict(params or {})), what)

    # reporting

    def post_rows(self, kind: str, rows: Sequence[Mapping[str, Any]]) -> dict[str, int]:
        """kind: pages | dossiers | uploads."""
        result = self._post_json(f"/api/v1/journal/{kind}", {kind: list(rows)}, f"POST journal {kind}")
        return {str(k): int(v) for k, v in result.items()}

    def put_preview(self, page_id: str, jpeg: bytes) -> None:
        self._request("PUT", f"/api/v1/journal/pages/{quote(page_id, safe='')}/preview", what="PUT preview",
                      data=jpeg, headers={"Content-Type": "image/jpeg"})

    def get_preview(self, page_id: str) -> bytes | None:
        try:
            resp = self._request("GET", f"/api/v1/journal/pages/{quote(page_id, safe='')}/preview",
                                 what="GET preview")
        except BackendRejectedError as err:
            if err.status == 404:
                return None
            raise
        return bytes(resp.content)

    # review

    def review_queue(self, filters: PageFilter, *, sample_rate: float, seed: int,
                     include_reviewed: bool = False) -> list[tuple[PageRow, str]]:
        params = {**filter_params(filters), "sample_rate": str(sample_rate), "seed": str(seed),
                  "include_reviewed": "true" if include_reviewed else "false", "limit": "5000"}
        data = self._get_json("/api/v1/review/queue", "GET review queue", params)
        try:
            return [(page_from_json(item["page"]), str(item["reason"])) for item in data["items"]]
        except (KeyError, TypeError):
            raise BadResponseError("review queue does not follow the contract") from None

    def post_review(self, page_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._post_json(f"/api/v1/review/{quote(page_id, safe='')}", body, f"POST review {page_id}"))

    def rescan_requests(self, station_id: str | None, status: str = "open") -> list[RescanRequest]:
        params = {"status": status, **({"station": station_id} if station_id else {})}
        data = self._get_json("/api/v1/review/rescan-requests", "GET rescan requests", params)
        try:
            return [rescan_from_json(r) for r in data["items"]]
        except (KeyError, TypeError):
            raise BadResponseError("rescan requests do not follow the contract") from None

    def resolve_rescan_request(self, request_id: str, new_page_id: str | None) -> RescanRequest:
        data = self._post_json(f"/api/v1/review/rescan-requests/{quote(request_id, safe='')}/resolve",
                               {"page_id": new_page_id}, "POST resolve rescan request")
        return rescan_from_json(data)

    def stats(self, filters: PageFilter) -> dict[str, Any]:
        return dict(self._get_json("/api/v1/stats", "GET stats", filter_params(filters)))


def api_for(backend_url: str | None, station_id: str | None = None) -> JournalApi:
    """A client for `backend_url` (or $STATION_BACKEND_URL / the embedded default), token as for uploads."""
    from uploader.config import UploaderConfig

    return JournalApi(UploaderConfig.from_env(backend_url=backend_url or None, station_id=station_id or None))
