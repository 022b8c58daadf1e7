"""What looks wrong in a dossier ledger: exact checks, and statistical signals.

The one-stop indicators can be moved without serving anyone better (a supplement asked for
in the last hours stops the clock of indicator 2.1; an impossible timestamp or a duplicated
code goes unnoticed). Over the dossiers in 2.1's scope of a period (received by its end,
not finished before its start), per unit, with the dossier codes behind every count:

Exact rules (findings):

- ``supplement_after_due``: the supplement was requested after the appointment
  (``supplement_requested_at`` > ``due_at``);
- ``supplement_last_day``: requested within the last 24 hours before the appointment
  (``due_at`` − 24 h ≤ ``supplement_requested_at`` ≤ ``due_at``);
- ``impossible_times``: ``finished_at`` < ``received_at``, or ``due_at`` < ``received_at``,
  or ``supplement_requested_at`` < ``received_at``, or ``supplement_completed_at`` <
  ``supplement_requested_at``;
- ``duplicate_code``: the dossier's code occurs more than once in the whole ledger (all
  periods, all units).

Statistical signals (labelled as signals, never as findings), over the in-scope dossiers
finished within the period, each unit's share against the share of all units together:

- ``finished_last_working_day``: finished on the period's last working day (by the calendar);
- ``finished_off_hours``: finished outside working hours (before the first or after the last
  of the office's working hours) or on a day off (by the calendar: weekends, holidays,
  make-up days, Saturdays worked count as working days);
- ``finished_at_appointment``: finished exactly at the appointment (to the second).

A unit is flagged when its share exceeds the pooled share with a one-sided binomial z-score
above ``Z_SIGNAL`` (3, **assumed**) on at least ``MIN_FINISHED`` (30, **assumed**) finished
dossiers. "Like" ratings entered in bursts cannot be seen: the ledger has no time of rating.

Everything is one Ibis expression per part, so it runs on DuckDB, PostgreSQL, SQLite and
PySpark like the index: per-unit counts are aggregated by the engine, and only the flagged
rows (normally few) come back to Python for their codes.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final

from cchc.service.index import in_scope_filter
from cchc.service.period import Period, as_period

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir
    import pyarrow as pa

    from cchc.calendar import WorkCalendar

__all__ = [
    "RULES",
    "SIGNALS",
    "CalendarFacts",
    "IntegrityReport",
    "Signal",
    "UnitIntegrity",
    "calendar_facts",
    "duckdb_integrity",
    "integrity",
    "summary",
    "write_xlsx",
]

RULES: Final = ("supplement_after_due", "supplement_last_day", "impossible_times", "duplicate_code")
SIGNALS: Final = ("finished_last_working_day", "finished_off_hours", "finished_at_appointment")
RULE_NAMES: Final = {
    "supplement_after_due": "Yêu cầu bổ sung sau ngày hẹn trả",
    "supplement_last_day": "Yêu cầu bổ sung trong 24 giờ cuối trước hạn",
    "impossible_times": "Thời điểm không hợp lý",
    "duplicate_code": "Mã hồ sơ trùng",
}
SIGNAL_NAMES: Final = {
    "finished_last_working_day": "Kết thúc vào ngày làm việc cuối kỳ",
    "finished_off_hours": "Kết thúc ngoài giờ hoặc ngày nghỉ",
    "finished_at_appointment": "Kết thúc đúng thời điểm hẹn",
}
Z_SIGNAL: Final = 3.0
MIN_FINISHED: Final = 30
_DAY_SECONDS: Final = 86_400


@dataclass(frozen=True)
class Signal:
    """One unit's share of a signal, against all units together (``pooled``)."""

    count: int
    finished: int
    share: float | None
    pooled: float | None
    z: float | None
    flagged: bool


@dataclass(frozen=True)
class UnitIntegrity:
    unit_code: str
    dossiers: int
    checks: dict[str, int]
    codes: dict[str, list[str]]
    signals: dict[str, Signal] = field(default_factory=dict)


