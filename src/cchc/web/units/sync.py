"""Copy the unit registry (``cchc.units``) into the database, idempotently."""

from __future__ import annotations

from django.db import transaction

from cchc.units import UnitRegistry, default_registry
from cchc.web.units.models import Unit


@transaction.atomic
def sync_units(registry: UnitRegistry | None = None) -> int:
    """Create or update every registry unit; return how many rows were written.

    Parents first, so a child can point to its parent row in the same pass.
    """
    reg = registry if registry is not None else default_registry()
    written = 0
    pending = list(reg)
    done: dict[str, Unit] = {}
    while pending:
        progress = False
        for unit in list(pending):
            if unit.parent is not None and unit.parent not in done:
                continue
            row, _ = Unit.objects.update_or_create(
                code=unit.code,
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
            done[unit.code] = row
            pending.remove(unit)
            written += 1
            progress = True
        if not progress:  # the registry itself rejects unknown parents; a cycle lands here
            raise ValueError(f"parent cycle among units {[u.code for u in pending]}")
    return written
