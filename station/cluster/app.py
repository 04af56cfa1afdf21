"""The one module that imports Celery (it ships no type hints): the app, the page task, and thin typed calls
for the coordinator, the worker command and `station cluster status`.

The page task counts its deliveries in Redis (`INCR`, one key per page message): a page that kills the worker
process every time is re-delivered by `reject_on_worker_lost`, and after `max_attempts` deliveries it is
answered "unreadable" instead of being tried again (work.py).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis
from celery import Celery  # type: ignore[import-untyped]
from celery.exceptions import Reject  # type: ignore[import-untyped]
from celery.signals import worker_process_init  # type: ignore[import-untyped]
from kombu.exceptions import ChannelError

from station.cluster.config import BROKER_PATIENCE_S, QUEUE, TASK_NAME, ClusterConfig, celery_settings

log = logging.getLogger(__name__)

ATTEMPTS_KEY = "station:cluster:attempts:"
UNREADABLE_KEY = "station:cluster:unreadable"
ATTEMPTS_TTL_S = 7 * 24 * 3600


def make_app(config: ClusterConfig, *, shared_root: Path | None = None) -> Any:
    app = Celery("station", broker=config.broker_url, backend=config.broker_url, set_as_current=False)
    app.conf.update(celery_settings(config))

    # ignore_result: the answer is the result file on the shared folder (dispatch.py); storing a result too
    # would make a task that finished while Redis restarted fail "outside its body" instead of being redone.
    @app.task(name=TASK_NAME, bind=True, acks_late=True, reject_on_worker_lost=True,  # type: ignore[untyped-decorator]
              ignore_result=True)
    def page_task(self: Any, message: Mapping[str, Any]) -> str:
        from station.cluster.work import do_page

        client = self.backend.client
        key = f"{ATTEMPTS_KEY}{self.request.id}"
        attempt = int(_patiently(lambda: client.incr(key)))
        _patiently(lambda: client.expire(key, ATTEMPTS_TTL_S))
        outcome = do_page(message, attempt=attempt, max_attempts=config.max_attempts, shared_root=shared_root)
        if outcome == "unreadable":
            _patiently(lambda: client.incr(UNREADABLE_KEY))
        return outcome

    return app


def _patiently(call: Callable[[], Any]) -> Any:
    """`call()`, waiting out a Redis restart; after BROKER_PATIENCE_S the message goes back to the queue."""
    deadline = time.monotonic() + BROKER_PATIENCE_S
    while True:
        try:
            return call()
        except (redis.ConnectionError, redis.TimeoutError):
            if time.monotonic() > deadline:
                raise Reject("Redis unreachable", requeue=True) from None
            time.sleep(1.0)


@worker_process_init.connect  # type: ignore[untyped-decorator]
def _one_page_per_process(**_: Any) -> None:
    """As the local pool's workers: OpenMP and OpenCV threads would only fight over the same cores."""
    from station.pipeline import _worker_init

    _worker_init()


def run_worker(config: ClusterConfig, *, concurrency: int, shared_root: Path | None, loglevel: str) -> int:
    os.environ["OMP_THREAD_LIMIT"] = "1"
    app = make_app(config, shared_root=shared_root)
    worker = app.Worker(concurrency=concurrency, pool="prefork", loglevel=loglevel, queues=[QUEUE],
                        hostname=f"station@{socket.gethostname()}-{os.getpid()}", optimization="fair",
                        without_mingle=True, without_gossip=True)
    worker.start()
    return int(worker.exitcode or 0)


class ClusterClient:
    """The coordinator's side: send a page message, notice a Redis restart."""

    def __init__(self, config: ClusterConfig) -> None:
        self.app = make_app(config)

    def send(self, message: Mapping[str, Any], task_id: str) -> None:
        # argsrepr: what events and Flower show of the message (it would repeat it whole, and its path).
        self.app.send_task(TASK_NAME, args=[dict(message)], task_id=task_id, queue=QUEUE,
                           argsrepr=f"(page {message.get('position')},)", kwargsrepr="{}")

    def server_run(self) -> str:
        """Which run of the Redis server answers (its `run_id` changes at every restart)."""
        return str(self.app.backend.client.info("server")["run_id"])

    def close(self) -> None:
        self.app.close()


@dataclass(frozen=True)
class WorkerState:
    name: str
    concurrency: int
    active: int  # pages being worked on now
    reserved: int  # pages taken, not yet started (prefetch: at most one per process)
    done: int  # page messages finished since the worker started


@dataclass(frozen=True)
class ClusterState:
    workers: tuple[WorkerState, ...]
    queued: int
    unreadable: int

    @property
    def in_flight(self) -> int:
        return sum(w.active + w.reserved for w in self.workers)


def cluster_state(config: ClusterConfig, *, timeout_s: float = 2.0) -> ClusterState:
    app = make_app(config)
    try:
        with app.connection_for_read() as connection:
            # Fail in seconds when Redis is not there (the workers' settings retry forever).
            connection.ensure_connection(max_retries=2, interval_start=0.2, interval_step=0.5, interval_max=1)
            inspect = app.control.inspect(timeout=timeout_s, connection=connection)
            stats: dict[str, Any] = inspect.stats() or {}
            active: dict[str, list[Any]] = inspect.active() or {}
            reserved: dict[str, list[Any]] = inspect.reserved() or {}
            try:
                queued = int(connection.default_channel.queue_declare(QUEUE, passive=True).message_count)
            except ChannelError:  # no such queue yet (nothing was ever sent, or all taken): none queued
                queued = 0
        unreadable = int(app.backend.client.get(UNREADABLE_KEY) or 0)
    finally:
        app.close()
    workers = []
    for name in sorted(set(stats) | set(active)):
        info = stats.get(name, {})
        pool = info.get("pool", {}) if isinstance(info, dict) else {}
        total = info.get("total", {}) if isinstance(info, dict) else {}
        workers.append(WorkerState(name, int(pool.get("max-concurrency", 0) or 0), len(active.get(name, [])),
                                   len(reserved.get(name, [])), int(total.get(TASK_NAME, 0) or 0)))
    return ClusterState(tuple(workers), queued, unreadable)
