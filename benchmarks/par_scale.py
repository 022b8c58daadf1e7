"""Benchmark `cchc par rank` at a province's and the whole country's size against a vectorised baseline.

Usage (from the repository root)::

    .venv/bin/python benchmarks/par_scale.py [--units 150,3321] [--repeat 3]

An ILLUSTRATIVE framework of 104 criteria in 8 fields (plus two survey components scored
directly) and random scores for N units are written to a temporary folder; then, in the same
run, interleaved, best of ``--repeat``, two child processes read the same files:

- cchc:     ``cchc par rank --framework F --scores S --format json`` (validation of every
  cell, the tree rolled up, ranks of every node, bands);
- baseline: pandas reads the CSV, sums the criteria (rounded half-up to 2 decimals like the
  engine), ranks the totals (competition ranking) and bands them — the floor of what any
  tool must do for the totals alone.

Each is timed as a whole process (start-up included); peak memory is the child's
ru_maxrss. The units' totals and ranks must be equal, otherwise the script exits 1. Results
are appended as JSON lines to benchmarks/results/par_scale.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import child as run_child  # noqa: E402

CCHC = str(Path(sys.executable).with_name("cchc"))
FIELDS, CRITERIA, CRITERION_MAX = 8, 13, 0.5
BANDS = ((90, "Xuất sắc"), (80, "Tốt"), (70, "Khá"), (55, "Trung bình"), (0, "Yếu"))

BASELINE = """
import json, sys, time
from decimal import Decimal, ROUND_HALF_UP
began = time.perf_counter()
import numpy as np, pandas as pd
frame = pd.read_csv(sys.argv[1], dtype={"unit_code": str})
values = frame.drop(columns=["unit_code", "unit_name"])
cents = np.floor(values.to_numpy(dtype="float64") * 100 + 0.5).astype("int64")
total = cents.sum(axis=1) / 100
order = pd.Series(total).rank(method="min", ascending=False).astype(int)
print(json.dumps({"seconds": time.perf_counter() - began,
                  "units": {c: [round(float(t), 2), int(r)] for c, t, r in zip(frame.unit_code, total, order)}}))
"""


def framework_yaml() -> str:
    lines = [
        "code: thu-nghiem-quy-mo", "name: Bộ chỉ số thử nghiệm quy mô (minh họa)", "year: 2026",
        "level: commune", "max: 100", "bands:",
        *(f"  - {{label: {label}, min: {low}}}" for low, label in BANDS),
        "components:", "  - code: KQ", "    name: Kết quả thực hiện", f"    max: {FIELDS * CRITERIA * CRITERION_MAX:g}",
        "    children:",
    ]
    for f in range(1, FIELDS + 1):
        lines += [f"      - code: 'L{f}'", f"        name: Lĩnh vực {f}", f"        max: {CRITERIA * CRITERION_MAX:g}", "        children:"]
        lines += [f"          - {{code: 'L{f}.{c}', name: Tiêu chí {f}.{c}, max: {CRITERION_MAX:g}}}" for c in range(1, CRITERIA + 1)]
    lines += ["  - code: DT", "    name: Điều tra cán bộ", "    max: 18", "  - code: HL", "    name: Mức độ hài lòng", "    max: 30"]
    return "\n".join(lines) + "\n"


def scores_csv(units: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    header = ["unit_code", "unit_name"] + [f"L{f}.{c}" for f in range(1, FIELDS + 1) for c in range(1, CRITERIA + 1)] + ["DT", "HL"]
    rows = [",".join(header)]
    for n in range(units):
        cells = [f"{rng.choice((0, 0.25, 0.5, 0.5, 0.5)):.2f}" for _ in range(FIELDS * CRITERIA)]
        cells += [f"{rng.uniform(10, 18):.2f}", f"{rng.uniform(20, 30):.2f}"]
        rows.append(",".join([f"X{n:05d}", f"Xã thử nghiệm {n}", *cells]))
    return "\n".join(rows) + "\n"



def measure(units: int, repeat: int, folder: Path) -> dict[str, object]:
    fw, scores = folder / "framework.yaml", folder / f"scores_{units}.csv"
    fw.write_text(framework_yaml(), encoding="utf-8")
    scores.write_text(scores_csv(units), encoding="utf-8")
    commands = {
        "cchc": [CCHC, "par", "rank", "--framework", str(fw), "--scores", str(scores), "--format", "json"],
        "baseline": [sys.executable, "-c", BASELINE, str(scores)],
    }
    best: dict[str, tuple[float, float, str]] = {}
    for _ in range(repeat):
        for name, cmd in commands.items():
            run = run_child(cmd, ROOT)
            if name not in best or run[0] < best[name][0]:
                best[name] = run
    ours = {u["unit_code"]: [u["score"], u["rank"]] for u in json.loads(best["cchc"][2])["units"]}
    floor = json.loads(best["baseline"][2])["units"]
    if ours != floor:
        wrong = [k for k in floor if ours.get(k) != floor[k]][:5]
        raise SystemExit(f"cchc and the baseline disagree, e.g. {[(k, ours.get(k), floor[k]) for k in wrong]}")
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()} {os.cpu_count()} CPUs",
        "units": units,
        "criteria": FIELDS * CRITERIA,
        "repeat": repeat,
        "seconds": {k: round(v[0], 3) for k, v in best.items()},
        "peak_mib": {k: round(v[1], 1) for k, v in best.items()},
        "cchc_vs_baseline": round(best["cchc"][0] / best["baseline"][0], 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="150,3321")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = HERE / "results" / "par_scale.jsonl"
    with tempfile.TemporaryDirectory() as tmp:
        for units in (int(s) for s in args.units.split(",")):
            record = measure(units, args.repeat, Path(tmp))
            with results.open("a", encoding="utf-8") as handle:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
