"""Benchmark `cchc service index` against the floor (one DuckDB query) and a pandas baseline.

Usage (from the repository root)::

    .venv/bin/python benchmarks/service_index.py [--sizes 1000000,10000000] [--repeat 3]

A national year (the goal: ``cchc`` within 1.25x the floor, peak memory within 4 GiB,
linear growth from 10 M rows; pandas cannot hold 100 M rows and is left out)::

    .venv/bin/python benchmarks/service_index.py --sizes 10000000,100000000 --repeat 1 \
        --national --skip-pandas --goal-ratio 1.25 --goal-peak-mib 4096

``--national`` spreads the dossiers over every commune and ward of the country on
01/01/2026 (3 321 units, official codes from the registry) and over the period's year
only, as a national year's ledger is; the default ledger (the demo's units over 2024-2025)
cannot hold more than about 19 M dossiers, because a dossier code numbers at most 9 999
dossiers per unit and day (Circular 01/2018, Art. 19).

For each size the ILLUSTRATIVE ledger is generated once (cached in benchmarks/data/ by size
and seed), then three programs run as child processes on the same Parquet file, in the same
run, best of ``--repeat``:

- floor:  benchmarks/floor.py, one hand-written DuckDB query (the 766 rules, written
  independently of cchc);
- pandas: benchmarks/pandas_baseline.py, read_parquet + boolean masks + groupby;
- cchc:   ``cchc service index FILE --period P --format json``.

Each is timed as a whole process (start-up and imports included) and also reports its own
compute time; peak memory is the child's ru_maxrss from os.wait4. The three results must
agree per unit and indicator (numerators, denominators, rates, points, ranks), otherwise
the differences are printed and the script exits with status 1. Results are appended as
JSON lines to benchmarks/results/service_index.jsonl and printed as a table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from common import Result, differences, from_contract_json  # noqa: E402

PROBE_ROWS = 1_000


@dataclass
class Run:
    """Best wall time of a child process, its own compute time, its peak memory, its output."""

    wall: float
    compute: float | None
    rss_mib: float
    result: Result


def run_child(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """Run `cmd`; return (wall seconds, peak RSS MiB, stdout, stderr, exit status)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read(), err.read(), proc.returncode


def run_once(name: str, cmd: list[str]) -> Run:
    wall, rss, stdout, stderr, code = run_child(cmd)
    if code != 0:
        raise SystemExit(f"{name} failed (exit {code}): {' '.join(cmd)}\n{stderr.strip()}")
    doc = json.loads(stdout)
    if "units" in doc:  # the cchc JSON contract
        return Run(wall, None, rss, from_contract_json(doc))
    return Run(wall, float(doc["seconds"]), rss, doc["result"])


def best_of(commands: dict[str, list[str]], repeat: int) -> dict[str, Run]:
    """Best wall time per program over `repeat` rounds; peak memory the highest seen.

    Rounds interleave the programs (floor, pandas, cchc, floor, ...) so that a burst of
    load from other jobs on a shared machine hits all of them alike.
    """
    seen: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, cmd in commands.items():
            seen[name].append(run_once(name, cmd))
    best: dict[str, Run] = {}
    for name, runs in seen.items():
        fastest = min(runs, key=lambda r: r.wall)
        best[name] = Run(
            fastest.wall, fastest.compute, max(r.rss_mib for r in runs), fastest.result
        )
    return best


# Every commune and ward on this day is a unit of the national ledger (the 3 321 of the
# reform of 1 July 2025, Resolution 202/2025/QH15 and the Standing Committee's resolutions).
NATIONAL_ON = "2026-01-01"


