"""The per-dossier quality score of Circular 01/2018/TT-VPCP (Arts. 13-15; docs/field.md §8).

Nine indicators of 0/1/2 points per dossier; an indicator's score is the mean over the
unit's scored dossiers that have its data, to one decimal (half-up); the unit's total (at
most 18) falls in a band (≥ 15 xuất sắc … < 6 yếu). Bands, names and the input of each
indicator are data (``data/circular01_bands.yaml``, ``scheme()``).

Scored dossiers: those whose result was produced in the period (status finished or
returned with ``finished_at`` in the period). Per-dossier points (the circular names the
indicators and the 0/1/2 scale; the cut-offs below that it does not spell out are
**assumed** and are fields of ``Rules``):

1. total time: early 2, on time 1, overdue 0 (times judged as for 766 indicator 2.1,
   the citizen's supplement time subtracted);
2. each agency's time vs its share: no late step and early 2, no late step 1, else 0
   (optional ledger column ``steps_late``);
3. contacts to complete the dossier: ≤ 1 → 2, 2 → 1, more → 0 (``contacts``);
4. agencies to contact: ≤ 1 → 2, 2 → 1, more → 0 (``agencies``);
5. whole procedure at the one-stop shop: yes 2, no 0 (``at_one_stop``);
6. publication of the procedure: published with all components 2, published 1, not
   published or not in the catalogue 0 (catalogue extension);
7. staff attitude: a confirmed complaint 0 (``has_complaint``, read as confirmed, or a
   confirmed complaint in the register), else early 2, on time 1, overdue
   ``Rules.overdue_attitude`` (0 by default: the circular names only early and on-time
   dossiers for 2 and 1 points);
8. feedback handling: no feedback on the dossier 2, all handled within the deadline 1,
   any late 0 (feedback register);
9. online service: the procedure's online level full 2, partial 1, none 0 (catalogue).

The ledger part is one Ibis aggregate per (unit, procedure), so it runs on DuckDB,
SQLite, PostgreSQL and PySpark alike; catalogue points are applied to those few rows in
Python. Means of indicators from elsewhere (say, a survey for 3 and 4) can be passed as
``other_means`` and fill the indicators that have no data here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from cchc.service.extension import extended_table
from cchc.service.index import judged_times
from cchc.service.period import Period, as_period

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir

    from cchc.calendar import WorkCalendar
    from cchc.service.catalogue_data import CatalogueEntry
    from cchc.service.feedback import Feedback

ALL: Final = tuple(range(1, 10))
ONE_PLACE: Final = Decimal("0.1")
SOURCES: Final = ("ledger", "extension", "catalogue", "feedback")
_EXTENSION_INDICATORS: Final = {2: "steps_late", 3: "contacts", 4: "agencies", 5: "at_one_stop"}


# ── the scheme: indicators and bands, as data ─────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Circular01Indicator:
    name: str
    #: One of ``SOURCES``: where the score takes this indicator from.
    source: str
    input: str


@dataclass(frozen=True, slots=True)
class Circular01Scheme:
    source: str
    unit_bands: tuple[tuple[Decimal, str], ...]
    official_bands: tuple[tuple[Decimal, str], ...]
    indicators: Mapping[int, Circular01Indicator]

    @property
    def optional_inputs(self) -> dict[int, str]:
        """Indicator number → the input beyond the interchange ledger that it needs."""
        return {k: i.input for k, i in self.indicators.items() if i.source != "ledger"}


@cache
def scheme() -> Circular01Scheme:
    """The shipped bands and indicator list (``data/circular01_bands.yaml``)."""
    import yaml

    text = resources.files("cchc.service").joinpath("data/circular01_bands.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)

    def bands(items: list[dict[str, Any]]) -> tuple[tuple[Decimal, str], ...]:
        pairs = [(Decimal(str(b["min"])), str(b["label"])) for b in items]
        return tuple(sorted(pairs, reverse=True))

    indicators = {
        int(k): Circular01Indicator(v["name"], v["source"], v["input"]) for k, v in raw["indicators"].items()
    }
    if set(indicators) != set(ALL) or any(i.source not in SOURCES for i in indicators.values()):
        raise ValueError("circular01_bands.yaml: indicators must be 1-9, each with a known source")
    return Circular01Scheme(raw["source"], bands(raw["unit_bands"]), bands(raw["official_bands"]), indicators)


def _band(value: Decimal | float, bands: tuple[tuple[Decimal, str], ...]) -> str:
    number = Decimal(str(value))
    return next((label for minimum, label in bands if number >= minimum), bands[-1][1])


def classify_unit(total: Decimal | float) -> str:
    """The band of a unit total: ≥ 15 xuất sắc, 12-< 15 tốt, 9-< 12 khá, 6-< 9 trung bình, < 6 yếu."""
    return _band(total, scheme().unit_bands)


def classify_official(score: Decimal | float) -> str:
    """An official's band (Art. 15): ≥ 5 full duties, 3,5-< 5 70-99 %, below that < 70 %."""
    return _band(score, scheme().official_bands)


