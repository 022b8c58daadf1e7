"""Property-based tests of the working-day arithmetic (DESIGN.md practice 5)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.calendar import WorkCalendar, default_calendar

CAL: WorkCalendar = default_calendar()
days = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2028, 12, 31))
counts = st.integers(min_value=0, max_value=400)
moments = st.datetimes(min_value=dt.datetime(2020, 1, 1), max_value=dt.datetime(2028, 12, 31))
units = st.sampled_from(["working-days", "days", "hours"])


@settings(deadline=None)
@given(days, st.integers(min_value=1, max_value=400))
def test_between_counts_what_add_adds(start: dt.date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start + dt.timedelta(days=1), end) == n


@settings(deadline=None)
@given(days, st.integers(min_value=-400, max_value=400))
def test_add_then_subtract_returns_to_the_working_day(start: dt.date, n: int) -> None:
    base = CAL.receipt_day(start)
    assert CAL.add_working_days(CAL.add_working_days(base, n), -n) == base


@settings(deadline=None)
@given(days, days)
def test_between_equals_the_table_seq_difference(a: dt.date, b: dt.date) -> None:
    a, b = min(a, b), max(a, b)
    table = CAL.calendar_table(a, b).to_pydict()
    seq = table["working_day_seq"]
    assert CAL.working_days_between(a, b) == seq[-1] == sum(table["is_working_day"])
    # Any inner pair: the count between is a subtraction of seqs.
    i = len(seq) // 3
    j = 2 * len(seq) // 3
    first_counts = 1 if table["is_working_day"][i] else 0
    assert CAL.working_days_between(table["date"][i], table["date"][j]) == (
        seq[j] - seq[i] + first_counts
    )


@settings(deadline=None)
@given(moments | days, counts, units)
def test_deadline_is_always_a_working_day(start: dt.datetime | dt.date, n: int, unit: str) -> None:
    due = CAL.deadline(start, n, unit)
    day = due.date() if isinstance(due, dt.datetime) else due
    assert CAL.is_working_day(day)
    if isinstance(due, dt.datetime):
        seconds = due.hour * 3600 + due.minute * 60 + due.second
        assert 8 * 3600 <= seconds <= 12 * 3600 or 13 * 3600 <= seconds <= 17 * 3600


@settings(max_examples=200, deadline=None)
@given(moments | days, counts, counts, units)
def test_deadline_is_monotonic_in_n(
    start: dt.datetime | dt.date, n: int, m: int, unit: str
) -> None:
    lo, hi = min(n, m), max(n, m)
    assert CAL.deadline(start, lo, unit) <= CAL.deadline(start, hi, unit)  # type: ignore[operator]


@settings(deadline=None)
@given(moments, counts)
def test_deadline_never_precedes_receipt(start: dt.datetime, n: int) -> None:
    assert CAL.deadline(start, n) >= start.date()
    assert CAL.deadline(start, n, "hours") >= start


@settings(deadline=None)
@given(moments, st.integers(min_value=1, max_value=200))
def test_working_day_deadline_counts_exactly_n_days_after_receipt(
    start: dt.datetime, n: int
) -> None:
    receipt = CAL.effective_receipt_day(start, apply_cutoff=True)
    due = CAL.deadline(start, n)
    assert CAL.working_days_between(receipt, due) == n + 1