def ledger_path(
    data_dir: Path, size: int, seed: int, national_year: int | None = None
) -> tuple[Path, float | None]:
    """The cached ledger for (size, seed[, national year]), generated on first use; seconds
    taken if generated."""
    suffix = f"_national{national_year}" if national_year else ""
    path = data_dir / f"ledger_{size}_s{seed}{suffix}.parquet"
    if path.exists():
        return path, None
    data_dir.mkdir(parents=True, exist_ok=True)
    # In a child process: this process must stay small, because a child's peak RSS (from
    # wait4) starts from the size of the parent it was forked from.
    code = (
        "import sys, datetime as dt; from pathlib import Path\n"
        "from cchc.service.generator import write_ledger\n"
        "from cchc.units.registry import national_registry\n"
        "path, size, seed, year = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), "
        "int(sys.argv[4])\n"
        "if year:\n"
        "    on = dt.date.fromisoformat(sys.argv[5])\n"
        "    units = [u.code for u in national_registry().units(level='commune', on=on)]\n"
        "    write_ledger(path, size, seed=seed, start=dt.date(year, 1, 1), "
        "end=dt.date(year, 12, 31), units=units)\n"
        "else:\n"
        "    write_ledger(path, size, seed=seed)\n"
    )
    wall, _, _, stderr, status = run_child(
        [sys.executable, "-c", code, str(path), str(size), str(seed), str(national_year or 0),
         NATIONAL_ON]
    )  # fmt: skip
    if status != 0:
        raise SystemExit(f"generating {path} failed:\n{stderr.strip()}")
    return path, wall


