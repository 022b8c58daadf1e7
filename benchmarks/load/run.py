"""Loopback load test of the web application on PostgreSQL (method and figures: docs/operations.md).

    .venv/bin/python benchmarks/load/run.py --rows 100000 --concurrency 50 --seconds 15

1. Creates (or reuses) the PostgreSQL database ``cchc_load_<rows>`` on the test server
   (``CCHC_TEST_POSTGRES``) and fills it (benchmarks/load/prepare.py): demo units and
   published campaigns, an ILLUSTRATIVE generated ledger of ``--rows`` dossiers imported
   through the desk's importer, a one-stop officer with open dossiers.
2. Starts the application on 127.0.0.1 (benchmarks/load/serve.py, the same call as
   ``cchc serve``: ``--workers`` waitress processes of ``--threads`` threads, with
   ``--cache`` as CCHC_CACHE_URL; only the look-up's per-address limit is lifted, see
   load_settings.py).
3. For each page, ``--concurrency`` client threads (simulated users) with keep-alive
   connections request it for ``--seconds`` (at most ``--max-requests``), back to back
   (``--think 0``, a saturation test) or with exponential pauses of mean ``--think`` seconds: /healthz, the portal home (published
   ranking), a ranking page, the dossier look-up by code (random existing codes) and the
   officer's work list (logged in). Loopback only, bounded in time and count.
4. Prints requests/s and p50/p95/p99 latency per page and the ratio to /healthz measured in
   the same run, and appends one JSON line to benchmarks/results/load.jsonl.

The client runs on the same machine as the server and PostgreSQL, so they share its CPUs:
figures are a floor for a dedicated server, and say how a page compares with the health check.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load.jsonl"
PG = os.environ.get("CCHC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
OFFICER, PASSWORD = "motcua.taiki", "Tai-kiem-thu-2026"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _database(rows: int) -> str:
    import psycopg

    name = f"cchc_load_{rows}"
    with psycopg.connect(PG, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return PG.rsplit("/", 1)[0] + "/" + name


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> dict[str, float | int | dict[int, int]]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else 0.0

        return {
            "requests": len(lat),
            "errors": self.errors,
            "statuses": self.statuses,
            "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(0.50),
            "p95_ms": pct(0.95),
            "p99_ms": pct(0.99),
        }


class Client:
    """One keep-alive connection, with cookies (for the logged-in officer)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}/"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            self.cookies.update({k: m.value for k, m in jar.items()})
        return response.status, data

    def log_in(self) -> None:
        _, page = self.request("GET", "/tai-khoan/dang-nhap/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "no CSRF token on the log-in page"
        body = urlencode(
            {
                "username": OFFICER,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1).decode(),
            }
        )
        status, _ = self.request("POST", "/tai-khoan/dang-nhap/", body)
        assert status == 302, f"log-in answered {status}"


