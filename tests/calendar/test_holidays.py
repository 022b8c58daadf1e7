"""Every holiday rule of DOMAIN.md §6 across 2021–2026, each expected value with its source.

Sources: Labour Code 2019 (Bộ luật Lao động 45/2019/QH14) Art. 112 (holidays) and Art. 111(3)
(a holiday on a weekly rest day is made up on the next working day); each year's notice as
cited per case (see also src/cchc/calendar/data/overrides.csv).
"""

from __future__ import annotations

import datetime as dt

import pytest

from cchc.calendar import DayKind, WorkCalendar

D = dt.date

# Tết Nguyên đán: the weekdays off for the civil service fixed by each year's notice.
TET_DAYS_OFF = {
    # 2021 Tân Sửu: 10/02–16/02 (29 tháng Chạp – mùng 5), Bộ LĐTBXH notice for 2021
    # (number not verified, dates as reported by Hànộimới).
    2021: [D(2021, 2, 10), D(2021, 2, 11), D(2021, 2, 12), D(2021, 2, 15), D(2021, 2, 16)],
    # 2022 Nhâm Dần: 31/01–04/02, Công văn 245/VPCP-KGVX of 11/01/2022.
    2022: [D(2022, 1, 31), D(2022, 2, 1), D(2022, 2, 2), D(2022, 2, 3), D(2022, 2, 4)],
    # 2023 Quý Mão: 20/01–26/01, Công văn 8056/VPCP-KGVX of 01/12/2022.
    2023: [D(2023, 1, 20), D(2023, 1, 23), D(2023, 1, 24), D(2023, 1, 25), D(2023, 1, 26)],
    # 2024 Giáp Thìn: 08/02–14/02, Công văn 8662/VPCP-KGVX of 03/11/2023; Thông báo 5015/TB-LĐTBXH.
    2024: [D(2024, 2, 8), D(2024, 2, 9), D(2024, 2, 12), D(2024, 2, 13), D(2024, 2, 14)],
    # 2025 Ất Tỵ: 27/01–31/01, Công văn 8726/VPCP-KGVX of 26/11/2024; Thông báo 6150/TB-LĐTBXH.
    2025: [D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31)],
    # 2026 Bính Ngọ: 16/02–20/02, Thông báo 9441/TB-BNV of 16/10/2025.
    2026: [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20)],
}

# The first day of the Vietnamese lunar year (mùng 1 Tết), from the same notices.
TET_FIRST_DAY = {
    2021: D(2021, 2, 12),
    2022: D(2022, 2, 1),
    2023: D(2023, 1, 22),
    2024: D(2024, 2, 10),
    2025: D(2025, 1, 29),
    2026: D(2026, 2, 17),
}

# Hùng Kings: 10th day of the 3rd Vietnamese lunar month (Labour Code Art. 112(1)(d)).
HUNG_KINGS = {
    2021: D(2021, 4, 21),
    2022: D(2022, 4, 10),  # a Sunday: made up Monday 11/04 (Art. 111(3))
    2023: D(2023, 4, 29),  # a Saturday: made up Tuesday 02/05 (Art. 111(3))
    2024: D(2024, 4, 18),
    2025: D(2025, 4, 7),
    2026: D(2026, 4, 26),  # a Sunday: made up Monday 27/04 (Art. 111(3))
}

# National Day 2 September plus the adjacent day chosen by each year's notice (Art. 112(1)(đ)).
NATIONAL_DAY_PAIR = {
    2021: (D(2021, 9, 2), D(2021, 9, 3)),  # Bộ LĐTBXH notice 2021 (4-day break 02–05/09)
    2022: (D(2022, 9, 1), D(2022, 9, 2)),  # Bộ LĐTBXH notice 2022
    2023: (D(2023, 9, 1), D(2023, 9, 2)),  # Công văn 8056/VPCP-KGVX; 02/09 a Saturday
    2024: (D(2024, 9, 2), D(2024, 9, 3)),  # Thông báo 5015/TB-LĐTBXH (break 31/08–03/09)
    2025: (D(2025, 9, 1), D(2025, 9, 2)),  # Thông báo 6150/TB-LĐTBXH (2024)
    2026: (D(2026, 9, 1), D(2026, 9, 2)),  # Thông báo 9441/TB-BNV (2025)
}

