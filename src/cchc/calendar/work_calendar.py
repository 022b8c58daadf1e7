"""The working-day calendar of one office: which days count, and deadline arithmetic.

Rules (docs/field.md §5–§6):
- Civil service works Monday–Friday; Saturday counts only if the office says so.
- Days off: Labour Code 2019 Art. 112 holidays, Art. 111(3) make-up days, and each year's
  notices (override table). A Saturday worked under a swap is a working day.
- A limit of N working days starts on the working day after receipt (the day of receipt is
  not counted); a dossier received on a non-working day counts as received on the next
  working day; a counter dossier received after the cut-off (15:00) counts as received on
  the next working day (Circular 01/2018/TT-VPCP; Decree 61/2018/NĐ-CP Art. 19).

The scalar functions read precomputed Python lists (day → is-working, day → cumulative
working-day count, count → day), so each call is a few list look-ups; the ledger calls
them for millions of rows, or uses :meth:`WorkCalendar.calendar_table` as a join instead.
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Literal, overload

from cchc.calendar.days_off import DayInfo, vietnam_days
from cchc.calendar.overrides import Override, shipped_overrides

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "DEFAULT_WORKING_HOURS",
    "MAX_YEAR",
    "MIN_YEAR",
    "DeadlineUnit",
    "OfficeSettings",
    "WorkCalendar",
    "default_calendar",
]

DeadlineUnit = Literal["working-days", "days", "hours"]
UNITS: tuple[str, ...] = ("working-days", "days", "hours")

DEFAULT_WORKING_HOURS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(8, 0), dt.time(12, 0)),
    (dt.time(13, 0), dt.time(17, 0)),
)

# Years precomputed up front; anything outside is added on demand.
_FIRST_YEAR = 2000
_LAST_YEAR = 2040
#: The years the calendar can compute (holiday tables, lunar Tết). Every date the platform
#: accepts from outside (ledger imports, periods, date ranges) must fall in them: one range,
#: here, so an importer never stores a date that a page later cannot compute with.
MIN_YEAR = 1900
MAX_YEAR = 2300
_MIN_YEAR = MIN_YEAR
_MAX_YEAR = MAX_YEAR
_SAT = 5
_SUN = 6
_LOCAL_TZ = "Asia/Ho_Chi_Minh"


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _micros(t: dt.time) -> int:
    return _seconds(t) * 1_000_000 + t.microsecond


@dataclass(frozen=True)
class OfficeSettings:
    """Per-office choices; defaults follow docs/field.md §5–§6.

    ``saturday_counts``: some one-stop desks open on Saturday mornings by local decision;
    by default Saturday does not count toward deadlines (assumed default, configurable).
    ``receipt_cutoff``: counter dossiers received after it count from the next working day.
    ``working_hours``: the periods counted by limits in hours.
    ``extra_overrides``: local decisions (a province's own day off, a desk's day worked),
    applied on top of the shipped table.
    ``use_holidays_package``: turn off to rely on the override table alone.
    """

    saturday_counts: bool = False
    receipt_cutoff: dt.time = dt.time(15, 0)
    working_hours: tuple[tuple[dt.time, dt.time], ...] = DEFAULT_WORKING_HOURS
    extra_overrides: tuple[Override, ...] = ()
    use_holidays_package: bool = True

    def __post_init__(self) -> None:
        if not self.working_hours:
            raise ValueError("working_hours: cần ít nhất một khoảng giờ làm việc")
        previous_end = -1
        for start, end in self.working_hours:
            a, b = _seconds(start), _seconds(end)
            if a >= b:
                raise ValueError(
                    f"working_hours: khoảng {start:%H:%M}–{end:%H:%M} kết thúc trước khi bắt đầu"
                )
            if a < previous_end:
                raise ValueError("working_hours: các khoảng phải theo thứ tự và không chồng nhau")
            previous_end = b


@dataclass
class _Span:
    """Precomputed look-up lists for the years first_year..last_year."""

    first_year: int
    last_year: int
    epoch: int  # ordinal of 1 January first_year
    working: list[bool]  # index: ordinal - epoch
    seq: list[int]  # working days from epoch up to and including the day
    workdays: list[int]  # ordinals of working days; workdays[k - 1] has seq k
    days: dict[dt.date, DayInfo] = field(default_factory=dict)


class WorkCalendar:
    """Working days and deadlines for one office (settings) on Vietnam's calendar."""

    def __init__(
        self,
        settings: OfficeSettings | None = None,
        overrides: tuple[Override, ...] | None = None,
    ) -> None:
        self.settings = settings or OfficeSettings()
        base = shipped_overrides() if overrides is None else overrides
        self.overrides: tuple[Override, ...] = tuple(base) + tuple(self.settings.extra_overrides)
        # Microseconds, so a moment's fraction of a second is never lost.
        self._periods = [(_micros(a), _micros(b)) for a, b in self.settings.working_hours]
        self._day_micros = sum(b - a for a, b in self._periods)
        self._span = self._build(_FIRST_YEAR, _LAST_YEAR)

    # -- precomputation -------------------------------------------------------------------

    def _build(self, first_year: int, last_year: int) -> _Span:
        days = vietnam_days(
            range(first_year, last_year + 1),
            self.overrides,
            use_package=self.settings.use_holidays_package,
        )
        epoch = dt.date(first_year, 1, 1).toordinal()
        end = dt.date(last_year, 12, 31).toordinal()
        saturday = self.settings.saturday_counts
        working: list[bool] = []
        seq: list[int] = []
        workdays: list[int] = []
        count = 0
        from_ordinal = dt.date.fromordinal
        for ordinal in range(epoch, end + 1):
            day = from_ordinal(ordinal)
            info = days.get(day)
            if info is not None:
                is_work = not info.is_day_off
            else:
                weekday = day.weekday()
                is_work = weekday < _SAT or (weekday == _SAT and saturday)
            working.append(is_work)
            if is_work:
                count += 1
                workdays.append(ordinal)
            seq.append(count)
        return _Span(first_year, last_year, epoch, working, seq, workdays, days)

    def _ensure(self, first_year: int, last_year: int) -> _Span:
        span = self._span
        if first_year >= span.first_year and last_year <= span.last_year:
            return span
        if first_year < _MIN_YEAR or last_year > _MAX_YEAR:
            raise ValueError(f"ngày ngoài phạm vi lịch hỗ trợ ({_MIN_YEAR}–{_MAX_YEAR})")
        self._span = self._build(min(first_year, span.first_year), max(last_year, span.last_year))
        return self._span

    def _index(self, d: dt.date) -> int:
        span = self._ensure(d.year, d.year)
        return d.toordinal() - span.epoch

    # -- days -----------------------------------------------------------------------------

    def is_working_day(self, d: dt.date) -> bool:
        """True when ``d`` counts toward deadlines at this office."""
        i = self._index(d)
        return self._span.working[i]

    def day_info(self, d: dt.date) -> DayInfo | None:
        """The holiday, day off or Saturday worked on ``d`` (name and source), if any."""
        self._ensure(d.year, d.year)
        return self._span.days.get(d)

    def special_days(self, year: int) -> list[DayInfo]:
        """Days off and days worked of ``year`` that are not plain weekdays or weekends."""
        span = self._ensure(year, year)
        return sorted((i for i in span.days.values() if i.date.year == year), key=lambda i: i.date)

    def _seq(self, d: dt.date) -> int:
        """Working days from the span's epoch up to and including ``d``."""
        i = self._index(d)
        return self._span.seq[i]

    def _workday(self, k: int) -> dt.date:
        """The working day whose seq is ``k`` (k ≥ 1), extending the span forward if needed."""
        while k > len(self._span.workdays):
            span = self._span
            missing = k - len(span.workdays)
            self._ensure(span.first_year, span.last_year + missing // 200 + 1)
        return dt.date.fromordinal(self._span.workdays[k - 1])

    def next_working_day(self, d: dt.date) -> dt.date:
        """The first working day strictly after ``d``."""
        return self._workday(self._seq(d) + 1)

    def receipt_day(self, d: dt.date) -> dt.date:
        """The day a dossier received on ``d`` counts as received: ``d`` or the next working day."""
        return d if self.is_working_day(d) else self.next_working_day(d)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The working day ``n`` working days after ``start`` (before it when n < 0).

        n = 0 gives ``start`` itself when it is a working day, else the next working day.
        Pure arithmetic: the receipt rules live in :meth:`deadline`.
        """
        first = start.year - (abs(n) // 200 + 1) if n < 0 else start.year
        self._ensure(max(first, _MIN_YEAR), start.year)
        base = self._seq(start)
        if n > 0:
            return self._workday(base + n)
        if not self.is_working_day(start):
            base += 1  # the gap before the next working day
        if base + n < 1:
            if self._span.first_year <= _MIN_YEAR:
                raise ValueError(f"ngày ngoài phạm vi lịch hỗ trợ ({_MIN_YEAR}–{_MAX_YEAR})")
            self._ensure(max(self._span.first_year - (abs(n) // 200 + 1), _MIN_YEAR), start.year)
            return self.add_working_days(start, n)
        return self._workday(base + n)

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days from ``a`` to ``b``, both ends included; 0 when a > b."""
        if a > b:
            return 0
        self._ensure(a.year, b.year)
        return self._seq(b) - self._seq(a) + (1 if self.is_working_day(a) else 0)

    # -- deadlines ------------------------------------------------------------------------

    def effective_receipt_day(
        self, received: dt.date | dt.datetime, *, apply_cutoff: bool = True
    ) -> dt.date:
        """The working day from which a limit counts, for a dossier received at ``received``."""
        if isinstance(received, dt.datetime):
            day = received.date()
            if apply_cutoff and received.time() > self.settings.receipt_cutoff:
                return self.next_working_day(day)
            return self.receipt_day(day)
        return self.receipt_day(received)

    @overload
    def deadline(
        self,
        start: dt.date | dt.datetime,
        n: int,
        unit: Literal["working-days", "days"] = ...,
        *,
        apply_cutoff: bool = ...,
    ) -> dt.date: ...

    @overload
    def deadline(
        self,
        start: dt.date | dt.datetime,
        n: int,
        unit: Literal["hours"],
        *,
        apply_cutoff: bool = ...,
    ) -> dt.datetime: ...

    @overload
    def deadline(
        self,
        start: dt.date | dt.datetime,
        n: int,
        unit: str,
        *,
        apply_cutoff: bool = ...,
    ) -> dt.date | dt.datetime: ...

    def deadline(
        self,
        start: dt.date | dt.datetime,
        n: int,
        unit: str = "working-days",
        *,
        apply_cutoff: bool = True,
    ) -> dt.date | dt.datetime:
        """The due date of a limit of ``n`` units for a dossier received at ``start``.

        - ``working-days``: the n-th working day after the receipt day (a date).
        - ``days``: receipt day + n calendar days; when that is not a working day the limit
          ends on the next working day (Civil Code 2015 Art. 147(2), 148(5)). A date.
        - ``hours``: n hours counted only within working hours on working days (a datetime;
          a date ``start`` means its first minute).

        ``apply_cutoff`` (counter dossiers): a receipt after the office's cut-off counts from
        the next working day. Pass False for channels where the cut-off does not apply.
        """
        if unit not in UNITS:
            raise ValueError(
                f"đơn vị thời hạn {unit!r} không hợp lệ (chỉ nhận: {', '.join(UNITS)})"
            )
        if isinstance(n, bool):
            raise TypeError(f"số đơn vị thời hạn phải là số nguyên, không phải {n!r}")
        try:
            # operator.index accepts numpy integers from a ledger column, refuses 1.5.
            n = operator.index(n)
        except TypeError:
            raise TypeError(f"số đơn vị thời hạn phải là số nguyên, không phải {n!r}") from None
        if n < 0:
            raise ValueError(f"thời hạn không được âm: {n}")
        if unit == "hours":
            return self._add_hours(start, n, apply_cutoff=apply_cutoff)
        receipt = self.effective_receipt_day(start, apply_cutoff=apply_cutoff)
        if unit == "working-days":
            return self.add_working_days(receipt, n)
        return self.receipt_day(receipt + dt.timedelta(days=n))

    def _add_hours(
        self, start: dt.date | dt.datetime, hours: int, *, apply_cutoff: bool
    ) -> dt.datetime:
        tz = None
        if isinstance(start, dt.datetime):
            moment = start
            if moment.tzinfo is not None:
                from zoneinfo import ZoneInfo

                tz = ZoneInfo(_LOCAL_TZ)
                moment = moment.astimezone(tz).replace(tzinfo=None)
        else:
            moment = dt.datetime.combine(start, dt.time())
        day = moment.date()
        t = _micros(moment.time())
        after_cutoff = (
            apply_cutoff
            and isinstance(start, dt.datetime)
            and moment.time() > self.settings.receipt_cutoff
        )
        if after_cutoff or not self.is_working_day(day):
            day, t = self.next_working_day(day), 0
        remaining = hours * 3_600_000_000
        while True:
            for a, b in self._periods:
                if t >= b:
                    continue
                s = max(t, a)
                if remaining <= b - s:
                    result = dt.datetime.combine(day, dt.time()) + dt.timedelta(
                        microseconds=s + remaining
                    )
                    return result.replace(tzinfo=tz) if tz is not None else result
                remaining -= b - s
            # Skip whole working days at once so long limits stay O(1).
            whole = (remaining - 1) // self._day_micros
            if whole > 0:
                day = self.add_working_days(day, whole)
                remaining -= whole * self._day_micros
            day, t = self.next_working_day(day), 0

    # -- vectorised paths -----------------------------------------------------------------

    def calendar_table(self, start: dt.date, end: dt.date) -> pa.Table:
        """One row per date from ``start`` to ``end`` (inclusive), for joins in SQL engines.

        Columns: ``date`` (date32), ``is_working_day`` (bool), ``working_day_seq`` (int64:
        working days from ``start`` up to and including the date, so the count between two
        dates is a subtraction), ``receipt_seq`` (int64: the seq of the working day a
        dossier received that day — before any cut-off — counts as received), ``name``
        (string: holiday, day off or day worked; null on ordinary days), ``source``.
        A limit of N working days for a receipt on date r is due on the working day whose
        ``working_day_seq`` equals r's ``receipt_seq`` + N (add 1 more after the cut-off).
        """
        import pyarrow as pa

        if end < start:
            raise ValueError(f"ngày kết thúc {end:%d/%m/%Y} trước ngày bắt đầu {start:%d/%m/%Y}")
        span = self._ensure(start.year, end.year)
        lo, hi = start.toordinal() - span.epoch, end.toordinal() - span.epoch + 1
        working = span.working[lo:hi]
        offset = span.seq[lo] - (1 if working[0] else 0)
        seq = [s - offset for s in span.seq[lo:hi]]
        receipt = [s + (0 if w else 1) for s, w in zip(seq, working, strict=True)]
        dates = [start + dt.timedelta(days=i) for i in range(hi - lo)]
        infos = [span.days.get(d) for d in dates]
        return pa.table(
            {
                "date": pa.array(dates, pa.date32()),
                "is_working_day": pa.array(working, pa.bool_()),
                "working_day_seq": pa.array(seq, pa.int64()),
                "receipt_seq": pa.array(receipt, pa.int64()),
                "name": pa.array([i.name if i else None for i in infos], pa.string()),
                "source": pa.array([i.source if i else None for i in infos], pa.string()),
            }
        )


@cache
def default_calendar(settings: OfficeSettings | None = None) -> WorkCalendar:
    """The shared calendar for ``settings`` (default office), built once per process."""
    return WorkCalendar(settings)
