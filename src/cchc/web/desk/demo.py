"""The desk's demo step for ``cchc serve --demo``: catalogue, a generated ledger, an officer.

The ledger is ILLUSTRATIVE (``cchc.service.generator``: invented volumes and outcomes for
Hoài Nhơn's wards and communes), deterministic for a given seed and end date. It ends
yesterday, so the work lists show dossiers due today and overdue ones.
"""

from __future__ import annotations

import datetime as dt
import secrets
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from cchc.service.generator import CATALOGUE, DEFAULT_UNITS, generate_ledger
from cchc.service.importer import write_ledger
from cchc.web.desk.clock import from_local, local_now
from cchc.web.desk.ledger import import_ledger
from cchc.web.desk.models import Dossier, Procedure
from cchc.web.units.lookup import find_unit, units_by_code

DEMO_ROWS = 3000
DEMO_SEED = 766
DEMO_DAYS = 200
# The ward whose one-stop officer account the demo prints (Phường Bồng Sơn).
DEMO_OFFICER = ("motcua.bongson", "BSO")
# Illustrative fee for procedures the generator marks as charging one.
DEMO_FEE = Decimal(20000)


# The field (lĩnh vực) of each illustrative procedure, by its code's prefix: the names the
# published catalogues of communal-level procedures use for these fields.
DEMO_FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "XH": "Bảo trợ xã hội",
    "KD": "Thành lập và hoạt động của hộ kinh doanh",
    "DD": "Đất đai",
    "XD": "Hoạt động xây dựng",
    "AT": "An toàn thực phẩm",
}


def load_catalogue() -> int:
    """The generator's illustrative catalogue as procedures (idempotent)."""
    for p in CATALOGUE:
        Procedure.objects.update_or_create(
            code=p.code,
            defaults={
                "name": p.name,
                "field": DEMO_FIELDS.get(p.code.split("-")[0], ""),
                "time_limit": p.limit_days,
                "time_unit": "working-days",
                "fee": DEMO_FEE if p.has_fee else Decimal(0),
                "online_eligible": p.online_eligible,
                "requires_result_document": p.requires_result_document,
                "illustrative": True,
            },
        )
    return len(CATALOGUE)


def load_ledger(rows: int = DEMO_ROWS, seed: int = DEMO_SEED) -> int:
    """Import a generated ledger ending yesterday unless dossiers are already stored."""
    if Dossier.objects.filter(unit__in=units_by_code(DEFAULT_UNITS).values()).exists():
        return 0
    end = local_now().date() - dt.timedelta(days=1)
    table = generate_ledger(rows, seed, end - dt.timedelta(days=DEMO_DAYS), end)
    with tempfile.TemporaryDirectory(prefix="cchc-desk-demo-") as folder:
        path = Path(folder) / "so-ho-so-minh-hoa.parquet"
        write_ledger(table, path)
        return import_ledger(path, user=None)


def load_open_dossiers(unit: Any, user: Any) -> int:
    """A few open dossiers at the ward's desk: three due today, two past their date.

    Received through the desk's own services, so codes, appointments and events are real;
    applicants are invented (illustrative).
    """
    from cchc.web.desk.services import receive

    now = local_now()
    made = 0
    # Due today: same-day procedures received this morning, due at the end of the working
    # day, or when the demo starts later, halfway to midnight (still today: an hour from now
    # crossed midnight when the demo started after 23:00).
    end_of_day = dt.datetime.combine(now.date(), dt.time(17, 0))
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(0, 0))
    morning = min(now, dt.datetime.combine(now.date(), dt.time(8, 0)))
    for i in range(3):
        receive(
            unit, Procedure.objects.get(code="CT-BS"), user=user,
            applicant_name=f"Người nộp minh họa {i + 1}",
            received_at=from_local(morning + dt.timedelta(minutes=i)),
            due_at=from_local(max(end_of_day, now + (midnight - now) / 2)),
        )
        made += 1
    # Overdue: three-working-day procedures received ten days ago, still open.
    for i in range(2):
        receive(
            unit, Procedure.objects.get(code="HT-HN"), user=user,
            applicant_name=f"Người nộp minh họa {i + 4}",
            received_at=from_local(dt.datetime.combine(now.date() - dt.timedelta(days=10), dt.time(9, i))),
        )
        made += 1
    return made


def load_desk(ctx: Any) -> None:
    """Demo step: catalogue, ledger, and the ward's one-stop officer (password printed)."""
    from cchc.web.accounts.models import Role, User
    from cchc.web.demo import DemoAccount

    procedures = load_catalogue()
    imported = load_ledger()
    username, unit_code = DEMO_OFFICER
    unit = find_unit(unit_code)
    assert unit is not None, f"demo unit {unit_code} missing (load_units runs first)"
    user, _ = User.objects.get_or_create(username=username)
    user.role, user.unit = Role.ONESTOP_OFFICER, unit
    password = secrets.token_urlsafe(9)
    user.set_password(password)
    user.save()
    if imported:
        load_open_dossiers(unit, user)
    ctx.accounts.append(DemoAccount(username, Role(Role.ONESTOP_OFFICER).label, unit.name, password))
    total = Dossier.objects.count()
    ctx.notes.append(
        f"{procedures} thủ tục, {total} hồ sơ một cửa (số liệu minh họa"
        + (f", vừa nhập {imported}" if imported else "")
        + ")"
    )
