"""The floor: ONE hand-written DuckDB query computing the 766 dossier indicators (docs/field.md §7).

Written from docs/field.md §7 alone, independently of ``cchc.service``, so the benchmark measures
what the fastest plain SQL costs on the same Parquet file and cross-checks the numbers.
Rounding is exact integer arithmetic: rates in 1/10000 and points in 1/100, half up, points
from the exact rate (the online-payment 3.6 from the shown one, as the portal publishes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from common import INDICATORS, Result, period_bounds

SQL = """
WITH d AS (
    SELECT * FROM read_parquet($path)
    WHERE received_at <= $pend
),
flags AS (
    SELECT
        unit_code,
        received_at >= $pstart AS recv,
        -- 2.1 scope: received by the period's end and not finished before its start
        (finished_at IS NULL OR finished_at >= $pstart) AS scope,
        -- end time: the terminal instant when it lies within the period, else the period's end
        CASE WHEN finished_at IS NOT NULL AND finished_at <= $pend THEN finished_at ELSE $pend END AS e0,
        due_at, COALESCE(supplement_count, 0) AS sc,
        supplement_requested_at AS rq, supplement_completed_at AS cp,
        channel, COALESCE(online_eligible, false) AS elig, COALESCE(has_fee, false) AS fee,
        COALESCE(paid_online, false) AS paid, COALESCE(requires_result_document, false) AS rrd,
        COALESCE(e_result, false) AS eres, COALESCE(digitised, false) AS dig,
        COALESCE(reused_data, false) AS reuse,
        (COALESCE(has_complaint, false) OR COALESCE(rating = 'dislike', false)) AS cd
    FROM d
),
judged AS (
    SELECT *,
        CASE
            WHEN NOT scope THEN NULL
            WHEN rq IS NOT NULL AND rq <= e0 AND (cp IS NULL OR cp > e0)   -- waiting for papers:
                THEN sc < 2 AND rq <= due_at                               -- stop at the request;
                                                                           -- two requests: overdue
            WHEN rq IS NOT NULL AND rq <= e0
                THEN e0 - (cp - rq) <= due_at                              -- subtract citizen's time
            ELSE e0 <= due_at
        END AS on_time
    FROM flags
),
agg AS (
    SELECT unit_code,
        count(*) FILTER (WHERE on_time) AS n21, count(*) FILTER (WHERE scope) AS d21,
        count(*) FILTER (WHERE recv AND elig AND channel = 'online') AS n33,
        count(*) FILTER (WHERE recv AND elig) AS d33,
        count(*) FILTER (WHERE recv AND fee AND paid) AS n36, count(*) FILTER (WHERE recv AND fee) AS d36,
        count(*) FILTER (WHERE recv AND rrd AND eres) AS n41, count(*) FILTER (WHERE recv AND rrd) AS d41,
        count(*) FILTER (WHERE recv AND dig AND (NOT rrd OR eres)) AS n42,
        count(*) FILTER (WHERE recv) AS drecv,
        count(*) FILTER (WHERE recv AND reuse) AS n43,
        count(*) FILTER (WHERE on_time AND NOT cd) AS n54
    FROM judged
    GROUP BY unit_code
    HAVING count(*) FILTER (WHERE scope OR recv) > 0
),
ind AS (
    SELECT unit_code, '2.1' AS id, 20 AS mx, 100 AS full_at, false AS shown, n21 AS num, d21 AS den FROM agg
    UNION ALL SELECT unit_code, '3.3', 12, 50, false, n33, d33 FROM agg
    UNION ALL SELECT unit_code, '3.6', 6, 100, true, n36, d36 FROM agg
    UNION ALL SELECT unit_code, '4.1', 6, 100, false, n41, d41 FROM agg
    UNION ALL SELECT unit_code, '4.2', 4, 100, false, n42, drecv FROM agg
    UNION ALL SELECT unit_code, '4.3', 2, 80, false, n43, drecv FROM agg
    UNION ALL SELECT unit_code, '5.4', 6, 90, false, n54, d21 FROM agg
),
rated AS (
    SELECT *, CASE WHEN den > 0 THEN (num * 20000 + den) // (2 * den) END AS rate_k FROM ind
),
scored AS (
    SELECT *,
        CASE
            WHEN den = 0 THEN 0                                            -- the portal: 0 points
            WHEN shown THEN                                                -- from the shown rate
                (2 * mx * 100 * least(greatest(rate_k, 0), full_at * 100) + full_at * 100)
                // (2 * full_at * 100)
            ELSE least(mx * 100, (2 * mx * 10000 * num + full_at * den) // (2 * full_at * den))
        END AS points_c
    FROM rated
),
totals AS (
    SELECT unit_code, sum(COALESCE(points_c, 0)) AS total_c,
        rank() OVER (ORDER BY sum(COALESCE(points_c, 0)) DESC) AS rnk
    FROM scored GROUP BY unit_code
)
SELECT s.unit_code, s.id, s.num, s.den, s.rate_k, s.points_c, t.total_c, t.rnk
FROM scored s JOIN totals t USING (unit_code)
ORDER BY t.rnk, s.unit_code, s.id
"""


def floor_rows(
    path: Path, period: str, con: duckdb.DuckDBPyConnection | None = None
) -> list[tuple[Any, ...]]:
    """Run the one query; rows of (unit, indicator, num, den, rate_k, points_c, total_c, rank)."""
    start, end = period_bounds(period)
    con = con or duckdb.connect()
    # Literals, as a person writes the query: with prepared parameters DuckDB cannot fold the
    # period bounds into constants or push them into the Parquet scan (3x slower at 10 M).
    sql = (
        SQL.replace("$path", "'" + str(path).replace("'", "''") + "'")
        .replace("$pstart", _timestamp(start))
        .replace("$pend", _timestamp(end))
    )
    return con.execute(sql).fetchall()


def _timestamp(value: dt.datetime) -> str:
    return f"TIMESTAMP '{value.isoformat(sep=' ')}'"


def floor_index(path: Path, period: str) -> Result:
    """The floor's numbers keyed like the `cchc service index` JSON."""
    result: Result = {}
    for unit, ind, num, den, rate_k, points_c, total_c, rank in floor_rows(path, period):
        entry = result.setdefault(
            unit, {"rank": int(rank), "points": int(total_c) / 100, "indicators": {}}
        )
        entry["indicators"][ind] = {
            "numerator": int(num),
            "denominator": int(den),
            "rate": None if rate_k is None else int(rate_k) / 10000,
            "points": int(points_c) / 100,
        }
    assert all(set(e["indicators"]) == set(INDICATORS) for e in result.values())
    return result


def main(argv: list[str]) -> None:
    """`python benchmarks/floor.py FILE PERIOD`: print {"seconds", "result"} as JSON."""
    import json
    import time

    began = time.perf_counter()
    result = floor_index(Path(argv[0]), argv[1])
    print(json.dumps({"seconds": time.perf_counter() - began, "result": result}))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
