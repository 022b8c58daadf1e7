"""Copy the unit registry (``cchc.units``) into the database, idempotently."""

from __future__ import annotations

from django.db import transaction

from cchc.units import UnitRegistry
from cchc.units.official import demo_registry
from cchc.web.units.models import Unit, UnitAlias
from cchc.web.units.official import Models, move_to_official


@transaction.atomic
def sync_units(registry: UnitRegistry | None = None) -> int:
    """Create or update every registry unit under its id; return how many rows were written.

    The default is the demo's units under their official ids (``demo_registry``), with the
    made-up codes as aliases. A database that still stores made-up codes is moved first, by
    the same rule as the data migration, so a unit is never stored twice. Parents first, so
    a child can point to its parent row in the same pass.
    """
    reg = registry if registry is not None else demo_registry()
    aliases = reg.alias_table()
    if aliases:
        move_to_official(Models.live(), aliases=aliases)
    written = 0
    pending = list(reg)
    done: dict[str, Unit] = {}
    while pending:
        progress = False
        for unit in list(pending):
            if unit.parent is not None and unit.parent not in done:
                continue
            row, _ = Unit.objects.update_or_create(
                code=unit.key,
                defaults={
                    "name": unit.name,
                    "level": str(unit.level),
                    "kind": unit.kind,
                    "parent": done.get(unit.parent) if unit.parent else None,
                    "valid_from": unit.valid_from,
                    "valid_to": unit.valid_to,
                    "source": unit.source,
                },
            )
            done[unit.key] = row
            pending.remove(unit)
            written += 1
            progress = True
        if not progress:  # the registry itself rejects unknown parents; a cycle lands here
            raise ValueError(f"parent cycle among units {[u.key for u in pending]}")
    for alias, key in aliases.items():
        UnitAlias.objects.get_or_create(alias=alias, defaults={"unit": done[key]})
    return written
