"""Profile the load test's pages once each against the load database: SQL statements with
their time and plan, and where Python spends the request (the load goal in docs/operations.md).

    .venv/bin/python benchmarks/load/profile_pages.py --rows 1000000 [--explain] [--cprofile]

Run benchmarks/load/run.py first (it creates and fills ``cchc_load_<rows>``).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each statement")
    parser.add_argument("--cprofile", action="store_true", help="top functions per page")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative, tottime")
    args = parser.parse_args()
    base = os.environ.get("CCHC_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + f"/cchc_load_{args.rows}"
    os.environ.setdefault("CCHC_ENV", "development")
    os.environ.setdefault("CCHC_DATA_DIR", tempfile.mkdtemp(prefix="cchc-profile-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"
    sys.path.insert(0, str(HERE))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from prepare import OFFICER

    from cchc.web.accounts.models import User
    from cchc.web.desk.models import Dossier

    code = Dossier.objects.filter(unit__code=OFFICER[1]).values_list("code", flat=True).first()
    officer = Client()
    officer.force_login(User.objects.get(username=OFFICER[0]))
    pages = {
        "portal_home": (Client(), "/"),
        "lookup": (Client(), f"/tra-cuu/?ma={code}"),
        "ranking": (Client(), "/ket-qua/district/2022/"),
        "worklist": (officer, "/mot-cua/"),
    }
    for name, (client, path) in pages.items():
        client.get(path, HTTP_HOST="127.0.0.1")  # warm caches, as a running server would be
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            profiler = cProfile.Profile() if args.cprofile else None
            if profiler:
                profiler.enable()
            response = client.get(path, HTTP_HOST="127.0.0.1")
            if profiler:
                profiler.disable()
            elapsed = (time.perf_counter() - t0) * 1000
        print(f"== {name} {path}: {response.status_code}, {elapsed:.1f} ms, "
              f"{len(queries.captured_queries)} queries")
        for q in queries.captured_queries:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:300]}")
            if args.explain and q["sql"].lstrip().upper().startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + q["sql"])
                    for (line,) in cursor.fetchall():
                        print("        " + line)
        if profiler:
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(25)


if __name__ == "__main__":
    main()
