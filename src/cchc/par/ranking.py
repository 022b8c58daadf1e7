"""Competition ranking ("1-2-2-4"), higher first, compared at 2 decimals.

Two units whose figures print the same ("88,41") share a rank and the next rank is
skipped, as published rankings do. Rounding is half-up, like Excel.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping

from cchc.par.rounding import round2

__all__ = ["competition_rank", "ranking_keys"]


def competition_rank(values: Mapping[str, float]) -> dict[str, int]:
    """Rank each key by its value, higher first; equal values at 2 decimals tie (1-2-2-4)."""
    rounded = {key: round2(value) for key, value in values.items()}
    ascending = sorted(rounded.values())
    total = len(ascending)
    # rank = 1 + the number of strictly greater values
    return {key: total - bisect_right(ascending, value) + 1 for key, value in rounded.items()}


def ranking_keys(scores: Mapping[str, tuple[float, float]]) -> dict[str, float]:
    """What to rank on, from each unit's (score, applicable maximum).

    When every unit has the same applicable maximum the score itself is compared (what a
    reader checks: "6,67/10" against "6,67/10"); when criteria that do not apply make the
    maxima differ, scores are not comparable and the index (score ÷ maximum × 100) is.
    """
    maxima = {round(m, 6) for _, m in scores.values()}
    if len(maxima) <= 1:
        return {key: score for key, (score, _) in scores.items()}
    return {key: score / m * 100 for key, (score, m) in scores.items()}
