"""Markdown tables of benchmarks/results/load.jsonl (for docs/operations.md), numbers as 88,41."""

from __future__ import annotations

import json
from pathlib import Path

from cchc.fmt import format_int, format_number

RESULTS = Path(__file__).resolve().parents[1] / "results" / "load.jsonl"


def tables(path: Path = RESULTS) -> str:
    out: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        run = json.loads(line)
        think = run.get("think_seconds", 0.0)
        mode = (
            f"users pausing {format_number(think, 1)} s on average"
            if think
            else "saturation (no pause)"
        )
        out += [
            f"**{run['at'][:16].replace('T', ' ')} UTC** — {format_int(run['ledger_rows'])} dossiers, "
            f"{run['concurrency']} users, {mode}, {format_number(run['seconds_per_page'], 0)} s per page, "
            f"{run['server']}, {run['cpus']} CPUs",
            "",
            "| page | requests/s | p50 ms | p95 ms | p99 ms | p95 ÷ healthz | requests/s ÷ healthz | errors |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for name, page in run["pages"].items():
            out.append(
                f"| {name} | {format_number(page['rps'], 1)} | {format_number(page['p50_ms'], 1)} | "
                f"{format_number(page['p95_ms'], 1)} | {format_number(page['p99_ms'], 1)} | "
                f"{format_number(page['p95_vs_healthz'], 1)} | {format_number(page['rps_vs_healthz'], 2)} | "
                f"{format_int(page['errors'])} |"
            )
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(tables())
