"""Benchmark ``cchc backup`` / ``cchc restore`` on a large dossier ledger, against a floor.

Usage (from the repository root)::

    .venv/bin/python benchmarks/backup/run.py --sizes 100000 [--engines sqlite,postgresql]

For each engine and size:

1. A source installation is filled (benchmarks/backup/fill.py, in a child process): demo
   units, campaigns and accounts, an ILLUSTRATIVE generated ledger of N dossiers imported
   through the desk's importer, invented applicants, ``--events`` events per dossier.
   PostgreSQL: the database ``cchc_bench_backup_<N>_e<events>`` on the test server
   (``CCHC_TEST_POSTGRES``); SQLite: a data folder under benchmarks/data/backup/.
2. Each program runs as a child process, timed as a whole (start-up included), peak memory
   from ``os.wait4``'s ru_maxrss, best wall time of ``--repeat`` rounds interleaving the
   programs:
   - ``cchc backup OUT.zip`` and ``cchc restore OUT.zip`` (into a migrated, empty target,
     as an operator restores: the command's own ``migrate`` then finds nothing to do);
   - the floor (benchmarks/backup/floor.py): every backed-up table through the engine's
     bulk path (COPY on PostgreSQL, raw SELECT / executemany on SQLite) into and out of
     the same kind of ZIP;
   - PostgreSQL only: ``pg_dump --format=custom`` and ``pg_restore --single-transaction``
     into an empty database, the alternative docs/operations.md used to recommend.
3. Every restore is checked: each backed-up table has as many rows as in the source.
   Results are printed and appended as one JSON line per engine and size to
   benchmarks/results/backup.jsonl.

Targets are dropped after each run; sources too unless ``--keep`` (for repeated runs while
iterating; drop them later with ``--drop``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WORK = ROOT / "benchmarks" / "data" / "backup"
RESULTS = ROOT / "benchmarks" / "results" / "backup.jsonl"
PG = os.environ.get("CCHC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
PY = sys.executable
CCHC = [PY, "-c", "from cchc.cli import main; main()"]
COUNTS = (
    "import os, json, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.web.settings')\n"
    "django.setup()\n"
    "from cchc.web.ops.backup import backed_up_models\n"
    "print(json.dumps({m._meta.label_lower: m._base_manager.count() "
    "for m in backed_up_models()}))\n"
)
MIGRATE = (
    "import os, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.web.settings')\n"
    "django.setup()\n"
    "from django.core.management import call_command\n"
    "call_command('migrate', verbosity=0)\n"
)


@dataclass
class Installation:
    """One cchc installation: a data folder and, on PostgreSQL, its own database."""

    engine: str
    data_dir: Path
    database: str | None = None  # PostgreSQL database name

    @property
    def url(self) -> str | None:
        return None if self.database is None else PG.rsplit("/", 1)[0] + "/" + self.database

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("CCHC_", "DJANGO_", "DATABASE_URL"))
        }
        env.update(CCHC_ENV="development", CCHC_DATA_DIR=str(self.data_dir))
        if self.url:
            env["DATABASE_URL"] = self.url
        return env

    def exists(self) -> bool:
        if self.database is None:
            return (self.data_dir / "cchc.sqlite3").exists()
        return _pg_exists(self.database)

    def drop(self) -> None:
        if self.database is not None:
            _pg(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _pg(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        conn.execute(sql)


def _pg_exists(name: str) -> bool:
    import psycopg

    with psycopg.connect(PG, autocommit=True) as conn:
        return bool(
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        )


@dataclass
class Measure:
    wall: float
    rss_mib: float
    stdout: str


def child(name: str, cmd: list[str], env: dict[str, str] | None = None) -> Measure:
    """Run ``cmd`` to completion; its wall time and peak RSS (ru_maxrss from wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        began = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"{name} failed (exit {proc.returncode}):\n{err.read()[-3000:]}")
        return Measure(wall, usage.ru_maxrss / 1024, out.read())


def counts(inst: Installation) -> dict[str, int]:
    return dict(json.loads(child("counts", [PY, "-c", COUNTS], inst.env).stdout))


