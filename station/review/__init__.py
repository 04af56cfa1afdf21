"""Supervisor review (no Qt): the review queue, decisions, statistics, CSV export and the PDF report.

The queue holds every flagged page first (worst score first), then a seeded, reproducible sample of
the unflagged ones. Decisions go to the journal (a rejection becomes a rescan request for the counter that
scanned the page) and, when a backend is configured, to the backend too.
"""
