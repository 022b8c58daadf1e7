"""The leaders' / officials' survey: mean scores per factor and unit, with intervals.

docs/field.md §4: officials and leaders rate a unit's CCHC work; the conversion to points is
ASSUMED to be K × mean score ÷ scale maximum (configurable via ``scale_max``). A unit's
score is the (weighted, default equal) mean of its factor means, like the SIPAS index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cchc.surveys.answers import Answer
from cchc.surveys.interval import Z95, mean_interval

__all__ = ["MeanScore", "OfficialsResult", "OfficialsUnit", "compute_means"]


@dataclass(frozen=True)
class MeanScore:
    valid: int
    mean: float | None
    ci_low: float | None  # None below two valid answers: the spread is unknown
    ci_high: float | None


@dataclass(frozen=True)
class OfficialsUnit:
    unit_code: str
    respondents: int
    factors: dict[str, MeanScore]
    mean: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class OfficialsResult:
    units: list[OfficialsUnit]
    factor_keys: tuple[str, ...]
    scale_max: int


def _score(values: list[int]) -> MeanScore:
    if not values:
        return MeanScore(0, None, None, None)
    interval = mean_interval(values, Z95)
    mean = sum(values) / len(values)
    return MeanScore(len(values), mean, *(interval if interval else (None, None)))


def compute_means(
    answers: Iterable[Answer], *, scale_max: int = 5, weights: Mapping[str, float] | None = None
) -> OfficialsResult:
    """Mean score per factor and unit; the unit's interval is the weighted mean of its
    factors' bounds (assumed, conservative), None if any factor with data lacks one."""
    order: dict[str, None] = {}
    values: dict[str, dict[str, list[int]]] = {}
    respondents: dict[str, set[str]] = {}
    for a in answers:
        order.setdefault(a.factor)
        respondents.setdefault(a.unit_code, set()).add(a.respondent_id)
        bucket = values.setdefault(a.unit_code, {}).setdefault(a.factor, [])
        if a.value is not None:
            if not 0 < a.value <= scale_max:
                raise ValueError(f"điểm {a.value} nằm ngoài thang 1–{scale_max}")
            bucket.append(a.value)
    units: list[OfficialsUnit] = []
    for unit_code in sorted(values):
        factors = {k: _score(values[unit_code][k]) for k in order if k in values[unit_code]}
        scored = [(k, s) for k, s in factors.items() if s.mean is not None]
        w = {k: (weights[k] if weights is not None else 1.0) for k, _ in scored}
        total = sum(w.values())
        mean = low = high = None
        if scored and total > 0:
            mean = sum(w[k] * (s.mean or 0.0) for k, s in scored) / total
            if all(s.ci_low is not None for _, s in scored):
                low = sum(w[k] * (s.ci_low or 0.0) for k, s in scored) / total
                high = sum(w[k] * (s.ci_high or 0.0) for k, s in scored) / total
        units.append(
            OfficialsUnit(unit_code, len(respondents[unit_code]), factors, mean, low, high)
        )
    return OfficialsResult(units=units, factor_keys=tuple(order), scale_max=scale_max)
