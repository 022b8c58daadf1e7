"""Concurrent use on PostgreSQL, with real threads and one database connection each:
two appraisers saving the same score (optimistic locking: the second is told, nothing is
overwritten), and a ledger import running while an officer works on a dossier (the import
is seen whole or not at all, and the officer's change survives either way).

Run with the PostgreSQL test database: ``CCHC_TEST_DATABASE_URL=postgresql://… pytest
tests/ops/test_concurrency.py`` (SQLite serialises writers, so the race cannot happen there).
scripts/test runs it in its PostgreSQL pass; with ``CI=true`` a skip here is a failure.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from cchc.web import demo
from cchc.web.accounts.models import User
from cchc.web.campaigns import services
from cchc.web.campaigns.models import CriterionScore, Framework, ScoreChange, Status
from cchc.web.desk import ledger as ledger_module
from cchc.web.desk.demo import load_catalogue
from cchc.web.desk.ledger import import_ledger
from cchc.web.desk.models import Dossier, Procedure
from cchc.web.desk.services import act, receive
from cchc.web.ops.models import AuditEntry
from cchc.web.units.models import Unit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (CCHC_TEST_DATABASE_URL): SQLite serialises writers")


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run the jobs in threads started at the same moment; each result or exception."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def worker(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # collected and asserted on by the test
            results[index] = exc
        finally:
            connections.close_all()  # this thread's connection

    threads = [threading.Thread(target=worker, args=(i, j)) for i, j in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _user(username: str, role: str, unit: Unit | None = None) -> User:
    user = User(username=username, role=role, unit=unit)
    user.set_unusable_password()
    user.save()
    return user


@pytest.fixture
def appraisal() -> Iterator[CriterionScore]:
    ctx = demo.DemoContext()
    demo.load_units(ctx)
    demo.load_campaigns(ctx)
    organiser = _user("noivu.ss", "organiser")
    framework = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = services.create_campaign(
        framework, Unit.objects.filter(code__in=["HNH"]), user=organiser
    )
    campaign.status = Status.APPRAISAL
    campaign.save(update_fields=["status"])
    yield CriterionScore.objects.get(campaign_unit__campaign=campaign, node_code="KQ")


def test_two_appraisers_saving_the_same_score_the_second_is_told(appraisal):
    first, second = _user("thamdinh.1", "appraiser"), _user("thamdinh.2", "appraiser")
    # Both opened the form at the same version.
    opened = CriterionScore.objects.get(pk=appraisal.pk)
    version = opened.version

    def save(user: User, value: str, reason: str) -> Any:
        score = CriterionScore.objects.get(pk=appraisal.pk)
        return services.appraise(score, value, user=user, reason=reason, expected_version=version)

    results = run_together(
        lambda: save(first, "1", "Thiếu minh chứng A"),
        lambda: save(second, "2", "Thiếu minh chứng B"),
    )
    stale = [r for r in results if isinstance(r, services.StaleScore)]
    saved = [r for r in results if isinstance(r, CriterionScore)]
    assert len(stale) == 1 and len(saved) == 1, results
    assert "vừa được người khác cập nhật" in str(stale[0])
    stored = CriterionScore.objects.get(pk=appraisal.pk)
    # The winner's value and reason, together; the loser's nowhere.
    winner = 0 if isinstance(results[0], CriterionScore) else 1
    value, reason = [("1", "Thiếu minh chứng A"), ("2", "Thiếu minh chứng B")][winner]
    assert stored.appraised_score == Decimal(value) and stored.appraisal_reason == reason
    assert stored.version == version + 1
    changes = ScoreChange.objects.filter(criterion_score=appraisal, field="appraised_score")
    assert changes.count() == 1 and changes.get().reason == reason
    audited = AuditEntry.objects.filter(action="score.appraised_score", object_id=str(appraisal.pk))
    assert audited.count() == 1


HEADER = "dossier_code,unit_code,procedure_code,received_at,due_at,status,channel\n"


def _ledger(path: Path, rows: int) -> Path:
    lines = [
        f"BSO-25020{1 + i // 1000}-{1 + i % 1000:04d},BSO,HT-KS,2025-02-0{1 + i // 1000} 09:00,"
        f"2025-02-10 17:00,received,counter\n"
        for i in range(rows)
    ]
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def desk() -> tuple[User, Dossier]:
    demo.load_units(demo.DemoContext())
    load_catalogue()
    unit = Unit.objects.get(code="BSO")
    officer = _user("motcua.ss", "onestop_officer", unit)
    dossier = receive(
        unit, Procedure.objects.order_by("code")[0], user=officer,
        applicant_name="Trần Thị Đồng Thời",
    )
    return officer, dossier


ROWS = 6000  # several insert batches, so a reader could catch a half-written import


def _watch(codes_prefix: str, stop: threading.Event) -> set[int]:
    """Count the import's dossiers from another connection until told to stop."""
    seen: set[int] = set()
    while not stop.is_set():
        seen.add(Dossier.objects.filter(code__startswith=codes_prefix).count())
    seen.add(Dossier.objects.filter(code__startswith=codes_prefix).count())
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("fails", [False, True], ids=["import-commits", "import-fails-at-the-end"])
def test_an_import_under_concurrent_use_is_all_or_nothing(desk, tmp_path, monkeypatch, fails):
    officer, dossier = desk
    path = _ledger(tmp_path / "so.csv", ROWS)
    if fails:
        # The last step of the import (its audit entry) fails after every batch was inserted.
        def broken(**kwargs: Any) -> None:
            raise RuntimeError("mất kết nối giữa chừng")

        monkeypatch.setattr(ledger_module, "audit_record", broken)
    stop = threading.Event()

    def importing() -> Any:
        try:
            return import_ledger(path, user=officer)
        finally:
            stop.set()

    def officer_acts() -> Any:
        return act(Dossier.objects.get(pk=dossier.pk), "transferred", user=officer, to="Tư pháp")

    result, acted, seen = run_together(
        importing, officer_acts, lambda: _watch("BSO-25020", stop)
    )
    imported = Dossier.objects.filter(code__startswith="BSO-25020").count()
    if fails:
        assert isinstance(result, RuntimeError)
        assert imported == 0 and seen == {0}
    else:
        assert result == ROWS
        assert imported == ROWS and seen <= {0, ROWS}
    # The officer's change went through whatever the import did.
    assert isinstance(acted, Dossier), acted
    assert Dossier.objects.get(pk=dossier.pk).status == acted.status
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version + 1
