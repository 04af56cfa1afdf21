"""The cluster's connection and the Celery settings its reliability rests on (no Celery import here).

Why each setting (README "Batch digitization on several machines"):

- `task_acks_late` + `task_reject_on_worker_lost`: a page's message is acknowledged only once its result is
  on the shared folder; a worker process that dies mid-page gives the message back to the queue.
- `visibility_timeout` (Redis transport): a message taken by a worker that vanished altogether (kill -9 of
  the whole worker, a machine powered off) becomes visible again after this long: it must exceed the
  slowest page, or a page still being worked on is handed out a second time (harmless, only wasted).
- `worker_prefetch_multiplier = 1`: a worker holds only the pages it works on, so a dead worker strands
  nothing more and a slow one does not sit on pages others could do.
- JSON only: a message never carries a pickle (Redis is shared; a pickle there would run code on workers).
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from scanning.errors import StationError

QUEUE = "station-pages"
TASK_NAME = "station.cluster.page"
DEFAULT_VISIBILITY_TIMEOUT_S = 3600.0  # an hour: far beyond the slowest page (a 600 dpi colour A3 takes ~1 min)
DEFAULT_MAX_ATTEMPTS = 3  # deliveries of one page before it is reported unreadable (it crashed a worker each time)
DEFAULT_IN_FLIGHT = 16  # pages sent and not yet answered; each has its capture on the shared folder
RESULT_EXPIRES_S = 7 * 24 * 3600
# How long the coordinator keeps trying when Redis is away (a restart, a failover) before it gives up; the
# batch is kept and a re-run continues.
BROKER_PATIENCE_S = 300.0
CA_VARIABLE = "STATION_REDIS_CA"


class ClusterUrlError(StationError):
    exit_code = 2  # ExitCode.USAGE
    default_user_message = (
        "Địa chỉ cụm xử lý không hợp lệ. Dùng dạng redis://MÁY:CỔNG/SỐ hoặc rediss://:MẬT-KHẨU@MÁY:CỔNG/SỐ."
    )


class ClusterUnavailableError(StationError):
    """Redis cannot be reached (for longer than the coordinator waits): the batch stops, what is done is kept."""

    exit_code = 1  # ExitCode.PARTIAL: a re-run continues where it stopped
    default_user_message = (
        "Không kết nối được tới máy chủ hàng đợi (Redis) của cụm xử lý. Kiểm tra máy chủ và mạng rồi chạy lại; "
        "các trang đã xong được giữ và sẽ không phải xử lý lại."
    )


@dataclass(frozen=True)
class ClusterConfig:
    broker_url: str
    visibility_timeout_s: float = DEFAULT_VISIBILITY_TIMEOUT_S
    max_attempts: int = DEFAULT_MAX_ATTEMPTS
    in_flight: int = DEFAULT_IN_FLIGHT
    ca_file: Path | None = None  # rediss://: the CA that signed Redis's certificate (None: the system's)

    def __post_init__(self) -> None:
        check_url(self.broker_url)

    def __repr__(self) -> str:  # the URL may carry the password: never in a log or a traceback
        return f"ClusterConfig(broker_url={mask_url(self.broker_url)!r}, in_flight={self.in_flight})"

    @property
    def tls(self) -> bool:
        return urlsplit(self.broker_url).scheme == "rediss"

    @property
    def masked_url(self) -> str:
        return mask_url(self.broker_url)


PASSWORD_VARIABLE = "STATION_REDIS_PASSWORD"


def cluster_config(url: str, environ: Mapping[str, str], **changes: Any) -> ClusterConfig:
    """The cluster of `url`; a password not in the URL comes from STATION_REDIS_PASSWORD (a URL on the command
    line is visible to every user of the machine in `ps`), the rediss:// CA from STATION_REDIS_CA."""
    check_url(url)
    password = environ.get(PASSWORD_VARIABLE)
    parts = urlsplit(url)
    if password and parts.password is None:
        netloc = f"{parts.username or ''}:{quote(password, safe='')}@{parts.netloc.rpartition('@')[2]}"
        url = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    ca = environ.get(CA_VARIABLE)
    if ca and "ca_file" not in changes:
        changes["ca_file"] = Path(ca)
    return ClusterConfig(url, **changes)


def check_url(url: str) -> None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ClusterUrlError("broker URL does not parse") from None
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise ClusterUrlError(f"broker URL must be redis:// or rediss:// with a host (got {mask_url(url)})")
    del port


def mask_url(url: str) -> str:
    """`redis://:secret@host:6379/0` -> `redis://:***@host:6379/0`: the password never reaches a log."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<broker URL>"
    if parts.password is None and parts.username is None:
        return url
    user = parts.username or ""
    netloc = f"{user}:***@{host}" if parts.password is not None else f"{user}@{host}"
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def celery_settings(config: ClusterConfig) -> dict[str, Any]:
    transport = {
        "visibility_timeout": config.visibility_timeout_s,
        # Messages of vanished workers are looked for every 10 s (kombu's default throttle makes that 100 s),
        # and given back once older than the visibility timeout.
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
        "unacked_restore_limit": 100,
    }
    settings: dict[str, Any] = {
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "result_accept_content": ["json"],
        "result_expires": RESULT_EXPIRES_S,
        "task_default_queue": QUEUE,
        "task_track_started": True,  # `station cluster status` tells queued from in flight
        "worker_send_task_events": True,  # Flower and `celery events` see the pages
        "task_send_sent_event": True,
        "broker_transport_options": transport,
        "result_backend_transport_options": {"visibility_timeout": config.visibility_timeout_s},
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,  # a worker waits for Redis forever (it restarts, it fails over)
        "task_publish_retry": True,
        "task_publish_retry_policy": {"max_retries": int(BROKER_PATIENCE_S // 2), "interval_start": 0.5,
                                      "interval_step": 0.5, "interval_max": 2.0},
        "redis_retry_on_timeout": True,
        "redis_socket_keepalive": True,
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "worker_cancel_long_running_tasks_on_connection_loss": False,
    }
    if config.tls:
        options = {"ssl_cert_reqs": ssl.CERT_REQUIRED,
                   "ssl_ca_certs": str(config.ca_file) if config.ca_file is not None else None}
        settings["broker_use_ssl"] = options
        settings["redis_backend_use_ssl"] = options
    return settings
