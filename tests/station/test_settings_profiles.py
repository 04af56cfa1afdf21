"""The default scan profiles follow Decree 30/2020 (colour, >= 200 dpi); gray and bilevel are explicit archive
choices whose names say they fall short of the rule for copies."""

from __future__ import annotations

from scanning.models import ColorMode, PageSize, ScanOptions, Source
from station import settings as st
from station.counter.profiles import scan_options


def test_defaults_scan_colour_at_300_dpi() -> None:
    defaults = st.Settings()
    assert scan_options(defaults) == ScanOptions(Source.ADF, 300, ColorMode.COLOR, PageSize.A4)
    assert scan_options(defaults, defaults.profiles.items[0].name).mode is ColorMode.COLOR
    assert st.ScanProfile("Hồ sơ mới").mode == ColorMode.COLOR.value


def test_only_labelled_profiles_fall_short_of_the_rule() -> None:
    for profile in st.DEFAULT_PROFILES:
        compliant = profile.mode == ColorMode.COLOR.value and profile.resolution >= 200
        assert compliant != (st.NOT_A_COPY_LABEL in profile.name), profile.name
    modes = {profile.mode for profile in st.DEFAULT_PROFILES}
    assert modes == {ColorMode.COLOR.value, ColorMode.GRAY.value, ColorMode.LINEART.value}
