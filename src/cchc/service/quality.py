"""All nine indicators of the Circular 01/2018 per-dossier score (Arts. 13-15; DOMAIN.md §8).

``circular01`` computes indicators 1 and 7 from the contract's columns. This module adds
the other seven from the optional ledger columns (``extension``), the procedure catalogue
extension (``catalogue_data``) and the feedback register (``feedback``). Points per dossier
(0/1/2); an indicator's score is the mean over the unit's scored dossiers that have its
data, to 1 decimal; the unit's total and band exist only when all nine have data.

Per-dossier points (the circular names the indicators and the 0/1/2 scale; the cut-offs
below that it does not spell out are **assumed** and are parameters of ``Rules``):

1. total time: early 2, on time 1, overdue 0 (``circular01``);
2. each agency's time vs its share: no late step and early 2, no late step 1, else 0
   (``steps_late``);
3. contacts to complete the dossier: ≤ 1 → 2, 2 → 1, more → 0 (``contacts``);
4. agencies to contact: ≤ 1 → 2, 2 → 1, more → 0 (``agencies``);
5. whole procedure at the one-stop shop: yes 2, no 0 (``at_one_stop``);
6. publication of the procedure: published with all components 2, published 1, not
   published or not in the catalogue 0 (catalogue);
7. staff attitude: a confirmed complaint 0 (``has_complaint`` or a confirmed complaint in
   the register), else early 2, on time 1, overdue ``overdue_attitude``;
8. feedback handling: no feedback on the dossier 2, all handled within the deadline 1,
   any late 0 (feedback register);
9. online service: the procedure's online level full 2, partial 1, none 0 (catalogue).

The ledger part is one Ibis aggregate per (unit, procedure) so it runs on every engine;
catalogue points are then applied to those few rows in Python.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Final

from cchc.service.circular01 import ONE_PLACE, UnitQuality, classify_unit, scheme
from cchc.service.extension import EXTENSION_NAMES
from cchc.service.index import judged_times
from cchc.service.period import Period, parse_period

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir

    from cchc.calendar import WorkCalendar
    from cchc.service.catalogue_data import CatalogueEntry
    from cchc.service.feedback import Feedback

ALL: Final = tuple(range(1, 10))
_LEDGER_INDICATORS: Final = {2: "steps_late", 3: "contacts", 4: "agencies", 5: "at_one_stop"}


@dataclass(frozen=True, slots=True)
class Rules:
    """The configurable cut-offs (assumed, see module doc)."""

    overdue_attitude: int = 0
    contacts_full: int = 1
    contacts_half: int = 2
    agencies_full: int = 1
    agencies_half: int = 2


def _graded(value: ir.IntegerValue, full: int, half: int) -> ir.IntegerValue:
    return (value <= full).ifelse(2, (value <= half).ifelse(1, 0))


def quality_counts(
    t: ir.Table,
    period: Period,
    rules: Rules,
    *,
    flags: ir.Table | None = None,
) -> ir.Table:
    """Per (unit, procedure): scored dossiers, point sums and data counts (Ibis, any engine).

    ``flags``: one row per dossier with feedback (``fb_code``, ``fb_late``, ``fb_confirmed``),
    left-joined on the dossier code — a join, not an IN list, because a register of
    thousands of codes compiled into the query is many times slower on DuckDB.
    """
    import ibis

    start, end = ibis.literal(period.start), ibis.literal(period.end)
    s = t.filter(
        t.finished_at.notnull() & (t.finished_at >= start) & (t.finished_at < end)
        & t.status.isin(["finished", "returned"])
    )
    if flags is not None:
        s = s.left_join(flags, s.dossier_code == flags.fb_code)
    few, effective = judged_times(s, period)
    due = s.due_at.epoch_seconds()
    on_time = few & (s.due_at.isnull() | (effective <= due))
    early = few & s.due_at.notnull() & ((effective // 86400) < (due // 86400))
    complaint = s.has_complaint.fill_null(False)
    if flags is not None:
        complaint = complaint | s.fb_confirmed.fill_null(False)
    aggs: dict[str, Any] = {
        "scored": s.count(),
        "p1": early.ifelse(2, on_time.ifelse(1, 0)).sum(),
        "p7": complaint.ifelse(0, early.ifelse(2, on_time.ifelse(1, rules.overdue_attitude))).sum(),
    }
    if flags is not None:
        aggs["p8"] = s.fb_code.isnull().ifelse(2, s.fb_late.ifelse(0, 1)).sum()
    else:
        aggs["p8"] = s.count() * 2
    columns = set(s.columns)
    if "steps_late" in columns:
        v = s.steps_late
        aggs["p2"] = (v == 0).ifelse(early.ifelse(2, 1), 0).sum(where=v.notnull())
        aggs["n2"] = v.count()
    if "contacts" in columns:
        aggs["p3"] = _graded(s.contacts, rules.contacts_full, rules.contacts_half).sum(where=s.contacts.notnull())
        aggs["n3"] = s.contacts.count()
    if "agencies" in columns:
        aggs["p4"] = _graded(s.agencies, rules.agencies_full, rules.agencies_half).sum(where=s.agencies.notnull())
        aggs["n4"] = s.agencies.count()
    if "at_one_stop" in columns:
        aggs["p5"] = s.at_one_stop.ifelse(2, 0).sum(where=s.at_one_stop.notnull())
        aggs["n5"] = s.at_one_stop.count()
    return s.group_by(["unit_code", "procedure_code"]).aggregate(**aggs)


def _flags_table(per_dossier: Mapping[str, tuple[bool, bool]]) -> ir.Table:
    import ibis
    import pyarrow as pa

    codes = sorted(per_dossier)
    return ibis.memtable(pa.table({
        "fb_code": pa.array(codes, pa.string()),
        "fb_late": pa.array([per_dossier[c][0] for c in codes], pa.bool_()),
        "fb_confirmed": pa.array([per_dossier[c][1] for c in codes], pa.bool_()),
    }))


def _publication_points(entry: CatalogueEntry | None) -> int:
    if entry is None or not entry.published:
        return 0
    return 2 if entry.components_complete else 1


def _online_points(entry: CatalogueEntry | None) -> int:
    if entry is None:
        return 0
    return {"full": 2, "partial": 1}.get(entry.online_level, 0)


def _mean(points: int, n: int) -> Decimal:
    return (Decimal(points) / n).quantize(ONE_PLACE, ROUND_HALF_UP)


def quality(
    con: ibis.backends.BaseBackend,
    period: Period | str,
    table: str = "dossiers",
    *,
    catalogue: Iterable[CatalogueEntry] | None = None,
    feedback: Iterable[Feedback] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Rules | None = None,
) -> list[UnitQuality]:
    """The nine indicator means per unit, with the total and band when all nine have data.

    Indicator 8 has data only with a feedback register (without one, "no feedback" cannot
    be told from "not recorded"); 6 and 9 only with a catalogue; 2-5 only when the ledger
    has their optional columns with at least one value.
    """
    from cchc.service.index import dossiers_table

    if isinstance(period, str):
        period = parse_period(period)
    rules = rules or Rules()
    register = tuple(feedback) if feedback is not None else None
    flags = None
    if register is not None:
        if calendar is None:
            from cchc.calendar import default_calendar

            calendar = default_calendar()
        per_dossier: dict[str, tuple[bool, bool]] = {}
        for fb in register:
            if fb.dossier_code:
                late, confirmed = per_dossier.get(fb.dossier_code, (False, False))
                per_dossier[fb.dossier_code] = (
                    late or fb.late_at(period.end, calendar),
                    confirmed or (fb.kind == "complaint" and fb.confirmed),
                )
        if per_dossier:
            flags = _flags_table(per_dossier)
    t = dossiers_table(table)
    present = set(con.table(table).columns) & set(EXTENSION_NAMES)
    if present:
        import ibis

        types = {"int64": "int64", "boolean": "boolean"}
        from cchc.service.extension import EXTENSION_COLUMNS

        schema = dict(t.schema().items())
        schema.update({n: types[k] for n, k in EXTENSION_COLUMNS if n in present})
        t = ibis.table(schema, name=table)
    expr = quality_counts(t, period, rules, flags=flags)
    rows = con.to_pyarrow(expr).to_pylist()
    entries: dict[tuple[str | None, str], CatalogueEntry] | None = None
    if catalogue is not None:
        entries = {(e.unit_code, e.procedure_code): e for e in catalogue}
    sums: dict[str, dict[str, int]] = {}
    for row in rows:
        unit = str(row["unit_code"])
        acc = sums.setdefault(unit, {})
        n = int(row["scored"])
        for key, value in row.items():
            if key not in ("unit_code", "procedure_code") and value is not None:
                acc[key] = acc.get(key, 0) + int(value)
        if entries is not None:
            entry = entries.get((unit, str(row["procedure_code"]))) or entries.get(
                (None, str(row["procedure_code"]))
            )
            acc["p6"] = acc.get("p6", 0) + n * _publication_points(entry)
            acc["p9"] = acc.get("p9", 0) + n * _online_points(entry)
    out = []
    for unit in sorted(sums):
        acc = sums[unit]
        n = acc["scored"]
        means: dict[int, Decimal] = {1: _mean(acc["p1"], n), 7: _mean(acc["p7"], n)}
        if register is not None:
            means[8] = _mean(acc["p8"], n)
        if entries is not None:
            means[6], means[9] = _mean(acc["p6"], n), _mean(acc["p9"], n)
        for number in _LEDGER_INDICATORS:
            if acc.get(f"n{number}"):
                means[number] = _mean(acc[f"p{number}"], acc[f"n{number}"])
        complete = set(means) == set(ALL)
        total = sum(means.values(), Decimal(0)) if complete else None
        out.append(UnitQuality(unit, n, dict(sorted(means.items())), total,
                               classify_unit(total) if total is not None else None))
    return out


def classify_official(score: Decimal | float) -> str:
    """An official's band (Art. 15): ≥ 5 full duties, 3,5-< 5 70-99 %, below that < 70 %."""
    value = Decimal(str(score))
    for minimum, label in scheme().official_bands:
        if value >= minimum:
            return label
    return scheme().official_bands[-1][1]


def to_dict(period: str, units: list[UnitQuality]) -> dict[str, Any]:
    """JSON form: per unit the means by indicator number, total and band (null when unknown)."""

    def num(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    names: Mapping[int, tuple[str, str]] = scheme().indicators
    return {
        "period": period,
        "indicators": {str(k): names[k][0] for k in ALL},
        "units": [
            {
                "unit_code": u.unit_code,
                "dossiers": u.dossiers,
                "means": {str(k): num(u.means.get(k)) for k in ALL},
                "total": num(u.total),
                "band": u.band,
            }
            for u in units
        ],
    }
