"""The dossier-derived indicators of the Decision 766 service index.

Two halves, so every engine gives the same numbers:

1. ``indicator_counts`` — Ibis expressions over an unbound ``dossiers`` table, written once.
   They reduce the ledger to one row of integer counts per unit (numerators and
   denominators). Bound to DuckDB, PostgreSQL, SQLite or PySpark (see ``engines``).
2. ``score`` — the per-unit counts handed to the one 766 scorer, ``portal766.score_units``
   (the national portal's arithmetic, exact decimals), which is why DuckDB and Spark agree
   to the last digit and why a ledger and a portal counts file are scored alike.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, reduce
from typing import TYPE_CHECKING, Any, Final

from cchc.service import portal766
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
    "5.4": ("satisfied", "in_scope"),
}


@dataclass(frozen=True, slots=True)
class IndicatorDef:
    """One ledger indicator as the dashboards show it (from ``portal766``'s rules)."""

    id: str
    name: str
    group: str
    max_points: Decimal
    full_at: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Framework:
    source: str
    indicators: tuple[IndicatorDef, ...]
    #: group → (name, the maxima of its ledger indicators)
    groups: Mapping[str, tuple[str, Decimal]]


@cache
def framework() -> Framework:
    """The seven ledger indicators, their portal groups and maxima (``data/portal766.yaml``)."""
    rules = [portal766.indicator(key) for key in INDICATOR_IDS]
    groups = {
        str(g.number): (g.name, sum((r.max for r in rules if r.group == g.number), Decimal(0)))
        for g in portal766.GROUPS
        if any(r.group == g.number for r in rules)
    }
    indicators = tuple(IndicatorDef(r.id, r.name, str(r.group), r.max, r.full_at) for r in rules)
    return Framework(portal766.SOURCE, indicators, groups)


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


def waiting_after_two_requests(t: ir.Table, pending: ir.BooleanValue) -> ir.BooleanValue:
    """Two or more supplement requests and still waiting for the papers at the end time.

    Such a dossier is overdue whatever its times. The portal's rule is about dossiers
    still waiting for papers: a dossier whose second supplement came in is judged by its
    times like any other (Decision 766 as the national portal applies it).
    """
    return (t.supplement_count.fill_null(0) >= 2) & pending


def judged_times(t: ir.Table, period: Period) -> tuple[ir.BooleanValue, ir.NumericValue]:
    """(judgeable, effective end in epoch seconds) of an in-scope row, per 2.1's rules.

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
    return ~waiting_after_two_requests(t, pending), effective


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
    return ~waiting_after_two_requests(t, pending) & (due.isnull() | judged)


def invalid_filters(t: ir.Table) -> tuple[ir.BooleanValue, ...]:
    """What makes a dossier unreadable by the index, one condition per column: a status or
    a channel outside the interchange's values, or no unit. A row is invalid when any holds.

    One condition per column so that a whole-ledger check can run each on its own, where a
    Parquet reader skips every row group whose dictionary and null count rule it out
    (``ledger_invalid``).
    """
    return (
        t.status.isnull() | ~t.status.isin(list(STATUSES)),
        t.channel.isnull() | ~t.channel.isin(list(CHANNELS)),
        t.unit_code.isnull(),
    )


def _any(conditions: Iterable[ir.BooleanValue]) -> ir.BooleanValue:
    return reduce(operator.or_, conditions)


def ledger_invalid(t: ir.Table) -> ir.Table:
    """Invalid rows of the whole ledger, counted per condition of ``invalid_filters`` (one
    row each, column ``rows``). All zero proves that no dossier of any period is invalid."""
    import ibis

    rows = [t.filter(condition) for condition in invalid_filters(t)]
    return ibis.union(*(r.aggregate(rows=r.count()) for r in rows), distinct=False)


def indicator_counts(t: ir.Table, period: Period, *, checked: bool = True) -> ir.Table:
    """One row per unit: the integer counts behind every indicator and, when ``checked``,
    the count of invalid rows in the period (``invalid``), which must be zero."""
    import ibis

    start = ibis.literal(period.start)
    s = t.filter(in_scope_filter(t, period))
    # Each flag is a column computed once per row (2.1's judgement serves 2.1 and 5.4,
    # "received in the period" eight counts); the aggregate then only counts flags. A
    # quarter less work than repeating the expressions in every count at 10 M rows.
    flags = {
        "on_time": on_time_flag(s, period),
        "complaint": _flag(s.has_complaint) | (s.rating.fill_null("") == "dislike"),
        "received": s.received_at >= start,
        "eligible": _flag(s.online_eligible),
        "online": s.channel == "online",
        "fee": _flag(s.has_fee),
        "paid": _flag(s.paid_online),
        "needs_result": _flag(s.requires_result_document),
        "e_result": _flag(s.e_result),
        "digitised": _flag(s.digitised),
        "reused": _flag(s.reused_data),
    }
    if checked:
        flags["invalid"] = _any(invalid_filters(s))
    f = s.select("unit_code", **flags)
    received = f.received
    counts = {
        "in_scope": f.count(),
        "on_time": f.count(where=f.on_time),
        # 5.4: neither overdue nor complained about nor disliked — each dossier once.
        "satisfied": f.count(where=f.on_time & ~f.complaint),
        "received": f.count(where=received),
        "eligible": f.count(where=received & f.eligible),
        "online": f.count(where=received & f.eligible & f.online),
        "with_fee": f.count(where=received & f.fee),
        "paid_online": f.count(where=received & f.fee & f.paid),
        "need_result": f.count(where=received & f.needs_result),
        "e_result": f.count(where=received & f.needs_result & f.e_result),
        "digitised": f.count(where=received & f.digitised & (f.e_result | ~f.needs_result)),
        "reused": f.count(where=received & f.reused),
    }
    if checked:
        counts["invalid"] = f.count(where=f.invalid)
    return f.group_by("unit_code").aggregate(**counts)


# ── 2. scores: the counts through the one 766 scorer ────────────────────────────────────


@dataclass(frozen=True, slots=True)
class IndicatorResult:
    numerator: int
    denominator: int
    #: the shown rate (4 decimals); None for a zero denominator
    rate: Decimal | None
    points: Decimal


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit_code: str
    rank: int
    points: Decimal
    indicators: Mapping[str, IndicatorResult]
    #: the portal's group number ("2" … "6") → points of its ledger indicators
    groups: Mapping[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ServiceIndex:
    """The index of one period: units in rank order (ties by unit code)."""

    period: str
    units: tuple[UnitResult, ...]

    def to_dict(self) -> dict[str, Any]:
        """Exactly the JSON of the CLI contract (``cchc service index``)."""

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


def ledger_counts(row: Mapping[str, Any]) -> list[portal766.Count]:
    """One row of ``indicator_counts`` as the scorer's counts (the seven ledger indicators)."""
    unit = str(row["unit_code"])
    return [
        portal766.Count(unit, "", key, int(row[num] or 0), int(row[den] or 0))
        for key, (num, den) in COUNT_COLUMNS.items()
    ]


def score(counts: Iterable[Mapping[str, Any]], period: str) -> ServiceIndex:
    """Score per-unit counts (rows of ``indicator_counts``) with ``portal766.score_units``."""
    scored = portal766.score_units(c for row in counts for c in ledger_counts(row))
    units = tuple(
        UnitResult(
            unit_code=u.unit_code,
            rank=u.rank,
            points=u.total_points,
            indicators={
                key: IndicatorResult(int(r.numerator), int(r.denominator), r.rate, r.points)
                for key, r in u.indicators.items()
            },
            groups={str(g): points for g, (points, _max) in u.groups.items()},
        )
        for u in scored
    )
    return ServiceIndex(period, units)
