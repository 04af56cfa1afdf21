"""Every station setting, declared once with its default, validated, stored as JSON, migrated across versions.

Sections are frozen dataclasses; a setting's default lives only here. The file sits in the user config dir
(`STATION_CONFIG_DIR` overrides it). Unknown keys are ignored with a warning so a newer file does not stop an
older station; values of the wrong type are rejected with a message naming the setting.
"""

from __future__ import annotations

import json
import logging
import os
import types
import typing
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

import platformdirs

from scanning.errors import StationError
from scanning.models import ColorMode, PageSize, Source
from uploader.review_rules import DEFAULT_REJECTION_REASONS

log = logging.getLogger(__name__)

APP_NAME = "digitization-station"
SCHEMA_VERSION = 2
SETTINGS_FILE = "settings.json"


class SettingsError(StationError):
    exit_code = 2  # ExitCode.USAGE (station/exit_codes.py)
    default_user_message = "Tệp cấu hình không hợp lệ. Sửa giá trị được nêu hoặc xoá tệp để dùng mặc định."


class Language(StrEnum):
    """Languages of the counter app's interface."""

    VI = "vi"
    EN = "en"


def _check_choice(name: str, value: str, choices: type[StrEnum]) -> None:
    """`value` must be one of the enum's values: the library that uses the setting defines the choices."""
    allowed = [member.value for member in choices]
    if value not in allowed:
        raise SettingsError(f"{name} must be one of {', '.join(allowed)} (got {value!r})")


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high} (got {value!r})")


ID_MAX_CHARS = 128  # what the manifest schema and the backend accept for a station or operator id


def _check_id(name: str, value: str) -> None:
    """A station or operator id goes into HTTP headers, manifests, the journal and CSV reports: one line of
    at most 128 characters, no control characters (Vietnamese letters are welcome)."""
    if len(value) > ID_MAX_CHARS or any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in value):
        raise SettingsError(
            f"{name} must be one line of at most {ID_MAX_CHARS} characters without control characters",
            user_message=f"Giá trị {name} không hợp lệ: tối đa {ID_MAX_CHARS} ký tự, một dòng, không có ký tự điều "
            "khiển. Sửa cài đặt rồi chạy lại.",
        )


@dataclass(frozen=True)
class ScannerSettings:
    device: str = ""  # empty: the built-in virtual scanner (SANE `test`/`pnm` devices)
    source: str = Source.ADF.value  # a scanning.models.Source value
    resolution: int = 300
    mode: str = ColorMode.COLOR.value  # Decree 30/2020: a copy is a colour image of at least 200 dpi
    page_size: str = PageSize.A4.value  # a scanning.models.PageSize value

    def __post_init__(self) -> None:
        _check_choice("scanner.source", self.source, Source)
        _check_choice("scanner.mode", self.mode, ColorMode)
        _check_choice("scanner.page_size", self.page_size, PageSize)
        _check_range("scanner.resolution", self.resolution, 75, 1200)


@dataclass(frozen=True)
class QualitySettings:
    """Thresholds for the per-page quality flags (see scanning/cleanup/config.py for their meaning)."""

    min_dpi: int = 200  # Decree 30/2020/ND-CP: digitized copies at least 200 dpi
    max_skew_deg: float = 3.0

    def __post_init__(self) -> None:
        _check_range("quality.min_dpi", self.min_dpi, 50, 1200)
        _check_range("quality.max_skew_deg", self.max_skew_deg, 0.1, 45.0)


@dataclass(frozen=True)
class RecognitionSettings:
    ocr_lang: str = "vie+eng"
    separator_prefix: str = "STATION-SEPARATOR"
    ocr: bool = True
    barcodes: bool = True
    cccd: bool = True

    def __post_init__(self) -> None:
        if not self.separator_prefix.strip():
            raise SettingsError("recognition.separator_prefix must not be empty")


@dataclass(frozen=True)
class BackendSettings:
    url: str = ""  # empty: the embedded reference backend on 127.0.0.1
    station_id: str = "station-01"
    operator_id: str = ""
    ca_bundle: str = ""  # empty: the system's trusted CAs
    retention_days: int = 7

    def __post_init__(self) -> None:
        if self.url and not self.url.startswith(("http://", "https://")):
            raise SettingsError(f"backend.url must start with http:// or https:// (got {self.url!r})")
        _check_id("backend.station_id", self.station_id)
        _check_id("backend.operator_id", self.operator_id)
        _check_range("backend.retention_days", self.retention_days, 0, 3650)


@dataclass(frozen=True)
class UiSettings:
    language: str = Language.VI.value
    font_pt: int = 13  # base type size of the counter app: large and readable at arm's length

    def __post_init__(self) -> None:
        _check_choice("ui.language", self.language, Language)
        _check_range("ui.font_pt", self.font_pt, 8, 32)