YEARS = range(2021, 2027)


@pytest.mark.parametrize("year", YEARS)
def test_tet_days_are_days_off(cal: WorkCalendar, year: int) -> None:
    for day in TET_DAYS_OFF[year]:
        assert day.weekday() < 5, f"{day} is a weekday in the notice"
        assert not cal.is_working_day(day), day
    # The notices give exactly five weekdays off around Tết: the working days on either side
    # of the break are ordinary working days.
    first, last = TET_DAYS_OFF[year][0], TET_DAYS_OFF[year][-1]
    assert cal.working_days_between(first, last) == 0
    assert cal.is_working_day(cal.add_working_days(first, -1))
    weekdays_in_break = sum(
        1 for i in range((last - first).days + 1) if (first + dt.timedelta(i)).weekday() < 5
    )
    assert weekdays_in_break == 5


@pytest.mark.parametrize("year", YEARS)
def test_tet_follows_the_vietnamese_lunar_calendar_without_the_table(
    package_only: WorkCalendar, year: int
) -> None:
    # The package alone (Vietnamese lunar calendar, UTC+7) puts mùng 1 Tết on the same date
    # as the notices: proof the table is not what makes Tết right.
    info = package_only.day_info(TET_FIRST_DAY[year])
    assert info is not None and "Tết Nguyên Đán" in info.name
    for day in TET_DAYS_OFF[year]:
        assert not package_only.is_working_day(day), day


@pytest.mark.parametrize("year", YEARS)
def test_hung_kings_day(cal: WorkCalendar, package_only: WorkCalendar, year: int) -> None:
    day = HUNG_KINGS[year]
    assert not cal.is_working_day(day)
    for calendar in (cal, package_only):
        info = calendar.day_info(day)
        assert info is not None and "Hùng Vương" in info.name
    if day.weekday() >= 5:
        # Art. 111(3): made up on the next weekday (02/05/2023 after Labour Day 01/05).
        monday = day + dt.timedelta(days=7 - day.weekday())
        assert not cal.is_working_day(monday)


def test_hung_kings_made_up_days(cal: WorkCalendar) -> None:
    # Art. 111(3): 10/04/2022 (Sunday) → Monday 11/04/2022; 29/04/2023 (Saturday) →
    # Tuesday 02/05/2023 (Monday 01/05 being Labour Day); 26/04/2026 (Sunday) → Monday 27/04.
    for day in (D(2022, 4, 11), D(2023, 5, 2), D(2026, 4, 27)):
        assert not cal.is_working_day(day), day
        info = cal.day_info(day)
        assert info is not None and info.kind is DayKind.DAY_OFF


@pytest.mark.parametrize("year", YEARS)
def test_30_april_and_1_may(cal: WorkCalendar, year: int) -> None:
    # Labour Code Art. 112(1)(c): Victory Day 30/04 and International Labour Day 01/05.
    for day in (D(year, 4, 30), D(year, 5, 1)):
        assert not cal.is_working_day(day)
        assert cal.day_info(day) is not None


def test_30_april_and_1_may_on_a_weekend_are_made_up(cal: WorkCalendar) -> None:
    # Art. 111(3): 01/05/2021 Saturday → Monday 03/05/2021; 30/04/2022 Saturday and 01/05/2022
    # Sunday → Monday 02/05 and Tuesday 03/05/2022; 30/04/2023 Sunday → Wednesday 03/05/2023.
    assert not cal.is_working_day(D(2021, 5, 3))
    assert cal.is_working_day(D(2021, 5, 4))
    assert not cal.is_working_day(D(2022, 5, 2))
    assert not cal.is_working_day(D(2022, 5, 3))
    assert cal.is_working_day(D(2022, 5, 4))
    assert not cal.is_working_day(D(2023, 5, 3))
    assert cal.is_working_day(D(2023, 5, 4))


