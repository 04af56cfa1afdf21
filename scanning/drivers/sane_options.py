"""Reading a SANE device's option descriptors as station capabilities (pure functions on data).

Backends name the same things differently ("ADF", "Automatic Document Feeder", "ADF Duplex",
"Lineart", "Binary", ...); everything backend-specific about names lives here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scanning.models import ColorMode, DeviceCapabilities, PageSize, Source

# SANE option value types and units (sane.h); python-sane exposes them as _sane.TYPE_* too.
TYPE_BOOL, TYPE_INT, TYPE_FIXED, TYPE_STRING = 0, 1, 2, 3
UNIT_MM = 3

Constraint = tuple[float, float, float] | list[int] | list[float] | list[str] | None

USEFUL_RESOLUTIONS = (75, 100, 150, 200, 240, 300, 400, 600, 1200)
FIT_TOLERANCE_MM = 1.0  # a 215.9 mm letter page still "fits" a 215 mm bed: scanners round their ranges
AUTO_PAGE_OPTIONS = ("page_auto", "swcrop", "autocrop", "auto_crop", "detect_paper", "ald")


@dataclass(frozen=True)
class OptionInfo:
    """The parts of a SANE option descriptor the station uses (py_name: '-' replaced by '_')."""

    name: str
    type: int
    unit: int
    constraint: Constraint
    active: bool
    settable: bool

    @property
    def choices(self) -> list[str]:
        return [str(c) for c in self.constraint] if isinstance(self.constraint, list) else []

    @property
    def range(self) -> tuple[float, float, float] | None:
        return self.constraint if isinstance(self.constraint, tuple) else None


def source_kind(name: str) -> Source | None:
    """'ADF Duplex' -> DUPLEX, 'Automatic Document Feeder' -> ADF, 'Flatbed' -> FLATBED, 'ADF Back' -> None."""
    lowered = name.lower()
    if "duplex" in lowered:
        return Source.DUPLEX
    if "back" in lowered or any(word in lowered for word in ("transparen", "negative", "slide", "film", "tma")):
        return None  # back side only, or film units: not a way to scan a dossier
    if "adf" in lowered or "feeder" in lowered or "front" in lowered:
        return Source.ADF
    if any(word in lowered for word in ("flatbed", "platen", "glass", "normal", "document table", "fb")):
        return Source.FLATBED
    return None


def mode_kind(name: str) -> ColorMode | None:
    lowered = name.lower()
    if "color" in lowered or "colour" in lowered or "rgb" in lowered:
        return ColorMode.COLOR
    if "gray" in lowered or "grey" in lowered:
        return ColorMode.GRAY
    if any(word in lowered for word in ("lineart", "line art", "binary", "black & white", "monochrome")):
        return ColorMode.LINEART
    return None


def source_names(options: Mapping[str, OptionInfo]) -> dict[Source, str]:
    """Backend source name per station source (the first one that matches); no option = flatbed only."""
    option = options.get("source")
    if option is None or not option.active:
        return {Source.FLATBED: ""}
    found: dict[Source, str] = {}
    for choice in option.choices:
        kind = source_kind(choice)
        if kind is not None and kind not in found:
            found[kind] = choice
    return found


def mode_names(options: Mapping[str, OptionInfo]) -> dict[ColorMode, str]:
    """Backend mode name per station mode; halftone only stands in for lineart when nothing better exists."""
    option = options.get("mode")
    if option is None or not option.active:
        return {}
    found: dict[ColorMode, str] = {}
    for choice in option.choices:
        kind = mode_kind(choice)
        if kind is not None and kind not in found:
            found[kind] = choice
    if ColorMode.LINEART not in found:
        halftone = [c for c in option.choices if "halftone" in c.lower()]
        if halftone:
            found[ColorMode.LINEART] = halftone[0]
    return found


def offered_modes(options: Mapping[str, OptionInfo]) -> tuple[ColorMode, ...]:
    """Colour where the device has it (or says nothing: pnm); gray and lineart are always possible
    because the driver converts a gray capture after the fact."""
    names = mode_names(options)
    has_color = ColorMode.COLOR in names or "mode" not in options
    return ((ColorMode.COLOR,) if has_color else ()) + (ColorMode.GRAY, ColorMode.LINEART)


def offered_resolutions(options: Mapping[str, OptionInfo]) -> tuple[int, ...]:
    option = options.get("resolution")
    if option is None:
        return ()
    if option.range is not None:
        low, high, _quant = option.range
        return tuple(r for r in USEFUL_RESOLUTIONS if low <= r <= high)
    return tuple(sorted({int(float(c)) for c in option.choices if _is_number(c)}))


def nearest_resolution(options: Mapping[str, OptionInfo], wanted: int) -> float:
    """The offered value closest to `wanted` (a range is clamped and quantised)."""
    option = options["resolution"]
    if option.range is not None:
        low, high, quant = option.range
        value = min(max(float(wanted), low), high)
        if quant > 0:
            value = low + round((value - low) / quant) * quant
        return value
    values = [float(c) for c in option.choices if _is_number(c)]
    return min(values, key=lambda v: (abs(v - wanted), -v))


def max_area_mm(options: Mapping[str, OptionInfo]) -> tuple[float, float]:
    """Width and height of the largest scan area, from the br_x / br_y ranges (0 when unknown)."""
    return _range_max(options.get("br_x")), _range_max(options.get("br_y"))


def fitting_page_sizes(width_mm: float, height_mm: float) -> tuple[PageSize, ...]:
    sizes: list[PageSize] = []
    for size in PageSize:
        mm = size.size_mm
        if mm is None or (mm[0] <= width_mm + FIT_TOLERANCE_MM and mm[1] <= height_mm + FIT_TOLERANCE_MM):
            sizes.append(size)
    return tuple(sizes)


def auto_page_option(options: Mapping[str, OptionInfo]) -> str | None:
    """A boolean page-detection option the backend offers (names differ per backend), if any."""
    for name in AUTO_PAGE_OPTIONS:
        option = options.get(name)
        if option is not None and option.type == TYPE_BOOL and option.active and option.settable:
            return name
    return None


def capabilities_from(options: Mapping[str, OptionInfo]) -> DeviceCapabilities:
    width, height = max_area_mm(options)
    sources = [s for s in (Source.FLATBED, Source.ADF, Source.DUPLEX) if s in source_names(options)]
    has_geometry = width > 0 and height > 0
    return DeviceCapabilities(
        sources=tuple(sources),
        resolutions=offered_resolutions(options),
        modes=offered_modes(options),
        page_sizes=fitting_page_sizes(width, height) if has_geometry else (PageSize.AUTO,),
        max_width_mm=width,
        max_height_mm=height,
    )


def options_by_name(descriptors: Iterable[OptionInfo]) -> dict[str, OptionInfo]:
    return {d.name: d for d in descriptors}


def _range_max(option: OptionInfo | None) -> float:
    if option is None or option.range is None or option.unit != UNIT_MM:
        return 0.0
    return float(option.range[1])


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def describe(sequence: Sequence[object]) -> str:
    return "|".join(str(s) for s in sequence)
