"""One runtime configuration: the settings file, the environment and the command line, read once.

Every front end (the CLI commands, the counter app, the review window) calls :func:`load_runtime` once and
hands the libraries the typed sections it derives; no library loads settings itself.

Precedence, highest first:

1. **Command-line flags** of the running command (a flag left out does not count).
2. **Environment variables**: ``STATION_BACKEND_URL`` (backend.url), ``STATION_ID`` (backend.station_id),
   ``STATION_OPERATOR_ID`` (backend.operator_id), ``STATION_CA_BUNDLE`` (backend.ca_bundle),
   ``STATION_BACKEND_TOKEN`` (the upload token: never a flag, never the settings file) and
   ``STATION_DATA_DIR`` (the station data dir: queue, journal, keys); for signing ``STATION_PKCS11_MODULE``,
   ``STATION_PKCS11_TOKEN``, ``STATION_PKCS11_KEY``, ``STATION_PKCS11_AGENCY_KEY``, ``STATION_TSA_URL`` and
   ``STATION_TRUST_ROOTS`` (the ``signing`` section; ``STATION_PKCS11_PIN`` is read only by the PIN provider).
3. **The settings file** (``settings.json`` in ``STATION_CONFIG_DIR`` or the user config dir), edited by
   the counter app's settings dialog.
4. **Built-in defaults**, declared once in :mod:`station.settings`.

Derived sections, all frozen: ``analysis`` (how every page is cleaned, measured and recognised — the same
for ``process``, ``inspect``, ``watch`` and the counter app), ``upload`` (the uploader's configuration),
``journal`` (the one place the journal path is decided), ``review`` and ``batch``. A bad value from any
layer is a :class:`~station.settings.SettingsError` naming where it came from, with a Vietnamese message.

An empty ``backend.station_id`` means this computer's host name, an empty ``backend.operator_id`` means the
login name, for uploads (the backend needs both); a batch writes them into its documents as configured.
"""

from __future__ import annotations

import argparse
import getpass
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station import settings as st
from uploader.config import DEFAULT_BACKEND_URL, UploaderConfig

if TYPE_CHECKING:
    from station.batch.runner import ProcessOptions
    from station.batch.split import SplitMode
    from station.pipeline import AnalysisOptions
    from station.signing.config import SigningConfig

# Environment variable -> the setting it overrides (section, field).
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "STATION_BACKEND_URL": ("backend", "url"),
    "STATION_ID": ("backend", "station_id"),
    "STATION_OPERATOR_ID": ("backend", "operator_id"),
    "STATION_CA_BUNDLE": ("backend", "ca_bundle"),
    "STATION_PKCS11_MODULE": ("signing", "module"),
    "STATION_PKCS11_TOKEN": ("signing", "token_label"),
    "STATION_PKCS11_KEY": ("signing", "key_label"),
    "STATION_PKCS11_AGENCY_KEY": ("signing", "agency_key_label"),
    "STATION_TSA_URL": ("signing", "tsa_url"),
    "STATION_TRUST_ROOTS": ("signing", "trust_roots"),
}
TOKEN_VARIABLE = "STATION_BACKEND_TOKEN"

# Flag (argparse attribute) -> the setting it overrides. Commands whose flag of the same name means something
# else (`station report --operator` is a filter) pass load_runtime a namespace of their own.
FLAGS: dict[str, tuple[str, str]] = {
    "lang": ("recognition", "ocr_lang"),
    "backend": ("backend", "url"),
    "station_id": ("backend", "station_id"),
    "operator": ("backend", "operator_id"),
    "operator_id": ("backend", "operator_id"),
    "ca_bundle": ("backend", "ca_bundle"),
}
# `--no-ocr` style switches: given, they turn a recognition step off whatever the settings say.
SWITCHES_OFF: dict[str, str] = {"no_ocr": "ocr", "no_barcodes": "barcodes", "no_cccd": "cccd"}
# Uploader tuning flags without a setting: passed straight to UploaderConfig when given.
UPLOAD_TUNING = ("workers", "backoff_base", "backoff_cap", "read_timeout")


@dataclass(frozen=True)
class JournalConfig:
    """The station journal (supervisor review, statistics): where it is and what it keeps."""

    path: Path
    preview_long_side: int
    rejection_reasons: tuple[str, ...]


