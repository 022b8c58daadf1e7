"""Publications of a level and year: numbered versions, and what a new one would change.

The first publication of a level and year is version 1; publishing another campaign of the
same level and year is a correction ("đính chính") with a reason and the next number. Every
version stays readable (portal ``?phien-ban=N``, API ``version=N``); the public page shows
the newest and links the others. Before publishing, the organiser is shown which units'
score, rank or band would move against the version in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Max

from cchc.par.results import Results, UnitResult
from cchc.par.rounding import round2
from cchc.web.campaigns.models import Campaign, Status
from cchc.web.ops.readonce import once_per_request


@once_per_request
def published() -> list[Campaign]:
    """Every published campaign (every version of every level and year), newest year first,
    then newest version: one read per GET request behind the edition tabs, the version
    banner, the version in force and last year's edition."""
    return list(
        Campaign.objects.filter(status=Status.PUBLISHED)
        .select_related("framework")
        .order_by("-year", F("version").desc(nulls_last=True), "-published_at", "-pk")
    )


def publications(level: str, year: int) -> list[Campaign]:
    """Every published version of a level and year, newest first."""
    return [c for c in published() if c.level == level and c.year == year]


def current_publication(level: str, year: int) -> Campaign | None:
    """The version in force (the newest), or None when nothing is published."""
    versions = publications(level, year)
    return versions[0] if versions else None


def publication_version(level: str, year: int, version: int) -> Campaign | None:
    return next((c for c in publications(level, year) if (c.version or 1) == version), None)


def next_version(level: str, year: int) -> int:
    top = Campaign.objects.filter(level=level, year=year, status=Status.PUBLISHED).aggregate(
        top=Max("version")
    )["top"]
    count = Campaign.objects.filter(level=level, year=year, status=Status.PUBLISHED).count()
    return max(top or 0, count) + 1


@dataclass(frozen=True)
class UnitChange:
    """One unit whose published figures would move (None: absent on that side)."""

    unit_code: str
    unit_name: str
    old_score: float | None
    new_score: float | None
    old_rank: int | None
    new_rank: int | None
    old_band: str | None
    new_band: str | None


def _figures(unit: UnitResult | None) -> tuple[float | None, int | None, str | None]:
    if unit is None:
        return None, None, None
    return round2(unit.score), unit.rank, unit.band


def changes(current: Results | None, candidate: Results) -> list[UnitChange]:
    """Units whose score (at 2 decimals, as shown), rank or band differs between the
    version in force and the candidate, in the candidate's rank order (then removed units).
    Without a version in force every unit is listed as new."""
    old = {u.unit_code: u for u in current.units} if current else {}
    out: list[UnitChange] = []
    for unit in candidate.units:
        before = _figures(old.pop(unit.unit_code, None))
        after = _figures(unit)
        if before != after:
            out.append(UnitChange(unit.unit_code, unit.unit_name, *_pair(before, after)))
    for unit in old.values():
        out.append(UnitChange(unit.unit_code, unit.unit_name, *_pair(_figures(unit), (None,) * 3)))  # type: ignore[arg-type]
    return out


def _pair(
    before: tuple[float | None, int | None, str | None],
    after: tuple[float | None, int | None, str | None],
) -> tuple[float | None, float | None, int | None, int | None, str | None, str | None]:
    return before[0], after[0], before[1], after[1], before[2], after[2]
