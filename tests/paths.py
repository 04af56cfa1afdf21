"""Where the project, its resources and the peers' corpora are, for tests at any depth of tests/."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
CORPORA = ROOT.parent / "shared" / "corpora"
