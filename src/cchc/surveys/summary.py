"""Plain-JSON views of survey results (the CLI's ``--format json`` and the web API's twin).

``index_json`` is the contract of docs/surveys.md, exactly: fractions rounded half-up to 4 decimals
(as Excel rounds), units sorted by unit_code, factor keys as in the data. Rounding happens
only here, at the edge: a unit's index is the mean of the unrounded factor indices.
"""

from __future__ import annotations

from typing import Any

from cchc.fmt import round_half_up
from cchc.surveys.index import SurveyResult
from cchc.surveys.points import UnitPoints

__all__ = ["index_json", "points_csv", "points_json"]


def _r(value: float | None, decimals: int) -> float | None:
    return None if value is None else round_half_up(value, decimals)


def index_json(result: SurveyResult) -> dict[str, Any]:
    """``{"units": [{"unit_code", "respondents", "index", "factors": {KEY: {...}}}]}``."""
    units: list[dict[str, Any]] = []
    for unit in result.units:
        factors: dict[str, Any] = {}
        for key, factor in unit.factors.items():
            interval = factor.share.interval
            factors[key] = {
                "satisfied": factor.share.satisfied,
                "valid": factor.share.valid,
                "index": _r(factor.share.index, 4),
                "ci_low": _r(interval[0], 4) if interval else None,
                "ci_high": _r(interval[1], 4) if interval else None,
            }
        units.append(
            {
                "unit_code": unit.unit_code,
                "respondents": unit.respondents,
                "index": _r(unit.index, 4),
                "factors": factors,
            }
        )
    return {"units": units}


def points_json(points: list[UnitPoints]) -> dict[str, Any]:
    """Component points per unit, rounded to 2 decimals (scores to 4)."""
    return {
        "units": [
            {
                "unit_code": p.unit_code,
                "respondents": p.respondents,
                "score": _r(p.score, 4),
                "max_points": p.max_points,
                "points": _r(p.points, 2),
                "points_low": _r(p.points_low, 2),
                "points_high": _r(p.points_high, 2),
            }
            for p in points
        ]
    }


def points_csv(points: list[UnitPoints], component: str) -> str:
    """``unit_code,<component>`` rows with points to 2 decimals (decimal point, machine form),
    to merge into the CCHC campaign's wide scores CSV (docs/par.md, Scores); no data = empty cell."""
    lines = [f"unit_code,{component}"]
    for p in points:
        value = "" if p.points is None else f"{round_half_up(p.points, 2):.2f}"
        lines.append(f"{p.unit_code},{value}")
    return "\n".join(lines) + "\n"
