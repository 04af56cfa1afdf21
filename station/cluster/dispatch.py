"""The coordinator's side of `station process --cluster`: the batch runner's pages go to Celery workers.

For each page of the stream: its pixels are sealed into `<work>/cluster/<position>.capture` on the shared folder,
and a message with paths and page numbers only goes to Redis (work.py). At most `in_flight` pages are out at
once (their captures are the only copies of decoded pages on disk). Answers are taken in input order from
`<work>/cluster/<position>.result`, as the local pool gives them, so the runner records, builds and journals
exactly as it does locally: the same bytes come out.

The result file says a page is done (the result backend is not used for that: a result stored while Redis
restarts can be lost, a redelivered task can overwrite it): it is written atomically after the page's data,
survives a Redis restart, and lets a restarted coordinator take what the workers finished while it was down
without sending those pages again. Every outcome on a worker, failures included, is such a file.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scanning.models import Page
from station.atrest import AtRestError
from station.batch.runner import PageItem, PageResult, ProcessOptions
from station.cluster.codec import PageFailure, capture_name, read_result, result_name, write_options
from station.cluster.config import BROKER_PATIENCE_S, ClusterConfig, ClusterUnavailableError, cluster_config
from station.cluster.work import shared_folder
from station.output.pagedata import PageDataError, write_capture

if TYPE_CHECKING:
    from station.cluster.app import ClusterClient

log = logging.getLogger(__name__)

POLL_S = 0.05
RESEND_AFTER = 2.0  # visibility timeouts: a page taken by a vanished worker is handed out again after one
RUN_LOOK_S = 2.0  # how often the coordinator asks which run of Redis answers
_NO_PIXELS = np.zeros((1, 1), dtype=np.uint8)  # the runner needs a page's name and number, not its pixels


@dataclass(frozen=True)
class _Sent:
    position: int
    input_index: int
    page: Page  # without its pixels
    task_id: str | None  # None: its answer was on the shared folder already
    message: dict[str, object]


class ClusterDispatch:
    """A `PageDispatch` (station.batch.runner) that sends pages to the cluster."""

    def __init__(self, config: ClusterConfig) -> None:
        self.config = config

    def __call__(self, items: Iterator[PageItem], options: ProcessOptions,
                 spill_dir: Path) -> Generator[tuple[PageItem, PageResult | Exception], None, None]:
        from station.cluster.app import ClusterClient

        work_dir = spill_dir.parent
        folder = shared_folder(work_dir)
        client = _Patient(ClusterClient(self.config))
        client.redis_restarted()  # the run of Redis the pages are sent to
        write_options(folder, options)
        pending: deque[_Sent] = deque()
        try:
            for position, input_index, page in items:
                pending.append(self._send(client, folder, work_dir, position, input_index, page))
                while len(pending) >= self.config.in_flight:
                    yield self._answer(client, folder, pending.popleft(), pending)
            while pending:
                yield self._answer(client, folder, pending.popleft(), pending)
        finally:
            client.close()

    def _send(self, client: _Patient, folder: Path, work_dir: Path, position: int, input_index: int,
              page: Page) -> _Sent:
        light = Page(_NO_PIXELS, page.dpi, page.source, page.index, page.side, page.captured_at)
        with contextlib.suppress(PageDataError):
            read_result(folder, position)
            return _Sent(position, input_index, light, None, {})  # finished while a previous coordinator was down
        write_capture(folder / capture_name(position), page)
        task_id = f"{work_dir.name}-{position:06d}"  # one per page of the batch: a re-send is the same task
        message = {"work_dir": str(work_dir), "position": position, "input": input_index, "page": page.index,
                   "dpi": page.dpi, "captured_at": page.captured_at.isoformat() if page.captured_at else None}
        client.send(message, task_id)
        return _Sent(position, input_index, light, task_id, message)

    def _answer(self, client: _Patient, folder: Path, sent: _Sent,
                pending: deque[_Sent]) -> tuple[PageItem, PageResult | Exception]:
        item = (sent.position, sent.input_index, sent.page)
        # A message can only vanish by mistake: a Redis restart between a worker taking it and recording it as
        # taken, a worker without the shared folder refusing it. Then it is sent again as the same task (a page
        # done twice writes the same files): every unanswered one after a restart, this one after two
        # visibility timeouts (no page can still be under way then).
        patience = RESEND_AFTER * self.config.visibility_timeout_s
        resend_at = time.monotonic() + patience
        next_look = time.monotonic() + RUN_LOOK_S
        while not (folder / result_name(sent.position)).exists():
            now = time.monotonic()
            if sent.task_id is not None and now > resend_at:
                log.warning("page %d: no answer after %.0f s; sent again", sent.position, patience)
                client.send(sent.message, sent.task_id)
                resend_at = now + patience
            if now > next_look:
                next_look = now + RUN_LOOK_S
                if client.redis_restarted():
                    unanswered = [s for s in (sent, *pending)
                                  if s.task_id is not None and not (folder / result_name(s.position)).exists()]
                    log.warning("Redis restarted: %d unanswered page(s) sent again", len(unanswered))
                    for again in unanswered:
                        client.send(again.message, str(again.task_id))
            time.sleep(POLL_S)  # the shared folder (NFS/SMB) has no change notification worth relying on
        try:
            answer = read_result(folder, sent.position)
        except PageDataError as err:  # sealed by a worker with another key, or damaged: stop, nothing is lost
            return item, AtRestError(f"page {sent.position}: a worker's answer does not open ({err}); every station "
                                     "of the farm must share the at-rest key")
        (folder / capture_name(sent.position)).unlink(missing_ok=True)
        return item, answer if isinstance(answer, PageResult) else _as_error(answer)


def _as_error(failure: PageFailure) -> Exception:
    """A worker's failure as the local pool would have raised it, so the runner decides the same way."""
    if failure.kind == "disk":
        return OSError(failure.errno or 0, failure.message)
    if failure.kind == "atrest":
        return AtRestError(failure.message)
    return RuntimeError(failure.message)


class _Patient:
    """The Celery client, waiting out a Redis restart (up to BROKER_PATIENCE_S) instead of failing the batch."""

    def __init__(self, client: ClusterClient) -> None:
        self.client = client
        self.warned = False
        self.run: str | None = None

    def send(self, message: dict[str, object], task_id: str) -> None:
        deadline = time.monotonic() + BROKER_PATIENCE_S
        while True:
            try:
                self.client.send(message, task_id)
                return
            except Exception as err:  # kombu/redis connection errors have no common base worth importing
                if time.monotonic() > deadline:
                    raise ClusterUnavailableError(f"cannot send a page to the broker: {type(err).__name__}") from None
                self._warn(err)
                time.sleep(1.0)

    def redis_restarted(self) -> bool:
        """Whether Redis restarted since the last look (a Redis that does not answer now: not yet known)."""
        try:
            run = self.client.server_run()
        except Exception as err:  # Redis away: looked at again later
            self._warn(err)
            return False
        restarted = self.run is not None and run != self.run
        self.run = run
        return restarted

    def _warn(self, err: Exception) -> None:
        if not self.warned:
            log.warning("broker unreachable (%s); waiting for it", type(err).__name__)
            self.warned = True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()


def on_cluster(options: ProcessOptions, url: str | None, environ: Mapping[str, str]) -> ProcessOptions:
    """`options` with the pages sent to the cluster at `url` (`--cluster`); unchanged without a URL."""
    if not url:
        return options
    config = cluster_config(url, environ)
    log.info("pages go to the cluster at %s", config.masked_url)
    return replace(options, dispatch=ClusterDispatch(config))
