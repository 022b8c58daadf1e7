"""The Decision 766 index over the desk's own dossiers.

The unit's dossiers that can count in the period are read from the application database
into an Arrow table (local times, interchange columns) and the service core's one Ibis
expression runs on it in an in-process DuckDB (``cchc.service.engines.duckdb_index``).
Why not bind Ibis to the application database directly: Django stores aware UTC instants
(text on SQLite, timestamptz on PostgreSQL) while the index's period boundaries and
appointment times are local wall-clock times, and the row shape differs from the
interchange (foreign keys); reading the period's slice through the ORM keeps one code path
for both databases and DuckDB computes the same numbers as ``cchc service index``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from cchc.service.engines import duckdb_index
from cchc.service.index import INDICATOR_IDS, IndicatorResult, ServiceIndex, UnitResult, framework
from cchc.service.period import Period
from cchc.web.desk.ledger import in_period, ledger_table
from cchc.web.desk.models import Dossier


def compute(period: Period, unit_codes: list[str] | None = None) -> ServiceIndex:
    """The index of ``period`` for the given units (all units with dossiers when None)."""
    dossiers = Dossier.objects.filter(in_period(period))
    if unit_codes is not None:
        dossiers = dossiers.filter(unit__code__in=unit_codes)
    result = duckdb_index(ledger_table(dossiers), period)
    assert result is not None  # only a Parquet path in other types gives None
    return result


@dataclass(frozen=True)
class IndicatorLine:
    """One line of the dashboard: the indicator and how its rate was computed."""

    id: str
    name: str
    max_points: Decimal
    full_at: Decimal | None
    result: IndicatorResult

    @property
    def full_at_percent(self) -> Decimal | None:
        return None if self.full_at is None else self.full_at * 100

    @property
    def rate_percent(self) -> Decimal | None:
        return None if self.result.rate is None else self.result.rate * 100


def lines(unit: UnitResult) -> list[IndicatorLine]:
    """The unit's indicators in framework order, with names and maxima."""
    defs = {ind.id: ind for ind in framework().indicators}
    return [
        IndicatorLine(i, defs[i].name, defs[i].max_points, defs[i].full_at, unit.indicators[i])
        for i in INDICATOR_IDS
    ]


def max_points() -> Decimal:
    """The most the dossier-derived indicators can give together (the "/…" of the total)."""
    defs = {ind.id: ind for ind in framework().indicators}
    return sum((defs[i].max_points for i in INDICATOR_IDS), Decimal(0))
