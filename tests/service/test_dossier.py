"""The dossier state machine the one-stop desk drives (Decree 61/2018, Circular 01/2018)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import default_calendar
from cchc.service.dossier import Event, LateSupplementRequest, TransitionError, receive
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
    assert (d.supplement_count, d.supplement_requested_at, d.supplement_completed_at) == (
        2,
        hours(40),
        None,
    )
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
        d = d.apply(event, hours(i), reason="thiếu tờ khai")
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
    d = fresh().apply(
        Event.APOLOGY, dt.datetime(2025, 3, 8, 10, 0), new_due_at=dt.datetime(2025, 3, 14, 17, 0)
    )
    assert (d.due_at, d.original_due_at) == (
        dt.datetime(2025, 3, 14, 17, 0),
        dt.datetime(2025, 3, 10, 17, 0),
    )
    with pytest.raises(TransitionError, match="một lần"):
        d.apply(
            Event.APOLOGY,
            dt.datetime(2025, 3, 9, 10, 0),
            new_due_at=dt.datetime(2025, 3, 20, 17, 0),
        )
    with pytest.raises(TransitionError, match="01 ngày trước hạn"):
        fresh().apply(
            Event.APOLOGY,
            dt.datetime(2025, 3, 10, 8, 0),
            new_due_at=dt.datetime(2025, 3, 14, 17, 0),
        )
    with pytest.raises(TransitionError, match="ngày hẹn mới"):
        fresh().apply(
            Event.APOLOGY, dt.datetime(2025, 3, 5, 8, 0), new_due_at=dt.datetime(2025, 3, 9, 17, 0)
        )


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


# Supplements (DOMAIN.md §5): within 3 working days of receipt; the appointment counts again
# from the complete dossier (Decree 61 restart); the 766 rule keeps the date before it.
FIVE_DAYS = Procedure("P1", "Chứng thực", time_limit=5)


def with_procedure():
    # Mon 03/03/2025 09:00 at the counter, 5 working days → Mon 10/03/2025 17:00.
    return receive("H12-250303-0003", "U1", "P1", T0, procedure=FIVE_DAYS)


def test_a_completed_supplement_restarts_the_appointment_from_the_complete_dossier():
    d = with_procedure().apply("supplement_requested", dt.datetime(2025, 3, 4, 10, 0))
    d = d.apply("supplement_completed", dt.datetime(2025, 3, 10, 10, 0), procedure=FIVE_DAYS)
    # 5 working days after Monday 10/03: Tue..Mon → Monday 17/03, the same function as at receipt.
    assert (
        d.due_at
        == FIVE_DAYS.due_at(dt.datetime(2025, 3, 10, 10, 0))
        == dt.datetime(2025, 3, 17, 17, 0)
    )
    assert d.due_before_restart == d.index_due_at == dt.datetime(2025, 3, 10, 17, 0)
    # The interchange record keeps the date before the restart: the rules apply the supplement.
    assert d.to_record()["due_at"] == dt.datetime(2025, 3, 10, 17, 0)
    assert d.to_record()["supplement_completed_at"] == dt.datetime(2025, 3, 10, 10, 0)


def test_a_second_restart_keeps_the_first_date_before_any_restart():
    d = with_procedure().apply("supplement_requested", dt.datetime(2025, 3, 4, 10, 0))
    d = d.apply("supplement_completed", dt.datetime(2025, 3, 5, 10, 0), procedure=FIVE_DAYS)
    d = d.apply("supplement_requested", dt.datetime(2025, 3, 6, 10, 0))
    d = d.apply("supplement_completed", dt.datetime(2025, 3, 11, 10, 0), procedure=FIVE_DAYS)
    assert d.due_at == dt.datetime(2025, 3, 18, 17, 0)
    assert d.index_due_at == dt.datetime(2025, 3, 10, 17, 0)


def test_without_the_procedure_or_with_the_restart_off_the_appointment_stays():
    d = with_procedure().apply("supplement_requested", dt.datetime(2025, 3, 4, 10, 0))
    kept = d.apply("supplement_completed", dt.datetime(2025, 3, 10, 10, 0))
    off = d.apply(
        "supplement_completed", dt.datetime(2025, 3, 10, 10, 0), procedure=FIVE_DAYS, restart=False
    )
    for value in (kept, off):
        assert value.due_at == dt.datetime(2025, 3, 10, 17, 0) and value.due_before_restart is None


def test_the_restart_never_moves_the_appointment_earlier_than_an_apologys_date():
    d = with_procedure().apply(
        Event.APOLOGY, dt.datetime(2025, 3, 4, 9, 0), new_due_at=dt.datetime(2025, 3, 28, 17, 0)
    )
    d = d.apply("supplement_requested", dt.datetime(2025, 3, 4, 10, 0))
    d = d.apply("supplement_completed", dt.datetime(2025, 3, 5, 10, 0), procedure=FIVE_DAYS)
    assert d.due_at == dt.datetime(2025, 3, 28, 17, 0) and d.due_before_restart is None


def test_an_apology_after_a_restart_extends_the_date_before_it_by_the_same_amount():
    d = with_procedure().apply("supplement_requested", dt.datetime(2025, 3, 4, 10, 0))
    d = d.apply(
        "supplement_completed", dt.datetime(2025, 3, 10, 10, 0), procedure=FIVE_DAYS
    )  # → 17/03
    d = d.apply(
        Event.APOLOGY, dt.datetime(2025, 3, 14, 9, 0), new_due_at=dt.datetime(2025, 3, 20, 17, 0)
    )
    assert (d.due_at, d.original_due_at) == (
        dt.datetime(2025, 3, 20, 17, 0),
        dt.datetime(2025, 3, 17, 17, 0),
    )
    # Three days granted by the letter, three days for the 766 rule too: 10/03 → 13/03.
    assert d.index_due_at == dt.datetime(2025, 3, 13, 17, 0)


def test_the_supplement_deadline_is_three_working_days_counted_like_the_appointment():
    assert fresh().supplement_deadline() == dt.date(2025, 3, 6)  # Mon 09:00 → Thu
    after_cutoff = receive("H12-250303-0004", "U1", "P1", T0.replace(hour=16))
    assert after_cutoff.supplement_deadline() == dt.date(2025, 3, 7)  # counted from Tuesday
    online = receive("H12-250303-0005", "U1", "P1", T0.replace(hour=16), channel="online")
    assert online.supplement_deadline() == dt.date(2025, 3, 6)  # the cut-off is the counter's


def test_a_request_on_the_last_day_is_in_time():
    d = fresh().apply("supplement_requested", dt.datetime(2025, 3, 6, 16, 59))
    assert not d.supplement_late


def test_a_late_request_is_refused_until_confirmed_then_marked_late():
    late_at = dt.datetime(2025, 3, 7, 9, 0)  # Friday, a day after the deadline
    before = fresh()
    with pytest.raises(
        LateSupplementRequest, match="quá 3 ngày làm việc kể từ ngày tiếp nhận"
    ) as refused:
        before.apply("supplement_requested", late_at)
    assert refused.value.deadline == dt.date(2025, 3, 6) and "06/03/2025" in str(refused.value)
    assert isinstance(refused.value, TransitionError)
    d = before.apply("supplement_requested", late_at, accept_late=True)
    assert (d.status, d.supplement_count, d.supplement_late) == ("supplement_requested", 1, True)


def test_a_late_request_stops_no_clock_for_either_rule():
    d = with_procedure().apply(
        "supplement_requested", dt.datetime(2025, 3, 7, 9, 0), accept_late=True
    )
    d = d.apply("supplement_completed", dt.datetime(2025, 3, 12, 9, 0), procedure=FIVE_DAYS)
    assert d.due_at == dt.datetime(2025, 3, 10, 17, 0) and d.due_before_restart is None
    # Written without its times (nothing to subtract or restart from), still counted.
    record = d.to_record()
    assert (
        record["supplement_count"],
        record["supplement_requested_at"],
        record["supplement_completed_at"],
    ) == (1, None, None)


# --- Questions about a dossier, beside ``apply``: the web asks them here ------------------

from dataclasses import replace  # noqa: E402

from cchc.service.dossier import (  # noqa: E402
    STATUS_LABELS,
    Deadline,
    clock_runs,
    deadline_at,
    is_overdue,
    ledger_record,
    ledger_table,
)
from cchc.service.schema import COLUMN_NAMES, STATUSES, TERMINAL_STATUSES  # noqa: E402


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("late", [False, True])
def test_the_clock_runs_while_open_and_not_waiting_on_papers_asked_for_in_time(status, late):
    expected = status not in TERMINAL_STATUSES and (status != "supplement_requested" or late)
    assert clock_runs(status, late) is expected


def test_overdue_due_today_or_neither_only_for_a_running_clock():
    due = dt.datetime(2025, 3, 10, 17, 0)
    assert deadline_at("processing", due, dt.datetime(2025, 3, 10, 17, 1)) is Deadline.OVERDUE
    assert deadline_at("processing", due, dt.datetime(2025, 3, 10, 8, 0)) is Deadline.DUE_TODAY
    assert deadline_at("processing", due, dt.datetime(2025, 3, 10, 17, 0)) is Deadline.DUE_TODAY
    assert deadline_at("processing", due, dt.datetime(2025, 3, 9, 23, 59)) is Deadline.NONE
    assert deadline_at("processing", None, dt.datetime(2030, 1, 1)) is Deadline.NONE
    late = dt.datetime(2025, 3, 11)
    assert deadline_at("supplement_requested", due, late) is Deadline.NONE
    assert deadline_at("supplement_requested", due, late, supplement_late=True) is Deadline.OVERDUE
    assert deadline_at("returned", due, late) is Deadline.NONE
    assert is_overdue("received", due, late) and not is_overdue("finished", due, late)


def test_today_is_the_day_of_the_moment_in_its_own_zone():
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    due = dt.datetime(2025, 3, 10, 17, 0, tzinfo=tz)
    # 23:30 UTC on the 9th is 06:30 on the 10th in Vietnam: due today there.
    moment = dt.datetime(2025, 3, 9, 23, 30, tzinfo=dt.UTC).astimezone(tz)
    assert deadline_at("processing", due, moment) is Deadline.DUE_TODAY


def test_the_dossier_answers_the_same_questions_about_itself():
    d = fresh()
    assert d.clock_runs and d.deadline(dt.datetime(2025, 3, 10, 9, 0)) is Deadline.DUE_TODAY
    assert d.is_overdue(dt.datetime(2025, 3, 11, 9, 0))
    waiting = d.apply("supplement_requested", hours(2))
    assert not waiting.clock_runs and not waiting.is_overdue(dt.datetime(2025, 3, 11, 9, 0))


def test_allowed_events_are_exactly_those_apply_accepts():
    """Every status and moment: an event is offered if and only if ``apply`` takes it."""
    due = dt.datetime(2025, 3, 10, 17, 0)
    moments = (hours(1), dt.datetime(2025, 3, 9, 17, 0), dt.datetime(2025, 3, 9, 17, 1))
    for status in STATUSES:
        for apology_at in (None, hours(0.5)):
            d = replace(fresh(), status=status, apology_at=apology_at)
            for at in moments:
                offered = set(d.allowed_events(at))
                for event in Event:
                    try:
                        d.apply(
                            event,
                            at,
                            new_due_at=due + dt.timedelta(days=3),
                            accept_late=True,
                            reason="thiếu tờ khai",
                        )
                    except TransitionError:
                        accepted = False
                    else:
                        accepted = True
                    assert (event in offered) is accepted, (status, apology_at, at, event)


def test_no_apology_is_offered_later_than_one_day_before_the_due_date():
    d = fresh()
    assert Event.APOLOGY in d.allowed_events(dt.datetime(2025, 3, 9, 17, 0))
    assert Event.APOLOGY not in d.allowed_events(dt.datetime(2025, 3, 9, 17, 1))
    assert "chậm nhất 01 ngày" in (d.refusal(Event.APOLOGY, dt.datetime(2025, 3, 9, 18)) or "")
    finished = d.apply(Event.FINISHED, hours(3))
    assert finished.allowed_events(hours(4)) == (Event.RETURNED,)
    assert STATUS_LABELS[finished.status] in (finished.refusal(Event.REFUSED, hours(4)) or "")


def test_a_ledger_record_has_every_contract_column_and_the_index_view_of_supplements():
    state = {
        "dossier_code": "H12-250303-0001",
        "unit_code": "U1",
        "procedure_code": "P1",
        "received_at": T0,
        "due_at": dt.datetime(2025, 3, 14, 17),  # restarted
        "due_before_restart": dt.datetime(2025, 3, 10, 17),
        "status": "supplement_requested",
        "channel": "counter",
        "supplement_count": None,
        "supplement_requested_at": hours(80),
        "supplement_late": True,
        "has_fee": 1,
        "rating": "",
    }
    record = ledger_record(state)
    assert tuple(record) == COLUMN_NAMES
    assert record["due_at"] == dt.datetime(2025, 3, 10, 17)
    assert record["supplement_requested_at"] is None and record["supplement_count"] == 0
    assert record["has_fee"] is True and record["e_result"] is False and record["rating"] is None
    table = ledger_table([state, {**state, "dossier_code": "H12-250303-0002", "supplement_late": False}])
    assert table.column_names == list(COLUMN_NAMES) and table.num_rows == 2
    assert table["supplement_requested_at"].to_pylist() == [None, hours(80)]


def test_to_record_is_the_ledger_record_of_the_state_machine():
    d = fresh().apply("supplement_requested", hours(100), accept_late=True)  # Friday: late
    assert d.supplement_late
    record = d.to_record()
    full = ledger_record({**record, "supplement_requested_at": d.supplement_requested_at, "supplement_late": True})
    assert record == {k: full[k] for k in record}
    assert record["supplement_requested_at"] is None
    assert d.timeliness(dt.datetime(2025, 3, 11)) == "open_overdue"


# --- Reasons (issue 14, item 1) and the history's words (item 2) ------------------------------

from cchc.service.dossier import (  # noqa: E402
    EVENT_LABELS,
    HISTORY_LABELS,
    IRREVERSIBLE,
    REASON_REQUIRED,
    history_label,
    status_label,
)


@pytest.mark.parametrize("blank", ["", "   ", "\u200b \u2060\ufeff", "\n\t"])
@pytest.mark.parametrize("event", [Event.REFUSED, Event.STOPPED])
def test_a_refusal_or_a_stop_without_a_visible_reason_is_refused_and_changes_nothing(
    event: Event, blank: str
) -> None:
    d = fresh()
    with pytest.raises(TransitionError, match="phải ghi rõ lý do"):
        d.apply(event, hours(1), reason=blank)
    with pytest.raises(TransitionError, match="phải ghi rõ lý do"):
        d.apply(event, hours(1))  # the reason is not optional for any caller
    assert d.status == "received"


def test_a_refusal_with_a_reason_ends_the_dossier_and_a_withdrawal_needs_none() -> None:
    assert fresh().apply(Event.REFUSED, hours(1), reason=" Thiếu tờ khai ").status == "refused"
    assert fresh().apply(Event.WITHDRAWN, hours(1)).status == "withdrawn"
    assert {Event.REFUSED, Event.STOPPED} == REASON_REQUIRED
    assert {Event.REFUSED, Event.STOPPED, Event.WITHDRAWN} == IRREVERSIBLE


def test_a_state_error_comes_before_the_missing_reason() -> None:
    ended = fresh().apply(Event.WITHDRAWN, hours(1))
    with pytest.raises(TransitionError, match="không thể 'từ chối'"):
        ended.apply(Event.REFUSED, hours(2))


def test_every_history_entry_and_status_has_vietnamese_words() -> None:
    for event in Event:
        assert history_label(event.value) == EVENT_LABELS[event]
    assert history_label("received") == "tiếp nhận hồ sơ"
    assert history_label("imported") == "nhập từ sổ theo dõi"
    assert history_label("rated") == "công dân đánh giá"
    for status in STATUSES:
        assert status_label(status) != status and status_label(status)
    assert status_label("") == ""
    assert all(label.isascii() is False for label in HISTORY_LABELS.values())