# ── per-dossier points, as Ibis expressions ───────────────────────────────────────────────


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


def quality_counts(t: ir.Table, period: Period, rules: Rules, *, flags: ir.Table | None = None) -> ir.Table:
    """Per (unit, procedure): scored dossiers, point sums ``pN`` and data counts ``nN`` (Ibis).

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
    # Early = finished on a day before the appointment's day (days counted in epoch days:
    # naive local timestamps are read as UTC by every engine, so day boundaries agree).
    early = few & s.due_at.notnull() & ((effective // 86400) < (due // 86400))
    complaint = s.has_complaint.fill_null(False)
    if flags is not None:
        complaint = complaint | s.fb_confirmed.fill_null(False)
    aggs: dict[str, Any] = {
        "scored": s.count(),
        "p1": early.ifelse(2, on_time.ifelse(1, 0)).sum(),
        "p7": complaint.ifelse(0, early.ifelse(2, on_time.ifelse(1, rules.overdue_attitude))).sum(),
        # Without a register every dossier counts as "no feedback"; quality() then reports
        # indicator 8 as no data, since "none" cannot be told from "not recorded".
        "p8": s.fb_code.isnull().ifelse(2, s.fb_late.ifelse(0, 1)).sum() if flags is not None else s.count() * 2,
    }
    columns = set(s.columns)
    ext_points = {
        2: lambda v: (v == 0).ifelse(early.ifelse(2, 1), 0),
        3: lambda v: _graded(v, rules.contacts_full, rules.contacts_half),
        4: lambda v: _graded(v, rules.agencies_full, rules.agencies_half),
        5: lambda v: v.ifelse(2, 0),
    }
    for number, column in _EXTENSION_INDICATORS.items():
        if column in columns:
            value = s[column]
            aggs[f"p{number}"] = ext_points[number](value).sum(where=value.notnull())
            aggs[f"n{number}"] = value.count()
    return s.group_by(["unit_code", "procedure_code"]).aggregate(**aggs)


def _feedback_flags(
    register: Iterable[Feedback], period: Period, calendar: WorkCalendar | None
) -> ir.Table | None:
    """Per dossier with feedback: any handled late (as at the period's end), any confirmed complaint."""
    import ibis
    import pyarrow as pa

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
    if not per_dossier:
        return None
    codes = sorted(per_dossier)
    return ibis.memtable(pa.table({
        "fb_code": pa.array(codes, pa.string()),
        "fb_late": pa.array([per_dossier[c][0] for c in codes], pa.bool_()),
        "fb_confirmed": pa.array([per_dossier[c][1] for c in codes], pa.bool_()),
    }))


# ── unit means, total and band ────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class UnitQuality:
    """One unit's means by indicator number (only those with data), total and band."""

    unit_code: str
    dossiers: int
    means: Mapping[int, Decimal]
    total: Decimal | None
    band: str | None


def _publication_points(entry: CatalogueEntry | None) -> int:
    if entry is None or not entry.published:
        return 0
    return 2 if entry.components_complete else 1


def _online_points(entry: CatalogueEntry | None) -> int:
    if entry is None:
        return 0
    return {"full": 2, "partial": 1}.get(entry.online_level, 0)


def _mean(points: int | Decimal, n: int = 1) -> Decimal:
    return (Decimal(points) / n).quantize(ONE_PLACE, ROUND_HALF_UP)


def _checked_other_means(other_means: Mapping[str, Mapping[int, float | Decimal]]) -> dict[str, dict[int, Decimal]]:
    out: dict[str, dict[int, Decimal]] = {}
    for unit, means in other_means.items():
        for key, value in means.items():
            number, mean = int(key), Decimal(str(value))
            if number not in ALL or not Decimal(0) <= mean <= Decimal(2):
                raise ValueError(
                    f"other_means[{unit!r}]: indicator {key} = {value}; indicators are 1-9, means 0-2"
                )
            out.setdefault(str(unit), {})[number] = _mean(mean)
    return out


def quality(
    con: ibis.backends.BaseBackend,
    period: Period | str,
    table: str = "dossiers",
    *,
    catalogue: Iterable[CatalogueEntry] | None = None,
    feedback: Iterable[Feedback] | None = None,
    calendar: WorkCalendar | None = None,
    rules: Rules | None = None,
    other_means: Mapping[str, Mapping[int, float | Decimal]] | None = None,
) -> list[UnitQuality]:
    """The indicator means per unit (sorted by unit code), with total and band when all nine have data.

    Indicator 8 has data only with a feedback register (without one, "no feedback" cannot
    be told from "not recorded"); 6 and 9 only with a catalogue; 2-5 only when the ledger
    has their optional columns with at least one value. ``other_means``: unit code →
    {indicator number: mean 0-2} from other sources, used for indicators without data here
    (a computed mean is kept). Without all nine, ``total`` and ``band`` stay None rather
    than classify a unit on part of the score.
    """
    period = as_period(period)
    flags = _feedback_flags(feedback, period, calendar) if feedback is not None else None
    expr = quality_counts(extended_table(con, table), period, rules or Rules(), flags=flags)
    rows = con.to_pyarrow(expr).to_pylist()
    entries: dict[tuple[str | None, str], CatalogueEntry] | None = None
    if catalogue is not None:
        entries = {(e.unit_code, e.procedure_code): e for e in catalogue}
    sums: dict[str, dict[str, int]] = {}
    for row in rows:
        unit = str(row["unit_code"])
        acc = sums.setdefault(unit, {})
        for key, value in row.items():
            if key not in ("unit_code", "procedure_code") and value is not None:
                acc[key] = acc.get(key, 0) + int(value)
        if entries is not None:
            code, n = str(row["procedure_code"]), int(row["scored"])
            entry = entries.get((unit, code)) or entries.get((None, code))
            acc["p6"] = acc.get("p6", 0) + n * _publication_points(entry)
            acc["p9"] = acc.get("p9", 0) + n * _online_points(entry)
    others = _checked_other_means(other_means or {})
    out = []
    for unit in sorted(sums):
        acc = sums[unit]
        n = acc["scored"]
        means: dict[int, Decimal] = {1: _mean(acc["p1"], n), 7: _mean(acc["p7"], n)}
        if feedback is not None:
            means[8] = _mean(acc["p8"], n)
        if entries is not None:
            means[6], means[9] = _mean(acc["p6"], n), _mean(acc["p9"], n)
        for number in _EXTENSION_INDICATORS:
            if acc.get(f"n{number}"):
                means[number] = _mean(acc[f"p{number}"], acc[f"n{number}"])
        for number, mean in others.get(unit, {}).items():
            means.setdefault(number, mean)
        total = sum(means.values(), Decimal(0)) if set(means) == set(ALL) else None
        band = classify_unit(total) if total is not None else None
        out.append(UnitQuality(unit, n, dict(sorted(means.items())), total, band))
    return out


def to_dict(period: str, units: list[UnitQuality]) -> dict[str, Any]:
    """JSON form: per unit the means by indicator number, total and band (null when unknown)."""

    def num(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    names = scheme().indicators
    return {
        "period": period,
        "indicators": {str(k): names[k].name for k in ALL},
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