def source(engine: str, rows: int, events: int) -> tuple[Installation, dict[str, int]]:
    """The filled source installation for (engine, rows, events), reused when present."""
    tag = f"{rows}_e{events}"
    inst = Installation(
        engine,
        WORK / f"{engine}-{tag}",
        f"cchc_bench_backup_{tag}" if engine == "postgresql" else None,
    )
    marker = WORK / f"{engine}-{tag}.json"
    if inst.exists() and marker.exists():
        # Other work may have added migrations since the source was filled.
        child("migrate", [PY, "-c", MIGRATE], inst.env)
        return inst, counts(inst)
    inst.drop()
    inst.data_dir.mkdir(parents=True, exist_ok=True)
    if inst.database:
        _pg(f'CREATE DATABASE "{inst.database}"')
    print(f"filling {engine} with {rows:,} dossiers …", file=sys.stderr, flush=True)
    filled = child("fill", [PY, str(HERE / "fill.py"), str(rows), str(events)], inst.env)
    print(f"  {filled.stdout.strip()} in {filled.wall:.0f} s", file=sys.stderr, flush=True)
    found = counts(inst)
    marker.write_text(json.dumps(found))
    return inst, found


class Targets:
    """Empty, migrated installations for restores, copied from one migrated template."""

    def __init__(self, engine: str, work: Path) -> None:
        self.engine, self.work = engine, work
        self.run_id = uuid.uuid4().hex[:8]
        self.template = self._blank("tmpl")
        child("migrate", [PY, "-c", MIGRATE], self.template.env)
        self.made: list[Installation] = [self.template]

    def _blank(self, tag: str, template: str | None = None) -> Installation:
        pg = self.engine == "postgresql"
        inst = Installation(
            self.engine,
            self.work / f"{tag}-{self.run_id}",
            f"cchc_bench_backup_{tag}_{self.run_id}" if pg else None,
        )
        inst.data_dir.mkdir(parents=True)
        if pg:
            extra = f' TEMPLATE "{template}"' if template else ""
            _pg(f'CREATE DATABASE "{inst.database}"{extra}')
        return inst

    def migrated(self, tag: str) -> Installation:
        inst = self._blank(tag, self.template.database)
        if self.engine == "sqlite":
            shutil.copy(self.template.data_dir / "cchc.sqlite3", inst.data_dir / "cchc.sqlite3")
        self.made.append(inst)
        return inst

    def empty_database(self, tag: str) -> Installation:
        inst = self._blank(tag)
        self.made.append(inst)
        return inst

    def drop(self, inst: Installation) -> None:
        inst.drop()
        self.made.remove(inst)

    def drop_all(self) -> None:
        for inst in list(self.made):
            self.drop(inst)


def _checked(name: str, inst: Installation, expected: dict[str, int]) -> None:
    got = counts(inst)
    wrong = {k: (v, got.get(k)) for k, v in expected.items() if got.get(k) != v}
    if wrong:
        raise SystemExit(f"{name}: row counts differ after restore (expected, got): {wrong}")


# (numerator, denominator) of each reported ratio.
RATIOS = {
    "backup_over_floor": ("cchc backup", "floor dump"),
    "restore_over_floor": ("cchc restore", "floor load"),
    "backup_over_pg_dump": ("cchc backup", "pg_dump"),
    "restore_over_pg_restore": ("cchc restore", "pg_restore"),
}


