"""The baseline: the 766 dossier indicators the way an analyst computes them today, in pandas.

Read the whole Parquet file, build boolean masks, group by unit (docs/field.md §7). Written
independently of ``cchc.service`` and of the floor query so the three can check each other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from common import INDICATORS, Result, period_bounds


def pandas_index(path: Path, period: str) -> Result:
    """Per-unit numerators, denominators, rates, points and ranks for one period."""
    start, end = (pd.Timestamp(x) for x in period_bounds(period))
    df = pd.read_parquet(path)
    for col in ("online_eligible", "has_fee", "paid_online", "requires_result_document",
                "e_result", "digitised", "reused_data", "has_complaint"):  # fmt: skip
        df[col] = df[col].fillna(False).astype(bool)
    df["supplement_count"] = df["supplement_count"].fillna(0)

    received = (df["received_at"] >= start) & (df["received_at"] <= end)
    scope = (df["received_at"] <= end) & (df["finished_at"].isna() | (df["finished_at"] >= start))

    # 2.1: end time, then the supplement rules, then end <= due.
    fin = df["finished_at"]
    end_time = fin.where(fin.notna() & (fin <= end), end)
    rq, cp = df["supplement_requested_at"], df["supplement_completed_at"]
    asked = rq.notna() & (rq <= end_time)
    pending = asked & (cp.isna() | (cp > end_time))
    end_time = end_time.mask(pending, rq)
    completed = asked & ~pending
    end_time = end_time.mask(completed, end_time - (cp - rq))
    # Two or more requests: overdue while the dossier still waits for the papers.
    on_time = scope & (end_time <= df["due_at"]) & ~(pending & (df["supplement_count"] >= 2))
    complaint_or_dislike = scope & (df["has_complaint"] | (df["rating"] == "dislike"))

    rrd = df["requires_result_document"]
    flags = pd.DataFrame({
        "unit_code": df["unit_code"],
        "n21": on_time, "d21": scope,
        "n33": received & df["online_eligible"] & (df["channel"] == "online"),
        "d33": received & df["online_eligible"],
        "n36": received & df["has_fee"] & df["paid_online"], "d36": received & df["has_fee"],
        "n41": received & rrd & df["e_result"], "d41": received & rrd,
        "n42": received & df["digitised"] & (~rrd | df["e_result"]), "d42": received,
        "n43": received & df["reused_data"], "d43": received,
        "n54": on_time & ~complaint_or_dislike, "d54": scope,
    })  # fmt: skip
    sums = flags.groupby("unit_code").sum().astype("int64")
    sums = sums[(sums["d21"] > 0) | (sums["d42"] > 0)]

    total = pd.Series(0, index=sums.index, dtype="int64")
    per_ind: dict[str, pd.DataFrame] = {}
    for ind, (maximum, full_at, shown) in INDICATORS.items():
        key = ind.replace(".", "")
        num, den = sums["n" + key], sums["d" + key]
        safe = den.where(den > 0, 1)
        rate_k = (num * 20000 + safe) // (2 * safe)  # half up, in 1/10000
        if shown:  # points from the shown rate
            capped = rate_k.clip(lower=0, upper=full_at * 100)
            pts = (2 * maximum * 100 * capped + full_at * 100) // (2 * full_at * 100)
        else:  # points from the exact rate, in 1/100, half up
            pts = ((2 * maximum * 10000 * num + full_at * safe) // (2 * full_at * safe)).clip(
                upper=maximum * 100
            )
        pts = pts.where(den > 0, 0)
        total += pts
        per_ind[ind] = pd.DataFrame({"num": num, "den": den, "rate_k": rate_k, "pts": pts})
    rank = total.rank(method="min", ascending=False).astype(int)

    result: Result = {}
    for unit in sums.index:
        indicators = {}
        for ind, frame in per_ind.items():
            row = frame.loc[unit]
            has = bool(row["den"] > 0)
            indicators[ind] = {
                "numerator": int(row["num"]),
                "denominator": int(row["den"]),
                "rate": int(row["rate_k"]) / 10000 if has else None,
                "points": int(row["pts"]) / 100,
            }
        result[str(unit)] = {"rank": int(rank[unit]), "points": int(total[unit]) / 100,
                             "indicators": indicators}  # fmt: skip
    return result


def main(argv: list[str]) -> None:
    """`python benchmarks/pandas_baseline.py FILE PERIOD`: print {"seconds", "result"} as JSON."""
    import json
    import time

    began = time.perf_counter()
    result = pandas_index(Path(argv[0]), argv[1])
    print(json.dumps({"seconds": time.perf_counter() - began, "result": result}))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
