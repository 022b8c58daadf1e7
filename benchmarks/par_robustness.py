"""Benchmark the robustness draws' ranking against ranking each draw with the engine.

Usage (from the repository root)::

    .venv/bin/python benchmarks/par_robustness.py [--units 11,200] [--draws 2000] [--repeat 3]

For N units (random ILLUSTRATIVE totals with a survey component drawn around them), in
the same run, best of ``--repeat``:

- vectorised: ``cchc.par.robustness.competition_ranks`` on the whole draws × units array
  (what ``cchc par robustness`` does);
- baseline: ``cchc.par.ranking.competition_rank`` called once per draw (the published
  rule, a Python loop over draws).

The ranks must be equal, otherwise the script exits 1. It also times the whole
``robustness()`` call (10 000 draws by default in the CLI) for the same units with five
SIPAS factors each. Results are appended as JSON lines to
benchmarks/results/par_robustness.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from cchc.par.framework import framework_from_dict  # noqa: E402
from cchc.par.ranking import competition_rank  # noqa: E402
from cchc.par.results import compute_results  # noqa: E402
from cchc.par.robustness import competition_ranks, robustness  # noqa: E402
from cchc.par.scores import scores_from_rows  # noqa: E402
from cchc.par.uncertainty import uncertainty_from_rows  # noqa: E402

FRAMEWORK = {
    "code": "bench", "name": "Chỉ số minh họa", "year": 2025, "level": "commune",
    "bands": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 0}],
    "components": [
        {"code": "KQ", "name": "Kết quả", "max": 60},
        {"code": "DT", "name": "Điều tra", "max": 10},
        {"code": "HL", "name": "Hài lòng", "max": 30},
    ],
}


def _best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def bench(units: int, draws: int, repeat: int) -> dict[str, object]:
    rng = np.random.default_rng(units)
    totals = rng.uniform(70, 95, units).round(2)
    keys = totals[None, :] + rng.normal(0, 0.6, (draws, units))
    codes = [f"U{i:04d}" for i in range(units)]

    def baseline() -> list[list[int]]:
        out = []
        for row in keys:
            ranked = competition_rank(dict(zip(codes, row.tolist(), strict=True)))
            out.append([ranked[c] for c in codes])
        return out

    vector = competition_ranks(keys)
    if vector.tolist() != baseline():
        print("ranks differ between the vectorised and the per-draw ranking", file=sys.stderr)
        sys.exit(1)
    t_vector = _best(repeat, lambda: competition_ranks(keys))
    t_base = _best(repeat, baseline)

    fw = framework_from_dict(FRAMEWORK, "bench.yaml")
    rows = [
        {"unit_code": c, "unit_name": c, "KQ": round(float(rng.uniform(45, 60)), 2),
         "DT": round(float(rng.uniform(5, 10)), 2), "HL": round(float(rng.uniform(22, 30)), 2)}
        for c in codes
    ]
    results = compute_results(fw, scores_from_rows(rows, fw, "bench.csv"))
    unc = [
        {"unit_code": r["unit_code"], "component": "HL", "factor": f"f{f}", "respondents": 400,
         "satisfied": round(float(r["HL"]) / 30 * 400)}
        for r in rows for f in range(5)
    ]
    items = uncertainty_from_rows(unc, results, "u.csv")
    t_full = _best(1, lambda: robustness(results, items, draws=10_000, seed=0))
    return {
        "units": units, "draws": draws, "vectorised_s": round(t_vector, 4),
        "baseline_s": round(t_base, 4), "speed_up": round(t_base / t_vector, 1),
        "robustness_10000_draws_s": round(t_full, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", default="11,200")
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    out = HERE / "results" / "par_robustness.jsonl"
    for n in (int(x) for x in args.units.split(",")):
        row = bench(n, args.draws, args.repeat)
        row |= {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "python": platform.python_version()}
        print(json.dumps(row, ensure_ascii=False))
        with out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
