"""Supervisor review window (standalone; the counter app can embed `ReviewWidget` or open `ReviewWindow`)."""

from station.ui.review.window import ReviewWidget, ReviewWindow

__all__ = ["ReviewWidget", "ReviewWindow"]
