"""The desk's demo step: catalogue, a generated ledger, open dossiers due today and overdue, an officer."""

from __future__ import annotations

import pytest
from desk.desk_fixtures import *  # noqa: F403

from cchc.service.generator import DEFAULT_UNITS
from cchc.web.demo import STEPS, DemoContext
from cchc.web.desk import worklist
from cchc.web.desk.demo import DEMO_ROWS, load_desk
from cchc.web.desk.models import Dossier, Procedure
from cchc.web.units.models import Unit

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_the_demo_step_is_registered_loads_once_and_prints_the_wards_officer(db: None) -> None:
    assert load_desk in STEPS
    ctx = DemoContext()
    load_desk(ctx)
    total = Dossier.objects.count()
    assert total >= DEMO_ROWS
    assert set(Dossier.objects.values_list("unit__code", flat=True).distinct()) <= set(DEFAULT_UNITS)
    assert Procedure.objects.filter(illustrative=True).count() == Procedure.objects.count() > 0
    ward = Unit.objects.get(code="BSO")
    counts = worklist.counts(ward)
    assert counts.today >= 3 and counts.overdue >= 2
    [account] = [a for a in ctx.accounts if a.username == "motcua.bongson"]
    assert account.unit == ward.name and len(account.password) >= 10
    load_desk(DemoContext())  # a second start adds nothing
    assert Dossier.objects.count() == total
