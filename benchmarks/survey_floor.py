"""The floor of `cchc survey index`: one hand-written DuckDB query over the long answers CSV.

Usage: python benchmarks/survey_floor.py ANSWERS.csv

Counts, per unit and factor, the satisfied answers (level 4 or 5) and the valid ones (not
empty, not 0), and the respondents per unit, in one query with DuckDB's own CSV reader;
Python adds the 95 % Wilson intervals and each unit's unweighted mean of its factor
indices. Written independently of cchc (no cchc import), and it validates nothing: it is
the least work the same figures need. Prints ``{"units": [...]}`` in the shape of
``cchc survey index --format json`` and, on stderr, its own compute seconds.
"""

from __future__ import annotations

import json
import math
import sys
import time
from decimal import ROUND_HALF_UP, Decimal

import duckdb

QUERY = """
WITH a AS (
    SELECT trim(respondent_id) AS respondent, trim(unit_code) AS unit,
           trim(factor) AS factor, trim(answer) AS answer, row_number() OVER () AS row
    FROM read_csv(?, header = true, all_varchar = true)
), f AS (
    SELECT unit, factor,
           count(*) FILTER (WHERE answer IN ('4', '5')) AS satisfied,
           count(*) FILTER (WHERE answer IN ('1', '2', '3', '4', '5')) AS valid,
           min(row) AS first_row
    FROM a GROUP BY unit, factor
), p AS (
    SELECT unit, count(DISTINCT respondent) AS respondents FROM a GROUP BY unit
)
SELECT f.unit, f.factor, f.satisfied, f.valid, f.first_row, p.respondents
FROM f JOIN p USING (unit)
"""


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    if n == 0:
        return None
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def r4(value: float | None) -> float | None:
    """Four decimals, half away from zero as on paper and in Excel (as cchc publishes)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))


def main(path: str) -> None:
    began = time.perf_counter()
    rows = duckdb.execute(QUERY, [path]).fetchall()
    factor_first: dict[str, int] = {}
    units: dict[str, dict[str, tuple[int, int]]] = {}
    people: dict[str, int] = {}
    for unit, factor, satisfied, valid, first_row, respondents in rows:
        factor_first[factor] = min(first_row, factor_first.get(factor, first_row))
        units.setdefault(unit, {})[factor] = (satisfied, valid)
        people[unit] = respondents
    out = []
    for unit in sorted(units):
        factors = {}
        for factor in sorted(units[unit], key=factor_first.__getitem__):
            satisfied, valid = units[unit][factor]
            interval = wilson(satisfied, valid)
            factors[factor] = {
                "satisfied": satisfied,
                "valid": valid,
                "index": r4(satisfied / valid if valid else None),
                "ci_low": r4(interval[0]) if interval else None,
                "ci_high": r4(interval[1]) if interval else None,
            }
        # the unweighted mean of the factor indices, summed in the factors' order
        ordered = [
            units[unit][f][0] / units[unit][f][1]
            for f in sorted(units[unit], key=factor_first.__getitem__)
            if units[unit][f][1]
        ]
        index = sum(ordered) / len(ordered) if ordered else None
        out.append(
            {"unit_code": unit, "respondents": people[unit], "index": r4(index), "factors": factors}
        )
    print(json.dumps({"units": out}, ensure_ascii=False, indent=2))
    print(f"compute_s={time.perf_counter() - began:.4f}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