@dataclass(frozen=True)
class ScanProfile:
    """A named scanning preset the counter picks in one keystroke (source, resolution, colour mode, size)."""

    name: str
    source: str = Source.ADF.value  # a scanning.models.Source value
    resolution: int = 300
    mode: str = ColorMode.COLOR.value  # a scanning.models.ColorMode value; colour meets Decree 30/2020
    page_size: str = "a4"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise SettingsError("profiles.items[].name must not be empty")
        _check_choice("profiles.items[].source", self.source, Source)
        _check_choice("profiles.items[].mode", self.mode, ColorMode)
        _check_choice("profiles.items[].page_size", self.page_size, PageSize)
        _check_range("profiles.items[].resolution", self.resolution, 75, 1200)


# What a gray or bilevel profile's name says: such a scan is no copy under Decree 30/2020 (colour, >= 200 dpi).
NOT_A_COPY_LABEL = "không đạt NĐ 30/2020 cho bản sao"

# Colour at 300 dpi by default (Decree 30/2020, Appendix I Part II); gray and bilevel only as explicit choices for
# archive batches, named as falling short of the rule.
DEFAULT_PROFILES: tuple[ScanProfile, ...] = (
    ScanProfile("Hồ sơ thông thường — màu 300 dpi", "adf", 300, "color"),
    ScanProfile("Hồ sơ đất đai — màu 300 dpi hai mặt", "duplex", 300, "color"),
    ScanProfile("Giấy tờ nhỏ, thẻ — màu 300 dpi mặt kính", "flatbed", 300, "color", "auto"),
    ScanProfile(f"Lưu trữ — xám 300 dpi ({NOT_A_COPY_LABEL})", "adf", 300, "gray"),
    ScanProfile(f"Lưu trữ — đen trắng 300 dpi ({NOT_A_COPY_LABEL})", "adf", 300, "lineart"),
)


@dataclass(frozen=True)
class ProfilesSettings:
    items: tuple[ScanProfile, ...] = DEFAULT_PROFILES
    selected: str = ""  # name of the profile in use; "" = the scanner section's own defaults

    def __post_init__(self) -> None:
        names = [p.name for p in self.items]
        if len(set(names)) != len(names):
            raise SettingsError("profiles.items: two profiles have the same name")


# The contract's default reasons (shared with the reference backend); a station may configure others.
REJECTION_REASONS: tuple[str, ...] = DEFAULT_REJECTION_REASONS


@dataclass(frozen=True)
class ReviewSettings:
    """Supervisor review (station/review/): which pages get a second look, and why a page can be rejected."""

    sample_rate: float = 0.1  # share of unflagged pages added to the review queue (0 = flagged pages only)
    sample_seed: int = 2025  # the same seed always samples the same pages
    rejection_reasons: tuple[str, ...] = REJECTION_REASONS
    preview_long_side: int = 1000  # px; the journal keeps a reduced JPEG of each page for review
    journal_path: str = ""  # empty: <station data dir>/journal.sqlite3

    def __post_init__(self) -> None:
        _check_range("review.sample_rate", self.sample_rate, 0.0, 1.0)
        _check_range("review.preview_long_side", self.preview_long_side, 200, 4000)
        if not self.rejection_reasons or any(not r.strip() for r in self.rejection_reasons):
            raise SettingsError("review.rejection_reasons must be a non-empty list of non-empty texts")


@dataclass(frozen=True)
class SigningSettings:
    """Digital signatures (station/signing/, issue 11): the PKCS#11 token, the timestamp server, the trust roots.
    The PIN is never a setting (the counter asks for it; batches read STATION_PKCS11_PIN)."""

    module: str = ""  # the token's PKCS#11 module (.so); empty: documents are not signed
    token_label: str = ""
    key_label: str = ""  # the officer's key and certificate (one label)
    agency_key_label: str = ""  # the agency's true-copy key; empty: the same key
    tsa_url: str = ""  # RFC 3161 timestamp server (PAdES B-T); empty: B-B
    trust_roots: str = ""  # PEM file of the roots signatures must chain to (and B-LT revocation data)
    tsa_required: bool = False  # an unreachable TSA stops signing instead of falling back to B-B
    required: bool = False  # the counter never uploads an unsigned document: it waits for its signature

    def __post_init__(self) -> None:
        if self.tsa_url and not self.tsa_url.startswith(("http://", "https://")):
            raise SettingsError(f"signing.tsa_url must start with http:// or https:// (got {self.tsa_url!r})")


