"""Per-dossier timeliness under both supplement rules (Decree 61 restart, 766 subtraction)."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import default_calendar
from cchc.service.procedure import Procedure
from cchc.service.timeliness import (
    DossierTimes,
    SupplementRule,
    Timeliness,
    TimelinessError,
    classify,
)

D = dt.datetime
RECEIVED = D(2025, 3, 3, 9, 0)  # Monday
DUE = D(2025, 3, 10, 17, 0)  # 5 working days later
LATER = D(2025, 6, 1)
PROC = Procedure("P1", "Cấp phép", time_limit=5)


def times(**kw) -> DossierTimes:
    return DossierTimes(
        received_at=kw.pop("received_at", RECEIVED), due_at=kw.pop("due_at", DUE), **kw
    )


def test_early_on_time_and_overdue_by_the_day_of_the_appointment():
    assert classify(times(finished_at=D(2025, 3, 7, 10)), LATER) is Timeliness.EARLY
    assert classify(times(finished_at=D(2025, 3, 10, 8)), LATER) is Timeliness.ON_TIME
    assert classify(times(finished_at=D(2025, 3, 10, 17)), LATER) is Timeliness.ON_TIME
    assert classify(times(finished_at=D(2025, 3, 10, 17, 1)), LATER) is Timeliness.OVERDUE


def test_open_dossiers_are_judged_at_the_moment_asked():
    open_one = times()
    assert classify(open_one, D(2025, 3, 10, 12)) is Timeliness.OPEN_WITHIN
    assert classify(open_one, D(2025, 3, 11, 8)) is Timeliness.OPEN_OVERDUE
    # Finished after the moment asked: still open at that moment.
    assert classify(times(finished_at=D(2025, 3, 12)), D(2025, 3, 11, 8)) is Timeliness.OPEN_OVERDUE


def test_766_subtraction_takes_the_citizens_time_off_the_end_time():
    t = times(
        finished_at=D(2025, 3, 13, 10),
        supplement_count=1,
        supplement_requested_at=D(2025, 3, 4, 9),
        supplement_completed_at=D(2025, 3, 7, 9),
    )
    # 13/03 10:00 − 3 days = 10/03 10:00 ≤ 10/03 17:00.
    assert classify(t, LATER, SupplementRule.SUBTRACT) is Timeliness.ON_TIME


def test_decree_61_restart_counts_the_limit_again_from_the_completed_supplement():
    t = times(
        finished_at=D(2025, 3, 13, 10),
        supplement_count=1,
        supplement_requested_at=D(2025, 3, 4, 9),
        supplement_completed_at=D(2025, 3, 7, 9),
    )
    restarted = PROC.due_at(D(2025, 3, 7, 9), default_calendar())
    assert restarted == D(2025, 3, 14, 17)  # 5 working days from Friday 07/03
    assert classify(t, LATER, SupplementRule.RESTART, procedure=PROC) is Timeliness.EARLY


def test_the_two_rules_can_disagree():
    # Citizen away 1 day, dossier then handled slowly: 766 subtracts only 1 day,
    # Decree 61 grants a fresh 5 working days.
    t = times(
        finished_at=D(2025, 3, 14, 10),
        supplement_count=1,
        supplement_requested_at=D(2025, 3, 6, 9),
        supplement_completed_at=D(2025, 3, 7, 9),
    )
    assert classify(t, LATER, SupplementRule.SUBTRACT) is Timeliness.OVERDUE
    assert classify(t, LATER, SupplementRule.RESTART, procedure=PROC) is Timeliness.ON_TIME


def test_two_requests_are_overdue_under_766_while_still_waiting_for_papers():
    waiting = times(supplement_count=2, supplement_requested_at=D(2025, 3, 6, 9))
    assert classify(waiting, D(2025, 3, 7), SupplementRule.SUBTRACT) is Timeliness.OPEN_OVERDUE
    assert classify(waiting, D(2025, 3, 7), SupplementRule.RESTART, procedure=PROC) is Timeliness.OPEN_WITHIN


def test_two_requests_answered_are_judged_by_the_times_under_766():
    t = times(
        finished_at=D(2025, 3, 11, 10),
        supplement_count=2,
        supplement_requested_at=D(2025, 3, 6, 9),
        supplement_completed_at=D(2025, 3, 7, 9),
    )
    # 11/03 10:00 minus one day with the citizen = 10/03 10:00, by the appointment (10/03 17:00).
    assert classify(t, LATER, SupplementRule.SUBTRACT) is Timeliness.ON_TIME
    assert classify(t, LATER, SupplementRule.RESTART, procedure=PROC) is Timeliness.EARLY


@pytest.mark.parametrize("rule", list(SupplementRule))
def test_a_pending_supplement_stops_the_clock_at_the_request(rule):
    t = times(supplement_count=1, supplement_requested_at=D(2025, 3, 5, 9))
    assert classify(t, D(2025, 4, 1), rule, procedure=PROC) is Timeliness.OPEN_WITHIN


def test_due_date_from_the_procedure_when_the_ledger_has_none():
    t = times(due_at=None, finished_at=D(2025, 3, 10, 16))
    assert classify(t, LATER, procedure=PROC) is Timeliness.ON_TIME
    with pytest.raises(TimelinessError, match="ngày hẹn trả"):
        classify(t, LATER)


def test_decree_61_restart_needs_the_procedure():
    t = times(
        finished_at=D(2025, 3, 13),
        supplement_count=1,
        supplement_requested_at=D(2025, 3, 4),
        supplement_completed_at=D(2025, 3, 7),
    )
    with pytest.raises(TimelinessError, match="Nghị định 61"):
        classify(t, LATER, SupplementRule.RESTART)


def test_from_record_reads_interchange_columns():
    record = {"received_at": RECEIVED, "due_at": DUE, "finished_at": None, "supplement_count": None}
    assert classify(DossierTimes.from_record(record), D(2025, 3, 4)) is Timeliness.OPEN_WITHIN


def test_the_restart_counts_from_the_completion_as_the_desk_does_with_the_channels_cut_off():
    # Papers brought back on Friday 07/03 at 16:00, after the counter's 15:00 cut-off: a
    # counter dossier counts from Monday (→ Mon 17/03), an online one from Friday (→ Fri 14/03).
    base = {
        "received_at": RECEIVED,
        "due_at": DUE,
        "finished_at": D(2025, 3, 17, 10),
        "supplement_count": 1,
        "supplement_requested_at": D(2025, 3, 4, 9),
        "supplement_completed_at": D(2025, 3, 7, 16),
    }
    counter = DossierTimes.from_record({**base, "channel": "counter"})
    online = DossierTimes.from_record({**base, "channel": "online"})
    assert (counter.counter, online.counter) == (True, False)
    assert classify(counter, LATER, SupplementRule.RESTART, procedure=PROC) is Timeliness.ON_TIME
    assert classify(online, LATER, SupplementRule.RESTART, procedure=PROC) is Timeliness.OVERDUE
