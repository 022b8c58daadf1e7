"""Survey periods: ``YYYY``, ``YYYY-Hn``, ``YYYY-Qn`` or ``YYYY-MM`` (as in ``cchc service``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["Period", "parse_period"]

_PATTERN = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date  # inclusive

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def parse_period(text: str) -> Period:
    """Parse a period label; raises ValueError with a Vietnamese message when malformed."""
    match = _PATTERN.match(text.strip().upper())
    if not match:
        raise ValueError(f"kỳ '{text}' không hợp lệ: dùng YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM")
    year = int(match.group(1))
    part = match.group(2)
    if part is None:
        first, last = 1, 12
    elif part[0] == "H":
        first = 1 if part == "H1" else 7
        last = first + 5
    elif part[0] == "Q":
        first = 3 * int(part[1]) - 2
        last = first + 2
    else:
        first = last = int(part)
        if not 1 <= first <= 12:
            raise ValueError(f"kỳ '{text}' không hợp lệ: tháng phải từ 01 đến 12")
    end_day = calendar.monthrange(year, last)[1]
    return Period(text.strip().upper(), dt.date(year, first, 1), dt.date(year, last, end_day))
