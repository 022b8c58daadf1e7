"""The desk's demo step: catalogue, a generated ledger, open dossiers due today and overdue, an officer."""

from __future__ import annotations

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

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


@pytest.mark.parametrize("hour_minute", [(9, 0), (18, 30), (23, 30)])
def test_the_demo_shows_three_dossiers_due_today_whenever_it_starts(
    clock, desk, catalogue, hour_minute
) -> None:
    from cchc.web.desk.demo import load_open_dossiers

    hour, minute = hour_minute
    clock(MONDAY.replace(hour=hour, minute=minute))
    load_open_dossiers(desk.unit_a, desk.officer_a)
    counts = worklist.counts(desk.unit_a)
    assert (counts.today, counts.overdue) == (3, 2)
