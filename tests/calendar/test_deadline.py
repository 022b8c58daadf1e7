"""Deadline arithmetic (DOMAIN.md §5–§6): receipt rules, cut-off, swapped Saturdays, hours."""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import OfficeSettings, WorkCalendar

D = dt.date
T = dt.datetime


def test_receipt_on_friday_counts_from_monday(cal: WorkCalendar) -> None:
    # Friday 07/03/2025 (an ordinary week): day of receipt not counted, so 1 working day is
    # Monday 10/03 and 3 working days Wednesday 12/03.
    assert cal.deadline(D(2025, 3, 7), 1) == D(2025, 3, 10)
    assert cal.deadline(D(2025, 3, 7), 3) == D(2025, 3, 12)


def test_receipt_on_saturday_counts_as_received_on_monday(cal: WorkCalendar) -> None:
    # Saturday 08/03/2025 → received Monday 10/03; 1 working day → Tuesday 11/03.
    assert cal.deadline(D(2025, 3, 8), 1) == D(2025, 3, 11)
    assert cal.deadline(T(2025, 3, 9, 10, 0), 1) == D(2025, 3, 11)  # Sunday too


def test_zero_working_days_is_the_receipt_day(cal: WorkCalendar) -> None:
    assert cal.deadline(D(2025, 3, 7), 0) == D(2025, 3, 7)
    assert cal.deadline(D(2025, 3, 8), 0) == D(2025, 3, 10)


