"""A hot folder: every file dropped into INBOX is processed once it is stable and complete, then moved to
`done/` or to `failed/` with a `<name>.error.txt` beside it.

State lives in the file system only: a file still in INBOX has not been finished, so after a restart it is
simply processed again (the batch journal lets that run continue where the killed one stopped).

The inbox may be shared, so nothing in it is trusted: entries are looked at with lstat and opened with
O_NOFOLLOW relative to the inbox's descriptor; a link or special file is reported and left alone, never
followed; `done/` and `failed/` must be real folders of the station's user (created 0700), else the watch
stops with UnsafeFolderError. The file is copied (through the descriptor that was checked) into the private
`OUT/.station-work/watch-<inbox id>/` and that snapshot is processed, so what is read cannot be swapped for a link
afterwards. File names are never trusted as text: messages show them escaped (`display_name`).

A file is ready when its size and mtime have not changed for `settle_s` AND its format's end is there
(completeness.py). A stable file that still looks cut short is looked at again on the next polls and only
goes to `failed/` once it has not changed for `incomplete_timeout_s`. Names ending in `.part`, `.partial`,
`.tmp`, `.crdownload`, `.download` or `~`, and hidden names (leading dot), are copies in progress by
convention: they are ignored until renamed.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scanning.drivers.files import SUPPORTED_SUFFIXES
from station.batch.completeness import incomplete_reason
from station.batch.resume_log import WORK_DIR_NAME
from station.batch.runner import OutputNotWritableError, ProcessOptions, ProcessSummary, run_batch
from station.safe_fs import (
    RefusedEntryError,
    UnsafeFolderError,
    copy_into,
    create_exclusive,
    display_name,
    fit_name,
    lstat_entry,
    move_entry,
    open_folder,
    open_regular,
)

log = logging.getLogger(__name__)

DONE_DIR = "done"
FAILED_DIR = "failed"
STAGING_PREFIX = "watch-"  # OUT/.station-work/watch-<inbox id>: the snapshot being processed
ERROR_SUFFIX = ".error.txt"
IN_PROGRESS_SUFFIXES = (".part", ".partial", ".tmp", ".crdownload", ".download", "~")
DEFAULT_INCOMPLETE_TIMEOUT_S = 300.0
ERROR_HEADER = "Tệp này không xử lý được. Sửa hoặc quét lại rồi thả lại vào thư mục nhận. Lý do:\n"
_DISK_ERRNOS = (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT, errno.EFBIG, errno.EPERM)


@dataclass(frozen=True)
class WatchEvent:
    file: Path
    outcome: str  # "done" | "failed" | "skipped" (a link or special file, left alone) | "waiting" (left for now)
    moved_to: Path | None
    summary: ProcessSummary | None
    reasons: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The file name as it can be shown (undecodable bytes and control characters escaped)."""
        return display_name(self.file.name)


