"""Component points from survey results, for feeding a CCHC campaign.

- SIPAS: points = K × index (docs/field.md §4), e.g. K = 30 for the citizen-satisfaction component
  in the Bình Định district framework (seed: 26,28/30).
- Officials' survey: points = K × mean ÷ scale maximum (ASSUMED, docs/field.md §4), e.g. K = 10.
The interval's bounds are converted the same way, so a component carries its uncertainty.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cchc.surveys.index import SurveyResult
from cchc.surveys.officials import OfficialsResult

__all__ = ["UnitPoints", "officials_points", "sipas_points"]


@dataclass(frozen=True)
class UnitPoints:
    unit_code: str
    respondents: int
    score: float | None  # the SIPAS index (fraction) or the officials' mean score
    points: float | None  # None when the unit has no valid answer at all
    points_low: float | None
    points_high: float | None
    max_points: float


def _scaled(value: float | None, factor: float) -> float | None:
    return None if value is None else value * factor


def _points(units: Iterable[Any], value: str, factor: float, max_points: float) -> list[UnitPoints]:
    """Scale each unit's ``value`` (index or mean) and its interval to points."""
    if max_points <= 0:
        raise ValueError("điểm tối đa phải lớn hơn 0")
    return [
        UnitPoints(
            u.unit_code,
            u.respondents,
            getattr(u, value),
            _scaled(getattr(u, value), factor),
            _scaled(u.ci_low, factor),
            _scaled(u.ci_high, factor),
            max_points,
        )
        for u in units
    ]


def sipas_points(result: SurveyResult, max_points: float) -> list[UnitPoints]:
    """K × index per unit (unrounded; round when presenting)."""
    return _points(result.units, "index", max_points, max_points)


def officials_points(result: OfficialsResult, max_points: float) -> list[UnitPoints]:
    """K × mean ÷ scale maximum per unit (assumed conversion)."""
    return _points(result.units, "mean", max_points / result.scale_max, max_points)
