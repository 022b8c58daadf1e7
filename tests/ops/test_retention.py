"""Personal data of long-finished dossiers is erased; the dossier and its figures stay."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cchc.web import demo
from cchc.web.desk.models import Dossier
from cchc.web.ops.models import AuditEntry
from cchc.web.ops.retention import PERSONAL_FIELDS, erase_personal_data
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 9, 0, tzinfo=dt.UTC)


def _dossier(code: str, finished_days_ago: int | None) -> Dossier:
    received = NOW - dt.timedelta(days=(finished_days_ago or 0) + 5)
    return Dossier.objects.create(
        code=code,
        unit=Unit.objects.get(code="BSO"),
        procedure_code="CT-BS",
        channel="counter",
        status="returned" if finished_days_ago is not None else "processing",
        received_at=received,
        finished_at=None
        if finished_days_ago is None
        else NOW - dt.timedelta(days=finished_days_ago),
        applicant_name="Nguyễn Văn An",
        applicant_phone="0912345678",
        applicant_address="Phường Bồng Sơn, thị xã Hoài Nhơn",
    )


@pytest.fixture
def dossiers():
    demo.load_units(demo.DemoContext())
    return {
        "old": _dossier("HS-CU", 400),
        "recent": _dossier("HS-MOI", 10),
        "open": _dossier("HS-DANG-XU-LY", None),
    }


def _personal(code: str) -> tuple[str, ...]:
    d = Dossier.objects.get(code=code)
    return tuple(getattr(d, f) for f in PERSONAL_FIELDS)


def test_only_dossiers_finished_before_the_period_lose_their_personal_data(dossiers):
    before = AuditEntry.objects.count()
    cutoff, count = erase_personal_data(365, actor="quantri", now=NOW)
    assert cutoff == NOW - dt.timedelta(days=365)
    assert count == 1
    assert _personal("HS-CU") == ("", "", "")
    assert _personal("HS-MOI")[0] == "Nguyễn Văn An"
    assert _personal("HS-DANG-XU-LY")[0] == "Nguyễn Văn An"
    old = Dossier.objects.get(code="HS-CU")
    assert old.status == "returned" and old.finished_at == NOW - dt.timedelta(days=400)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.actor, entry.new) == ("privacy.erase", "quantri", "1")
    # Running again erases nothing more and records nothing.
    assert erase_personal_data(365, now=NOW)[1] == 0
    assert AuditEntry.objects.count() == before + 1


def test_a_dry_run_counts_without_erasing(dossiers):
    assert erase_personal_data(5, dry_run=True, now=NOW)[1] == 2
    assert _personal("HS-CU")[0] == "Nguyễn Văn An"


def test_the_setting_gives_the_default_period(settings):
    from cchc.web.ops.retention import retention_days

    settings.CCHC_PERSONAL_DATA_RETENTION_DAYS = 1825
    assert retention_days() == 1825
    del settings.CCHC_PERSONAL_DATA_RETENTION_DAYS
    assert retention_days() is None


def test_negative_periods_are_refused():
    with pytest.raises(ValueError):
        erase_personal_data(-1, now=timezone.now())
