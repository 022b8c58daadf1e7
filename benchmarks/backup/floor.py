"""The floor of a logical backup: every backed-up table through the engine's own bulk path,
written into a DEFLATE ZIP like ``cchc backup``'s, and loaded back the same way.

    floor.py dump OUT.zip     (the installation DATABASE_URL / CCHC_DATA_DIR describe)
    floor.py load OUT.zip     (into that installation: migrated, empty)

PostgreSQL: ``COPY … TO STDOUT (FORMAT csv)`` and ``COPY … FROM STDIN``, which is what
pg_dump and pg_restore do with the rows. SQLite: ``SELECT *`` with every 1,000 raw rows
written as one JSON line (``json.dumps`` in C on what the driver returns, no conversion),
and ``executemany`` of plain INSERTs. Both load in one transaction. Nothing here is portable
between engines, checked, or keeps natural keys: it is the least work any logical backup
of these rows has to do, with the same driver and the same compression.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from cchc.web.ops.backup import backed_up_models  # noqa: E402
from cchc.web.ops.models import AuditHead  # noqa: E402


def tables() -> list[str]:
    """The tables ``cchc backup`` covers (models and their many-to-many link tables)."""
    out: list[str] = []
    for model in backed_up_models():
        out.append(model._meta.db_table)
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created:
                out.append(through._meta.db_table)
    return out


def _sqlite_batches(cursor: Any, table: str) -> Iterator[list[Any]]:
    cursor.execute(f'SELECT * FROM "{table}"')
    while batch := cursor.fetchmany(1000):
        yield batch


def dump(out: Path) -> None:
    raw = connection.cursor().connection  # the driver's own connection
    # Django's SQLite connection parses dates and decimals; the floor takes what is stored.
    plain = (
        sqlite3.connect(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    )
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for table in tables():
            with zf.open(f"{table}.data", "w") as member:
                if connection.vendor == "postgresql":
                    with (
                        raw.cursor() as cur,
                        cur.copy(f'COPY "{table}" TO STDOUT (FORMAT csv)') as copy,
                    ):
                        for block in copy:
                            member.write(block)
                else:
                    # One JSON line per 1,000 rows, as cchc-backup/2 does.
                    for batch in _sqlite_batches(plain.cursor(), table):
                        member.write(json.dumps(batch, ensure_ascii=False).encode() + b"\n")


def load(src: Path) -> None:
    raw = connection.cursor().connection
    with zipfile.ZipFile(src) as zf, transaction.atomic():
        AuditHead.objects.all().delete()  # migrate's seed row; the archive has the real one
        for table in tables():
            with zf.open(f"{table}.data") as member:
                if connection.vendor == "postgresql":
                    with (
                        raw.cursor() as cur,
                        cur.copy(f'COPY "{table}" FROM STDIN (FORMAT csv)') as copy,
                    ):
                        while block := member.read(1 << 20):
                            copy.write(block)
                else:
                    for line in member:
                        batch = json.loads(line)
                        sql = f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(batch[0]))})'
                        raw.executemany(sql, batch)


if __name__ == "__main__":
    began = time.perf_counter()
    {"dump": dump, "load": load}[sys.argv[1]](Path(sys.argv[2]))
    print(json.dumps({"seconds": round(time.perf_counter() - began, 2)}))
