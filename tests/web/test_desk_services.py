"""Desk services: codes, appointments from the calendar, every change recorded, the core's rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from desk.desk_fixtures import MONDAY

from cchc.service.code import parse_code
from cchc.service.dossier import Event
from cchc.web.desk import services
from cchc.web.desk.clock import TZ, to_local
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.desk.rating import rate

pytestmark = pytest.mark.django_db


def test_receive_issues_the_units_code_with_a_daily_sequence(desk: Any, catalogue: Any, clock: Any) -> None:
    first = services.receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="A")
    second = services.receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="B")
    other = services.receive(desk.unit_b, catalogue["HT-KS"], user=desk.officer_b, applicant_name="C")
    parsed = [parse_code(d.code) for d in (first, second, other)]
    assert [p.agency_id for p in parsed] == ["BSO", "BSO", "TQU"]
    assert {p.received_on for p in parsed} == {MONDAY.date()}
    assert [p.sequence for p in parsed] == [1, 2, 1]
    clock(MONDAY + dt.timedelta(days=1))
    next_day = services.receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="D")
    assert parse_code(next_day.code).sequence == 1


def test_the_appointment_comes_from_the_procedures_limit_and_the_calendar(dossier_a: Dossier, catalogue: Any) -> None:
    expected = services.core_procedure(catalogue["HT-HN"]).due_at(to_local(MONDAY))  # type: ignore[arg-type]
    assert to_local(dossier_a.due_at) == expected
    # 3 working days counted from the day after Monday's receipt: Thursday, end of day.
    assert to_local(dossier_a.due_at).date() == dt.date(2025, 3, 6)  # type: ignore[union-attr]


def test_counter_dossier_after_the_cut_off_counts_from_the_next_working_day(desk: Any, catalogue: Any, clock: Any) -> None:
    clock(MONDAY.replace(hour=16))  # after 15:00 (DOMAIN.md §5)
    late = services.receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="A")
    clock(MONDAY.replace(hour=10))
    early = services.receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="B")
    assert late.due_at > early.due_at  # type: ignore[operator]


def test_every_action_is_recorded_with_who_when_and_the_statuses(dossier_a: Dossier, desk: Any, clock: Any) -> None:
    clock(MONDAY + dt.timedelta(hours=2))
    d = services.act(dossier_a, Event.TRANSFERRED, user=desk.officer_a, to="Công chức tư pháp - hộ tịch")
    clock(MONDAY + dt.timedelta(days=1))
    d = services.act(d, Event.FINISHED, user=desk.officer_a, flags={"e_result": True})
    events = list(DossierEvent.objects.filter(dossier=d).values_list("event", "from_status", "to_status", "actor__username"))
    assert events == [
        ("received", "", "received", "motcua.a"),
        ("transferred", "received", "processing", "motcua.a"),
        ("finished", "processing", "finished", "motcua.a"),
    ]
    assert d.status == "finished" and d.e_result and d.handled_by == "Công chức tư pháp - hộ tịch"
    assert d.finished_at == MONDAY + dt.timedelta(days=1)
    assert d.version == 3


def test_a_stale_form_is_refused_and_changes_nothing(dossier_a: Dossier, desk: Any) -> None:
    services.act(dossier_a, Event.TRANSFERRED, user=desk.officer_a, to="X", expected_version=1)
    with pytest.raises(services.StaleDossier):
        services.act(dossier_a, Event.REFUSED, user=desk.officer_a, expected_version=1, note="thiếu giấy")
    assert Dossier.objects.get(pk=dossier_a.pk).status == "processing"
    assert DossierEvent.objects.filter(dossier=dossier_a).count() == 2


def test_the_apology_sets_a_new_date_once_and_keeps_the_old_one(dossier_a: Dossier, desk: Any, clock: Any) -> None:
    clock(MONDAY + dt.timedelta(days=1))
    new_due = dt.datetime(2025, 3, 11, 17, 0, tzinfo=TZ)
    d = services.act(dossier_a, Event.APOLOGY, user=desk.officer_a, new_due_at=new_due, note="chờ xác minh")
    assert d.due_at == new_due and d.original_due_at == dossier_a.due_at
    event = DossierEvent.objects.get(dossier=d, event="apology")
    assert (event.old_due_at, event.new_due_at) == (dossier_a.due_at, new_due)
    with pytest.raises(services.DeskError, match="một lần"):
        services.act(d, Event.APOLOGY, user=desk.officer_a, new_due_at=new_due + dt.timedelta(days=3))
    assert Dossier.objects.get(pk=d.pk).due_at == new_due


def test_the_apology_must_come_at_least_one_day_before_the_due_date(dossier_a: Dossier, desk: Any, clock: Any) -> None:
    clock(dossier_a.due_at - dt.timedelta(hours=12))  # type: ignore[operator]
    with pytest.raises(services.DeskError, match="01 ngày trước hạn"):
        services.act(dossier_a, Event.APOLOGY, user=desk.officer_a, new_due_at=dossier_a.due_at + dt.timedelta(days=5))  # type: ignore[operator]
    assert Dossier.objects.get(pk=dossier_a.pk).apology_at is None
    assert not DossierEvent.objects.filter(dossier=dossier_a, event="apology").exists()


def test_events_the_state_machine_forbids_are_refused(dossier_a: Dossier, desk: Any) -> None:
    with pytest.raises(services.DeskError, match="không thể"):
        services.act(dossier_a, Event.SUPPLEMENT_COMPLETED, user=desk.officer_a)
    d = services.act(dossier_a, Event.REFUSED, user=desk.officer_a, note="không thuộc thẩm quyền")
    with pytest.raises(services.DeskError):
        services.act(d, Event.RETURNED, user=desk.officer_a)


def test_one_rating_per_finished_dossier(dossier_a: Dossier, desk: Any) -> None:
    key = dossier_a.rating_key  # type: ignore[attr-defined]  # printed on form 01
    with pytest.raises(services.DeskError, match="chưa giải quyết xong"):
        rate(dossier_a, "like", {}, key=key)
    d = services.act(dossier_a, Event.RETURNED, user=desk.officer_a)
    rate(d, "dislike", {"attitude": "1", "time": "3"}, "chờ lâu", key=key)
    assert Dossier.objects.get(pk=d.pk).rating == "dislike"
    with pytest.raises(services.DeskError, match="Mã đánh giá không đúng"):  # used up
        rate(Dossier.objects.get(pk=d.pk), "like", {}, key=key)
    assert Dossier.objects.get(pk=d.pk).rating == "dislike"
