"""Where a unit's next points are (docs/par.md, "Points within reach").

For every criterion a unit was scored on — the finest level scored for that unit: a
criterion, or a component given without its criteria — the points lost against the
maximum, the points behind the best unit of the same level on that criterion (what another
unit of the same framework actually reached: points within reach), and how the points lost
changed since last year. Read straight from ``Results``; nothing is re-ranked.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc.fmt import format_number
from cchc.par.framework import Node
from cchc.par.results import Results, UnitResult
from cchc.par.rounding import round2

__all__ = ["CriterionGap", "UnitGaps", "gaps_paragraph", "unit_gaps"]


@dataclass(frozen=True)
class CriterionGap:
    """One criterion of one unit.

    ``to_best`` is in the unit's points: (best index − the unit's index) × its maximum, so
    a criterion whose maximum differs between units (a part that does not apply) compares
    like with like; 0 when the unit is the best. ``lost_change`` is points lost this year −
    last year (negative: the gap closed).
    """

    code: str
    name: str
    component: str
    score: float
    max: float
    lost: float
    best_score: float
    best_units: tuple[str, ...]
    to_best: float
    previous_lost: float | None
    lost_change: float | None


@dataclass(frozen=True)
class UnitGaps:
    unit_code: str
    unit_name: str
    score: float
    max: float
    lost: float
    criteria: list[CriterionGap]
    within_reach: list[CriterionGap]
    previous_year: int | None


def _finest(node: Node, unit: UnitResult) -> list[Node]:
    """The nodes scored for this unit with no scored child (the finest level it has)."""
    if unit.components[node.code].score is None:
        return []
    below = [n for child in node.children for n in _finest(child, unit)]
    return below or [node]


def unit_gaps(results: Results, code: str, *, top: int = 3) -> UnitGaps:
    """The gaps of one unit; ``within_reach`` lists the ``top`` criteria with the most points
    behind the best unit (criteria already at the best are left out). KeyError: no such unit."""
    unit = results.unit(code)
    criteria: list[CriterionGap] = []
    for component in results.framework.components:
        for node in _finest(component, unit):
            mine = unit.components[node.code]
            assert mine.score is not None and mine.index is not None
            scored = [
                (u.components[node.code].index, u.unit_code)
                for u in results.units
                if u.components[node.code].index is not None
            ]
            best_index = max(i for i, _ in scored if i is not None)
            best_units = tuple(c for i, c in scored if i is not None and round2(i) == round2(best_index))
            best = max(
                (u.components[node.code] for u in results.units if u.unit_code in best_units),
                key=lambda r: r.score or 0.0,
            )
            to_best = max(0.0, round2((best_index - mine.index) * mine.max / 100) + 0.0)
            lost = mine.lost or 0.0
            previous_lost = None
            change = None
            if mine.previous_score is not None and mine.previous_max is not None:
                previous_lost = round2(mine.previous_max - mine.previous_score) + 0.0
                change = round2(lost - previous_lost) + 0.0
            criteria.append(
                CriterionGap(
                    code=node.code,
                    name=node.name,
                    component=component.code,
                    score=mine.score,
                    max=mine.max,
                    lost=lost,
                    best_score=best.score or 0.0,
                    best_units=best_units,
                    to_best=to_best,
                    previous_lost=previous_lost,
                    lost_change=change,
                )
            )
    reach = sorted((c for c in criteria if c.to_best > 0), key=lambda c: (-c.to_best, c.code))
    return UnitGaps(
        unit_code=unit.unit_code,
        unit_name=unit.unit_name,
        score=unit.score,
        max=unit.max,
        lost=round2(unit.max - unit.score) + 0.0,
        criteria=criteria,
        within_reach=reach[:top],
        previous_year=results.previous_year,
    )


def _n(value: float) -> str:
    return format_number(value, 2, trim=True)


def gaps_paragraph(results: Results, gaps: UnitGaps) -> str:
    """A Vietnamese paragraph: points lost, where the most points within reach are, and
    how the gaps changed since last year."""
    names = {u.unit_code: u.unit_name for u in results.units}
    text = (
        f"Năm {results.framework.year}, {gaps.unit_name} còn thiếu {_n(gaps.lost)}/"
        f"{_n(gaps.max)} điểm so với điểm tối đa."
    )
    if not gaps.within_reach:
        text += (
            f" Ở mọi tiêu chí, đơn vị đã đạt mức cao nhất trong {results.framework.level_label}."
        )
    else:
        parts = []
        for c in gaps.within_reach:
            best = ", ".join(names.get(b, b) for b in c.best_units)
            parts.append(
                f"{c.name} ({c.code}: đạt {_n(c.score)}/{_n(c.max)} điểm, kém {_n(c.to_best)} "
                f"điểm so với {best})"
            )
        text += (
            " Các tiêu chí có nhiều điểm trong tầm tay nhất (so với đơn vị cao nhất "
            f"{results.framework.level_label}): " + "; ".join(parts) + "."
        )
    changes = [c for c in gaps.criteria if c.lost_change is not None]
    if gaps.previous_year is not None and changes:
        closed = [c for c in changes if c.lost_change is not None and c.lost_change < 0]
        widened = [c for c in changes if c.lost_change is not None and c.lost_change > 0]
        bits = []
        if closed:
            bits.append("thu hẹp khoảng cách ở " + ", ".join(
                f"{c.code} ({_n(-(c.lost_change or 0.0))} điểm)" for c in closed))
        if widened:
            bits.append("mất thêm điểm ở " + ", ".join(
                f"{c.code} ({_n(c.lost_change or 0.0)} điểm)" for c in widened))
        if bits:
            text += f" So với năm {gaps.previous_year}, đơn vị " + "; ".join(bits) + "."
        else:
            text += f" Số điểm còn thiếu ở từng tiêu chí không đổi so với năm {gaps.previous_year}."
    return text
