"""What the counter window is started with, beside its service; tests build one with their own folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from station import settings as st
from station.runtime import Runtime
from station.ui.services import EmbeddedBackend
from station.workflow.samples import VirtualFeeder


@dataclass
class AppContext:
    runtime: Runtime  # settings, environment and flags, read once (station.runtime.load_runtime)
    embedded_backend: EmbeddedBackend | None = None
    feeder: VirtualFeeder | None = None  # None: the sample pages
    analysis_workers: int = 1
    start_sender: bool = True
    settings_path: Path | None = None  # where the settings dialog saves (None: the user's settings file)

    @property
    def settings(self) -> st.Settings:
        return self.runtime.settings

    @property
    def data_dir(self) -> Path:
        return self.runtime.data_dir

    @property
    def sessions_root(self) -> Path:
        return self.data_dir / "session"

    @property
    def out_root(self) -> Path:
        return self.data_dir / "outgoing"
