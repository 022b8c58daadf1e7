"""From the demo's home-made codes to the official ids: the one rule web, CLI and API call.

Before the official list was used, the demo's data named units with made-up codes (``HNH``,
``BSO``, ``GLA-BSO``). Each is an alias of one unit of the national registry
(``data/aliases.csv``), whose id is its official code, or ``<code>@2025-06-30`` for a unit that
ended when a later unit took its code. Stored data moves to the ids (the web's data migration
``units.0003_official_codes``); the made-up codes stay aliases, so old links, files and
dossier codes keep working.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from cchc.units.registry import Unit, UnitRegistry, default_registry, national_registry

__all__ = [
    "agency_code",
    "demo_registry",
    "earlier_codes",
    "home_made_codes",
    "official_id",
    "same_unit",
]

#: the separator of a reused code's id: ``21640@2025-06-30``
_ID_MARK = "@"


def official_id(code: str, registry: UnitRegistry | None = None) -> str | None:
    """The registry id ``code`` stands for: itself when it is an id, the unit an alias names,
    the latest unit with an official code; None when the registry does not know it."""
    reg = registry if registry is not None else national_registry()
    try:
        return reg.get(code).key
    except KeyError:
        return None


def home_made_codes(registry: UnitRegistry | None = None) -> dict[str, str]:
    """Every made-up code of the demo's data and the official id it moves to."""
    reg = registry if registry is not None else national_registry()
    return reg.alias_table()


def agency_code(unit_id: str) -> str:
    """The official code in a unit id (``21640@2025-06-30`` → ``21640``): what a dossier code
    carries as the receiving agency (Circular 01/2018 Art. 19 allows no ``@``)."""
    return unit_id.split(_ID_MARK, 1)[0]


def same_unit(code: str, codes: Iterable[str]) -> str | None:
    """The code among ``codes`` that names the same unit as ``code``: itself, or the official
    id of a made-up code (``HNH`` → ``543``) or the other way round; None when none does."""
    pool = list(codes)
    if code in pool:
        return code
    key = official_id(code)
    if key is None:
        return None
    return next((c for c in pool if official_id(c) == key), None)


def earlier_codes(code: str) -> list[str]:
    """Every code linked to ``code`` through lineage, nearest first, for year-over-year
    comparison: from the demo's registry (its official ids and the made-up codes stored
    before them), else the national one (every commune, and the provincial departments whose
    2025 mergers are recorded). Empty for a code neither knows."""
    for registry in (demo_registry(), national_registry()):
        if code in registry:
            return registry.lineage_codes(code)
    return []


@cache
def demo_registry() -> UnitRegistry:
    """The demo's 37 units under their official ids (national names, levels and validity),
    the demo's lineage between them, and each made-up code as an alias."""
    national = national_registry()
    demo = default_registry()
    ids = {u.code: national.get(u.code).key for u in demo}
    units: list[Unit] = []
    for u in demo:
        n = national.get(ids[u.code])
        parent = ids[u.parent] if u.parent else None
        units.append(
            Unit(
                code=n.code, name=n.name, level=n.level, kind=n.kind, parent=parent,
                valid_from=n.valid_from, valid_to=n.valid_to, source=n.source,
                id=n.key if n.key != n.code else "",
            )
        )
    from dataclasses import replace

    lineage = [replace(e, from_code=ids[e.from_code], to_code=ids[e.to_code]) for e in demo.lineage]
    return UnitRegistry(units, lineage, {alias: key for alias, key in ids.items()})
