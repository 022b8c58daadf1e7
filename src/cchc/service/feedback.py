"""The feedback register (phản ánh, kiến nghị — PAKN): reading it and judging handling time.

Columns (CSV header, XLSX first row or Parquet names): ``feedback_id``, ``unit_code``,
``received_at``, ``handled_at`` (empty while pending), ``kind`` (complaint | suggestion),
``dossier_code`` (optional: the dossier the feedback is about), ``confirmed`` (true/false:
the complaint was found justified), ``dissatisfied`` (optional, true/false: the citizen
rated the answer unsatisfactory, Decision 766 indicator 5.3). Timestamps, booleans and
errors follow the dossier importer (``columns``, ``problems``): every problem with file,
row, column and reason; any problem and nothing is returned.

Handling deadline: 15 working days from receipt, counted as time limits are (from the
working day after receipt; docs/field.md §7 "handled within 15 working days"; the portal's
766 formula description, indicator 5.2: "Ngày CD/DN gửi PAKN + 15 ngày làm việc").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from cchc.service import columns
from cchc.service.readers import NamedColumns, repeated

if TYPE_CHECKING:
    from cchc.calendar import WorkCalendar
    from cchc.service.period import Period

KINDS: Final = ("complaint", "suggestion")
REQUIRED: Final = ("feedback_id", "unit_code", "received_at", "kind")
OPTIONAL: Final = ("handled_at", "dossier_code", "confirmed", "dissatisfied")
#: Working days the agency has to handle a feedback (assumed configurable; see module doc).
HANDLING_DAYS: Final = 15


@dataclass(frozen=True, slots=True)
class Feedback:
    """One feedback (phản ánh or kiến nghị) as registered."""

    feedback_id: str
    unit_code: str
    received_at: dt.datetime
    handled_at: dt.datetime | None
    kind: str
    dossier_code: str | None = None
    confirmed: bool = False
    dissatisfied: bool = False

    def deadline(self, calendar: WorkCalendar, days: int = HANDLING_DAYS) -> dt.date:
        """The last day for handling: ``days`` working days after the (working) receipt day."""
        return calendar.add_working_days(calendar.receipt_day(self.received_at.date()), days)

    def late_at(self, moment: dt.datetime, calendar: WorkCalendar, days: int = HANDLING_DAYS) -> bool:
        """Whether the feedback is (or was) handled late as it stands at ``moment``.

        Handled by ``moment``: late when handled after the deadline's day. Still pending at
        ``moment``: late when the deadline's day is already over (the day before ``moment``
        is the last day that has passed, ``moment`` being a period's first instant after it).
        """
        deadline = self.deadline(calendar, days)
        if self.handled_at is not None and self.handled_at < moment:
            return self.handled_at.date() > deadline
        return (moment - dt.timedelta(microseconds=1)).date() > deadline


def read_feedback(path: Path) -> tuple[Feedback, ...]:
    """Read and validate a feedback register (.csv, .xlsx or .parquet); all rows or an error."""
    import pyarrow.compute as pc

    src = NamedColumns(path, REQUIRED)
    check, col = src.check, src.column
    ident = columns.strings(col("feedback_id"))
    unit = columns.strings(col("unit_code"))
    received = columns.timestamps(col("received_at"), "received_at", check)
    handled = columns.timestamps(col("handled_at"), "handled_at", check)
    kind = columns.enum(col("kind"), "kind", KINDS, check)
    dossier = columns.strings(col("dossier_code"))
    confirmed = columns.booleans(col("confirmed"), "confirmed", check)
    dissatisfied = columns.booleans(col("dissatisfied"), "dissatisfied", check)
    for name, values in (("feedback_id", ident), ("unit_code", unit), ("kind", kind), ("received_at", received)):
        check.required(values, name)
    check.mask(
        pc.less(handled, received), "handled_at",
        lambda v: f"thời điểm xử lý xong {columns.when(v)} trước thời điểm tiếp nhận", handled,
    )
    ids = ident.to_pylist()
    check.mask(repeated(ids), "feedback_id", lambda v: f"mã phản ánh '{v}' bị trùng", ident)
    src.raise_problems()
    return tuple(
        Feedback(i, u, r, h, k, d, bool(c), bool(s))
        for i, u, r, h, k, d, c, s in zip(
            ids, unit.to_pylist(), received.to_pylist(), handled.to_pylist(), kind.to_pylist(),
            dossier.to_pylist(), confirmed.to_pylist(), dissatisfied.to_pylist(), strict=True,
        )
    )


@dataclass(frozen=True, slots=True)
class FeedbackCounts:
    """Per unit: the counts behind 766 indicators 5.2 and 5.3."""

    in_scope: int
    on_time: int
    received: int
    satisfied: int


def feedback_counts(
    register: tuple[Feedback, ...], period: Period, calendar: WorkCalendar, days: int = HANDLING_DAYS
) -> dict[str, FeedbackCounts]:
    """Counts per unit for indicators 5.2 (handled on time) and 5.3 (satisfaction).

    5.2 (the portal's formula description): feedback received by the period's end and not
    handled before its start; on time when handled within the period by its deadline, or
    still pending at the period's end with the deadline not passed. 5.3: feedback received
    in the period; satisfied unless rated dissatisfied or late (counted once).
    """
    out: dict[str, list[int]] = {}
    for fb in register:
        if fb.received_at >= period.end:
            continue
        if fb.handled_at is not None and fb.handled_at < period.start:
            continue
        c = out.setdefault(fb.unit_code, [0, 0, 0, 0])
        late = fb.late_at(period.end, calendar, days)
        c[0] += 1
        c[1] += not late
        if fb.received_at >= period.start:
            c[2] += 1
            c[3] += not (late or fb.dissatisfied)
    return {unit: FeedbackCounts(*c) for unit, c in out.items()}
