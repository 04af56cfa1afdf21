"""The counter desktop app (PySide6). Only this package (and station/commands/gui.py) imports Qt.

Importing the package itself does not import Qt: `analysis_worker` runs in spawned processes.
"""