def cchc_command() -> list[str]:
    exe = Path(sys.executable).with_name("cchc")
    return [str(exe)] if exe.exists() else [shutil.which("cchc") or "cchc"]


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip()
    except OSError:
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000000,10000000", help="comma-separated row counts")
    parser.add_argument("--repeat", type=int, default=3, help="runs per program; the best counts")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--period", default="2025")
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "service_index.jsonl")
    parser.add_argument(
        "--skip-cchc", action="store_true", help="only floor and pandas (development)"
    )
    parser.add_argument(
        "--skip-pandas", action="store_true",
        help="only floor and cchc (a national ledger does not fit pandas' memory)",
    )
    parser.add_argument(
        "--national", action="store_true",
        help="every commune and ward of the country as units, dossiers of the period's year",
    )  # fmt: skip
    parser.add_argument("--goal-ratio", type=float, default=2.0, help="cchc/floor wall-time goal")
    parser.add_argument(
        "--goal-peak-mib", type=float, default=None, help="cchc peak-memory goal in MiB"
    )
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]

    national_year = int(args.period[:4]) if args.national else None
    py = sys.executable
    records: list[dict[str, Any]] = []
    failures: list[str] = []
    # A 1,000-row probe first: its time is each program's fixed cost (interpreter, imports,
    # planning), which hides linear growth at small sizes; growth is also shown without it.
    probe_size = PROBE_ROWS if len(sizes) > 1 and min(sizes) > PROBE_ROWS else None
    for size in ([probe_size] if probe_size else []) + sizes:
        path, gen_s = ledger_path(args.data_dir, size, args.seed, national_year)
        rel = os.path.relpath(path, ROOT)
        load_before = os.getloadavg()[0]
        print(
            f"size {size:,}: {rel}" + (f" (generated in {gen_s:.1f} s)" if gen_s else " (cached)")
        )
        commands = {"floor": [py, str(HERE / "floor.py"), str(path), args.period]}
        if not args.skip_pandas:
            commands["pandas"] = [py, str(HERE / "pandas_baseline.py"), str(path), args.period]
        if not args.skip_cchc:
            commands["cchc"] = [*cchc_command(), "service", "index", str(path), "--period",
                                args.period, "--engine", args.engine, "--format", "json"]  # fmt: skip
        runs = best_of(commands, args.repeat)
        names = list(runs)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                diff = differences(runs[a].result, runs[b].result, a, b)
                if diff:
                    failures.append(f"size {size}: {a} and {b} disagree:\n  " + "\n  ".join(diff))
        record: dict[str, Any] = {
            "kind": "size",
            "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "platform": platform.platform(),
            },
            # The 1-minute load average before and after: how noisy the machine was.
            "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "size": size,
            "seed": args.seed,
            "period": args.period,
            "engine": args.engine,
            "repeat": args.repeat,
            "generate_s": gen_s,
            "ledger": "national" if national_year else "demo",
            "units": len(runs["floor"].result),
            "agree": not any(f.startswith(f"size {size}:") for f in failures),
        }
        for name, run in runs.items():
            record[f"{name}_s"] = round(run.wall, 3)
            record[f"{name}_compute_s"] = None if run.compute is None else round(run.compute, 3)
            record[f"{name}_rss_mib"] = round(run.rss_mib, 1)
        if "cchc" in runs:
            record["cchc_over_floor"] = round(runs["cchc"].wall / runs["floor"].wall, 2)
            record["cchc_over_floor_query"] = round(
                runs["cchc"].wall / (runs["floor"].compute or 1), 2
            )
            if "pandas" in runs:
                record["pandas_over_cchc"] = round(runs["pandas"].wall / runs["cchc"].wall, 2)
            record["goal_ratio"] = args.goal_ratio
            record["goal_ratio_met"] = record["cchc_over_floor"] <= args.goal_ratio
            if args.goal_peak_mib is not None:
                record["goal_peak_mib"] = args.goal_peak_mib
                record["goal_peak_met"] = runs["cchc"].rss_mib <= args.goal_peak_mib
        records.append(record)

    if probe_size:
        fixed, lo, hi = records[0], records[1], records[-1]
        names = [n for n in ("floor", "pandas", "cchc") if f"{n}_s" in lo and f"{n}_s" in fixed]
        growth = {n: round(hi[f"{n}_s"] / lo[f"{n}_s"], 2) for n in names}
        marginal = {
            n: round(
                (hi[f"{n}_s"] - fixed[f"{n}_s"]) / max(lo[f"{n}_s"] - fixed[f"{n}_s"], 1e-3), 2
            )
            for n in names
        }
        records.append(
            {"kind": "growth", "from": lo["size"], "to": hi["size"], "fixed_cost_rows": probe_size,
             "time_ratio": growth, "time_ratio_without_fixed_cost": marginal}
        )  # fmt: skip

    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print_table(records)
    print(f"appended {len(records)} lines to {os.path.relpath(args.results, ROOT)}")
    if failures:
        print("\nRESULTS DISAGREE:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    print(", ".join(commands) + " agree on every unit and indicator.")
    return 0


def print_table(records: list[dict[str, Any]]) -> None:
    """Plain-text table: wall seconds (compute), peak MiB, ratios."""
    print()
    header = f"{'rows':>12} {'program':<8} {'wall s':>8} {'compute s':>10} {'peak MiB':>9}"
    print(header)
    print("-" * len(header))
    loads = [
        f"{r['size']:,}: {r['load'][0]:.1f}→{r['load'][1]:.1f}"
        for r in records
        if r["kind"] == "size"
    ]
    for rec in records:
        if rec["kind"] != "size":
            continue
        for name in ("floor", "pandas", "cchc"):
            if f"{name}_s" not in rec:
                continue
            compute = rec[f"{name}_compute_s"]
            print(
                f"{rec['size']:>12,} {name:<8} {rec[f'{name}_s']:>8.2f} "
                f"{'' if compute is None else f'{compute:.2f}':>10} {rec[f'{name}_rss_mib']:>9.0f}"
            )
        if "cchc_over_floor" in rec:
            pandas = (
                f", pandas/cchc {rec['pandas_over_cchc']:.2f} (target >= 3)"
                if "pandas_over_cchc" in rec
                else ""
            )
            met = "met" if rec["goal_ratio_met"] else "NOT met"
            print(
                f"{'':>12} ratios: cchc/floor {rec['cchc_over_floor']:.2f} (goal <= "
                f"{rec['goal_ratio']:g}: {met}; vs the bare query "
                f"{rec['cchc_over_floor_query']:.2f}){pandas}"
            )
            if "goal_peak_mib" in rec:
                met = "met" if rec["goal_peak_met"] else "NOT met"
                print(f"{'':>12} cchc peak {rec['cchc_rss_mib']:.0f} MiB (goal <= "
                      f"{rec['goal_peak_mib']:g} MiB: {met})")  # fmt: skip
    print("load average during each size: " + "; ".join(loads))
    for rec in records:
        if rec["kind"] == "growth":
            parts = ", ".join(f"{k} {v:.2f}" for k, v in rec["time_ratio"].items())
            linear = rec["to"] / rec["from"]
            print(f"time({rec['to']:,}) / time({rec['from']:,}): {parts} (linear = {linear:.0f})")
            parts = ", ".join(
                f"{k} {v:.2f}" for k, v in rec["time_ratio_without_fixed_cost"].items()
            )
            print(
                f"  the same minus each program's time on {rec['fixed_cost_rows']:,} rows "
                f"(its fixed cost): {parts}"
            )


if __name__ == "__main__":
    raise SystemExit(main())
