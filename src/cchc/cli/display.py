"""What every table of the command line shows the same way: unit names beside their codes,
level names in Vietnamese, and a sentence when there is nothing to show.

The words come from the core (the unit registry, ``cchc.par.levels``); this module only
puts them on screen, so a command adds a name column or an empty-result line in one call.
"""

from __future__ import annotations

from functools import cache

import typer

__all__ = ["level_name", "nothing", "unit_label", "unit_name"]


@cache
def _registry():  # type: ignore[no-untyped-def]
    from cchc.units import national_registry

    return national_registry()


def unit_name(code: str) -> str:
    """The unit's name from the national registry (official codes, ids and the demo's codes);
    "" for a code it does not know."""
    registry = _registry()
    return registry.get(code).name if code in registry else ""


def unit_label(code: str) -> str:
    """ "BSO (Phường Bồng Sơn)": the code a file uses with the name an officer knows."""
    name = unit_name(code)
    return f"{code} ({name})" if name else code


def level_name(level: str) -> str:
    """ "cấp huyện" for ``district``: the words the reports use (cchc.par.levels)."""
    from cchc.par.levels import LEVELS

    found = LEVELS.get(level)
    return found.label if found is not None else level


def nothing(what: str) -> None:
    """An empty result says so, instead of an empty table."""
    typer.echo(f"Không có {what}.")