@dataclass(frozen=True)
class IntegrityReport:
    period: str
    units: list[UnitIntegrity]

    @property
    def totals(self) -> dict[str, int]:
        return {rule: sum(u.checks[rule] for u in self.units) for rule in RULES}

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract: ``{"period", "units": [{"unit_code", "checks", "dossiers"}],
        "totals"}``; signals are added under their own key, labelled as signals."""
        return {
            "period": self.period,
            "units": [
                {
                    "unit_code": u.unit_code,
                    "checks": dict(u.checks),
                    "dossiers": {rule: list(u.codes[rule]) for rule in RULES},
                    "in_scope": u.dossiers,
                    "signals": {
                        name: {
                            "count": s.count,
                            "finished": s.finished,
                            "share": _round(s.share),
                            "pooled_share": _round(s.pooled),
                            "z": _round(s.z),
                            "flagged": s.flagged,
                        }
                        for name, s in u.signals.items()
                    },
                }
                for u in self.units
            ],
            "totals": self.totals,
            "signals_note": (
                "Tín hiệu thống kê, không phải kết luận vi phạm: tỷ lệ của đơn vị so với tỷ lệ "
                f"chung, đánh dấu khi z > {Z_SIGNAL:g} với ít nhất {MIN_FINISHED} hồ sơ kết thúc "
                "trong kỳ. Không có thời điểm đánh giá trong sổ nên không xét đánh giá dồn dập."
            ),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _duplicated_codes(t: ir.Table) -> ir.Column:
    """The codes that occur more than once in the whole ledger (normally few).

    Only these come out of the count of every code, so a dossier is checked against a
    short list rather than joined to a count of tens of millions of codes.
    """
    counts = t.group_by("dossier_code").aggregate(_n=t.count())
    return counts.filter(counts._n > 1).dossier_code


def _flags(t: ir.Table, period: Period) -> ir.Table:
    """In-scope rows with one boolean column per exact rule (NULL times never flag)."""
    import ibis

    scope = t.filter(in_scope_filter(t, period))
    duplicated = scope.dossier_code.isin(_duplicated_codes(t))
    rec = scope.received_at.epoch_seconds()
    due = scope.due_at.epoch_seconds()
    fin = scope.finished_at.epoch_seconds()
    req = scope.supplement_requested_at.epoch_seconds()
    comp = scope.supplement_completed_at.epoch_seconds()
    false = ibis.literal(False)

    def flag(condition: ir.BooleanValue) -> ir.BooleanValue:
        return condition.fill_null(false)

    return scope.select(
        unit_code=scope.unit_code,
        dossier_code=scope.dossier_code,
        supplement_after_due=flag(req > due),
        supplement_last_day=flag((req >= due - _DAY_SECONDS) & (req <= due)),
        impossible_times=flag(fin < rec) | flag(due < rec) | flag(req < rec) | flag(comp < req),
        duplicate_code=flag(duplicated),
        finished_at=scope.finished_at,
        due_at=scope.due_at,
    )


@dataclass(frozen=True)
class CalendarFacts:
    """What the signals need from the calendar for one period, as plain values: the days
    off within the period, its last working day, and the opening and closing second of the
    working day. Kept apart from the expressions so the compiled SQL takes them as
    parameters (``cchc.service.compiled``)."""

    days_off: tuple[dt.date, ...]
    last_working_day: dt.date
    open_second: int
    close_second: int


def calendar_facts(period: Period, calendar: WorkCalendar) -> CalendarFacts:
    first_day, last_day = period.start.date(), (period.end - dt.timedelta(days=1)).date()
    days_off = tuple(
        first_day + dt.timedelta(days=n)
        for n in range((last_day - first_day).days + 1)
        if not calendar.is_working_day(first_day + dt.timedelta(days=n))
    )
    last_working = last_day
    while last_working >= first_day and not calendar.is_working_day(last_working):
        last_working -= dt.timedelta(days=1)
    hours = calendar.settings.working_hours
    return CalendarFacts(
        days_off=days_off,
        last_working_day=last_working,
        open_second=hours[0][0].hour * 3600 + hours[0][0].minute * 60,
        close_second=hours[-1][1].hour * 3600 + hours[-1][1].minute * 60,
    )


def _signal_flags(rows: ir.Table, period: Period, facts: CalendarFacts) -> dict[str, ir.BooleanValue]:
    import ibis

    start, end = ibis.literal(period.start), ibis.literal(period.end)
    finished = rows.finished_at.notnull() & (rows.finished_at >= start) & (rows.finished_at < end)
    day = rows.finished_at.date()
    second_of_day = (
        rows.finished_at.hour() * 3600 + rows.finished_at.minute() * 60 + rows.finished_at.second()
    )
    off_day = day.isin(facts.days_off) if facts.days_off else ibis.literal(False)
    return {
        "_finished": finished,
        "finished_last_working_day": finished & (day == ibis.literal(facts.last_working_day)),
        "finished_off_hours": finished
        & (off_day | (second_of_day < facts.open_second) | (second_of_day > facts.close_second)),
        "finished_at_appointment": finished
        & rows.due_at.notnull()
        & (rows.finished_at.epoch_seconds() == rows.due_at.epoch_seconds()),
    }


def summary(
    t: ir.Table, period: Period, facts: CalendarFacts, with_codes: bool = False
) -> ir.Table:
    """One row per unit: in-scope dossiers, the count of every rule and signal, and with
    ``with_codes`` the codes behind every rule (``codes_<rule>``, in no order) so a single
    pass over the ledger gives the whole report (the DuckDB fast path). Spark and the other
    engines run it without codes and fetch the flagged rows apart (``integrity``)."""
    rows = _flags(t, period)
    signal = _signal_flags(rows, period, facts)
    codes = (
        {f"codes_{rule}": rows.dossier_code.collect(where=rows[rule]) for rule in RULES}
        if with_codes
        else {}
    )
    return rows.group_by("unit_code").aggregate(
        _dossiers=rows.count(),
        **{rule: rows[rule].cast("int64").sum() for rule in RULES},
        **{name: flag.cast("int64").sum() for name, flag in signal.items()},
        **codes,
    )


def integrity(
    con: ibis.backends.BaseBackend,
    period: Period | str,
    calendar: WorkCalendar | None = None,
    table: str = "dossiers",
) -> IntegrityReport:
    """The integrity report of the ledger ``table`` on any Ibis backend, for ``period``."""
    from cchc.calendar import default_calendar
    from cchc.service.index import dossiers_table

    period = as_period(period)
    facts = calendar_facts(period, calendar or default_calendar())
    per_unit = con.to_pyarrow(summary(dossiers_table(table), period, facts)).to_pylist()
    rows = _flags(dossiers_table(table), period)
    any_rule = rows[RULES[0]] | rows[RULES[1]] | rows[RULES[2]] | rows[RULES[3]]
    flagged = rows.filter(any_rule).select("unit_code", "dossier_code", *RULES)
    codes: dict[str, dict[str, list[str]]] = {}
    for row in con.to_pyarrow(flagged).to_pylist():
        unit = codes.setdefault(row["unit_code"], {rule: [] for rule in RULES})
        for rule in RULES:
            if row[rule]:
                unit[rule].append(row["dossier_code"])
    return _report(period.label, per_unit, codes)


def duckdb_integrity(
    source: Path | pa.Table, period: Period | str, calendar: WorkCalendar | None = None
) -> IntegrityReport | None:
    """The fast path of ``cchc service integrity``: one DuckDB query straight over the file.

    ``summary`` with the codes, compiled once to DuckDB SQL (``compiled.INTEGRITY``), runs on
    a plain DuckDB connection: no Ibis import when the shipped SQL is current, one pass over
    the ledger, one row per unit back. Returns None when a Parquet file is not in the
    interchange types, so the caller imports it first (like ``engines.duckdb_index``).
    """
    from cchc.calendar import default_calendar
    from cchc.service.compiled import INTEGRITY
    from cchc.service.engines import run_compiled

    period = as_period(period)
    facts = calendar_facts(period, calendar or default_calendar())
    parameters = {
        "start": period.start,
        "end": period.end,
        "days_off": list(facts.days_off),
        "last_working_day": facts.last_working_day,
        "open_second": facts.open_second,
        "close_second": facts.close_second,
    }
    per_unit = run_compiled(source, INTEGRITY.template(), parameters)
    if per_unit is None:
        return None
    codes = {
        r["unit_code"]: {rule: r.pop(f"codes_{rule}") or [] for rule in RULES} for r in per_unit
    }
    return _report(period.label, per_unit, codes)


def _report(
    label: str, per_unit: Iterable[dict[str, Any]], codes: dict[str, dict[str, list[str]]]
) -> IntegrityReport:
    rows = sorted(per_unit, key=lambda r: r["unit_code"])
    finished_all = sum(int(r["_finished"] or 0) for r in rows)
    pooled = {
        name: (sum(int(r[name] or 0) for r in rows) / finished_all if finished_all else None)
        for name in SIGNALS
    }
    units = []
    for r in rows:
        finished = int(r["_finished"] or 0)
        signals = {}
        for name in SIGNALS:
            count = int(r[name] or 0)
            share = count / finished if finished else None
            p0 = pooled[name]
            z = None
            if share is not None and p0 is not None and 0 < p0 < 1:
                z = (share - p0) / math.sqrt(p0 * (1 - p0) / finished)
            flagged = z is not None and z > Z_SIGNAL and finished >= MIN_FINISHED
            signals[name] = Signal(count, finished, share, p0, z, flagged)
        unit_codes = codes.get(r["unit_code"], {rule: [] for rule in RULES})
        units.append(
            UnitIntegrity(
                unit_code=r["unit_code"],
                dossiers=int(r["_dossiers"]),
                checks={rule: int(r[rule] or 0) for rule in RULES},
                codes={rule: sorted(unit_codes[rule]) for rule in RULES},
                signals=signals,
            )
        )
    return IntegrityReport(label, units)


def write_xlsx(report: IntegrityReport, path: Path | IO[bytes]) -> None:
    """Two sheets for the unit's leader: per unit the counts and the signals (numbers as
    numbers, shares as percentages), then one row per dossier behind a finding. ``path`` may
    be an open binary stream (a web download)."""
    import xlsxwriter

    from cchc.safety import XLSX_OPTIONS, safe_cell

    target = str(path) if isinstance(path, Path) else path
    with xlsxwriter.Workbook(target, {**XLSX_OPTIONS, "in_memory": True}) as book:
        bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        pct = book.add_format({"num_format": "0.00%"})
        two = book.add_format({"num_format": "0.00"})
        sheet = book.add_worksheet("Kiểm tra sổ hồ sơ")
        headers = ["Kỳ", "Mã đơn vị", "Hồ sơ trong phạm vi"]
        headers += [RULE_NAMES[r] for r in RULES]
        for name in SIGNALS:
            headers += [f"{SIGNAL_NAMES[name]} (tín hiệu): số hồ sơ", "tỷ lệ", "tỷ lệ chung", "z", "đánh dấu"]
        sheet.write_row(0, 0, headers, bold)
        for r, unit in enumerate(report.units, start=1):
            sheet.write_string(r, 0, report.period)
            sheet.write_string(r, 1, safe_cell(unit.unit_code))
            sheet.write_number(r, 2, unit.dossiers)
            c = 3
            for rule in RULES:
                sheet.write_number(r, c, unit.checks[rule])
                c += 1
            for name in SIGNALS:
                s = unit.signals[name]
                sheet.write_number(r, c, s.count)
                for value, fmt in ((s.share, pct), (s.pooled, pct), (s.z, two)):
                    c += 1
                    if value is None:
                        sheet.write_blank(r, c, None)
                    else:
                        sheet.write_number(r, c, value, fmt)
                sheet.write_string(r, c + 1, "có" if s.flagged else "")
                c += 2
        sheet.freeze_panes(1, 2)
        sheet.write(len(report.units) + 2, 0, report.to_dict()["signals_note"])
        detail = book.add_worksheet("Hồ sơ cần kiểm tra")
        detail.write_row(0, 0, ["Mã đơn vị", "Mã hồ sơ", "Quy tắc"], bold)
        r = 1
        for unit in report.units:
            for rule in RULES:
                for code in unit.codes[rule]:
                    detail.write_row(r, 0, [safe_cell(unit.unit_code), safe_cell(code), RULE_NAMES[rule]])
                    r += 1