def test_receipt_before_tet_jumps_the_break(cal: WorkCalendar) -> None:
    # Friday 24/01/2025; Tết days off 27/01–31/01/2025 (Thông báo 6150/TB-LĐTBXH).
    # 1 working day → Monday 03/02/2025; 5 → Friday 07/02/2025.
    assert cal.deadline(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert cal.deadline(D(2025, 1, 24), 5) == D(2025, 2, 7)
    # Received during Tết (mùng 2, 30/01/2025) → counts as received on Monday 03/02.
    assert cal.deadline(T(2025, 1, 30, 9, 0), 1) == D(2025, 2, 4)


def test_deadline_across_a_swapped_saturday(cal: WorkCalendar) -> None:
    # 2024: Monday 29/04 off, Saturday 04/05 worked (Công văn 2450/VPCP-KGVX).
    # Friday 26/04/2024 + 1 → Thursday 02/05; + 2 → Friday 03/05; + 3 → Saturday 04/05.
    assert cal.deadline(D(2024, 4, 26), 1) == D(2024, 5, 2)
    assert cal.deadline(D(2024, 4, 26), 3) == D(2024, 5, 4)
    assert cal.deadline(D(2024, 4, 26), 4) == D(2024, 5, 6)
    # 2025: Saturday 26/04 worked (Thông báo 6150/TB-LĐTBXH): Friday 25/04 + 1 → Saturday.
    assert cal.deadline(D(2025, 4, 25), 1) == D(2025, 4, 26)
    # A dossier received on that Saturday is received on a working day.
    assert cal.deadline(T(2025, 4, 26, 9, 0), 1) == D(2025, 4, 28)


def test_after_the_cut_off_counts_from_the_next_working_day(cal: WorkCalendar) -> None:
    # DOMAIN.md §5: counter dossiers received after 15:00 pass on the next working day.
    wednesday = D(2025, 3, 12)
    assert cal.deadline(T(2025, 3, 12, 14, 59), 1) == D(2025, 3, 13)
    assert cal.deadline(T(2025, 3, 12, 15, 0), 1) == D(2025, 3, 13)
    assert cal.deadline(T(2025, 3, 12, 15, 1), 1) == D(2025, 3, 14)
    # Friday after the cut-off → received Monday → 1 working day is Tuesday.
    assert cal.deadline(T(2025, 3, 14, 16, 30), 1) == D(2025, 3, 18)
    # Channels without a cut-off (apply_cutoff=False) keep the day.
    assert cal.deadline(T(2025, 3, 12, 16, 0), 1, apply_cutoff=False) == D(2025, 3, 13)
    assert wednesday.weekday() == 2


def test_cut_off_is_an_office_setting() -> None:
    late = WorkCalendar(OfficeSettings(receipt_cutoff=dt.time(16, 30)))
    assert late.deadline(T(2025, 3, 12, 16, 0), 1) == D(2025, 3, 13)
    assert late.deadline(T(2025, 3, 12, 16, 45), 1) == D(2025, 3, 14)


def test_saturday_counts_when_the_office_says_so() -> None:
    saturday_desk = WorkCalendar(OfficeSettings(saturday_counts=True))
    assert saturday_desk.deadline(D(2025, 3, 7), 1) == D(2025, 3, 8)
    # Holidays on a Saturday stay days off even then (Tết 2024: Saturday 10/02).
    assert not saturday_desk.is_working_day(D(2024, 2, 10))


def test_calendar_days(cal: WorkCalendar) -> None:
    # Civil Code 2015 Art. 147(2): the first day is not counted; Art. 148(5): a limit ending
    # on a day off ends on the next working day.
    assert cal.deadline(D(2025, 3, 3), 10, "days") == D(2025, 3, 13)
    # Monday 03/03 + 12 days = Saturday 15/03 → Monday 17/03.
    assert cal.deadline(D(2025, 3, 3), 12, "days") == D(2025, 3, 17)
    # Ending inside Tết 2025 → the first working day after it (Monday 03/02/2025).
    assert cal.deadline(D(2025, 1, 20), 8, "days") == D(2025, 2, 3)


def test_hours_across_lunch(cal: WorkCalendar) -> None:
    # Working hours 08:00–12:00 and 13:00–17:00: 11:00 + 2 h → 14:00.
    assert cal.deadline(T(2025, 3, 12, 11, 0), 2, "hours") == T(2025, 3, 12, 14, 0)
    # Received during lunch: the clock starts at 13:00.
    assert cal.deadline(T(2025, 3, 12, 12, 30), 1, "hours") == T(2025, 3, 12, 14, 0)
    # Exactly to the end of the morning gives 12:00, not 13:00.
    assert cal.deadline(T(2025, 3, 12, 10, 0), 2, "hours") == T(2025, 3, 12, 12, 0)


def test_hours_overnight_and_over_a_weekend(cal: WorkCalendar) -> None:
    # 14:00 + 4 h → 3 h today, 1 h tomorrow → 09:00 next day.
    assert cal.deadline(T(2025, 3, 12, 14, 0), 4, "hours") == T(2025, 3, 13, 9, 0)
    # Friday 14:00 + 4 h → Monday 09:00.
    assert cal.deadline(T(2025, 3, 14, 14, 0), 4, "hours") == T(2025, 3, 17, 9, 0)
    # 24 working hours = 3 full working days from Monday 08:00 → Wednesday 17:00.
    assert cal.deadline(T(2025, 3, 10, 8, 0), 24, "hours") == T(2025, 3, 12, 17, 0)
    # After the cut-off the clock starts at the next working day's opening.
    assert cal.deadline(T(2025, 3, 12, 16, 0), 2, "hours") == T(2025, 3, 13, 10, 0)
    assert cal.deadline(T(2025, 3, 12, 16, 0), 2, "hours", apply_cutoff=False) == T(
        2025, 3, 13, 9, 0
    )


def test_hours_skip_tet(cal: WorkCalendar) -> None:
    # Friday 24/01/2025 14:00 + 8 h: 3 h that day, then Tết 27/01–31/01 off, 5 h on 03/02.
    assert cal.deadline(T(2025, 1, 24, 14, 0), 8, "hours") == T(2025, 2, 3, 14, 0)


def test_hours_from_a_date_start_at_opening(cal: WorkCalendar) -> None:
    assert cal.deadline(D(2025, 3, 12), 3, "hours") == T(2025, 3, 12, 11, 0)


def test_timezone_aware_moments_are_read_in_vietnam_time(cal: WorkCalendar) -> None:
    from zoneinfo import ZoneInfo

    utc = T(2025, 3, 12, 4, 0, tzinfo=ZoneInfo("UTC"))  # 11:00 in Hà Nội
    due = cal.deadline(utc, 2, "hours")
    assert due.tzinfo is not None
    assert due.replace(tzinfo=None) == T(2025, 3, 12, 14, 0)


def test_custom_working_hours() -> None:
    short = WorkCalendar(OfficeSettings(working_hours=((dt.time(7, 30), dt.time(11, 30)),)))
    assert short.deadline(T(2025, 3, 12, 10, 30), 2, "hours") == T(2025, 3, 13, 8, 30)


@pytest.mark.parametrize(
    "hours",
    [
        ((dt.time(12, 0), dt.time(8, 0)),),
        ((dt.time(8, 0), dt.time(12, 0)), (dt.time(11, 0), dt.time(17, 0))),
        (),
    ],
)
def test_invalid_working_hours_are_refused(hours: tuple[tuple[dt.time, dt.time], ...]) -> None:
    with pytest.raises(ValueError, match="working_hours"):
        OfficeSettings(working_hours=hours)


def test_bad_arguments(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError, match="weeks"):
        cal.deadline(D(2025, 3, 12), 1, "weeks")
    with pytest.raises(ValueError, match="âm"):
        cal.deadline(D(2025, 3, 12), -1)
    with pytest.raises(TypeError):
        cal.deadline(D(2025, 3, 12), 1.5)  # type: ignore[call-overload]


def test_numpy_integers_are_accepted(cal: WorkCalendar) -> None:
    import numpy as np

    assert cal.deadline(D(2025, 3, 7), np.int64(3)) == D(2025, 3, 12)  # type: ignore[call-overload]


def test_dates_outside_the_precomputed_years_are_added_on_demand() -> None:
    fresh = WorkCalendar()
    # 2 September 1999 was a Thursday and National Day (Labour Code 1994 Art. 73).
    assert not fresh.is_working_day(D(1999, 9, 2))
    assert fresh.add_working_days(D(2040, 12, 28), 260).year == 2042
    with pytest.raises(ValueError, match="phạm vi"):
        fresh.is_working_day(D(1800, 1, 1))
    with pytest.raises(ValueError, match="phạm vi"):
        fresh.add_working_days(D(1901, 1, 10), -1000)
    with pytest.raises(ValueError, match="phạm vi"):
        fresh.add_working_days(D(2299, 1, 10), 1000)
