"""Column deadlines (`due_dates`) give exactly what the scalar `deadline` gives, row by row."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.calendar import WorkCalendar, default_calendar, due_dates

CAL: WorkCalendar = default_calendar()
moments = st.datetimes(min_value=dt.datetime(2020, 6, 1), max_value=dt.datetime(2027, 6, 30))
rows = st.lists(
    st.tuples(moments, st.integers(min_value=0, max_value=300), st.booleans()),
    min_size=1,
    max_size=40,
)


@settings(deadline=None, max_examples=60)
@given(rows, st.sampled_from(["working-days", "days"]))
def test_columns_match_the_scalar_function(
    data: list[tuple[dt.datetime, int, bool]], unit: str
) -> None:
    received = [r[0] for r in data]
    limits = [r[1] for r in data]
    counter = [r[2] for r in data]
    got = due_dates(
        CAL,
        pa.array(received, pa.timestamp("us")),
        pa.array(limits),
        unit=unit,
        apply_cutoff=pa.array(counter),
    ).to_pylist()
    expected = [
        CAL.deadline(at, k, unit, apply_cutoff=cut)
        for at, k, cut in zip(received, limits, counter, strict=True)
    ]
    assert got == expected


@settings(deadline=None, max_examples=30)
@given(st.lists(st.dates(dt.date(2020, 1, 1), dt.date(2027, 12, 31)), min_size=1, max_size=30))
def test_date_columns_and_a_single_limit(days: list[dt.date]) -> None:
    got = due_dates(CAL, pa.array(days, pa.date32()), 7).to_pylist()
    assert got == [CAL.deadline(d, 7) for d in days]


def test_nulls_give_nulls() -> None:
    received = pa.array([dt.datetime(2025, 4, 25, 9), None, dt.datetime(2025, 4, 25, 9)])
    limits = pa.array([1, 1, None])
    # Friday 25/04/2025 + 1 → Saturday 26/04 worked (Thông báo 6150/TB-LĐTBXH).
    assert due_dates(CAL, received, limits).to_pylist() == [dt.date(2025, 4, 26), None, None]


def test_chunked_columns_and_timezone_aware_timestamps() -> None:
    # 09:00 UTC is 16:00 in Hà Nội: after the cut-off → Thursday + 1 → Friday 14/03/2025.
    aware = pa.chunked_array(
        [pa.array([dt.datetime(2025, 3, 12, 9, 0)], pa.timestamp("us", "UTC"))]
    )
    assert due_dates(CAL, aware, 1).to_pylist() == [dt.date(2025, 3, 14)]
    assert due_dates(CAL, aware, 1, apply_cutoff=False).to_pylist() == [dt.date(2025, 3, 13)]


def test_hours_fall_back_to_the_scalar_path() -> None:
    received = pa.array([dt.datetime(2025, 3, 12, 11, 0), None])
    got = due_dates(CAL, received, 2, unit="hours").to_pylist()
    assert got == [dt.datetime(2025, 3, 12, 14, 0), None]


def test_empty_columns() -> None:
    assert due_dates(CAL, pa.array([], pa.timestamp("us")), 3).to_pylist() == []


def test_bad_columns_are_refused() -> None:
    with pytest.raises(TypeError, match="ngày hoặc thời điểm"):
        due_dates(CAL, pa.array(["2025-01-01"]), 1)
    with pytest.raises(ValueError, match="cùng số dòng"):
        due_dates(CAL, pa.array([dt.date(2025, 1, 1)]), pa.array([1, 2]))
    with pytest.raises(ValueError, match="âm"):
        due_dates(CAL, pa.array([dt.date(2025, 1, 1)]), pa.array([-1]))
    with pytest.raises(ValueError, match="weeks"):
        due_dates(CAL, pa.array([dt.date(2025, 1, 1)]), 1, unit="weeks")
