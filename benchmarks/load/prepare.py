"""Fill the benchmark database: demo units and published campaigns, the desk's catalogue, an
ILLUSTRATIVE generated ledger of N dossiers (imported through the desk's own importer, in
chunks), a one-stop officer with open dossiers, and a sample of dossier codes to look up.

Run by benchmarks/load/run.py with DATABASE_URL set; prints one JSON line.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from cchc.service.generator import generate_ledger  # noqa: E402
from cchc.service.importer import write_ledger  # noqa: E402
from cchc.web import demo  # noqa: E402
from cchc.web.accounts.models import Role, User  # noqa: E402
from cchc.web.desk import demo as desk_demo  # noqa: E402
from cchc.web.desk.clock import local_now  # noqa: E402
from cchc.web.desk.ledger import import_ledger  # noqa: E402
from cchc.web.desk.models import Dossier  # noqa: E402
from cchc.web.units.models import Unit  # noqa: E402

OFFICER = ("motcua.taiki", "BSO")
PASSWORD = "Tai-kiem-thu-2026"
CHUNK = 100_000


def main(rows: int, codes_out: Path) -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ctx = demo.DemoContext()
    for step in (demo.load_units, demo.load_campaigns, demo.load_accounts):
        step(ctx)
    desk_demo.load_catalogue()
    unit = Unit.objects.get(code=OFFICER[1])
    user, _ = User.objects.get_or_create(username=OFFICER[0])
    user.role, user.unit = Role.ONESTOP_OFFICER, unit
    user.set_password(PASSWORD)
    user.save()
    loaded = Dossier.objects.count()
    ledger_seconds = 0.0
    if loaded < rows:
        end = local_now().date() - dt.timedelta(days=1)
        start = end - dt.timedelta(days=365)
        t0 = time.perf_counter()
        table = generate_ledger(rows, 766, start, end)
        with tempfile.TemporaryDirectory(prefix="cchc-load-") as folder:
            for offset in range(0, rows, CHUNK):
                path = Path(folder) / f"so-{offset}.parquet"
                write_ledger(table.slice(offset, CHUNK), path)
                import_ledger(path, user=None)
                print(f"  {min(offset + CHUNK, rows):>9,} hồ sơ", file=sys.stderr, flush=True)
        desk_demo.load_open_dossiers(unit, user)
        ledger_seconds = time.perf_counter() - t0
    # Fresh planner statistics, as autovacuum gives a production database after a bulk load:
    # without them PostgreSQL guesses a unit holds a few hundred dossiers, not 70 000.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    codes = list(Dossier.objects.order_by("?").values_list("code", flat=True)[:2000])
    codes_out.write_text("\n".join(codes), encoding="utf-8")
    print(
        json.dumps(
            {
                "dossiers": Dossier.objects.count(),
                "open_at_officer_unit": Dossier.objects.filter(
                    unit=unit, finished_at__isnull=True
                ).count(),
                "ledger_seconds": round(ledger_seconds, 1),
                "prepare_seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), Path(sys.argv[2]))
