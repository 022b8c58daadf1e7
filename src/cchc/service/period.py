"""Index periods: a year, a half, a quarter or a month (Decision 766 publishes all four).

Written ``YYYY``, ``YYYY-Hn``, ``YYYY-Qn`` or ``YYYY-MM`` (docs/cli.md). A period
is the half-open interval [start, end): ``end`` is the first instant after it, which is also
"the period's end" used as the end time of dossiers still open (nothing can happen between
the last instant of the period and the next one).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_PERIOD = re.compile(r"^(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2})))?$")


class PeriodError(ValueError):
    """A period text that is not one of the four forms."""


@dataclass(frozen=True, slots=True)
class Period:
    """A named interval of time for the index."""

    label: str
    start: dt.datetime
    end: dt.datetime

    @property
    def last_day(self) -> dt.date:
        return (self.end - dt.timedelta(days=1)).date()


def _month_start(year: int, month: int) -> dt.datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return dt.datetime(year, month, 1)


def parse_period(text: str) -> Period:
    """``"2025-Q1"`` → Period("2025-Q1", 2025-01-01 00:00, 2025-04-01 00:00)."""
    match = _PERIOD.match(text.strip())
    if not match:
        raise PeriodError(
            f"kỳ '{text}' không hợp lệ: dùng YYYY, YYYY-Hn (n = 1, 2), YYYY-Qn (n = 1..4) hoặc YYYY-MM"
        )
    year = int(match.group(1))
    half, quarter, month = match.group(2), match.group(3), match.group(4)
    if half:
        first, months = 6 * (int(half) - 1) + 1, 6
    elif quarter:
        first, months = 3 * (int(quarter) - 1) + 1, 3
    elif month:
        first, months = int(month), 1
        if not 1 <= first <= 12:
            raise PeriodError(f"kỳ '{text}' không hợp lệ: tháng {month} không tồn tại")
    else:
        first, months = 1, 12
    # The calendar's years, the one range every accepted date keeps to (a period past it
    # could not be computed: `?period=9999` was a server error).
    from cchc.calendar import MAX_YEAR, MIN_YEAR

    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            f"kỳ '{text}' không hợp lệ: năm {year} ngoài phạm vi {MIN_YEAR}–{MAX_YEAR}"
        )
    return Period(text.strip(), _month_start(year, first), _month_start(year, first + months))


def as_period(value: Period | str) -> Period:
    """The period itself, or the period a text names (library functions accept either)."""
    return value if isinstance(value, Period) else parse_period(value)


def quarter_of(day: dt.date) -> Period:
    """The quarter a day falls in: 2025-05-14 → "2025-Q2" (the desk's default period)."""
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


_ROMAN = ("I", "II", "III", "IV")


def spoken(value: Period | str) -> str:
    """The period as an office says it: "2026-H1" → "6 tháng đầu năm 2026", "2026-Q3" →
    "Quý III/2026", "2026-05" → "Tháng 05/2026", "2026" → "Năm 2026"."""
    period = as_period(value)
    year, first = period.start.year, period.start.month
    months = (period.end.year - year) * 12 + period.end.month - first
    if months == 12:
        return f"Năm {year}"
    if months == 6:
        return f"6 tháng {'đầu' if first == 1 else 'cuối'} năm {year}"
    if months == 3:
        return f"Quý {_ROMAN[(first - 1) // 3]}/{year}"
    return f"Tháng {first:02d}/{year}"


def choices_for_year(year: int) -> list[tuple[str, str]]:
    """(code, spoken label) of every period of a year: the year, its halves, quarters, months."""
    codes = [str(year), f"{year}-H1", f"{year}-H2"]
    codes += [f"{year}-Q{q}" for q in range(1, 5)]
    codes += [f"{year}-{m:02d}" for m in range(1, 13)]
    return [(code, spoken(code)) for code in codes]
