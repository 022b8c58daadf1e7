"""Working-day calendar for Vietnam: holidays, make-up days, swapped Saturdays, deadlines.

Public API (see docs/calendar.md)::

    from cchc.calendar import default_calendar, OfficeSettings, WorkCalendar
    cal = default_calendar()
    cal.deadline(datetime(2025, 4, 25, 9, 0), 3)          # working days → date
    cal.working_days_between(date(2025, 1, 1), date(2025, 1, 31))
    cal.calendar_table(date(2025, 1, 1), date(2025, 12, 31))  # pyarrow.Table for joins
"""

from cchc.calendar.batch import due_dates
from cchc.calendar.days_off import DayInfo
from cchc.calendar.overrides import (
    DayKind,
    Override,
    OverrideError,
    load_overrides,
    shipped_overrides,
)
from cchc.calendar.work_calendar import (
    DEFAULT_WORKING_HOURS,
    MAX_YEAR,
    MIN_YEAR,
    DeadlineUnit,
    OfficeSettings,
    WorkCalendar,
    default_calendar,
)

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "MAX_YEAR",
    "MIN_YEAR",
    "DayInfo",
    "DayKind",
    "DeadlineUnit",
    "OfficeSettings",
    "Override",
    "OverrideError",
    "WorkCalendar",
    "default_calendar",
    "due_dates",
    "load_overrides",
    "shipped_overrides",
]
