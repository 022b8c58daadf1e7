"""The dossier-derived indicators of the Decision 766 service index (docs/field.md §7).

Two halves, so every engine gives the same numbers:

1. ``indicator_counts`` — Ibis expressions over an unbound ``dossiers`` table, written once.
   They reduce the ledger to one row of integer counts per unit (numerators and
   denominators). Bound to DuckDB, PostgreSQL, SQLite or PySpark (see ``engines``).
2. ``score`` — plain Python over those few rows: rates rounded half-up to 4 decimals,
   points to 2, unit totals, group totals and 1-2-2-4 ranks. Exact decimal arithmetic here
   is why DuckDB and Spark agree to the last digit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from cchc.service.period import Period
from cchc.service.schema import CHANNELS, STATUSES, ibis_schema

if TYPE_CHECKING:
    import ibis.expr.types as ir

INDICATOR_IDS: Final = ("2.1", "3.3", "3.6", "4.1", "4.2", "4.3", "5.4")
#: Count columns of ``indicator_counts``: (numerator, denominator) per indicator.
COUNT_COLUMNS: Final = {
    "2.1": ("on_time", "in_scope"),
    "3.3": ("online", "eligible"),
    "3.6": ("paid_online", "with_fee"),
    "4.1": ("e_result", "need_result"),
    "4.2": ("digitised", "received"),
    "4.3": ("reused", "received"),
}
RATE_PLACES: Final = Decimal("0.0001")
POINT_PLACES: Final = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One indicator of the framework (loaded from ``data/indicators_766.yaml``)."""

    id: str
    name: str
    group: str
    max_points: Decimal
    full_at: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Framework:
    source: str
    indicators: tuple[IndicatorDef, ...]
    groups: Mapping[str, tuple[str, Decimal]]


def load_framework(file: str) -> tuple[Framework, list[dict[str, Any]]]:
    """A shipped framework file (``data/<file>``) and its raw indicator entries."""
    import yaml

    raw = yaml.safe_load(resources.files("cchc.service").joinpath("data", file).read_text("utf-8"))
    indicators = tuple(
        IndicatorDef(
            id=item["id"],
            name=item["name"],
            group=item["group"],
            max_points=Decimal(str(item["max"])),
            full_at=Decimal(str(item["full_at"])) if "full_at" in item else None,
        )
        for item in raw["indicators"]
    )
    groups = {key: (g["name"], Decimal(str(g["max"]))) for key, g in raw["groups"].items()}
    return Framework(raw["source"], indicators, groups), raw["indicators"]


@cache
def framework() -> Framework:
    """The shipped 766 framework (data, not code)."""
    return load_framework("indicators_766.yaml")[0]


# ── 1. counts, as Ibis expressions ─────────────────────────────────────────────────────────


def dossiers_table(name: str = "dossiers") -> ir.Table:
    """The unbound ledger table every expression is written against."""
    import ibis

    return ibis.table(ibis_schema(), name=name)


def _flag(column: ir.BooleanColumn) -> ir.BooleanColumn:
    # Application databases may hold NULL booleans; the contract reads missing as false.
    return column.fill_null(False)


def in_scope_filter(t: ir.Table, period: Period) -> ir.BooleanValue:
    """Received by the period's end and not finished before its start (rule of 2.1)."""
    import ibis

    start, end = ibis.literal(period.start), ibis.literal(period.end)
    return (t.received_at < end) & (t.finished_at.isnull() | (t.finished_at >= start))


def judged_times(t: ir.Table, period: Period) -> tuple[ir.BooleanValue, ir.NumericValue]:
    """(few supplements, effective end in epoch seconds) of an in-scope row, per 2.1's rules.

    End time: the first terminal status if within the period, else the period's end. A
    request by the end time not completed by it moves the end time back to the request; a
    completed one subtracts the citizen's time. Times are compared in epoch seconds because
    interval arithmetic differs between engines.
    """
    import ibis

    end = ibis.literal(period.end)
    end_time = (t.finished_at.notnull() & (t.finished_at < end)).ifelse(t.finished_at, end)
    requested, completed = t.supplement_requested_at, t.supplement_completed_at
    asked = requested.notnull() & (requested <= end_time)
    pending = asked & (completed.isnull() | (completed > end_time))
    done = asked & completed.notnull() & (completed <= end_time)
    end_s = end_time.epoch_seconds()
    effective = pending.ifelse(
        requested.epoch_seconds(),
        done.ifelse(end_s - completed.epoch_seconds() + requested.epoch_seconds(), end_s),
    )
    # Two or more requests make the dossier overdue whatever its times (docs/field.md §7).
    few = t.supplement_count.fill_null(0) < 2
    return few, effective


def on_time_flag(t: ir.Table, period: Period) -> ir.BooleanValue:
    """2.1's "handled early or on time" for an in-scope row (766 subtraction rule).

    The same rules as ``judged_times``, written so that epoch arithmetic is only done for
    the few rows with a completed supplement; the others compare timestamps directly (a
    third less work on a full-year scan). A dossier without an appointment counts as on
    time (assumed: no time limit was set).
    """
    import ibis

    end = ibis.literal(period.end)
    end_time = (t.finished_at.notnull() & (t.finished_at < end)).ifelse(t.finished_at, end)
    requested, completed, due = t.supplement_requested_at, t.supplement_completed_at, t.due_at
    asked = requested.notnull() & (requested <= end_time)
    pending = asked & (completed.isnull() | (completed > end_time))
    subtracted = (
        end_time.epoch_seconds() - completed.epoch_seconds() + requested.epoch_seconds()
        <= due.epoch_seconds()
    )
    judged = ibis.cases(
        (pending, requested <= due),
        (asked, subtracted),
        else_=end_time <= due,
    )
    few = t.supplement_count.fill_null(0) < 2
    return few & (due.isnull() | judged)


