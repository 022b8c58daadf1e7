"""Fill a fresh installation for the backup benchmark: the demo's units, published campaigns
and accounts, the desk's catalogue, an ILLUSTRATIVE generated ledger of N dossiers imported
through the desk's own importer (in chunks, as benchmarks/load/prepare.py does), and then,
by plain SQL, invented applicants and extra events so every dossier carries ``EVENTS``
events (the importer writes one).

Run by benchmarks/backup/run.py with DATABASE_URL / CCHC_DATA_DIR set; prints one JSON line.

    fill.py ROWS EVENTS
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
from django.db import connection, transaction  # noqa: E402

from cchc.service.generator import generate_ledger  # noqa: E402
from cchc.service.importer import write_ledger  # noqa: E402
from cchc.web import demo  # noqa: E402
from cchc.web.desk import demo as desk_demo  # noqa: E402
from cchc.web.desk.clock import local_now  # noqa: E402
from cchc.web.desk.ledger import import_ledger  # noqa: E402
from cchc.web.desk.models import Dossier, DossierEvent  # noqa: E402

CHUNK = 100_000

# Extra events per dossier, beyond the importer's "imported" one: what the desk would have
# written when receiving and when closing the dossier (texts invented, ILLUSTRATIVE). SQL
# expressions over the dossier row, by event column; other columns get their default.
EXTRA_EVENTS = (
    {"event": "'received'", "at": "received_at", "to_status": "'received'",
     "note": "'Tiếp nhận tại bộ phận một cửa'"},
    {"event": "'finished'", "at": "COALESCE(finished_at, received_at)",
     "from_status": "'received'", "to_status": "status",
     "note": "'Trả kết quả cho người nộp, đã ký nhận'"},
    {"event": "'note'", "at": "received_at", "from_status": "status", "to_status": "status",
     "note": "'Ghi chú xử lý hồ sơ số ' || id"},
)  # fmt: skip


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _add_applicants_and_events(events: int) -> None:
    dossier, event = Dossier._meta.db_table, DossierEvent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Real dossiers carry the applicant's name, phone and address (personal data): part
        # of every backup's size.
        cursor.execute(
            f"UPDATE {dossier} SET applicant_name = 'Nguyễn Thị Thu Hương', "
            f"applicant_phone = '0905' || (id % 1000000), "
            f"applicant_address = 'Số ' || id || ' đường Quang Trung, phường Bồng Sơn'"
        )
        fields = [f for f in DossierEvent._meta.concrete_fields if not f.primary_key]
        for extra in EXTRA_EVENTS[: max(0, events - 1)]:
            given = {"dossier_id": "id", "new_due_at": "due_at", "recorded_at": "created_at"}
            given |= extra
            values = [given.get(f.attname) or _literal(f.get_default()) for f in fields]
            cursor.execute(
                f"INSERT INTO {event} ({', '.join(f.column for f in fields)}) "
                f"SELECT {', '.join(values)} FROM {dossier}"
            )


def main(rows: int, events: int) -> None:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    ctx = demo.DemoContext()
    for step in (demo.load_units, demo.load_campaigns, demo.load_accounts):
        step(ctx)
    desk_demo.load_catalogue()
    end = local_now().date() - dt.timedelta(days=1)
    table = generate_ledger(rows, 766, end - dt.timedelta(days=365), end)
    with tempfile.TemporaryDirectory(prefix="cchc-bench-backup-") as folder:
        for offset in range(0, rows, CHUNK):
            path = Path(folder) / f"so-{offset}.parquet"
            write_ledger(table.slice(offset, CHUNK), path)
            import_ledger(path, user=None)
            print(f"  {min(offset + CHUNK, rows):>9,} hồ sơ", file=sys.stderr, flush=True)
    _add_applicants_and_events(events)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "dossiers": Dossier.objects.count(),
                "events": DossierEvent.objects.count(),
                "fill_seconds": round(time.perf_counter() - started, 1),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
