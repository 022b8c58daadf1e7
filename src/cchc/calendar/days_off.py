"""Vietnam's days off and days worked: the `holidays` package joined with the override table.

Labour Code 2019 (45/2019/QH14) Art. 112 lists the paid holidays and Art. 111(3) makes a
holiday that falls on a weekly rest day up on the next working day; the `holidays` package
(country VN, Vietnamese lunar calendar — never a Chinese one, docs/field.md §6) computes both.
Each year's notices come from the override table, which wins on any date it lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from cchc.calendar.overrides import DayKind, Override

__all__ = ["PACKAGE_SOURCE", "DayInfo", "vietnam_days"]

CULTURE_DAY = "Văn hóa Việt Nam"
PACKAGE_SOURCE = "Bộ luật Lao động 2019 Điều 111, 112 (tính theo gói holidays {version})"


@dataclass(frozen=True, slots=True)
class DayInfo:
    """A date that is not an ordinary weekday or weekend: a day off or a day worked."""

    date: dt.date
    kind: DayKind
    name: str
    source: str
    note: str = ""

    @property
    def is_day_off(self) -> bool:
        return self.kind is not DayKind.WORKING_DAY


def _package_days(years: range) -> dict[dt.date, DayInfo]:
    import holidays

    # Vietnamese names; observed (make-up) days included, as Art. 111(3) requires.
    book = holidays.country_holidays("VN", years=years, language="vi", observed=True)
    source = PACKAGE_SOURCE.format(version=holidays.__version__)
    out: dict[dt.date, DayInfo] = {}
    for day, joined in book.items():
        # The package joins several names on one date with "; ". It also makes up 24 November
        # when it falls on a weekend, but that day off is not made up (docs/field.md §6).
        names = [
            n
            for n in str(joined).split("; ")
            if not (CULTURE_DAY in n and (day.month, day.day) != (11, 24))
        ]
        if names:
            out[day] = DayInfo(day, DayKind.HOLIDAY, "; ".join(names), source)
    return out


def vietnam_days(
    years: range, overrides: Iterable[Override], *, use_package: bool = True
) -> dict[dt.date, DayInfo]:
    """Every special date in ``years``: package holidays, then overrides on top (later wins)."""
    days = _package_days(years) if use_package else {}
    for o in overrides:
        if o.date.year in years:
            days[o.date] = DayInfo(o.date, o.kind, o.name, o.source, o.note)
    return days
