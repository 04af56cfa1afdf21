"""Scan-profile resolution: the options a scan job starts from, for the profile the officer picked."""

from __future__ import annotations

from scanning.models import ColorMode, PageSize, ScanOptions, Source
from station import settings as st


def scan_options(settings: st.Settings, profile_name: str = "") -> ScanOptions:
    """The named profile's source, resolution, mode and size; an unknown or empty name: the scanner section's."""
    profile = next((p for p in settings.profiles.items if p.name == profile_name), None) if profile_name else None
    scanner = settings.scanner
    if profile is None:
        return ScanOptions(Source(scanner.source), scanner.resolution, ColorMode(scanner.mode),
                           PageSize(scanner.page_size))
    return ScanOptions(Source(profile.source), profile.resolution, ColorMode(profile.mode),
                       PageSize(profile.page_size))