@dataclass(frozen=True)
class ReviewConfig:
    """Which pages the supervisor sees again, and why a page can be rejected."""

    sample_rate: float
    sample_seed: int
    rejection_reasons: tuple[str, ...]


@dataclass(frozen=True)
class BatchConfig:
    """What `station process` / `station watch` write into every document, and how hard they work."""

    jobs: int
    pdf_dpi: int
    station_id: str
    operator_id: str


@dataclass(frozen=True)
class Runtime:
    """The effective configuration of one run. `settings` holds the settings file with the environment and
    the flags applied (what the counter app shows); the sections are derived from it."""

    settings: st.Settings
    data_dir: Path
    upload: UploaderConfig
    journal: JournalConfig
    review: ReviewConfig
    batch: BatchConfig

    @property
    def backend_configured(self) -> bool:
        """A backend URL came from a flag, the environment or the settings (else the app embeds its own)."""
        return bool(self.settings.backend.url)

    @cached_property
    def analysis(self) -> AnalysisOptions:
        """How every front end cleans, measures and recognises a page (built on first use: the pipeline
        pulls in OpenCV, which `station upload` does not need)."""
        return analysis_options(self.settings)

    @cached_property
    def signing(self) -> SigningConfig:
        """The token, timestamp server and trust roots for signing (STATION_PKCS11_PIN is read by the PIN
        provider, never kept in settings)."""
        from station.signing.config import SigningConfig

        section = self.settings.signing
        return SigningConfig(
            module=section.module,
            token_label=section.token_label,
            key_label=section.key_label,
            agency_key_label=section.agency_key_label,
            tsa_url=section.tsa_url,
            trust_roots=Path(section.trust_roots) if section.trust_roots else None,
            tsa_required=section.tsa_required,
            required=section.required,
        )

    def process_options(self, out_dir: Path, *, split: SplitMode | None = None, **changes: Any) -> ProcessOptions:
        """The options of a batch into `out_dir` (`station process`, `station watch`): the analysis keeps the
        cleaned images, the documents carry this station's ids, pages go into the journal."""
        from station.batch.runner import ProcessOptions
        from station.batch.split import SplitMode

        options = ProcessOptions(
            out_dir=out_dir,
            split=split or SplitMode.AUTO,
            jobs=self.batch.jobs,
            pdf_dpi=self.batch.pdf_dpi,
            station_id=self.batch.station_id,
            operator=self.batch.operator_id,
            analysis=replace(self.analysis, keep_image=True),
            journal_path=self.journal.path,
            preview_long_side=self.journal.preview_long_side,
        )
        return replace(options, **changes) if changes else options


def analysis_options(settings: st.Settings) -> AnalysisOptions:
    """The analysis the settings ask for: recognition switches, language, separator prefix, quality limits."""
    from scanning.cleanup.config import CleanupConfig, QualityThresholds
    from station.pipeline import AnalysisOptions

    thresholds = replace(QualityThresholds(), min_dpi=settings.quality.min_dpi,
                         max_skew_deg=settings.quality.max_skew_deg)
    recognition = settings.recognition
    return AnalysisOptions(
        cleanup=replace(CleanupConfig(), quality=thresholds),
        ocr=recognition.ocr,
        barcodes=recognition.barcodes,
        cccd=recognition.cccd,
        lang=recognition.ocr_lang,
        separator_prefix=recognition.separator_prefix,
    )


def load_runtime(args: argparse.Namespace | None = None, *,
                 environ: Mapping[str, str] = os.environ) -> Runtime:
    """Read the settings file, the environment and `args` once; see the module docstring for the order."""
    settings = st.read(st.config_dir(environ) / st.SETTINGS_FILE)
    for variable, (section, name) in ENVIRONMENT.items():
        value = environ.get(variable)
        if value:
            settings = _overlay(settings, section, name, value, _from_environment(variable))
    flag = _flag_reader(args)
    for attribute, (section, name) in FLAGS.items():
        value = flag(attribute)
        if value is not None:
            settings = _overlay(settings, section, name, str(value), _from_flag(attribute))
    switched_off: dict[str, Any] = {step: False for attribute, step in SWITCHES_OFF.items() if flag(attribute)}
    if switched_off:
        settings = replace(settings, recognition=replace(settings.recognition, **switched_off))
    data_dir = _data_dir(flag("data_dir"), environ)
    return Runtime(
        settings=settings,
        data_dir=data_dir,
        upload=_upload(settings, data_dir, flag, environ),
        journal=_journal(settings, data_dir, flag("journal")),
        review=ReviewConfig(settings.review.sample_rate, settings.review.sample_seed,
                            settings.review.rejection_reasons),
        batch=_batch(settings, flag),
    )


