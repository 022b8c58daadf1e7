"""The dossier state machine the one-stop desk drives (Decree 61/2018, Circular 01/2018)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import default_calendar
from cchc.service.dossier import Event, TransitionError, receive
from cchc.service.procedure import Procedure

T0 = dt.datetime(2025, 3, 3, 9, 0)  # Monday


def hours(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


def fresh():
    return receive("H12-250303-0001", "U1", "P1", T0, due_at=dt.datetime(2025, 3, 10, 17, 0))


def test_a_normal_life_received_transferred_finished_returned():
    d = fresh().apply(Event.TRANSFERRED, hours(1), to="Phòng Tư pháp")
    d = d.apply(Event.FINISHED, hours(50))
    d = d.apply(Event.RETURNED, hours(70))
    assert d.status == "returned"
    # The first terminal status is the end time; returning the result does not move it.
    assert d.finished_at == hours(50)
    assert [h.to for h in d.handovers] == ["Phòng Tư pháp"]
    assert not d.is_open


def test_supplements_are_counted_and_the_latest_pair_kept():
    d = fresh().apply("supplement_requested", hours(2)).apply("supplement_completed", hours(30))
    d = d.apply("supplement_requested", hours(40))
    assert (d.supplement_count, d.supplement_requested_at, d.supplement_completed_at) == (2, hours(40), None)
    assert d.status == "supplement_requested"


@pytest.mark.parametrize(
    ("events", "illegal"),
    [
        (["finished"], "supplement_requested"),
        (["refused"], "finished"),
        ([], "supplement_completed"),
        (["supplement_requested"], "finished"),
        (["withdrawn"], "transferred"),
        (["returned"], "returned"),
    ],
)
def test_illegal_transitions_raise_and_leave_the_dossier_unchanged(events, illegal):
    d = fresh()
    for i, event in enumerate(events, start=1):
        d = d.apply(event, hours(i))
    before = d
    with pytest.raises(TransitionError, match="không thể"):
        d.apply(illegal, hours(20))
    assert d == before


def test_unknown_events_are_refused_in_vietnamese():
    with pytest.raises(TransitionError, match="không tồn tại"):
        fresh().apply("approved", hours(1))


def test_events_cannot_go_back_in_time():
    d = fresh().apply("transferred", hours(5))
    with pytest.raises(TransitionError, match="sớm hơn"):
        d.apply("finished", hours(4))


def test_apology_sets_a_new_date_once_and_at_least_a_day_before_the_deadline():
    d = fresh().apply(Event.APOLOGY, dt.datetime(2025, 3, 8, 10, 0), new_due_at=dt.datetime(2025, 3, 14, 17, 0))
    assert (d.due_at, d.original_due_at) == (dt.datetime(2025, 3, 14, 17, 0), dt.datetime(2025, 3, 10, 17, 0))
    with pytest.raises(TransitionError, match="một lần"):
        d.apply(Event.APOLOGY, dt.datetime(2025, 3, 9, 10, 0), new_due_at=dt.datetime(2025, 3, 20, 17, 0))
    with pytest.raises(TransitionError, match="01 ngày trước hạn"):
        fresh().apply(Event.APOLOGY, dt.datetime(2025, 3, 10, 8, 0), new_due_at=dt.datetime(2025, 3, 14, 17, 0))
    with pytest.raises(TransitionError, match="ngày hẹn mới"):
        fresh().apply(Event.APOLOGY, dt.datetime(2025, 3, 5, 8, 0), new_due_at=dt.datetime(2025, 3, 9, 17, 0))


def test_due_date_comes_from_the_procedure_when_not_given():
    # 5 working days from a Monday-morning receipt: Tue..Mon → Monday 10/03/2025 (no holiday).
    procedure = Procedure("P1", "Chứng thực", time_limit=5)
    d = receive("H12-250303-0002", "U1", "P1", T0, procedure=procedure, calendar=default_calendar())
    expected_day = default_calendar().deadline(T0, 5)
    assert d.due_at == dt.datetime.combine(expected_day, dt.time(17, 0))
    assert expected_day == dt.date(2025, 3, 10)


def test_due_date_across_the_2025_reunification_holiday():
    # Received Fri 25/04/2025; 30/04 and 01/05 are holidays and Fri 02/05 was swapped for
    # Sat 26/04 (Official Dispatch on the 2025 holidays; DOMAIN.md §6), so 3 working days are
    # Sat 26/04, Mon 28/04, Tue 29/04.
    procedure = Procedure("P1", "Chứng thực", time_limit=3)
    d = receive("H12-250425-0001", "U1", "P1", dt.datetime(2025, 4, 25, 9, 0), procedure=procedure)
    assert d.due_at == dt.datetime(2025, 4, 29, 17, 0)


def test_receiving_with_a_code_of_another_day_is_refused():
    with pytest.raises(ValueError, match="mang ngày"):
        receive("H12-250304-0001", "U1", "P1", T0)


def test_record_has_interchange_columns():
    d = fresh().apply("finished", hours(3))
    record = d.to_record()
    assert record["status"] == "finished" and record["finished_at"] == hours(3)
    assert record["dossier_code"] == "H12-250303-0001"
