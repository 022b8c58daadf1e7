"""A table's rows leave in chunks and come back equal (``cchc-backup/2``'s table members).

In-process and small: the chunk size is cut to 3 rows so seven rows cross chunk borders the
way a million do. Run on SQLite by default and on PostgreSQL (COPY) with
CCHC_TEST_DATABASE_URL. The whole command, files and databases, is tests/ops/test_backup.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import models

from cchc.web.accounts.models import User
from cchc.web.desk.models import Dossier, DossierEvent, Procedure, Rating
from cchc.web.ops import backup, backup_rows
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db
AT = dt.datetime(2025, 12, 30, 8, 15, 42, 123456, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup_rows, "CHUNK", 3)


@pytest.fixture
def ledger() -> None:
    unit = Unit.objects.create(code="BSO", name="Phường Bồng Sơn", level="commune")
    procedure = Procedure.objects.create(
        code="1.001", name="Đăng ký khai sinh", time_limit=3, fee=Decimal("8000")
    )
    for n in range(7):
        d = Dossier.objects.create(
            code=f"BSO-251230-{n:04d}",
            unit=unit,
            procedure=procedure,
            procedure_code="1.001",
            channel="counter",
            status="returned" if n % 2 else "processing",
            received_at=AT + dt.timedelta(minutes=n),
            finished_at=AT + dt.timedelta(days=1, microseconds=n) if n % 2 else None,
            applicant_name=f"Nguyễn Thị Thu Hương {n}",
            paid_online=bool(n % 3),
        )
        DossierEvent.objects.create(dossier=d, event="received", at=d.received_at, to_status="x")
    Rating.objects.create(
        dossier=Dossier.objects.get(code="BSO-251230-0001"),
        value="like",
        criteria={"thái độ": 5, "ghi chú": ["nhanh", None]},
        created_at=AT,
    )


def _rows(model: type[models.Model]) -> list[dict[str, Any]]:
    return list(model._base_manager.order_by("pk").values())


def _out(model: type[models.Model]) -> tuple[int, list[bytes]]:
    buffer = io.BytesIO()
    count = backup_rows.write_table(model, buffer, backup_rows.natural_keys())
    return count, buffer.getvalue().splitlines(keepends=True)


def _back(model: type[models.Model], lines: list[bytes]) -> int:
    loader = backup_rows.TableLoader(model, json.loads(lines[0]))
    loader.use_natural_keys(backup_rows.natural_ids())
    return loader.load(iter(lines[1:]))


@pytest.mark.parametrize("model", [Procedure, Dossier, DossierEvent, Rating])
def test_rows_come_back_equal_across_chunk_borders(ledger, model):
    before = _rows(model)
    count, lines = _out(model)
    assert count == len(before)
    assert len(lines) == 1 + -(-count // 3)  # a header, then chunks of three rows
    assert json.loads(lines[0])["columns"] == [f.attname for f in model._meta.concrete_fields]
    # Dependants first (the foreign keys are checked at commit, not here), then reload all.
    for dependant in (Rating, DossierEvent, Dossier, Procedure):
        if dependant is model:
            break
        dependant._base_manager.all().delete()
    model._base_manager.all().delete()
    assert _back(model, lines) == count
    assert _rows(model) == before


def test_times_keep_their_microseconds_and_automatic_stamps_are_not_renewed(ledger):
    created = list(Dossier.objects.order_by("pk").values_list("created_at", flat=True))
    _, lines = _out(Dossier)
    first = json.loads(lines[1])[0]
    assert "2025-12-30T08:15:42.123456Z" in first
    DossierEvent.objects.all().delete()
    Rating.objects.all().delete()
    Dossier.objects.all().delete()
    _back(Dossier, lines)
    # created_at is auto_now_add: a plain bulk_create would have stamped it with "now".
    assert list(Dossier.objects.order_by("pk").values_list("created_at", flat=True)) == created


def test_permissions_travel_by_natural_key():
    user = User.objects.create(username="quantri")
    user.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    link = User.user_permissions.through
    _, lines = _out(link)
    assert json.loads(lines[0])["natural_keys"] == {"permission_id": "auth.permission"}
    assert json.loads(lines[1])[0][-1] == ["view_dossier", "desk", "dossier"]
    link.objects.all().delete()
    _back(link, lines)
    assert list(user.user_permissions.values_list("codename", flat=True)) == ["view_dossier"]


def test_a_permission_unknown_here_is_named():
    user = User.objects.create(username="quantri")
    user.user_permissions.add(Permission.objects.get(codename="view_dossier"))
    link = User.user_permissions.through
    _, lines = _out(link)
    link.objects.all().delete()
    edited = lines[1].replace(b'"view_dossier"', b'"xem_bang_cu"')
    with pytest.raises(backup_rows.TableError, match=r"auth.permission \['xem_bang_cu'"):
        _back(link, [lines[0], edited])


def test_a_member_from_another_schema_is_refused_by_its_columns(ledger):
    _, lines = _out(Procedure)
    header = json.loads(lines[0])
    header["columns"] = header["columns"][:-1]
    with pytest.raises(backup_rows.TableError, match="không khớp bảng desk_procedure"):
        backup_rows.TableLoader(Procedure, header)


def test_a_time_without_fraction_is_found_again_by_equality(ledger):
    whole = AT.replace(microsecond=0)
    Dossier.objects.filter(code="BSO-251230-0000").update(received_at=whole)
    _, lines = _out(Dossier)
    DossierEvent.objects.all().delete()
    Rating.objects.all().delete()
    Dossier.objects.all().delete()
    _back(Dossier, lines)
    # SQLite compares times as text: a stored "…:42.000000" would not equal "…:42".
    assert list(Dossier.objects.filter(received_at=whole).values_list("code", flat=True)) == [
        "BSO-251230-0000"
    ]


@pytest.mark.parametrize(
    ("archived", "stored"),
    [
        ("2025-12-30T08:15:42.123456Z", "2025-12-30 08:15:42.123456"),
        ("2025-12-30T08:15:42.000000Z", "2025-12-30 08:15:42"),  # as PostgreSQL prints it
        ("2025-12-30T08:15:42Z", "2025-12-30 08:15:42"),
        ("2025-12-30T15:15:42.5+07:00", "2025-12-30 08:15:42.500000"),
    ],
)
def test_archived_times_become_the_text_djangos_sqlite_back_end_stores(archived, stored):
    assert backup_rows._sqlite_text(archived) == stored


def test_a_failure_to_write_the_archive_reaches_the_backup():
    class FullDisk:
        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

    writer = backup._MemberWriter(FullDisk(), hashlib.sha256())  # type: ignore[arg-type]
    writer.write(b"[[1]]\n")
    with pytest.raises(OSError, match="No space left"):
        writer.close()
