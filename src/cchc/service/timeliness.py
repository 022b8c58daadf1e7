"""Whole-dossier timeliness: early, on time, overdue, or still open (within / past the date).

docs/field.md §5: early = handled in less than the time limit, on time = by the appointment,
overdue = later. A dossier that asked the citizen for more papers is judged under one of two
rules, selectable because the law and the index differ:

- **Decree 61 restart** (Decree 61/2018 Art. 15, amended by Decree 107/2021): when the citizen
  brings the supplement, the time limit starts again from that moment, so the appointment is
  recomputed from the procedure's limit.
- **766 subtraction** (Decision 766/QĐ-TTg, indicator 2.1 as the national portal applies
  it): the citizen's time (completed − requested) is subtracted from the end time; a request
  still pending at the end time sets the end time to the request; two or more requests make
  a dossier overdue while it still waits for the papers (once they came in, it is judged by
  its times).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cchc.calendar import WorkCalendar
    from cchc.service.procedure import Procedure


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    OVERDUE = "overdue"
    OPEN_WITHIN = "open_within"
    OPEN_OVERDUE = "open_overdue"


TIMELINESS_LABELS = {
    Timeliness.EARLY: "trước hạn",
    Timeliness.ON_TIME: "đúng hạn",
    Timeliness.OVERDUE: "quá hạn",
    Timeliness.OPEN_WITHIN: "đang xử lý trong hạn",
    Timeliness.OPEN_OVERDUE: "đang xử lý quá hạn",
}


class SupplementRule(StrEnum):
    RESTART = "decree61-restart"
    SUBTRACT = "766-subtract"


class TimelinessError(ValueError):
    """A dossier whose timeliness cannot be decided from what is given."""


@dataclass(frozen=True, slots=True)
class DossierTimes:
    """The times that decide timeliness (the interchange columns of the same names)."""

    received_at: dt.datetime
    due_at: dt.datetime | None
    finished_at: dt.datetime | None = None
    supplement_count: int = 0
    supplement_requested_at: dt.datetime | None = None
    supplement_completed_at: dt.datetime | None = None
    # Counter dossiers count from the next working day after the cut-off (docs/field.md §5);
    # other channels do not. Used when the appointment is computed from the procedure.
    counter: bool = True

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> DossierTimes:
        return cls(
            received_at=record["received_at"],
            due_at=record.get("due_at"),
            finished_at=record.get("finished_at"),
            supplement_count=int(record.get("supplement_count") or 0),
            supplement_requested_at=record.get("supplement_requested_at"),
            supplement_completed_at=record.get("supplement_completed_at"),
            counter=(record.get("channel") or "counter") == "counter",
        )


def classify(
    times: DossierTimes,
    as_of: dt.datetime,
    rule: SupplementRule = SupplementRule.SUBTRACT,
    *,
    procedure: Procedure | None = None,
    calendar: WorkCalendar | None = None,
) -> Timeliness:
    """Classify one dossier as seen at ``as_of`` (an open dossier is judged at ``as_of``).

    The appointment is ``due_at``, or the procedure's limit counted by the working-day
    calendar when ``due_at`` is missing. Decree 61 restart needs the procedure to recompute
    the appointment after a completed supplement.
    """
    due = times.due_at
    if due is None and procedure is not None:
        due = procedure.due_at(times.received_at, calendar, counter=times.counter)
    finished = times.finished_at is not None and times.finished_at <= as_of
    end = times.finished_at if finished and times.finished_at is not None else as_of
    if due is None:
        raise TimelinessError("hồ sơ không có ngày hẹn trả và không rõ thủ tục để tính thời hạn")

    requested, completed = times.supplement_requested_at, times.supplement_completed_at
    waiting = requested is not None and requested <= end and (completed is None or completed > end)
    if rule is SupplementRule.SUBTRACT and times.supplement_count >= 2 and waiting:
        return Timeliness.OVERDUE if finished else Timeliness.OPEN_OVERDUE
    if requested is not None and requested <= end:
        if completed is None or completed > end:
            # The dossier waits on the citizen: the clock stopped at the request.
            end = requested
        elif rule is SupplementRule.SUBTRACT:
            end = end - (completed - requested)
        else:
            if procedure is None:
                raise TimelinessError(
                    "quy tắc Nghị định 61 (tính lại thời hạn) cần thời hạn giải quyết của thủ tục"
                )
            due = procedure.due_at(completed, calendar, counter=times.counter)
    if not finished:
        return Timeliness.OPEN_WITHIN if end <= due else Timeliness.OPEN_OVERDUE
    if end.date() < due.date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME if end <= due else Timeliness.OVERDUE
