"""Administrative units: who is assessed, with validity intervals and lineage over time."""

from cchc.units.registry import (
    Level,
    LineageEvent,
    LineageKind,
    Unit,
    UnitRegistry,
    UnitsError,
    default_registry,
    load_registry,
    national_registry,
)

__all__ = [
    "Level",
    "LineageEvent",
    "LineageKind",
    "Unit",
    "UnitRegistry",
    "UnitsError",
    "default_registry",
    "load_registry",
    "national_registry",
]