@pytest.mark.parametrize("year", YEARS)
def test_national_day_and_its_adjacent_day(cal: WorkCalendar, year: int) -> None:
    first, second = NATIONAL_DAY_PAIR[year]
    assert D(year, 9, 2) in (first, second)
    assert (second - first).days == 1
    assert not cal.is_working_day(first)
    assert not cal.is_working_day(second)
    # 3 September (4 September after a weekend) is back to work in every year.
    back = D(year, 9, 3) if D(year, 9, 3) not in (first, second) else D(year, 9, 4)
    while back.weekday() >= 5 or back == D(2023, 9, 4):  # 04/09/2023: made up (Art. 111(3))
        back += dt.timedelta(days=1)
    assert cal.is_working_day(back), back


def test_national_day_on_a_saturday_is_made_up(cal: WorkCalendar) -> None:
    # 02/09/2023 was a Saturday: Art. 111(3) → Monday 04/09/2023 off; Tuesday 05/09 worked.
    assert not cal.is_working_day(D(2023, 9, 4))
    assert cal.is_working_day(D(2023, 9, 5))


def test_new_year_on_a_weekend_is_made_up(cal: WorkCalendar) -> None:
    # Art. 111(3): 01/01/2022 Saturday → Monday 03/01/2022; 01/01/2023 Sunday → Monday 02/01/2023.
    assert not cal.is_working_day(D(2022, 1, 3))
    assert not cal.is_working_day(D(2023, 1, 2))
    assert cal.is_working_day(D(2023, 1, 3))


def test_2024_swap_monday_29_april_off_saturday_4_may_worked(cal: WorkCalendar) -> None:
    # Công văn 2450/VPCP-KGVX of 12/04/2024: Monday 29/04/2024 off, Saturday 04/05/2024 worked.
    assert not cal.is_working_day(D(2024, 4, 29))
    assert cal.is_working_day(D(2024, 5, 4))
    info = cal.day_info(D(2024, 5, 4))
    assert info is not None and info.kind is DayKind.WORKING_DAY
    assert "2450/VPCP-KGVX" in info.source
    # Other Saturdays stay rest days.
    assert not cal.is_working_day(D(2024, 5, 11))


def test_2025_swap_friday_2_may_off_saturday_26_april_worked(cal: WorkCalendar) -> None:
    # Công văn 8726/VPCP-KGVX of 26/11/2024; Thông báo 6150/TB-LĐTBXH: Friday 02/05/2025 off,
    # Saturday 26/04/2025 worked.
    assert not cal.is_working_day(D(2025, 5, 2))
    assert cal.is_working_day(D(2025, 4, 26))
    info = cal.day_info(D(2025, 4, 26))
    assert info is not None and "6150/TB-LĐTBXH" in info.source


def test_2026_new_year_swap(cal: WorkCalendar, package_only: WorkCalendar) -> None:
    # Công văn 12729/VPCP-KGVX of 25/12/2025: Friday 02/01/2026 off, Saturday 10/01/2026 worked.
    # The holidays package 0.109 does not know it: the shipped table is what adds it.
    assert not cal.is_working_day(D(2026, 1, 2))
    assert cal.is_working_day(D(2026, 1, 10))
    assert package_only.is_working_day(D(2026, 1, 2))
    assert not package_only.is_working_day(D(2026, 1, 10))