def indicator_counts(t: ir.Table, period: Period) -> ir.Table:
    """One row per unit: the integer counts behind every indicator, plus a sanity count."""
    import ibis

    start = ibis.literal(period.start)
    s = t.filter(in_scope_filter(t, period))
    received = s.received_at >= start
    needs_result = _flag(s.requires_result_document)
    complaint = _flag(s.has_complaint) | (s.rating.fill_null("") == "dislike")
    bad = (
        s.status.isnull()
        | ~s.status.isin(list(STATUSES))
        | s.channel.isnull()
        | ~s.channel.isin(list(CHANNELS))
        | s.unit_code.isnull()
    )
    return s.group_by("unit_code").aggregate(
        in_scope=s.count(),
        on_time=s.count(where=on_time_flag(s, period)),
        complaint_or_dislike=s.count(where=complaint),
        received=s.count(where=received),
        eligible=s.count(where=received & _flag(s.online_eligible)),
        online=s.count(where=received & _flag(s.online_eligible) & (s.channel == "online")),
        with_fee=s.count(where=received & _flag(s.has_fee)),
        paid_online=s.count(where=received & _flag(s.has_fee) & _flag(s.paid_online)),
        need_result=s.count(where=received & needs_result),
        e_result=s.count(where=received & needs_result & _flag(s.e_result)),
        digitised=s.count(
            where=received & _flag(s.digitised) & (_flag(s.e_result) | ~needs_result)
        ),
        reused=s.count(where=received & _flag(s.reused_data)),
        invalid=s.count(where=bad),
    )


# ── 2. scores, in exact decimals ───────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    numerator: int
    denominator: int
    rate: Decimal | None
    points: Decimal | None


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit_code: str
    rank: int
    points: Decimal
    indicators: Mapping[str, IndicatorResult]
    groups: Mapping[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServiceIndex:
    """The index of one period: units in rank order (ties by unit code)."""

    period: str
    units: tuple[UnitResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON of the CLI contract (docs/cli.md, docs/service.md)."""

        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            "period": self.period,
            "units": [
                {
                    "unit_code": unit.unit_code,
                    "rank": unit.rank,
                    "points": num(unit.points),
                    "indicators": {
                        key: {
                            "numerator": r.numerator,
                            "denominator": r.denominator,
                            "rate": num(r.rate),
                            "points": num(r.points),
                        }
                        for key, r in unit.indicators.items()
                    },
                }
                for unit in self.units
            ],
        }


def indicator_result(ind: IndicatorDef, numerator: int, denominator: int) -> IndicatorResult:
    """Rate (4 decimals, half-up) and points (2 decimals) from the rounded rate.

    Points use the published, rounded rate so a reader can recompute them from the report.
    A zero denominator is "no data": rate and points are null (docs/field.md §7).
    """
    if denominator == 0:
        return IndicatorResult(numerator, 0, None, None)
    rate = (Decimal(numerator) / Decimal(denominator)).quantize(RATE_PLACES, ROUND_HALF_UP)
    share = rate if ind.full_at is None else min(Decimal(1), rate / ind.full_at)
    # 5.4 can go below zero when complaints fall on overdue dossiers; points never do
    # (assumed: the decision gives no negative points).
    points = (ind.max_points * max(Decimal(0), share)).quantize(POINT_PLACES, ROUND_HALF_UP)
    return IndicatorResult(numerator, denominator, rate, points)


def competition_ranks(values: list[Decimal]) -> list[int]:
    """1-2-2-4 ranking, highest first."""
    ordered = sorted(values, reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [first[v] for v in values]


def score(counts: Iterable[Mapping[str, Any]], period: str) -> ServiceIndex:
    """Turn per-unit counts (rows of ``indicator_counts``) into the scored index."""
    fw = framework()
    defs = {ind.id: ind for ind in fw.indicators}
    partial: list[tuple[str, dict[str, IndicatorResult]]] = []
    for row in counts:
        n = {k: int(v or 0) for k, v in row.items() if k != "unit_code"}
        results: dict[str, IndicatorResult] = {}
        for key in INDICATOR_IDS:
            if key == "5.4":
                num, den = n["on_time"] - n["complaint_or_dislike"], n["in_scope"]
            else:
                num_col, den_col = COUNT_COLUMNS[key]
                num, den = n[num_col], n[den_col]
            results[key] = indicator_result(defs[key], num, den)
        partial.append((str(row["unit_code"]), results))
    totals = [
        sum((r.points for r in res.values() if r.points is not None), Decimal(0))
        for _, res in partial
    ]
    ranks = competition_ranks(totals)
    units = []
    for (unit_code, res), total, rank in zip(partial, totals, ranks, strict=True):
        groups: dict[str, Decimal | None] = {}
        for group in fw.groups:
            pts = [r.points for k, r in res.items() if defs[k].group == group]
            known = [p for p in pts if p is not None]
            groups[group] = sum(known, Decimal(0)) if known else None
        units.append(UnitResult(unit_code, rank, total, res, groups))
    units.sort(key=lambda u: (u.rank, u.unit_code))
    return ServiceIndex(period, tuple(units))