@dataclass(frozen=True)
class Settings:
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    quality: QualitySettings = field(default_factory=QualitySettings)
    recognition: RecognitionSettings = field(default_factory=RecognitionSettings)
    backend: BackendSettings = field(default_factory=BackendSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    profiles: ProfilesSettings = field(default_factory=ProfilesSettings)
    review: ReviewSettings = field(default_factory=ReviewSettings)
    signing: SigningSettings = field(default_factory=SigningSettings)


# --- migrations: each takes the dict of version N and returns version N+1 ---------------------------------

def _migrate_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    # Version 1 kept the backend URL at the top level as "backend_url".
    url = data.pop("backend_url", None)
    if url is not None:
        data.setdefault("backend", {})["url"] = url
    return data


MIGRATIONS: Mapping[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _migrate_1_to_2}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data.pop("version", 1))
    if version > SCHEMA_VERSION:
        log.warning("settings file is from a newer station (version %s); reading what this version knows", version)
        return data
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    return data


# --- (de)serialisation ------------------------------------------------------------------------------------

T = TypeVar("T")


def from_dict(cls: type[T], data: Mapping[str, Any], prefix: str = "") -> T:
    """Build a settings dataclass from plain JSON data, checking each value's type."""
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    for key in data:
        if key not in known:
            log.warning("ignoring unknown setting %s%s", prefix, key)
    values: dict[str, Any] = {}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.name not in data:
            continue
        values[f.name] = _coerce(hints[f.name], data[f.name], f"{prefix}{f.name}")
    return cls(**values)


def _coerce(hint: Any, value: Any, name: str) -> Any:
    if is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, Mapping):
            raise SettingsError(f"{name} must be an object")
        return from_dict(hint, value, f"{name}.")
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return None if value is None else _coerce(args[0], value, name)
    if hint is bool:
        if not isinstance(value, bool):
            raise SettingsError(f"{name} must be true or false")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise SettingsError(f"{name} must be a whole number")
        return value
    if hint is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise SettingsError(f"{name} must be a number")
        return float(value)
    if hint is str:
        if not isinstance(value, str):
            raise SettingsError(f"{name} must be text")
        return value
    if origin is tuple:
        if not isinstance(value, list | tuple):
            raise SettingsError(f"{name} must be a list")
        (item_hint, *_rest) = typing.get_args(hint)
        return tuple(_coerce(item_hint, v, f"{name}[]") for v in value)
    raise SettingsError(f"{name}: unsupported setting type {hint!r}")


def to_dict(settings: Settings) -> dict[str, Any]:
    def convert(obj: Any) -> Any:
        if is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: convert(getattr(obj, f.name)) for f in fields(obj)}
        if isinstance(obj, tuple):
            return [convert(v) for v in obj]
        return obj

    data: dict[str, Any] = {"version": SCHEMA_VERSION}
    data.update(convert(settings))
    return data


# --- files and environment --------------------------------------------------------------------------------

def config_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the settings file is: `STATION_CONFIG_DIR`, else the user config dir."""
    env = os.environ if environ is None else environ
    return Path(env.get("STATION_CONFIG_DIR") or platformdirs.user_config_dir(APP_NAME))


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The station data dir (queue, journal, keys): `STATION_DATA_DIR`, else the user data dir."""
    env = os.environ if environ is None else environ
    return Path(env.get("STATION_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))


def load(path: Path | None = None) -> Settings:
    """The saved settings with `STATION_BACKEND_URL` applied.

    Front ends use :func:`station.runtime.load_runtime` instead (flags, environment and this file, read once);
    this stays for the code not yet moved to it.
    """
    return apply_environment(read(path))


def read(path: Path | None = None) -> Settings:
    """The settings file alone (defaults where it is missing): no environment, no flags."""
    path = path or config_dir() / SETTINGS_FILE
    settings = Settings()
    if path.exists():
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
            raise SettingsError(f"cannot read settings file {path}: {err}") from err
        if not isinstance(raw, dict):
            raise SettingsError(f"settings file {path} must hold a JSON object")
        settings = from_dict(Settings, migrate(raw))
    return settings


def apply_environment(settings: Settings) -> Settings:
    """`STATION_BACKEND_URL` overrides the saved backend URL (scripts rely on it)."""
    url = os.environ.get("STATION_BACKEND_URL")
    if url:
        settings = replace(settings, backend=replace(settings.backend, url=url))
    return settings


def save(settings: Settings, path: Path | None = None) -> Path:
    """Write atomically: a crash mid-write never leaves a half file behind."""
    from station.fsutil import write_atomic

    path = path or config_dir() / SETTINGS_FILE
    write_atomic(path, (json.dumps(to_dict(settings), ensure_ascii=False, indent=2) + "\n").encode())
    return path
