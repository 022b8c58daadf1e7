"""Benchmark `cchc survey index` on a national SIPAS wave against the floor (one DuckDB query).

Usage (from the repository root)::

    .venv/bin/python benchmarks/survey_index.py [--respondents 45000] [--repeat 3]

The ILLUSTRATIVE answers file (long CSV, ``respondent_id,unit_code,factor,question,answer``;
45 000 respondents x 22 questions in 5 factors = 990 000 rows, 40 units, seeded) is
generated once and cached in benchmarks/data/. Then, as child processes on the same file,
in the same run, best of ``--repeat`` (rounds interleaved so a burst of load on a shared
machine hits all alike):

- floor:    benchmarks/survey_floor.py, one hand-written DuckDB query (DuckDB's own CSV
  reader) for the satisfied/valid counts and respondents, Python for the Wilson intervals;
  it validates nothing;
- cchc:     ``cchc survey index FILE --format json`` (every check of the answers reader);
- rowwise:  the row-by-row reader (``read_answers`` + ``compute_index``), the path
  ``cchc survey index`` took before, and still takes to name the rows of a bad file
  (``--skip-rowwise`` leaves it out).

Peak memory is each child's ru_maxrss from os.wait4. The outputs must be byte-identical
(cchc and rowwise) and equal (floor), otherwise the script prints the difference and exits
with status 1. Results are appended as JSON lines to benchmarks/results/survey_index.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

QUESTIONS = 22
FACTORS = 5
UNITS = 40
GOAL_RATIO = 2.0

ROWWISE = (
    "import json, sys; from cchc.surveys import compute_index, index_json, read_answers; "
    "print(json.dumps(index_json(compute_index(read_answers(sys.argv[1]))), "
    "ensure_ascii=False, indent=2))"
)


def write_answers(path: Path, respondents: int, seed: int) -> None:
    """ILLUSTRATIVE answers: each respondent in one unit, one answer per question; about 6 %
    left unanswered (empty or 0), the rest skewed towards satisfied, varying by unit."""
    rng = random.Random(seed)
    lean = [rng.uniform(0.0, 1.5) for _ in range(UNITS)]
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        fh.write("respondent_id,unit_code,factor,question,answer\n")
        for r in range(respondents):
            unit = rng.randrange(UNITS)
            code = f"DV{unit + 1:02d}"
            lines = []
            for q in range(QUESTIONS):
                roll = rng.random()
                if roll < 0.03:
                    answer = ""
                elif roll < 0.06:
                    answer = "0"
                else:
                    answer = str(min(5, max(1, round(rng.gauss(3.6 + lean[unit] * 0.5, 1.0)))))
                lines.append(f"NT{r + 1:06d},{code},yt{q % FACTORS + 1},c{q + 1:02d},{answer}\n")
            fh.writelines(lines)
    tmp.replace(path)


def answers_path(data_dir: Path, respondents: int, seed: int) -> tuple[Path, float | None]:
    path = data_dir / f"survey_answers_{respondents}_s{seed}.csv"
    if path.exists():
        return path, None
    data_dir.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    write_answers(path, respondents, seed)
    return path, time.perf_counter() - began


def run_child(cmd: list[str]) -> tuple[float, float, str, str, int]:
    """Run `cmd`; return (wall seconds, peak RSS MiB, stdout, stderr, exit status)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return wall, usage.ru_maxrss / 1024, out.read(), err.read(), code


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
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=45_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-rowwise", action="store_true")
    parser.add_argument("--data-dir", type=Path, default=HERE / "data")
    parser.add_argument("--results", type=Path, default=HERE / "results" / "survey_index.jsonl")
    args = parser.parse_args(argv)

    path, generate_s = answers_path(args.data_dir, args.respondents, args.seed)
    commands = {
        "floor": [sys.executable, str(HERE / "survey_floor.py"), str(path)],
        "cchc": [*cchc_command(), "survey", "index", str(path), "--format", "json"],
    }
    if not args.skip_rowwise:
        commands["rowwise"] = [sys.executable, "-c", ROWWISE, str(path)]
    load_before = os.getloadavg()[0]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, float] = dict.fromkeys(commands, 0.0)
    outputs: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, cmd in commands.items():
            wall, rss, stdout, stderr, code = run_child(cmd)
            if code != 0:
                raise SystemExit(f"{name} failed (exit {code}): {' '.join(cmd)}\n{stderr}")
            walls[name].append(wall)
            peaks[name] = max(peaks[name], rss)
            outputs[name] = stdout
    load_after = os.getloadavg()[0]

    failures = []
    if json.loads(outputs["floor"]) != json.loads(outputs["cchc"]):
        failures.append("floor and cchc disagree")
    if "rowwise" in outputs and outputs["rowwise"] != outputs["cchc"]:
        failures.append("cchc's output is not byte-identical to the row-by-row reader's")
    best = {name: min(w) for name, w in walls.items()}
    record: dict[str, Any] = {
        "kind": "survey_index",
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "load": [round(load_before, 2), round(load_after, 2)],
        "respondents": args.respondents,
        "rows": args.respondents * QUESTIONS,
        "units": UNITS,
        "seed": args.seed,
        "repeat": args.repeat,
        "generate_s": None if generate_s is None else round(generate_s, 2),
        "agree": not failures,
        **{f"{name}_s": round(best[name], 3) for name in commands},
        **{f"{name}_rss_mib": round(peaks[name], 1) for name in commands},
        "cchc_over_floor": round(best["cchc"] / best["floor"], 2),
        "goal_ratio": GOAL_RATIO,
        "goal_ratio_met": best["cchc"] / best["floor"] <= GOAL_RATIO,
    }
    if "rowwise" in best:
        record["rowwise_over_floor"] = round(best["rowwise"] / best["floor"], 2)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    with args.results.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")

    print(f"\n{record['rows']:,} answer rows, {UNITS} units, best of {args.repeat}")
    print(f"{'program':<8} {'wall s':>8} {'peak MiB':>9}")
    for name in commands:
        print(f"{name:<8} {best[name]:>8.2f} {peaks[name]:>9.0f}")
    met = "met" if record["goal_ratio_met"] else "NOT met"
    print(f"cchc/floor {record['cchc_over_floor']:.2f} (goal <= {GOAL_RATIO:g}: {met})")
    if "rowwise_over_floor" in record:
        print(f"rowwise/floor {record['rowwise_over_floor']:.2f}")
    print(f"load average {load_before:.1f} -> {load_after:.1f} ({os.cpu_count()} CPUs)")
    print(f"appended to {os.path.relpath(args.results, ROOT)}")
    if failures:
        print("\nRESULTS DISAGREE: " + "; ".join(failures), file=sys.stderr)
        return 1
    print(", ".join(commands) + " agree.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
