"""What crosses between the coordinator and a worker, as data (JSON, sealed page data), never as a pickle.

- The batch options go once per batch to the shared folder as sealed JSON (`write_options` / `read_options`):
  frozen dataclasses of numbers, strings, enums, paths and tuples, rebuilt field by field from their type
  hints; an unknown field or a wrong type is refused, so nothing but options can be built from them.
- A page's answer goes back through the shared folder as a sealed page-data file (`write_result` /
  `read_result`): the resume-log record, what the station journal needs (card fields, a preview image,
  metrics) or why the page failed. Card fields and previews are personal data: they never pass through Redis.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar, cast

from ocr.models import CardSide, CardStyle, CitizenId
from scanning.errors import StationError
from station.batch.resume_log import PageRecord
from station.batch.runner import PageResult, ProcessOptions
from station.output.pagedata import PageDataError, image_from_blob, image_to_blob, read_page_data, write_page_data
from station.pdfa.models import BuildSettings
from station.pipeline import AnalysisOptions

RESULT_KIND = "cluster-page-result"
OPTIONS_KIND = "cluster-batch-options"
OPTIONS_NAME = "batch.options"
T = TypeVar("T")


class MessageError(StationError):
    """A page message that is not what the coordinator writes: refused, never acted upon."""

    exit_code = 2  # ExitCode.USAGE
    default_user_message = "Một yêu cầu xử lý trang trong hàng đợi không hợp lệ nên bị bỏ qua."


# --- options ------------------------------------------------------------------------------------------------

def to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"not transportable: {type(value).__name__}")


def from_json(kind: Any, data: Any) -> Any:
    """`data` (from `to_json`) rebuilt as `kind`; raises MessageError on anything else."""
    origin = typing.get_origin(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if not isinstance(data, dict):
            raise MessageError(f"{kind.__name__}: not an object")
        hints = typing.get_type_hints(kind)
        known = {f.name for f in dataclasses.fields(kind) if f.init}
        if set(data) - known:
            raise MessageError(f"{kind.__name__}: unknown fields {sorted(set(data) - known)}")
        return kind(**{name: from_json(hints[name], value) for name, value in data.items()})
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(kind):
            try:
                return from_json(option, data)
            except MessageError:
                continue
        raise MessageError(f"{kind}: no member fits")
    if origin is tuple:
        args = typing.get_args(kind)
        if not isinstance(data, list):
            raise MessageError(f"{kind}: not a list")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_json(args[0], v) for v in data)
        if len(args) != len(data):
            raise MessageError(f"{kind}: wrong length")
        return tuple(from_json(a, v) for a, v in zip(args, data, strict=True))
    if kind is type(None):
        if data is not None:
            raise MessageError("not null")
        return None
    if isinstance(kind, type) and issubclass(kind, Enum):
        try:
            return kind(data)
        except ValueError:
            raise MessageError(f"{kind.__name__}: unknown value") from None
    if kind is Path:
        if not isinstance(data, str):
            raise MessageError("path: not a string")
        return Path(data)
    if kind is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if kind in (bool, int, str) and type(data) is kind:
        return data
    raise MessageError(f"{kind}: wrong type {type(data).__name__}")


def options_to_json(options: ProcessOptions) -> dict[str, Any]:
    """What a worker needs of the batch options (the rest: output folder, journal, ids stay with the coordinator)."""
    return {"analysis": to_json(options.analysis), "build": to_json(options.build), "pdf_dpi": options.pdf_dpi,
            "preview_long_side": options.preview_long_side}


def write_options(folder: Path, options: ProcessOptions) -> None:
    """The batch's options, once per batch on the shared folder (sealed: whoever can write there without the
    key cannot change how pages are done); messages then stay a few hundred bytes."""
    write_page_data(folder / OPTIONS_NAME, OPTIONS_KIND, {"options": options_to_json(options)}, [])


def read_options(folder: Path, work_dir: Path) -> ProcessOptions:
    header, _ = read_page_data(folder, OPTIONS_NAME, OPTIONS_KIND)
    return options_from_json(header.get("options"), work_dir)


def options_from_json(data: Any, work_dir: Path) -> ProcessOptions:
    if not isinstance(data, dict) or set(data) != {"analysis", "build", "pdf_dpi", "preview_long_side"}:
        raise MessageError("options: not the coordinator's")
    return ProcessOptions(out_dir=work_dir, jobs=1, analysis=from_json(AnalysisOptions, data["analysis"]),
                          build=from_json(BuildSettings, data["build"]), pdf_dpi=from_json(int, data["pdf_dpi"]),
                          preview_long_side=from_json(int, data["preview_long_side"]))


# --- a page's answer ----------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class PageFailure:
    """Why a worker could not do a page: `kind` says what the coordinator does with it (see dispatch.py)."""

    kind: str  # "page" (this page's fault: unreadable), "disk" (errno set), "atrest", "crashed"
    message: str  # about the page, never its content; the input's name is not known to the worker
    errno: int | None = None


def result_name(position: int) -> str:
    return f"{position:06d}.result"


def capture_name(position: int) -> str:
    return f"{position:06d}.capture"


def write_result(folder: Path, position: int, answer: PageResult | PageFailure) -> None:
    if isinstance(answer, PageFailure):
        write_page_data(folder / result_name(position), RESULT_KIND, {"failure": to_json(answer)}, [])
        return
    blobs: list[bytes] = []
    shape: list[int] | None = None
    if answer.preview is not None:
        shape, blob = image_to_blob(answer.preview)
        blobs.append(blob)
    header = {
        "record": answer.record.to_json(), "cards": [_card_json(c) for c in answer.cards], "preview": shape,
        "metrics": dict(answer.metrics), "dpi": answer.dpi, "width": answer.width, "height": answer.height,
        "barcodes": answer.barcodes,
    }
    write_page_data(folder / result_name(position), RESULT_KIND, header, blobs)


def read_result(folder: Path, position: int) -> PageResult | PageFailure:
    """The answer a worker left for `position`; PageDataError if it is missing, damaged or foreign."""
    header, blobs = read_page_data(folder, result_name(position), RESULT_KIND)
    try:
        if "failure" in header:
            return cast(PageFailure, from_json(PageFailure, header["failure"]))
        record = PageRecord.from_json(header["record"])
        shape = header["preview"]
        preview = image_from_blob(shape, blobs[0]) if shape is not None else None
        metrics = header["metrics"]
        if record.position != position or not isinstance(metrics, dict):
            raise ValueError("not this position's answer")
        return PageResult(record, tuple(_card(c) for c in header["cards"]), preview,
                          {str(k): float(v) for k, v in metrics.items()}, from_json(int | None, header["dpi"]),
                          from_json(int, header["width"]), from_json(int, header["height"]),
                          from_json(int, header["barcodes"]))
    except (KeyError, IndexError, ValueError, TypeError, MessageError) as err:
        raise PageDataError(f"{result_name(position)}: {err}") from None


def _card_json(card: CitizenId) -> dict[str, Any]:
    data = {f.name: getattr(card, f.name) for f in dataclasses.fields(card)}
    data["checks"] = dict(card.checks)
    return {k: v.isoformat() if isinstance(v, date) else to_json(v) if k != "checks" else v for k, v in data.items()}


def _card(data: Any) -> CitizenId:
    if not isinstance(data, Mapping):
        raise ValueError("card")
    checks = data.get("checks")
    if not isinstance(checks, dict) or not all(isinstance(v, bool) for v in checks.values()):
        raise ValueError("card checks")

    def day(key: str) -> date | None:
        value = data.get(key)
        return None if value is None else date.fromisoformat(from_json(str, value))

    def text(key: str) -> str | None:
        return cast("str | None", from_json(str | None, data.get(key)))

    return CitizenId(
        side=from_json(CardSide | None, data.get("side")),
        card_style=from_json(CardStyle | None, data.get("card_style")),
        id_number=text("id_number"), old_id=text("old_id"), full_name=text("full_name"),
        date_of_birth=day("date_of_birth"), sex=text("sex"), address=text("address"), issue_date=day("issue_date"),
        expiry_date=day("expiry_date"), sources=from_json(tuple[str, ...], data.get("sources")), checks=dict(checks),
        warnings=from_json(tuple[str, ...], data.get("warnings")),
        extra_fields=from_json(tuple[str, ...], data.get("extra_fields")),
    )
