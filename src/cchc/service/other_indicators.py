"""The rest of the Decision 766 index: transparency, service levels, payment, feedback.

The seven dossier-derived indicators stay in ``index`` (their JSON is the CLI contract).
This module adds, per unit and period, the indicators that need the procedure catalogue
extension (``catalogue_data``) and the feedback register (``feedback``), the six group
totals and the unit's total rescaled to 100 over the indicators that have data.

Why plain Python here and Ibis only for one count: the catalogue has hundreds or a few
thousand procedures and the feedback register thousands of rows — small inputs where
working-day arithmetic (the ``cchc.calendar`` object) is simplest per row. The only part
that touches the (possibly huge) dossier ledger — which fee-charging procedures had a
dossier paid online in the period (3.5b) — is an Ibis aggregate, so it runs on every
engine like the rest of the index.

Rules (sources and assumptions in docs/service.md, "The other 766 indicators"):

- 1.1 on time: decision date ≤ the legal basis' effective date − ``lead_days`` working days
  (5 for provinces, 20 for ministries), among procedures whose decision date is in the period;
- 1.2 on time: made public ≤ decision date + ``lead_days`` working days, same denominator;
- 1.3: published procedures with all components ÷ published procedures (not by period);
- 3.1: procedures with a full or partial online service ÷ procedures (tracked, 0 points);
- 3.5a: fee-charging procedures integrated for online payment ÷ fee-charging procedures;
- 3.5b: fee-charging procedures with at least one dossier of the unit received in the
  period and paid online ÷ fee-charging procedures;
- 5.2, 5.3: ``feedback.feedback_counts``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING, Any, Final

from cchc.service import portal766
from cchc.service.index import IndicatorDef, IndicatorResult, ServiceIndex
from cchc.service.period import Period, as_period
from cchc.service.portal766 import POINT_PLACES, competition_ranks

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir

    from cchc.calendar import WorkCalendar
    from cchc.service.catalogue_data import CatalogueEntry
    from cchc.service.feedback import Feedback

#: Working days between announcement and effect / publication (provinces; ministries: 20
#: and 10). Source: the portal's 766 formula description, indicators 1.1 and 1.2.
PROVINCE_LEAD_DAYS: Final = 5


@dataclass(frozen=True, slots=True)
class FullIndicator:
    """One indicator of the whole framework, with the data it needs."""

    definition: IndicatorDef
    status: str


@dataclass(frozen=True, slots=True)
class FullFramework:
    source: str
    indicators: tuple[FullIndicator, ...]
    groups: Mapping[str, tuple[str, Decimal]]


@cache
def full_framework() -> FullFramework:
    """All 766 indicators and the six groups (``data/portal766.yaml``).

    ``status`` is where this product counts an indicator: ledger, catalogue, feedback, or
    portal (only from the portal's own files: no data here).
    """
    indicators = tuple(
        FullIndicator(IndicatorDef(r.id, r.name, str(r.group), r.max, r.full_at), r.input)
        for r in portal766.RULES
    )
    groups = {str(g.number): (g.name, g.max) for g in portal766.GROUPS}
    return FullFramework(portal766.SOURCE, indicators, groups)


def _result(key: str, numerator: int, denominator: int) -> IndicatorResult:
    s = portal766.score(portal766.indicator(key), numerator, denominator)
    return IndicatorResult(numerator, denominator, s.rate, s.points)


def paid_procedures(t: ir.Table, period: Period) -> ir.Table:
    """(unit, procedure) pairs with a dossier received in the period and paid online (Ibis)."""
    import ibis

    start, end = ibis.literal(period.start), ibis.literal(period.end)
    s = t.filter(
        (t.received_at >= start) & (t.received_at < end) & t.paid_online.fill_null(False)
    )
    return s.group_by(["unit_code", "procedure_code"]).aggregate(paid=s.count())


@dataclass(frozen=True, slots=True)
class GroupTotal:
    points: Decimal | None
    applicable_max: Decimal


@dataclass(frozen=True, slots=True)
class ExtendedUnit:
    unit_code: str
    other: Mapping[str, IndicatorResult | None]
    groups: Mapping[str, GroupTotal]
    total_points: Decimal
    applicable_max: Decimal
    total_100: Decimal | None
    rank_100: int


@dataclass(frozen=True, slots=True)
class ExtendedIndex:
    """The contract's index plus the other indicators, groups and the total out of 100."""

    base: ServiceIndex
    units: Mapping[str, ExtendedUnit]

    def to_dict(self) -> dict[str, Any]:
        """The contract's JSON, each unit extended with separate keys (never in ``indicators``)."""

        def num(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        out = self.base.to_dict()
        for unit in out["units"]:
            ext = self.units[unit["unit_code"]]
            unit["other_indicators"] = {
                key: None if r is None else {
                    "numerator": r.numerator, "denominator": r.denominator,
                    "rate": num(r.rate), "points": num(r.points),
                }
                for key, r in ext.other.items()
            }
            unit["groups"] = {
                key: {"points": num(g.points), "applicable_max": num(g.applicable_max)}
                for key, g in ext.groups.items()
            }
            unit["total_points"] = num(ext.total_points)
            unit["applicable_max"] = num(ext.applicable_max)
            unit["total_100"] = num(ext.total_100)
            unit["rank_100"] = ext.rank_100
        return out


def _catalogue_results(
    unit: str,
    entries: Iterable[CatalogueEntry],
    period: Period,
    calendar: WorkCalendar,
    paid: Mapping[tuple[str, str], int],
    lead_days: int,
) -> dict[str, tuple[int, int]]:
    mine = [e for e in entries if e.applies_to(unit)]
    start, last = period.start.date(), period.last_day
    announced = [e for e in mine if e.decision_date is not None and start <= e.decision_date <= last]

    def announced_on_time(e: CatalogueEntry) -> bool:
        assert e.decision_date is not None
        # Without an effective date the lead time cannot be shown (assumed: not on time).
        return e.effective_date is not None and e.decision_date <= calendar.add_working_days(
            e.effective_date, -lead_days
        )

    def public_on_time(e: CatalogueEntry) -> bool:
        assert e.decision_date is not None
        return e.published_at is not None and e.published_at <= calendar.add_working_days(
            e.decision_date, lead_days
        )

    published = [e for e in mine if e.published]
    with_fee = [e for e in mine if e.has_fee]
    return {
        "1.1": (sum(map(announced_on_time, announced)), len(announced)),
        "1.2": (sum(map(public_on_time, announced)), len(announced)),
        "1.3": (sum(e.components_complete for e in published), len(published)),
        "3.1": (sum(e.online_level in ("full", "partial") for e in mine), len(mine)),
        "3.5a": (sum(e.e_payment for e in with_fee), len(with_fee)),
        "3.5b": (sum(paid.get((unit, e.procedure_code), 0) > 0 for e in with_fee), len(with_fee)),
    }


def extend(
    base: ServiceIndex,
    period: Period | str,
    *,
    catalogue: Iterable[CatalogueEntry] | None = None,
    feedback: Iterable[Feedback] | None = None,
    paid: Mapping[tuple[str, str], int] | None = None,
    calendar: WorkCalendar | None = None,
    lead_days: int = PROVINCE_LEAD_DAYS,
) -> ExtendedIndex:
    """Add the other indicators, six group totals and the total out of 100 to ``base``.

    An indicator whose input is not given is "no data" (null) and left out of the maximum;
    one whose denominator is 0 is scored as the portal scores it (0 points; 5.2 and 5.3
    full). ``total_100`` = points ÷ the maxima of the indicators with data × 100
    (assumed rescaling, docs/field.md §3's applicable maximum; the sources found do not say
    how the portal treats "no data"); ``applicable_max`` is shown beside it.
    """
    from cchc.service.feedback import feedback_counts

    period = as_period(period)
    if calendar is None:
        from cchc.calendar import default_calendar

        calendar = default_calendar()
    fw = full_framework()
    entries = tuple(catalogue) if catalogue is not None else None
    fb = feedback_counts(tuple(feedback), period, calendar) if feedback is not None else None
    partial: list[tuple[str, dict[str, IndicatorResult | None], dict[str, IndicatorResult]]] = []
    for unit in base.units:
        counts: dict[str, tuple[int, int]] = {}
        if entries is not None:
            counts.update(_catalogue_results(unit.unit_code, entries, period, calendar, paid or {}, lead_days))
        if fb is not None:
            c = fb.get(unit.unit_code)
            counts["5.2"] = (c.on_time, c.in_scope) if c else (0, 0)
            counts["5.3"] = (c.satisfied, c.received) if c else (0, 0)
        other: dict[str, IndicatorResult | None] = {}
        every: dict[str, IndicatorResult] = dict(unit.indicators)
        for item in fw.indicators:
            key = item.definition.id
            if item.status == "ledger":
                continue
            if key in counts:
                result = _result(key, *counts[key])
                other[key] = result
                every[key] = result
            else:
                other[key] = None
        partial.append((unit.unit_code, other, every))
    hundred = Decimal(100)
    totals: list[tuple[Decimal, Decimal, Decimal | None, dict[str, GroupTotal]]] = []
    for _code, _other, every in partial:
        groups: dict[str, GroupTotal] = {}
        for group in fw.groups:
            known = [
                (every[i.definition.id].points, i.definition.max_points)
                for i in fw.indicators
                if i.definition.group == group and i.definition.id in every
                and every[i.definition.id].points is not None
            ]
            pts = sum((p for p, _ in known if p is not None), Decimal(0)) if known else None
            groups[group] = GroupTotal(pts, sum((m for _, m in known), Decimal(0)))
        total = sum((g.points for g in groups.values() if g.points is not None), Decimal(0))
        applicable = sum((g.applicable_max for g in groups.values()), Decimal(0))
        scaled = (total / applicable * hundred).quantize(POINT_PLACES, ROUND_HALF_UP) if applicable else None
        totals.append((total, applicable, scaled, groups))
    ranks = competition_ranks([t[2] if t[2] is not None else Decimal(-1) for t in totals])
    units = {
        code: ExtendedUnit(code, other, groups, total, applicable, scaled, rank)
        for (code, other, _every), (total, applicable, scaled, groups), rank in zip(
            partial, totals, ranks, strict=True
        )
    }
    return ExtendedIndex(base, units)


def extended_index(
    con: ibis.backends.BaseBackend,
    period: Period | str,
    table: str = "dossiers",
    *,
    catalogue: Iterable[CatalogueEntry] | None = None,
    feedback: Iterable[Feedback] | None = None,
    calendar: WorkCalendar | None = None,
    lead_days: int = PROVINCE_LEAD_DAYS,
) -> ExtendedIndex:
    """The whole index on any Ibis backend holding the ledger (as ``engines.compute_index``)."""
    from cchc.service.engines import compute_index
    from cchc.service.index import dossiers_table

    period = as_period(period)
    base = compute_index(con, period, table)
    paid: dict[tuple[str, str], int] = {}
    if catalogue is not None:
        rows = con.to_pyarrow(paid_procedures(dossiers_table(table), period)).to_pylist()
        paid = {(str(r["unit_code"]), str(r["procedure_code"])): int(r["paid"]) for r in rows}
    return extend(
        base, period, catalogue=catalogue, feedback=feedback, paid=paid,
        calendar=calendar, lead_days=lead_days,
    )
