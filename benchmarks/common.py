"""Shared pieces of the service-index benchmarks: periods, the indicator table, comparison.

The indicator definitions are docs/field.md §7 (Decision 766/QĐ-TTg as this product reads it),
written here independently of ``cchc.service`` so the benchmark can cross-check it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

# id -> (maximum points, "full at" threshold in percent (100: points = max x rate), points
# from the shown 4-decimal rate instead of the exact one). Zero denominator: 0 points. As the
# national portal publishes them: 4.2 is linear; only online payment (3.6) uses the shown rate.
INDICATORS: dict[str, tuple[int, int, bool]] = {
    "2.1": (20, 100, False),
    "3.3": (12, 50, False),
    "3.6": (6, 100, True),
    "4.1": (6, 100, False),
    "4.2": (4, 100, False),
    "4.3": (2, 80, False),
    "5.4": (6, 90, False),
}

# {unit_code: {"rank": int, "points": float, "indicators": {id: {numerator, denominator,
#  rate, points}}}} — the JSON contract of `cchc service index`, keyed by unit.
Result = dict[str, dict[str, Any]]


def period_bounds(period: str) -> tuple[dt.datetime, dt.datetime]:
    """First and last instant (microsecond precision) of YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM."""
    m = re.fullmatch(r"(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?", period)
    if not m:
        raise ValueError(f"period '{period}': expected YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM")
    year, part = int(m.group(1)), m.group(2)
    if part is None:
        first, months = 1, 12
    elif part[0] == "H":
        first, months = 1 + 6 * (int(part[1]) - 1), 6
    elif part[0] == "Q":
        first, months = 1 + 3 * (int(part[1]) - 1), 3
    else:
        first, months = int(part), 1
        if not 1 <= first <= 12:
            raise ValueError(f"period '{period}': month must be 01-12")
    start = dt.datetime(year, first, 1)
    after = first + months
    nxt = dt.datetime(year + (after - 1) // 12, (after - 1) % 12 + 1, 1)
    return start, nxt - dt.timedelta(microseconds=1)


def from_contract_json(doc: dict[str, Any]) -> Result:
    """Key the `cchc service index --format json` document by unit."""
    return {
        u["unit_code"]: {"rank": u["rank"], "points": u["points"], "indicators": u["indicators"]}
        for u in doc["units"]
    }


def differences(a: Result, b: Result, a_name: str, b_name: str, limit: int = 20) -> list[str]:
    """Every disagreement between two results (numbers compared at their published rounding)."""

    def q(x: float | None, scale: int) -> int | None:
        return None if x is None else round(float(x) * scale)

    out: list[str] = []
    for unit in sorted(set(a) | set(b)):
        if unit not in a or unit not in b:
            out.append(f"{unit}: only in {a_name if unit in a else b_name}")
            continue
        ra, rb = a[unit], b[unit]
        if ra["rank"] != rb["rank"] or q(ra["points"], 100) != q(rb["points"], 100):
            out.append(
                f"{unit}: total {a_name}={ra['points']} (rank {ra['rank']}) "
                f"{b_name}={rb['points']} (rank {rb['rank']})"
            )
        for ind in INDICATORS:
            ia, ib = ra["indicators"].get(ind), rb["indicators"].get(ind)
            if ia is None or ib is None:
                out.append(f"{unit} {ind}: missing in {a_name if ia is None else b_name}")
                continue
            fields = (("numerator", 1), ("denominator", 1), ("rate", 10000), ("points", 100))
            for field, scale in fields:
                if q(ia[field], scale) != q(ib[field], scale):
                    out.append(f"{unit} {ind} {field}: {a_name}={ia[field]} {b_name}={ib[field]}")
    return out[:limit] + ([f"... and {len(out) - limit} more"] if len(out) > limit else [])


def child(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Run ``cmd`` as a child process: (wall seconds, peak RSS MiB from os.wait4, stdout);
    exits with its stderr when it fails. Shared by the integrity and par-scale benchmarks."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=cwd)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.read()[-2000:]}")
        out.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read()
