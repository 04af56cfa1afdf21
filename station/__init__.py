"""The Digitization Station application: CLI, desktop app, dossier workflow, settings, journal."""

__version__ = "0.1.0"
