"""The per-dossier quality score of Circular 01/2018/TT-VPCP (Arts. 13-15; DOMAIN.md §8).

Nine indicators of 0/1/2 points each, averaged over a unit's dossiers to one decimal; the
unit's total (at most 18) falls in a band (≥ 15 xuất sắc … < 6 yếu, shipped as data).
The interchange ledger supports two of the nine:

- **1. total time vs the limit**: early 2, on time 1, overdue 0 (times judged as for 766
  indicator 2.1, citizen's supplement time subtracted);
- **7. staff attitude**: a complaint 0 (``has_complaint`` is read as a confirmed complaint,
  assumed); otherwise early 2, on time 1, overdue ``overdue_attitude`` (0 by default,
  assumed: the circular names only early and on-time dossiers for 2 and 1 points).

The other seven need data the ledger does not hold (``missing_indicators``); a caller who
has them passes their unit means and gets the total and band, otherwise the band is None.
Scope: dossiers whose result was produced in the period (status finished or returned with
``finished_at`` in the period).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from cchc.service.index import judged_times
from cchc.service.period import Period, parse_period

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir

COMPUTED: Final = (1, 7)
ONE_PLACE: Final = Decimal("0.1")


@dataclass(frozen=True, slots=True)
class Circular01Scheme:
    source: str
    unit_bands: tuple[tuple[Decimal, str], ...]
    official_bands: tuple[tuple[Decimal, str], ...]
    indicators: Mapping[int, tuple[str, str]]

    @property
    def missing_indicators(self) -> dict[int, str]:
        """Indicator number → what data it would need."""
        return {k: data for k, (_name, data) in self.indicators.items() if data != "computed"}


@cache
def scheme() -> Circular01Scheme:
    """The shipped bands and indicator list (``data/circular01_bands.yaml``)."""
    import yaml

    text = resources.files("cchc.service").joinpath("data/circular01_bands.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)

    def bands(items: list[dict[str, Any]]) -> tuple[tuple[Decimal, str], ...]:
        pairs = [(Decimal(str(b["min"])), str(b["label"])) for b in items]
        return tuple(sorted(pairs, reverse=True))

    return Circular01Scheme(
        source=raw["source"],
        unit_bands=bands(raw["unit_bands"]),
        official_bands=bands(raw["official_bands"]),
        indicators={int(k): (v["name"], v["data"]) for k, v in raw["indicators"].items()},
    )


def classify_unit(total: Decimal | float) -> str:
    """The band of a unit total: ≥ 15 xuất sắc, 12-< 15 tốt, 9-< 12 khá, 6-< 9 trung bình, < 6 yếu."""
    value = Decimal(str(total))
    for minimum, label in scheme().unit_bands:
        if value >= minimum:
            return label
    return scheme().unit_bands[-1][1]


def score_counts(t: ir.Table, period: Period, overdue_attitude: int = 0) -> ir.Table:
    """Per unit: dossiers scored and the point sums of indicators 1 and 7 (Ibis, any engine)."""
    import ibis

    start, end = ibis.literal(period.start), ibis.literal(period.end)
    s = t.filter(
        t.finished_at.notnull()
        & (t.finished_at >= start)
        & (t.finished_at < end)
        & t.status.isin(["finished", "returned"])
    )
    few, effective = judged_times(s, period)
    due = s.due_at.epoch_seconds()
    on_time = few & (s.due_at.isnull() | (effective <= due))
    # Early = finished on a day before the appointment's day (days counted in epoch days:
    # naive local timestamps are read as UTC by every engine, so day boundaries agree).
    early = few & s.due_at.notnull() & ((effective // 86400) < (due // 86400))
    time_points = early.ifelse(2, on_time.ifelse(1, 0))
    attitude = s.has_complaint.fill_null(False).ifelse(
        0, early.ifelse(2, on_time.ifelse(1, overdue_attitude))
    )
    return s.group_by("unit_code").aggregate(
        scored=s.count(), time_points=time_points.sum(), attitude_points=attitude.sum()
    )


@dataclass(frozen=True, slots=True)
class UnitQuality:
    unit_code: str
    dossiers: int
    means: Mapping[int, Decimal]
    total: Decimal | None
    band: str | None


def unit_quality(
    con: ibis.backends.BaseBackend,
    period: Period | str,
    table: str = "dossiers",
    *,
    overdue_attitude: int = 0,
    other_means: Mapping[str, Mapping[int, float]] | None = None,
) -> list[UnitQuality]:
    """Indicator means per unit (1 decimal, half-up); total and band when all nine are known.

    ``other_means``: unit code → {indicator number: mean} for indicators 2-6, 8, 9 from
    other sources. Without all nine, ``total`` and ``band`` stay None rather than classify a
    unit on 2 of 9 indicators.
    """
    from cchc.service.index import dossiers_table

    if isinstance(period, str):
        period = parse_period(period)
    rows = con.to_pyarrow(score_counts(dossiers_table(table), period, overdue_attitude)).to_pylist()
    out = []
    for row in sorted(rows, key=lambda r: str(r["unit_code"])):
        n = int(row["scored"])
        means = {
            1: (Decimal(int(row["time_points"] or 0)) / n).quantize(ONE_PLACE, ROUND_HALF_UP),
            7: (Decimal(int(row["attitude_points"] or 0)) / n).quantize(ONE_PLACE, ROUND_HALF_UP),
        }
        for key, value in (other_means or {}).get(str(row["unit_code"]), {}).items():
            means.setdefault(int(key), Decimal(str(value)).quantize(ONE_PLACE, ROUND_HALF_UP))
        complete = set(means) == set(scheme().indicators)
        total = sum(means.values(), Decimal(0)) if complete else None
        out.append(
            UnitQuality(
                str(row["unit_code"]), n, dict(sorted(means.items())), total,
                classify_unit(total) if total is not None else None,
            )
        )
    return out