def test_2026_national_day_swap(cal: WorkCalendar) -> None:
    # Thông báo 9441/TB-BNV of 16/10/2025: 01–02/09/2026 off, Monday 31/08 off in exchange
    # for Saturday 22/08/2026 worked (five days 29/08–02/09).
    assert not cal.is_working_day(D(2026, 8, 31))
    assert cal.is_working_day(D(2026, 8, 22))
    assert cal.working_days_between(D(2026, 8, 29), D(2026, 9, 2)) == 0
    assert cal.deadline(D(2026, 8, 21), 1) == D(2026, 8, 22)
    assert cal.deadline(D(2026, 8, 28), 1) == D(2026, 9, 3)


def test_24_november_is_a_day_off_from_2026_only(cal: WorkCalendar) -> None:
    # Vietnamese Culture Day: Nghị quyết 80-NQ/TW (2026), Nghị quyết 30/NQ-CP (2026); a paid
    # day off from 2026 (DOMAIN.md §6). 24/11/2026 is a Tuesday.
    assert not cal.is_working_day(D(2026, 11, 24))
    info = cal.day_info(D(2026, 11, 24))
    assert info is not None and "Văn hóa Việt Nam" in info.name
    # 24/11/2025 (a Monday) was an ordinary working day.
    assert cal.is_working_day(D(2025, 11, 24))
    assert cal.day_info(D(2025, 11, 24)) is None


def test_24_november_on_a_weekend_is_not_made_up(cal: WorkCalendar) -> None:
    # DOMAIN.md §6: 24 November is a day off but not made up when it falls on a weekend.
    # 24/11/2029 is a Saturday: Monday 26/11/2029 stays a working day.
    assert D(2029, 11, 24).weekday() == 5
    assert cal.is_working_day(D(2029, 11, 26))


@pytest.mark.parametrize("year", YEARS)
def test_package_weekday_holidays_are_all_in_the_shipped_table(
    cal: WorkCalendar, package_only: WorkCalendar, year: int
) -> None:
    # Cross-check: for the years the table covers, every weekday the package takes off is a
    # day off in the table as well, so the two sources agree wherever both speak.
    table_days = {o.date: o for o in cal.overrides}
    for info in package_only.special_days(year):
        if info.date.weekday() < 5:
            assert info.date in table_days, f"{info.date} {info.name} missing from the table"
            assert table_days[info.date].is_day_off


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # Weekdays minus weekday days off plus Saturdays worked, from the sources above.
        (2024, 262 - 12 + 1),  # Saturday 04/05 worked (2450/VPCP-KGVX)
        (2025, 261 - 12 + 1),  # Saturday 26/04 worked (6150/TB-LĐTBXH)
        (2026, 261 - 14 + 2),  # Saturdays 10/01 (12729/VPCP-KGVX) and 22/08 (9441/TB-BNV)
    ],
)
def test_working_days_in_a_year(cal: WorkCalendar, year: int, expected: int) -> None:
    weekdays = sum(
        1
        for i in range(366)
        if (d := D(year, 1, 1) + dt.timedelta(i)).year == year and d.weekday() < 5
    )
    assert weekdays in (261, 262)
    assert cal.working_days_between(D(year, 1, 1), D(year, 12, 31)) == expected


@pytest.mark.parametrize(
    ("vietnam", "china"),
    [
        # Years where the Vietnamese lunar calendar (UTC+7) and the Chinese one (UTC+8) put
        # the new year on different days (Hồ Ngọc Đức, "Âm lịch Việt Nam"; DOMAIN.md §6).
        (D(1985, 1, 21), D(1985, 2, 20)),
        (D(2007, 2, 17), D(2007, 2, 18)),
    ],
)
def test_tet_uses_the_vietnamese_not_the_chinese_lunar_calendar(
    package_only: WorkCalendar, vietnam: D, china: D
) -> None:
    info = package_only.day_info(vietnam)
    assert info is not None and info.name.startswith("Tết Nguyên Đán")
    chinese_day = package_only.day_info(china)
    assert chinese_day is None or not chinese_day.name.startswith("Tết Nguyên Đán")
