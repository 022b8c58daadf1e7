"""The vectorised baseline of benchmarks/par_scale.py: `cchc par rank`'s outputs with pandas.

    python benchmarks/par_baseline.py FRAMEWORK.yaml SCORES.csv > results.json

What an analyst with pandas would write for the same JSON contract as
``cchc par rank --format json`` (docs/par.md, Outputs), written independently of
``cchc.par``: every node's score, maximum, index (score ÷ maximum × 100) and competition
rank (1-2-2-4 at 2 decimals), every unit's total, index, rank and band, the summary.
Scores are summed in integer hundredths (exact for scores typed to 2 decimals); figures are
rounded half up to 2 decimals with ``floor(x·100 + 0.5)``. It validates nothing and knows
only what the generated benchmark data hold: numbers in every criterion and survey cell (no
"does not apply", no value above a criterion), so every maximum is the framework's: the
least work any tool must do for these outputs.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Any

import numpy as np
import pandas as pd
import yaml


def _half_up(values: np.ndarray) -> np.ndarray:
    return np.floor(values * 100 + 0.5) / 100


def _rank(cents: np.ndarray) -> np.ndarray:
    return pd.Series(cents).rank(method="min", ascending=False).to_numpy(dtype=np.int64)


def main(framework_path: str, scores_path: str) -> int:
    with open(framework_path, encoding="utf-8") as handle:
        framework = yaml.safe_load(handle)
    frame = pd.read_csv(scores_path, dtype={"unit_code": str, "unit_name": str})
    order: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        order.append(node)
        for child in node.get("children", ()):
            walk(child)

    for component in framework["components"]:
        walk(component)
    cents: dict[str, np.ndarray] = {}
    top: dict[str, int] = {}
    for node in reversed(order):  # children before their parent
        code = str(node["code"])
        children = [str(c["code"]) for c in node.get("children", ())]
        if children:
            cents[code] = sum((cents[c] for c in children), np.zeros(len(frame), np.int64))
            top[code] = sum(top[c] for c in children)
        else:
            values = frame[code].to_numpy(dtype=np.float64)
            cents[code] = np.floor(values * 100 + 0.5).astype(np.int64)
            top[code] = round(float(node["max"]) * 100)
    codes = [str(n["code"]) for n in order]
    parts = [str(c["code"]) for c in framework["components"]]
    total = sum((cents[c] for c in parts), np.zeros(len(frame), np.int64))
    total_max = sum(top[c] for c in parts)
    index = _half_up(total / total_max * 100)
    band = np.full(len(frame), None, dtype=object)
    for rule in reversed(framework["bands"]):
        band[index >= rule["min"]] = rule["label"]
    rank = _rank(total)
    # Every node's four figures as Python lists, one row per unit.
    node_score = np.stack([cents[c] / 100 for c in codes], axis=1).tolist()
    node_max = [top[c] / 100 for c in codes]
    node_index = np.stack([_half_up(cents[c] / top[c] * 100) for c in codes], axis=1).tolist()
    node_rank = np.stack([_rank(cents[c]) for c in codes], axis=1).tolist()
    order_units = sorted(range(len(frame)), key=lambda i: (rank[i], frame.unit_code[i]))
    lines = []
    for i in order_units:
        unit = {
            "unit_code": frame.unit_code[i],
            "unit_name": frame.unit_name[i],
            "score": total[i] / 100,
            "max": total_max / 100,
            "index": float(index[i]),
            "rank": int(rank[i]),
            "band": band[i],
            "components": {
                code: {"score": s, "max": m, "index": x, "rank": r}
                for code, s, m, x, r in zip(
                    codes, node_score[i], node_max, node_index[i], node_rank[i], strict=True
                )
            },
            "previous": None,
            "rank_change": None,
        }
        lines.append("    " + json.dumps(unit, ensure_ascii=False, separators=(", ", ": ")))
    counts = {rule["label"]: int(np.sum(band == rule["label"])) for rule in framework["bands"]}
    exact_index = total / total_max * 100
    summary = {
        "units": len(frame),
        "average_index": float(_half_up(np.array(math.fsum(exact_index) / len(frame)))),
        "band_counts": counts,
    }
    head = json.dumps(framework["code"], ensure_ascii=False)
    sys.stdout.write(
        f'{{\n  "framework": {head},\n  "year": {framework["year"]},\n  "units": [\n'
        + ",\n".join(lines)
        + f'\n  ],\n  "summary": {json.dumps(summary, ensure_ascii=False, separators=(", ", ": "))}\n}}\n'
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