def measure(
    engine: str, rows: int, events: int, repeat: int, skip: frozenset[str]
) -> dict[str, object]:
    src, expected = source(engine, rows, events)
    work = WORK / "runs"
    work.mkdir(parents=True, exist_ok=True)
    targets = Targets(engine, work)
    archive, floor_zip, dump = work / "cchc.zip", work / "floor.zip", work / "pg.dump"
    pg = engine == "postgresql"
    dumps = {
        "floor dump": ([PY, str(HERE / "floor.py"), "dump", str(floor_zip)], src.env),
        "cchc backup": ([*CCHC, "backup", str(archive), "--force"], src.env),
    }
    if pg:
        dumps["pg_dump"] = (["pg_dump", "--format=custom", "-f", str(dump), str(src.url)], None)
    # name: (the dump it reads, how its target is made, its command for that target)
    restores = {
        "floor load": (
            "floor dump",
            targets.migrated,
            lambda dst: ([PY, str(HERE / "floor.py"), "load", str(floor_zip)], dst.env),
        ),
        "cchc restore": (
            "cchc backup",
            targets.migrated,
            lambda dst: ([*CCHC, "restore", str(archive)], dst.env),
        ),
    }
    if pg:
        pg_restore = ["pg_restore", "--single-transaction", "--no-owner", "-d"]
        restores["pg_restore"] = (
            "pg_dump",
            targets.empty_database,
            lambda dst: ([*pg_restore, str(dst.url), str(dump)], None),
        )
    best: dict[str, Measure] = {}

    def keep(name: str, m: Measure) -> None:
        old = best.get(name)
        if old is None or m.wall < old.wall:
            best[name] = Measure(m.wall, max(m.rss_mib, old.rss_mib if old else 0), m.stdout)
        else:
            old.rss_mib = max(old.rss_mib, m.rss_mib)

    load_before = os.getloadavg()[0]
    sizes: dict[str, int] = {}
    try:
        for _ in range(repeat):
            for name, (cmd, env) in dumps.items():
                if name not in skip:
                    keep(name, child(name, cmd, env))
            for name, (needs, make, command) in restores.items():
                if name in skip or needs in skip:
                    continue
                dst = make(name.split()[0].replace("_", ""))
                cmd, env = command(dst)
                keep(name, child(name, cmd, env))
                _checked(name, dst, expected)
                targets.drop(dst)
        for key, path in (("cchc", archive), ("floor", floor_zip), ("pg_dump", dump)):
            if path.exists():
                sizes[key] = path.stat().st_size
    finally:
        targets.drop_all()
        for path in (archive, floor_zip, dump):
            path.unlink(missing_ok=True)
    ratios = {
        key: round(best[a].wall / best[b].wall, 2)
        for key, (a, b) in RATIOS.items()
        if a in best and b in best
    }
    return {
        "engine": engine,
        "dossiers": expected["desk.dossier"],
        "events": expected["desk.dossierevent"],
        "rows": sum(expected.values()),
        "repeat": repeat,
        "programs": {
            k: {"wall_s": round(m.wall, 2), "peak_mib": round(m.rss_mib)} for k, m in best.items()
        },
        "archive_mib": {k: round(v / 2**20, 1) for k, v in sizes.items()},
        "ratios": ratios,
        "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def _cchc_source() -> tuple[str, str]:
    """Where the children import cchc from (PYTHONPATH may point at another checkout), and
    that checkout's commit (``+dirty`` when its src/ has uncommitted changes)."""
    spec = importlib.util.find_spec("cchc")
    src = Path(spec.origin).parents[1] if spec and spec.origin else ROOT / "src"
    git = ["git", "-C", str(src.parent)]
    out = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run([*git, "status", "--porcelain", "src"], capture_output=True, text=True)
    return str(src), out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def report(result: dict[str, object]) -> None:
    print(f"\n{result['engine']}: {result['dossiers']:,} dossiers, {result['events']:,} events, "
          f"{result['rows']:,} rows in all (load {result['load']})")  # fmt: skip
    print(f"  {'program':<14}{'wall s':>9}{'peak MiB':>10}")
    programs = result["programs"]
    assert isinstance(programs, dict)
    for name, m in programs.items():
        print(f"  {name:<14}{m['wall_s']:>9.2f}{m['peak_mib']:>10}")
    print(f"  archives MiB: {result['archive_mib']}")
    print(f"  ratios: {result['ratios']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000", help="dossier counts, comma-separated")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--events", type=int, default=3, help="events per dossier (1–4)")
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the best wall time counts")
    parser.add_argument("--keep", action="store_true", help="keep the filled sources for next time")
    parser.add_argument("--drop", action="store_true", help="only drop kept sources, then exit")
    parser.add_argument("--note", default="", help="free text stored with the results")
    parser.add_argument(
        "--skip",
        default="",
        help="programs not to run, comma-separated (e.g. 'cchc restore'; skipping a dump "
        "skips its restore)",
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    if args.drop:
        for engine in engines:
            for rows in sizes:
                tag = f"{rows}_e{args.events}"
                db = f"cchc_bench_backup_{tag}" if engine == "postgresql" else None
                Installation(engine, WORK / f"{engine}-{tag}", db).drop()
                (WORK / f"{engine}-{tag}.json").unlink(missing_ok=True)
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    source_dir, commit = _cchc_source()
    print(f"cchc from {source_dir} ({commit})", file=sys.stderr)
    try:
        for rows in sizes:
            for engine in engines:
                skip = frozenset(p.strip() for p in args.skip.split(",") if p.strip())
                result = measure(engine, rows, args.events, args.repeat, skip)
                result.update(
                    at=datetime.now(UTC).isoformat(timespec="seconds"),
                    cchc_src=source_dir,
                    commit=commit,
                    python=platform.python_version(),
                    note=args.note,
                )
                report(result)
                with RESULTS.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if not args.keep:
            for rows in sizes:
                for engine in engines:
                    tag = f"{rows}_e{args.events}"
                    db = f"cchc_bench_backup_{tag}" if engine == "postgresql" else None
                    Installation(engine, WORK / f"{engine}-{tag}", db).drop()
                    (WORK / f"{engine}-{tag}.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