# --- the layers ----------------------------------------------------------------------------------------------

def _flag_reader(args: argparse.Namespace | None) -> Callable[[str], Any]:
    def flag(name: str) -> Any:
        return None if args is None else getattr(args, name, None)

    return flag


def _from_environment(variable: str) -> str:
    return f"biến môi trường {variable}"


def _from_flag(attribute: str) -> str:
    return f"tuỳ chọn --{attribute.replace('_', '-')}"


def _overlay(settings: st.Settings, section: str, name: str, value: str, source: str) -> st.Settings:
    """`settings` with one field replaced; a value the setting refuses names its source, in Vietnamese."""
    try:
        changed = replace(getattr(settings, section), **{name: value})
    except st.SettingsError as err:
        raise st.SettingsError(
            f"{source}: {err}",
            user_message=f"Giá trị của {source} không hợp lệ ({section}.{name}). Sửa hoặc bỏ giá trị đó rồi chạy lại.",
        ) from err
    return replace(settings, **{section: changed})


def _data_dir(flag_value: Path | None, environ: Mapping[str, str]) -> Path:
    return Path(flag_value) if flag_value is not None else st.data_dir(environ)


def _journal(settings: st.Settings, data_dir: Path, flag_value: Path | None) -> JournalConfig:
    """The one place the journal path is decided: --journal, else review.journal_path, else the data dir."""
    configured = settings.review.journal_path
    path = Path(flag_value) if flag_value is not None else Path(configured) if configured else \
        data_dir / "journal.sqlite3"
    return JournalConfig(path, settings.review.preview_long_side, settings.review.rejection_reasons)


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise st.SettingsError(
            f"--{name.replace('_', '-')} must be a whole number of at least 1 (got {value!r})",
            user_message=f"Tuỳ chọn --{name.replace('_', '-')} phải là số nguyên từ 1 trở lên.",
        )
    return value


def _batch(settings: st.Settings, flag: Callable[[str], Any]) -> BatchConfig:
    jobs = flag("jobs")
    pdf_dpi = flag("pdf_dpi")
    return BatchConfig(
        jobs=_cores() if jobs is None else _positive("jobs", jobs),
        pdf_dpi=300 if pdf_dpi is None else _positive("pdf_dpi", pdf_dpi),
        station_id=settings.backend.station_id,
        operator_id=settings.backend.operator_id,
    )


def _cores() -> int:
    # as station.pipeline.default_jobs, without importing the pipeline (OpenCV) for `station upload`
    return max(1, len(os.sched_getaffinity(0)))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "operator"


def read_queued_file(path: Path) -> bytes:
    """The content of a queued attachment, sealed at rest or plain (imported late: `station upload --help`
    need not load the cryptography)."""
    from station.atrest import read_maybe_sealed

    return read_maybe_sealed(path)


def _upload(settings: st.Settings, data_dir: Path, flag: Callable[[str], Any],
            environ: Mapping[str, str]) -> UploaderConfig:
    backend = settings.backend
    values: dict[str, Any] = {
        "backend_url": backend.url or DEFAULT_BACKEND_URL,
        "station_id": backend.station_id or socket.gethostname(),
        "operator_id": backend.operator_id or _login_name(),
        "ca_bundle": Path(backend.ca_bundle) if backend.ca_bundle else None,
        "retention_days": float(backend.retention_days),
        "data_dir": data_dir,
        "read_file": read_queued_file,  # the counter's outgoing PDFs are sealed at rest
    }
    token = environ.get(TOKEN_VARIABLE)
    if token:
        values["token"] = token
    for name in UPLOAD_TUNING:
        value = flag(name)
        if value is not None:
            values[name] = value
    return UploaderConfig(**values)