@dataclass(frozen=True)
class _Identity:
    """Which file, at which state: a change of any of these means "look again from the start"."""

    kind: int
    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, st: os.stat_result) -> _Identity:
        return cls(stat.S_IFMT(st.st_mode), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


@dataclass
class _Seen:
    identity: _Identity
    stable_since: float
    incomplete: str | None = None  # why the stable file still looks cut short
    left_alone: bool = False  # reported and left in the inbox: not again until it changes
    reported: set[str] = field(default_factory=set)


def is_in_progress(name: str) -> bool:
    """Hidden names and the usual partial-copy suffixes: ignored until the copier renames the file."""
    return name.startswith(".") or name.lower().endswith(IN_PROGRESS_SUFFIXES)


class HotFolder:
    def __init__(self, inbox: Path, options: ProcessOptions, *, settle_s: float = 2.0,
                 incomplete_timeout_s: float = DEFAULT_INCOMPLETE_TIMEOUT_S,
                 on_event: Callable[[WatchEvent], None] | None = None) -> None:
        self.inbox = inbox
        self.options = options
        self.settle_s = settle_s
        self.incomplete_timeout_s = incomplete_timeout_s
        self.on_event = on_event
        self._seen: dict[str, _Seen] = {}
        # One staging folder per inbox: two hot folders may feed one output folder.
        inbox_id = hashlib.sha256(os.fsencode(os.path.realpath(inbox))).hexdigest()[:10]
        self.staging = options.out_dir / WORK_DIR_NAME / f"{STAGING_PREFIX}{inbox_id}"
        # The inbox itself is the operator's choice (it may be reached through a link); what is inside is not.
        self._inbox_fd = os.open(inbox, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            for name in (DONE_DIR, FAILED_DIR):
                os.close(open_folder(name, dir_fd=self._inbox_fd, create=True))
            self._clear_staging()
        except BaseException:
            os.close(self._inbox_fd)
            raise

    def close(self) -> None:
        if self._inbox_fd >= 0:
            os.close(self._inbox_fd)
            self._inbox_fd = -1

    def __enter__(self) -> HotFolder:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- looking ---------------------------------------------------------------------------------------------

    def candidates(self) -> list[Path]:
        """Every entry of the inbox but folders, `done`/`failed` and copies in progress; links included (so
        they are reported), never followed."""
        names: list[str] = []
        with os.scandir(self._inbox_fd) as entries:
            for entry in entries:
                if entry.name in (DONE_DIR, FAILED_DIR) or is_in_progress(entry.name):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    continue
                names.append(entry.name)
        return [self.inbox / name for name in sorted(names)]

    def ready(self, now: float) -> list[Path]:
        """Files whose size and mtime have not changed for `settle_s` seconds (a copy in progress is not),
        without those that were reported and left alone, and, while `incomplete_timeout_s` has not passed,
        those still cut short."""
        ready: list[Path] = []
        current: set[str] = set()
        for path in self.candidates():
            name = path.name
            current.add(name)
            st = lstat_entry(name, dir_fd=self._inbox_fd)
            if st is None:
                continue
            identity = _Identity.of(st)
            seen = self._seen.get(name)
            if seen is None or seen.identity != identity:
                self._seen[name] = _Seen(identity, now)
                if not stat.S_ISREG(st.st_mode):
                    ready.append(path)  # nothing to wait for: it is reported at once
            elif seen.left_alone:
                continue
            elif now - seen.stable_since >= max(self.settle_s, 0.0 if seen.incomplete is None
                                                 else self.incomplete_timeout_s):
                ready.append(path)
        for gone in set(self._seen) - current:
            del self._seen[gone]
        return ready

    # --- doing -----------------------------------------------------------------------------------------------

    def process(self, path: Path, *, now: float | None = None) -> WatchEvent:
        """Process one inbox entry and file it; links, special files and files still cut short are left in
        the inbox. Raises only OutputNotWritableError and UnsafeFolderError: nothing else can succeed then."""
        name, shown = path.name, display_name(path.name)
        now = time.monotonic() if now is None else now
        st = lstat_entry(name, dir_fd=self._inbox_fd)
        if st is None:
            return WatchEvent(path, "skipped", None, None, (f"{shown}: gone before it was processed",))
        identity = _Identity.of(st)
        if stat.S_ISLNK(st.st_mode):
            return self._leave(path, identity, "skipped", f"{shown}: symbolic link: not followed, left in the inbox")
        if not stat.S_ISREG(st.st_mode):
            return self._leave(path, identity, "skipped", f"{shown}: not a regular file, left in the inbox")
        if path.suffix.lower() not in SUPPORTED_SUFFIXES:
            return self._file(path, identity, (f"{shown}: unsupported file type (use PDF, PNG, JPEG, TIFF, BMP "
                                               "or WebP)",), None)
        try:
            fd = open_regular(name, dir_fd=self._inbox_fd)
        except RefusedEntryError as err:  # swapped for a link since the look
            return self._leave(path, identity, "skipped", f"{shown}: {err.reason}, left in the inbox")
        except OSError as err:
            return self._file(path, identity, (f"{shown}: cannot be opened ({err.strerror or err})",), None)
        try:
            identity = _Identity.of(os.fstat(fd))
            reason = incomplete_reason(fd)
            if reason is not None:
                unchanged_for = self._unchanged_for(name, identity, now)
                if unchanged_for < self.incomplete_timeout_s:
                    return self._wait(path, identity, now - unchanged_for, f"{shown}: {reason}; waiting for the rest")
                return self._file(path, identity, (f"{shown}: {reason} (unchanged for {unchanged_for:.0f} s)",),
                                  None)
            staged = self._stage(fd, name, identity)
            if _Identity.of(os.fstat(fd)) != identity:  # written to while copied: not stable after all
                self._unstage(staged)
                self._seen.pop(name, None)
                return WatchEvent(path, "waiting", None, None, (f"{shown}: changed while it was read",))
        finally:
            os.close(fd)
        summary: ProcessSummary | None = None
        try:
            summary = run_batch([staged], self.options)
            reasons = tuple(r.replace(str(staged), shown) for r in summary.failures)
        except OutputNotWritableError:
            raise  # nothing in the inbox can succeed now: stop and leave the file where it is
        except Exception as err:  # one bad file must not stop the hot folder
            log.exception("processing %s failed", shown)
            reasons = (f"{shown}: {str(err).replace(str(staged), shown)}",)
        finally:
            self._unstage(staged)
        return self._file(path, identity, reasons, summary)

    def run(self, stop: threading.Event, *, interval_s: float = 1.0, once: bool = False) -> list[WatchEvent]:
        """Poll until `stop` is set; with `once`, process what is in the inbox now and return."""
        events: list[WatchEvent] = []
        if once:
            for path in self.candidates():
                events.append(self._guarded(path, time.monotonic()))
            return events
        while not stop.is_set():
            now = time.monotonic()
            for path in self.ready(now):
                if stop.is_set():
                    break
                events.append(self._guarded(path, now))
            stop.wait(interval_s)
        return events

    def _guarded(self, path: Path, now: float) -> WatchEvent:
        """One odd entry never ends the loop: an unforeseen error is reported, the entry left alone."""
        try:
            return self.process(path, now=now)
        except (OutputNotWritableError, UnsafeFolderError):
            raise
        except Exception as err:
            shown = display_name(path.name)
            log.exception("watch: %s could not be handled", shown)
            st = lstat_entry(path.name, dir_fd=self._inbox_fd)
            reason = f"{shown}: could not be handled ({type(err).__name__}: {err}); left in the inbox"
            if st is None:
                return self._emit(WatchEvent(path, "skipped", None, None, (reason,)))
            return self._leave(path, _Identity.of(st), "skipped", reason)

    # --- helpers ---------------------------------------------------------------------------------------------

    def _unchanged_for(self, name: str, identity: _Identity, now: float) -> float:
        """How long the file has been as it is: from this watch's own polls, else (--once, or a file not seen
        before) from its modification time."""
        seen = self._seen.get(name)
        if seen is not None and seen.identity == identity:
            return now - seen.stable_since
        return max(0.0, time.time() - identity.mtime_ns / 1e9)

    def _wait(self, path: Path, identity: _Identity, stable_since: float, reason: str) -> WatchEvent:
        seen = self._seen.get(path.name)
        if seen is None or seen.identity != identity:
            seen = self._seen[path.name] = _Seen(identity, stable_since)
        seen.incomplete = reason
        return self._emit(WatchEvent(path, "waiting", None, None, (reason,)), seen)

    def _leave(self, path: Path, identity: _Identity, outcome: str, reason: str,
               summary: ProcessSummary | None = None) -> WatchEvent:
        seen = self._seen.get(path.name)
        if seen is None or seen.identity != identity:
            seen = self._seen[path.name] = _Seen(identity, time.monotonic())
        seen.left_alone = True
        return self._emit(WatchEvent(path, outcome, None, summary, (reason,)), seen)

    def _emit(self, event: WatchEvent, seen: _Seen | None = None) -> WatchEvent:
        """Tell the listener once per file state (a link is not reported again at every poll)."""
        key = f"{event.outcome}\0{event.reasons}"
        if seen is not None:
            if key in seen.reported:
                return event
            seen.reported.add(key)
        if self.on_event is not None:
            self.on_event(event)
        return event

    def _file(self, path: Path, identity: _Identity, reasons: tuple[str, ...],
              summary: ProcessSummary | None) -> WatchEvent:
        """Move the processed file to done/ (or failed/ with its error file), if it is still the file that
        was processed: one dropped anew under the same name stays in the inbox for its own turn."""
        name, shown = path.name, display_name(path.name)
        outcome = "failed" if reasons else "done"
        current = lstat_entry(name, dir_fd=self._inbox_fd)
        if current is None or _Identity.of(current) != identity:
            self._seen.pop(name, None)
            return self._emit(WatchEvent(path, "waiting", None, summary,
                                         (f"{shown}: changed while it was processed; it will be processed again",)))
        folder_name = FAILED_DIR if reasons else DONE_DIR
        folder_fd = open_folder(folder_name, dir_fd=self._inbox_fd, create=True)
        try:
            target = self._move(name, folder_fd)
            if reasons:
                error = ERROR_HEADER + "".join(f"{r}\n" for r in reasons)
                create_exclusive(target + ERROR_SUFFIX, error.encode("utf-8"), dir_fd=folder_fd)
        except OSError as err:
            # A sticky shared inbox, say: the file stays, is reported once and not processed again this run.
            why = f"{shown}: could not be moved to {folder_name}/ ({err.strerror or err}); left in the inbox"
            return self._leave(path, identity, outcome, "; ".join((*reasons, why)), summary)
        finally:
            os.close(folder_fd)
        self._seen.pop(name, None)
        return self._emit(WatchEvent(path, outcome, self.inbox / folder_name / target, summary, reasons))

    def _move(self, name: str, folder_fd: int) -> str:
        """Move into the open folder under a free name (`a.png`, `a-1.png`, ...) whose error file name is
        free too and fits the file system: nothing there is ever overwritten."""
        stem, suffix = os.path.splitext(name)
        counter = 0
        while True:
            tail = f"-{counter}{suffix}" if counter else suffix
            target = fit_name(stem, tail, reserve=len(ERROR_SUFFIX))
            counter += 1
            if lstat_entry(target, dir_fd=folder_fd) is not None or \
                    lstat_entry(target + ERROR_SUFFIX, dir_fd=folder_fd) is not None:
                continue
            try:
                move_entry(name, target, src_dir_fd=self._inbox_fd, dst_dir_fd=folder_fd)
            except FileExistsError:
                continue
            return target

    def _stage(self, fd: int, name: str, identity: _Identity) -> Path:
        """Copy the checked file into the private staging folder under a printable name; the copy keeps the
        mtime (the capture time), so a restarted watch makes the same snapshot and the batch resumes."""
        staged_name = fit_name(*os.path.splitext(display_name(name)))
        try:
            staging_fd = self._open_staging(create=True)
            try:
                copy_into(fd, staged_name, dir_fd=staging_fd, mtime_ns=identity.mtime_ns)
            finally:
                os.close(staging_fd)
        except OSError as err:
            if err.errno in _DISK_ERRNOS:
                raise OutputNotWritableError(f"cannot write to {self.options.out_dir}: {err.strerror or err}") from err
            raise
        return self.staging / staged_name

    def _open_staging(self, *, create: bool) -> int:
        out = self.options.out_dir
        if create:
            out.mkdir(mode=0o700, parents=True, exist_ok=True)
        out_fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)  # the operator's choice, like INBOX
        try:
            work_fd = open_folder(WORK_DIR_NAME, dir_fd=out_fd, create=create)
            try:
                return open_folder(self.staging.name, dir_fd=work_fd, create=create)
            finally:
                os.close(work_fd)
        finally:
            os.close(out_fd)

    def _clear_staging(self) -> None:
        """Snapshots left by a killed watch are copies of citizens' papers: remove them (an inbox file that
        is still there is copied again when its turn comes)."""
        try:
            staging_fd = self._open_staging(create=False)
        except FileNotFoundError:
            return
        try:
            with os.scandir(staging_fd) as entries:
                names = [entry.name for entry in entries if not entry.is_dir(follow_symlinks=False)]
            for name in names:
                os.unlink(name, dir_fd=staging_fd)
        finally:
            os.close(staging_fd)

    @staticmethod
    def _unstage(staged: Path) -> None:
        try:
            staged.unlink()
        except OSError as err:
            log.warning("could not remove the snapshot %s: %s", staged.name, err.strerror or err)
