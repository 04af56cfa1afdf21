"""What the counter window is started with, beside its service; tests build one with their own folders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station import settings as st
from station.ui.services import EmbeddedBackend
from station.workflow.samples import VirtualFeeder


@dataclass
class AppContext:
    settings: st.Settings
    data_dir: Path
    embedded_backend: EmbeddedBackend | None = None
    feeder: VirtualFeeder | None = None  # None: the sample pages
    analysis_workers: int = 1
    start_sender: bool = True
    settings_path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sessions_root(self) -> Path:
        return self.data_dir / "session"

    @property
    def out_root(self) -> Path:
        return self.data_dir / "outgoing"

    @property
    def journal_path(self) -> Path:
        configured = self.settings.review.journal_path
        return Path(configured) if configured else self.data_dir / "journal.sqlite3"