def run_phase(name: str, port: int, paths: list[str], concurrency: int, seconds: float,
              max_requests: int, logged_in: bool, think: float = 0.0) -> Phase:  # fmt: skip
    phase = Phase(name)
    lock = threading.Lock()
    count = [0]
    clients = [Client(port) for _ in range(concurrency)]
    if logged_in:
        for c in clients:
            c.log_in()
    start = time.perf_counter()
    deadline = start + seconds

    def work(client: Client, rng: random.Random) -> None:
        while time.perf_counter() < deadline:
            with lock:
                if count[0] >= max_requests:
                    return
                count[0] += 1
            if think:
                # A person reads the page before the next click: exponential pauses, mean `think`.
                time.sleep(
                    min(rng.expovariate(1 / think), deadline - time.perf_counter(), 10 * think)
                )
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                status, _ = client.request("GET", path)
            except (OSError, http.client.HTTPException):
                with lock:
                    phase.errors += 1
                continue
            elapsed = time.perf_counter() - t0
            with lock:
                phase.latencies.append(elapsed)
                phase.statuses[status] = phase.statuses.get(status, 0) + 1
                if status != 200:
                    phase.errors += 1

    threads = [
        threading.Thread(target=work, args=(c, random.Random(i))) for i, c in enumerate(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    phase.seconds = time.perf_counter() - start
    return phase


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=20_000)
    parser.add_argument(
        "--threads", type=int, default=8, help="waitress threads per process (cchc serve --threads)"
    )
    parser.add_argument(
        "--workers", type=int, default=1, help="server processes (cchc serve --workers)"
    )
    parser.add_argument(
        "--cache", default="",
        help="CCHC_CACHE_URL for the server (needed with --workers > 1: database or redis://…)",
    )  # fmt: skip
    parser.add_argument(
        "--think", type=float, default=0.0,
        help="mean pause (s) between a user's requests; 0 = saturation test",
    )  # fmt: skip
    parser.add_argument("--no-record", action="store_true", help="do not append to load.jsonl")
    parser.add_argument(
        "--switch-interval", type=float, default=0.0,
        help="experiment: the server's sys.setswitchinterval in seconds (0 = Python's 5 ms)",
    )  # fmt: skip
    parser.add_argument(
        "--pages", default="",
        help="comma-separated subset of portal_home,ranking,lookup,officer_worklist "
        "(/healthz always runs; for quick comparisons, with --no-record)",
    )  # fmt: skip
    args = parser.parse_args()

    url = _database(args.rows)
    env = {**os.environ, "DATABASE_URL": url, "CCHC_ENV": "development",
           "CCHC_DATA_DIR": str(ROOT / "var" / "load"), "PYTHONPATH": str(HERE),
           "CCHC_CACHE_URL": args.cache}  # fmt: skip
    if args.workers > 1 and not args.cache:
        parser.error("--workers > 1 needs --cache database or --cache redis://127.0.0.1:6379/0")
    codes_file = ROOT / "var" / "load" / "codes.txt"
    codes_file.parent.mkdir(parents=True, exist_ok=True)
    print(f"Chuẩn bị cơ sở dữ liệu {url.rsplit('/', 1)[1]} ({args.rows:,} hồ sơ)…", file=sys.stderr)
    prepared = subprocess.run(
        [sys.executable, str(HERE / "prepare.py"), str(args.rows), str(codes_file)],
        env=env, capture_output=False, stdout=subprocess.PIPE, text=True, check=True,
    )  # fmt: skip
    prep = json.loads(prepared.stdout.strip().splitlines()[-1])
    codes = codes_file.read_text(encoding="utf-8").split()

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, str(HERE / "serve.py"), str(port), str(args.threads),
         str(args.workers), str(args.switch_interval)],
        env=env,
    )
    try:
        probe = Client(port)
        for _ in range(300):
            try:
                if probe.request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("the server did not answer /healthz")
        _, home = probe.request("GET", "/")
        ranking = re.search(rb'href="(/ket-qua/[a-z-]+/\d{4}/)"', home)
        pages = {
            "healthz": (["/healthz"], False),
            "portal_home": (["/"], False),
            "ranking": ([ranking.group(1).decode() if ranking else "/"], False),
            "lookup": ([f"/tra-cuu/?ma={c}" for c in codes], False),
            "officer_worklist": (["/mot-cua/"], True),
        }
        wanted = {"healthz", *filter(None, args.pages.split(","))} if args.pages else set(pages)
        results: dict[str, dict] = {}
        for name, (paths, logged_in) in pages.items():
            if name not in wanted:
                continue
            phase = run_phase(name, port, paths, args.concurrency, args.seconds,
                              args.max_requests, logged_in, args.think)  # fmt: skip
            results[name] = phase.summary()
            print(f"{name:18} {results[name]}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)

    health = results["healthz"]
    for summary in results.values():
        summary["p95_vs_healthz"] = (
            round(summary["p95_ms"] / health["p95_ms"], 2) if health["p95_ms"] else None
        )
        summary["rps_vs_healthz"] = (
            round(summary["rps"] / health["rps"], 3) if health["rps"] else None
        )
    record = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "load",
        "database": "postgresql",
        "server": f"waitress threads={args.threads}"
        + (f", workers={args.workers}, cache {args.cache}" if args.workers > 1 else "")
        + (f", switch interval {args.switch_interval * 1000:g} ms" if args.switch_interval else ""),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "concurrency": args.concurrency,
        "think_seconds": args.think,
        "seconds_per_page": args.seconds,
        "max_requests_per_page": args.max_requests,
        "ledger_rows": args.rows,
        "prepare": prep,
        "ranking_path": pages["ranking"][0][0],
        "pages": results,
    }
    print(json.dumps(record, ensure_ascii=False, indent=1))
    if not args.no_record:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
