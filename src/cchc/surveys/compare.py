"""Which units are reliably different? Pairs whose 95 % intervals overlap are not.

docs/field.md §4: two units whose intervals overlap are not reliably different. Non-overlap is a
conservative test (overlapping intervals can still hide a significant difference), which is
the safe side for publishing a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass

from cchc.surveys.index import SurveyResult

__all__ = ["NOT_SIGNIFICANT", "SIGNIFICANT", "Comparison", "compare_units"]

NOT_SIGNIFICANT = "không khác biệt có ý nghĩa thống kê"
SIGNIFICANT = "khác biệt có ý nghĩa thống kê"


@dataclass(frozen=True)
class Comparison:
    higher: str  # unit_code with the higher index
    lower: str
    higher_index: float
    lower_index: float
    overlap: bool

    @property
    def phrase(self) -> str:
        return NOT_SIGNIFICANT if self.overlap else SIGNIFICANT


def _bounds(result: SurveyResult, factor: str | None) -> list[tuple[str, float, float, float]]:
    rows: list[tuple[str, float, float, float]] = []
    for unit in result.units:
        if factor is None:
            index, low, high = unit.index, unit.ci_low, unit.ci_high
        else:
            found = unit.factors.get(factor)
            if found is None or found.share.interval is None:
                continue
            index, (low, high) = found.share.index, found.share.interval
        if index is not None and low is not None and high is not None:
            rows.append((unit.unit_code, index, low, high))
    return sorted(rows, key=lambda r: (-r[1], r[0]))


def compare_units(result: SurveyResult, factor: str | None = None) -> list[Comparison]:
    """Every pair of units with data, higher index first, flagged when intervals overlap.

    With ``factor`` the factor's Wilson intervals are compared, otherwise the units' overall
    intervals. Units without data are left out.
    """
    rows = _bounds(result, factor)
    pairs: list[Comparison] = []
    for i, (a, ia, la, ha) in enumerate(rows):
        for b, ib, lb, hb in rows[i + 1 :]:
            pairs.append(Comparison(a, b, ia, ib, overlap=la <= hb and lb <= ha))
    return pairs
