"""Benchmark `cchc service integrity` against `cchc service index` and a hand-written DuckDB query.

Usage (from the repository root)::

    .venv/bin/python benchmarks/integrity.py [--sizes 1000000,10000000] [--repeat 3]

For each size the ILLUSTRATIVE ledger is generated once (``cchc service generate``, cached in
benchmarks/data/ by size), then three child processes run on the same Parquet file in the
same run, interleaved, best of ``--repeat``:

- index:     ``cchc service index FILE --period 2025 --format json`` (the goal: integrity
  in a time comparable to the index itself);
- integrity: ``cchc service integrity FILE --period 2025 --format json`` (on DuckDB the fast
  path: the SQL compiled from the Ibis expressions, ``cchc.service.compiled.INTEGRITY``);
- floor:     one hand-written DuckDB query counting the four exact rules per unit.

Each is timed as a whole process (start-up included); peak memory is the child's ru_maxrss;
the 1-minute load average is recorded before and after (``load_1min``).
The floor's counts must equal integrity's per unit and rule, otherwise the script exits 1.
Results are appended as JSON lines to benchmarks/results/integrity.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import child as run_child  # noqa: E402

CCHC = str(Path(sys.executable).with_name("cchc"))
PERIOD = "2025"
RULES = ("supplement_after_due", "supplement_last_day", "impossible_times", "duplicate_code")

FLOOR = """
import duckdb, json, sys, time
began = time.perf_counter()
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
rows = con.execute('''
WITH t AS (SELECT * FROM read_parquet($path)),
n AS (SELECT dossier_code, count(*) AS n FROM t GROUP BY dossier_code),
s AS (
  SELECT t.*, n.n,
    epoch(received_at) AS rec, epoch(due_at) AS due, epoch(finished_at) AS fin,
    epoch(supplement_requested_at) AS req, epoch(supplement_completed_at) AS comp
  FROM t JOIN n USING (dossier_code)
  WHERE received_at < TIMESTAMP '2026-01-01' AND (finished_at IS NULL OR finished_at >= TIMESTAMP '2025-01-01')
)
SELECT unit_code,
  count(*) FILTER (WHERE req > due),
  count(*) FILTER (WHERE req >= due - 86400 AND req <= due),
  count(*) FILTER (WHERE fin < rec OR due < rec OR req < rec OR comp < req),
  count(*) FILTER (WHERE n > 1)
FROM s GROUP BY unit_code ORDER BY unit_code
''', {"path": sys.argv[1]}).fetchall()
print(json.dumps({"seconds": time.perf_counter() - began,
                  "units": {r[0]: list(r[1:]) for r in rows}}))
"""



def ledger(rows: int) -> Path:
    path = HERE / "data" / f"ledger_{rows}.parquet"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        subprocess.run([CCHC, "service", "generate", "--rows", str(rows), "--output", str(path)], check=True)
    return path


def measure(rows: int, repeat: int) -> dict[str, object]:
    path = ledger(rows)
    load_before = os.getloadavg()
    commands = {
        "index": [CCHC, "service", "index", str(path), "--period", PERIOD, "--format", "json"],
        "integrity": [CCHC, "service", "integrity", str(path), "--period", PERIOD, "--format", "json"],
        "floor": [sys.executable, "-c", FLOOR, str(path)],
    }
    best: dict[str, tuple[float, float, str]] = {}
    for _ in range(repeat):
        for name, cmd in commands.items():
            wall, rss, out = run_child(cmd, ROOT)
            if name not in best or wall < best[name][0]:
                best[name] = (wall, rss, out)
    ours = json.loads(best["integrity"][2])
    floor = json.loads(best["floor"][2])["units"]
    got = {u["unit_code"]: [u["checks"][r] for r in RULES] for u in ours["units"]}
    if got != floor:
        diff = {k: (got.get(k), floor.get(k)) for k in set(got) | set(floor) if got.get(k) != floor.get(k)}
        raise SystemExit(f"integrity and the floor disagree: {diff}")
    index_s, integrity_s, floor_s = (best[k][0] for k in ("index", "integrity", "floor"))
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "rows": rows,
        "repeat": repeat,
        # The 1-minute load average before and after: on a shared machine the ratios of
        # the same run mean more than the seconds.
        "load_1min": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "seconds": {k: round(v[0], 3) for k, v in best.items()},
        "peak_mib": {k: round(v[1], 1) for k, v in best.items()},
        "integrity_vs_index": round(integrity_s / index_s, 2),
        "integrity_vs_floor": round(integrity_s / floor_s, 2),
        "totals": ours["totals"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = HERE / "results" / "integrity.jsonl"
    for rows in (int(s) for s in args.sizes.split(",")):
        record = measure(rows, args.repeat)
        with results.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
