"""A dossier and the events of its life, as a small pure state machine.

The one-stop desk (web) records each event through ``Dossier.apply``; an event that the
rules of Decree 61/2018 and Circular 01/2018 do not allow in the current state raises
``TransitionError`` with the reason in Vietnamese, and leaves the dossier unchanged.

Supplements (docs/field.md §5): a request must come within ``SUPPLEMENT_REQUEST_DAYS`` working
days of receipt; a later one is accepted only when the caller confirms it
(``accept_late=True``) and is marked ``supplement_late``. When the papers come back the
appointment counts again from that moment (Decree 61 restart) unless the request was late
(the agency's own delay stops nothing) or the deployment turned the restart off. The
appointment before any restart is kept (``index_due_at``) because the 766 rule subtracts
the citizen's time from the end time instead: judging it against the restarted date would
count that time twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from cchc.fmt import format_date, visible_text
from cchc.service.schema import BOOLEAN_COLUMNS, COLUMN_NAMES, TERMINAL_STATUSES
from cchc.service.timeliness import DossierTimes, Timeliness, classify

if TYPE_CHECKING:
    import pyarrow as pa

    from cchc.calendar import WorkCalendar
    from cchc.service.procedure import Procedure


class Event(StrEnum):
    """What can happen to a dossier after it is received."""

    TRANSFERRED = "transferred"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    SUPPLEMENT_COMPLETED = "supplement_completed"
    APOLOGY = "apology"
    FINISHED = "finished"
    RETURNED = "returned"
    REFUSED = "refused"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"


EVENT_LABELS: Final = {
    Event.TRANSFERRED: "chuyển xử lý",
    Event.SUPPLEMENT_REQUESTED: "yêu cầu bổ sung",
    Event.SUPPLEMENT_COMPLETED: "đã bổ sung",
    Event.APOLOGY: "xin lỗi và hẹn lại ngày trả",
    Event.FINISHED: "xử lý xong",
    Event.RETURNED: "trả kết quả",
    Event.REFUSED: "từ chối",
    Event.STOPPED: "dừng xử lý",
    Event.WITHDRAWN: "rút hồ sơ",
}
STATUS_LABELS: Final = {
    "received": "mới tiếp nhận",
    "processing": "đang xử lý",
    "supplement_requested": "chờ bổ sung",
    "supplement_completed": "đã bổ sung",
    "finished": "đã xử lý xong",
    "returned": "đã trả kết quả",
    "refused": "bị từ chối",
    "stopped": "dừng xử lý",
    "withdrawn": "công dân đã rút",
}

#: What the history of a dossier records besides the events above (receipt at this desk, a
#: row of an imported register, the citizen's rating), in the words a user reads.
HISTORY_LABELS: Final[dict[str, str]] = {
    "received": "tiếp nhận hồ sơ",
    "imported": "nhập từ sổ theo dõi",
    "rated": "công dân đánh giá",
    **{event.value: label for event, label in EVENT_LABELS.items()},
}


def history_label(event: str) -> str:
    """The Vietnamese words of a history entry ("refused" → "từ chối"); an unknown code as
    it is (never an empty cell)."""
    return HISTORY_LABELS.get(event, event)


def status_label(status: str) -> str:
    """The Vietnamese words of a status ("supplement_requested" → "chờ bổ sung"); "" stays
    "" (the receipt has no status before it), an unknown code stays as it is."""
    return STATUS_LABELS.get(status, status)


#: Events whose paper tells the citizen why: the refusal (form 03) and the notice of
#: stopping (Circular 03/2025 form 05). A blank reason is refused (``Dossier.apply``).
REASON_REQUIRED: Final = frozenset({Event.REFUSED, Event.STOPPED})
#: Events that end the dossier without its result and cannot be undone: the desk asks the
#: officer to confirm them before they are recorded.
IRREVERSIBLE: Final = frozenset({Event.REFUSED, Event.STOPPED, Event.WITHDRAWN})
REASON_MISSING: Final = {
    Event.REFUSED: "phải ghi rõ lý do từ chối (in trên Phiếu từ chối tiếp nhận giải quyết hồ sơ)",
    Event.STOPPED: "phải ghi rõ lý do dừng xử lý (in trên Thông báo dừng giải quyết hồ sơ)",
}


def event_reason(code: str, event: Event, reason: str | None) -> str:
    """The reason recorded with ``event``, without invisible characters and spaces around
    it; raise ``TransitionError`` when the event needs one and none is visible."""
    text = visible_text(reason)
    if event in REASON_REQUIRED and not text:
        raise TransitionError(f"hồ sơ {code}: {REASON_MISSING[event]}")
    return text


#: The status in which the dossier waits on the citizen's papers.
WAITING: Final = "supplement_requested"
_ACTIVE = frozenset({"received", "processing", "supplement_completed"})
_OPEN = _ACTIVE | {WAITING}
#: Which statuses each event may start from, and the status it leads to.
TRANSITIONS: Final[dict[Event, tuple[frozenset[str], str]]] = {
    Event.TRANSFERRED: (_ACTIVE, "processing"),
    Event.SUPPLEMENT_REQUESTED: (_ACTIVE, "supplement_requested"),
    Event.SUPPLEMENT_COMPLETED: (frozenset({"supplement_requested"}), "supplement_completed"),
    Event.FINISHED: (_ACTIVE, "finished"),
    Event.RETURNED: (_ACTIVE | {"finished"}, "returned"),
    Event.REFUSED: (_OPEN, "refused"),
    Event.STOPPED: (_OPEN, "stopped"),
    Event.WITHDRAWN: (_OPEN, "withdrawn"),
}


#: Working days after receipt within which a supplement may be requested (docs/field.md §5,
#: Decree 61/2018 as that section states it; the article was not confirmed in the reference
#: library, nor whether Decree 118/2025 keeps the figure: change it here if it does not).
SUPPLEMENT_REQUEST_DAYS: Final = 3
#: The words recorded with (and shown before) a request after that limit.
LATE_SUPPLEMENT_WARNING: Final = (
    f"yêu cầu bổ sung quá {SUPPLEMENT_REQUEST_DAYS} ngày làm việc kể từ ngày tiếp nhận"
)


class Deadline(StrEnum):
    """Where a dossier stands against its appointment at a moment (the work list's marks)."""

    NONE = ""
    DUE_TODAY = "today"
    OVERDUE = "overdue"


def has_ended(status: str) -> bool:
    """Whether the handling has ended (a terminal status; the first one sets the end time)."""
    return status in TERMINAL_STATUSES


def clock_runs(status: str, supplement_late: bool = False) -> bool:
    """Whether the agency's clock runs for a dossier in ``status``.

    Not once the dossier has ended, nor while it waits on the citizen's supplement: the clock
    stops (766 rule) or restarts when the papers come back (Decree 61) — unless the request
    came after ``SUPPLEMENT_REQUEST_DAYS``: then the agency is at fault and its clock runs on.
    """
    return not has_ended(status) and (status != WAITING or supplement_late)


def deadline_at(
    status: str,
    due_at: dt.datetime | None,
    at: dt.datetime,
    *,
    supplement_late: bool = False,
) -> Deadline:
    """Overdue at ``at``, due later on ``at``'s day, or neither; only a running clock is late.

    ``due_at`` and ``at`` are both naive local times or both aware in the local zone: "today"
    is the calendar day of ``at`` as written.
    """
    if due_at is None or not clock_runs(status, supplement_late):
        return Deadline.NONE
    if due_at < at:
        return Deadline.OVERDUE
    end_of_day = dt.datetime.combine(at.date() + dt.timedelta(days=1), dt.time(), at.tzinfo)
    return Deadline.DUE_TODAY if due_at < end_of_day else Deadline.NONE


def is_overdue(
    status: str, due_at: dt.datetime | None, at: dt.datetime, *, supplement_late: bool = False
) -> bool:
    """Whether the dossier's running clock has passed its appointment at ``at``."""
    return deadline_at(status, due_at, at, supplement_late=supplement_late) is Deadline.OVERDUE


class TransitionError(ValueError):
    """An event that is not allowed for the dossier in its current state."""


class LateSupplementRequest(TransitionError):
    """A supplement request after the limit that the caller has not confirmed."""

    def __init__(self, code: str, deadline: dt.date) -> None:
        self.deadline = deadline
        super().__init__(
            f"hồ sơ {code}: {LATE_SUPPLEMENT_WARNING} (hạn yêu cầu bổ sung: "
            f"{format_date(deadline)}). Cơ quan giải quyết chịu trách nhiệm về việc yêu cầu muộn: "
            "thời hạn giải quyết không dừng và không được tính lại. Hãy xác nhận nếu vẫn "
            "yêu cầu bổ sung."
        )


@dataclass(frozen=True, slots=True)
class HandOver:
    """One line of the process-control sheet (form 05): who had it, from when."""

    at: dt.datetime
    to: str


@dataclass(frozen=True, slots=True)
class Dossier:
    """A dossier's current state; every event returns a new value (the old one is kept)."""

    code: str
    unit_code: str
    procedure_code: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    channel: str = "counter"
    status: str = "received"
    finished_at: dt.datetime | None = None
    supplement_count: int = 0
    supplement_requested_at: dt.datetime | None = None
    supplement_completed_at: dt.datetime | None = None
    apology_at: dt.datetime | None = None
    original_due_at: dt.datetime | None = None
    handovers: tuple[HandOver, ...] = field(default=())
    last_event_at: dt.datetime | None = None
    # The latest supplement request came after SUPPLEMENT_REQUEST_DAYS (confirmed late).
    supplement_late: bool = False
    # The appointment before the first Decree 61 restart; None while never restarted.
    due_before_restart: dt.datetime | None = None

    @property
    def is_open(self) -> bool:
        return not has_ended(self.status)

    @property
    def clock_runs(self) -> bool:
        """Whether the agency's clock runs now (``clock_runs`` of the module)."""
        return clock_runs(self.status, self.supplement_late)

    def deadline(self, at: dt.datetime) -> Deadline:
        """Overdue, due today or neither at ``at`` (naive local time)."""
        return deadline_at(self.status, self.due_at, at, supplement_late=self.supplement_late)

    def is_overdue(self, at: dt.datetime) -> bool:
        """Whether the running clock has passed the appointment in force at ``at``."""
        return self.deadline(at) is Deadline.OVERDUE

    def timeliness(self, at: dt.datetime) -> Timeliness | None:
        """Early / on time / overdue (or open within / past the date) judged at ``at`` by the
        766 rule over the exported record, as the index judges it; None without an
        appointment."""
        times = DossierTimes.from_record(self.to_record())
        return None if times.due_at is None else classify(times, at)

    def refusal(self, event: Event, at: dt.datetime) -> str | None:
        """Why ``event`` may not happen at ``at`` in the current state; None when it may.

        The rules of ``apply`` that depend on the state and the moment (not on what the
        officer types with the event, such as the new date of an apology).
        """
        if event is Event.APOLOGY:
            # Decree 61/2018 Art. 19(3) and form 04: once, at least one day before the due
            # date, while the dossier is open.
            if not self.is_open:
                return f"hồ sơ {self.code}: đã kết thúc, không thể hẹn lại"
            if self.apology_at is not None:
                return f"hồ sơ {self.code}: chỉ được xin lỗi và hẹn lại ngày trả một lần"
            if self.due_at is not None and at > self.due_at - dt.timedelta(days=1):
                return (
                    f"hồ sơ {self.code}: thư xin lỗi phải gửi chậm nhất 01 ngày trước hạn "
                    f"({self.due_at:%d/%m/%Y %H:%M})"
                )
            return None
        allowed, _target = TRANSITIONS[event]
        if self.status not in allowed:
            return (
                f"hồ sơ {self.code}: không thể '{EVENT_LABELS[event]}' khi hồ sơ đang ở trạng "
                f"thái '{STATUS_LABELS[self.status]}'"
            )
        return None

    def allowed_events(self, at: dt.datetime) -> tuple[Event, ...]:
        """The events that may happen at ``at``, in ``Event`` order (what the desk offers)."""
        return tuple(event for event in Event if self.refusal(event, at) is None)

    @property
    def index_due_at(self) -> dt.datetime | None:
        """The appointment the timeliness rules compare with: ``due_at`` without restarts.

        ``timeliness.classify`` and the 766 index apply the supplement rules themselves
        (subtraction, or a restart recomputed from the procedure), so they need the date
        before the restart.
        """
        return self.due_before_restart if self.due_before_restart is not None else self.due_at

    def supplement_deadline(self, calendar: WorkCalendar | None = None) -> dt.date:
        """The last day a supplement may be requested: ``SUPPLEMENT_REQUEST_DAYS`` working
        days counted like the appointment (a counter dossier after the cut-off counts from
        the next working day)."""
        if calendar is None:
            from cchc.calendar import default_calendar

            calendar = default_calendar()
        return calendar.deadline(
            self.received_at,
            SUPPLEMENT_REQUEST_DAYS,
            "working-days",
            apply_cutoff=self.channel == "counter",
        )

    def is_late_request(self, at: dt.datetime, calendar: WorkCalendar | None = None) -> bool:
        """Whether a supplement requested at ``at`` comes after the deadline."""
        return at.date() > self.supplement_deadline(calendar)

    def apply(
        self,
        event: Event | str,
        at: dt.datetime,
        *,
        new_due_at: dt.datetime | None = None,
        to: str = "",
        procedure: Procedure | None = None,
        calendar: WorkCalendar | None = None,
        restart: bool = True,
        accept_late: bool = False,
        reason: str = "",
    ) -> Dossier:
        """The dossier after ``event`` at ``at``; raise ``TransitionError`` if not allowed.

        A refusal or a stop (``REASON_REQUIRED``) needs a ``reason`` with visible text: its
        paper prints it to the citizen (form 03 "với lý do:", the notice of stopping).

        ``procedure`` and ``calendar`` recompute the appointment when a supplement is
        completed (``restart``: the deployment's rule, Decree 61 by default); without the
        procedure the appointment stays. A supplement requested after the deadline raises
        ``LateSupplementRequest`` unless ``accept_late``.
        """
        try:
            event = Event(event)
        except ValueError:
            known = ", ".join(e.value for e in Event)
            raise TransitionError(f"sự kiện '{event}' không tồn tại (chỉ nhận: {known})") from None
        label = EVENT_LABELS[event]
        latest = self.last_event_at or self.received_at
        if at < latest:
            raise TransitionError(
                f"hồ sơ {self.code}: thời điểm '{label}' ({at:%d/%m/%Y %H:%M}) sớm hơn "
                f"sự kiện trước ({latest:%d/%m/%Y %H:%M})"
            )
        refused = self.refusal(event, at)
        if refused is not None:
            raise TransitionError(refused)
        event_reason(self.code, event, reason)
        if event is Event.APOLOGY:
            return self._apology(at, new_due_at)
        _allowed, target = TRANSITIONS[event]
        changes: dict[str, Any] = {"status": target, "last_event_at": at}
        if event is Event.TRANSFERRED:
            changes["handovers"] = (*self.handovers, HandOver(at, to))
        elif event is Event.SUPPLEMENT_REQUESTED:
            late = self.is_late_request(at, calendar)
            if late and not accept_late:
                raise LateSupplementRequest(self.code, self.supplement_deadline(calendar))
            # The register keeps the latest request; from the second one on the dossier
            # counts as overdue for indicator 2.1 whatever its times (docs/field.md §7).
            changes |= {
                "supplement_count": self.supplement_count + 1,
                "supplement_requested_at": at,
                "supplement_completed_at": None,
                "supplement_late": late,
            }
        elif event is Event.SUPPLEMENT_COMPLETED:
            changes["supplement_completed_at"] = at
            if restart and not self.supplement_late:
                changes |= self._restart(at, procedure, calendar)
        elif self.finished_at is None:
            # The first terminal status is the end time (docs/field.md §7); returning the result
            # after "finished" does not move it.
            changes["finished_at"] = at
        return replace(self, **changes)

    def _restart(
        self, at: dt.datetime, procedure: Procedure | None, calendar: WorkCalendar | None
    ) -> dict[str, Any]:
        # Decree 61 (docs/field.md §5): the time limit counts again from the complete dossier,
        # through the same calendar and cut-off as at receipt. Never earlier than the date
        # the citizen already holds (an apology may have set a later one; assumed).
        if procedure is None or self.due_at is None:
            return {}
        restarted = procedure.due_at(at, calendar, counter=self.channel == "counter")
        if restarted <= self.due_at:
            return {}
        return {"due_at": restarted, "due_before_restart": self.index_due_at}

    def _apology(self, at: dt.datetime, new_due_at: dt.datetime | None) -> Dossier:
        # The state and the moment were checked by ``refusal``; the letter sets a new
        # appointment date, later than the one it replaces (form 04).
        if new_due_at is None:
            raise TransitionError(f"hồ sơ {self.code}: thư xin lỗi phải ghi ngày hẹn trả mới")
        if self.due_at is not None and new_due_at <= self.due_at:
            raise TransitionError(f"hồ sơ {self.code}: ngày hẹn mới phải sau ngày hẹn cũ")
        before_restart = self.due_before_restart
        if before_restart is not None and self.due_at is not None:
            # After a restart the apology's extension (new − current date) is added to the
            # date before the restart too, so the 766 rule, which subtracts the citizen's
            # time, grants the same extension and no more (assumed).
            before_restart += new_due_at - self.due_at
        return replace(
            self,
            due_at=new_due_at,
            original_due_at=self.due_at,
            apology_at=at,
            last_event_at=at,
            due_before_restart=before_restart,
        )

    def to_record(self) -> dict[str, Any]:
        """The dossier's time and status columns of the interchange format, as
        ``ledger_record`` writes them (the appointment before any restart, a late request
        without its times)."""
        record = ledger_record(
            {
                "dossier_code": self.code,
                "unit_code": self.unit_code,
                "procedure_code": self.procedure_code,
                "received_at": self.received_at,
                "due_at": self.due_at,
                "finished_at": self.finished_at,
                "status": self.status,
                "channel": self.channel,
                "supplement_count": self.supplement_count,
                "supplement_requested_at": self.supplement_requested_at,
                "supplement_completed_at": self.supplement_completed_at,
                "due_before_restart": self.due_before_restart,
                "supplement_late": self.supplement_late,
            }
        )
        return {name: record[name] for name in _RECORD_COLUMNS}


#: The columns ``Dossier.to_record`` gives (the state machine knows no flags or rating).
_RECORD_COLUMNS: Final = (
    "dossier_code",
    "unit_code",
    "procedure_code",
    "received_at",
    "due_at",
    "finished_at",
    "status",
    "channel",
    "supplement_count",
    "supplement_requested_at",
    "supplement_completed_at",
)
_LATE_TIMES: Final = ("supplement_requested_at", "supplement_completed_at")


def ledger_record(state: Mapping[str, Any]) -> dict[str, Any]:
    """One stored dossier as a row of the interchange table: every contract column, in order.

    ``state`` holds the dossier under the contract's column names (naive local times), plus
    ``due_before_restart`` and ``supplement_late`` when known. ``due_at`` is written as the
    appointment before any Decree 61 restart (the index's rules apply the supplement
    themselves: the restarted date would count the citizen's time twice). A request after
    ``SUPPLEMENT_REQUEST_DAYS`` is written without its times: the agency's clock did not stop,
    so neither rule may stop or restart it; it still counts in ``supplement_count``. A
    missing flag is false, a missing count 0 and an empty rating missing.
    """
    record = {name: state.get(name) for name in COLUMN_NAMES}
    before_restart = state.get("due_before_restart")
    if before_restart is not None:
        record["due_at"] = before_restart
    if state.get("supplement_late"):
        for name in _LATE_TIMES:
            record[name] = None
    for name in BOOLEAN_COLUMNS:
        record[name] = bool(record[name])
    record["supplement_count"] = int(record["supplement_count"] or 0)
    record["rating"] = record["rating"] or None
    return record


def ledger_table(records: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows of ``ledger_record`` as an interchange Arrow table (contract order and types)."""
    import pyarrow as pa

    from cchc.service.schema import arrow_schema

    columns: dict[str, list[Any]] = {name: [] for name in COLUMN_NAMES}
    appenders = [(name, columns[name].append) for name in COLUMN_NAMES]
    for state in records:
        record = ledger_record(state)
        for name, append in appenders:
            append(record[name])
    return pa.table(columns, schema=arrow_schema())


def receive(
    code: str,
    unit_code: str,
    procedure_code: str,
    received_at: dt.datetime,
    *,
    due_at: dt.datetime | None = None,
    channel: str = "counter",
    procedure: Procedure | None = None,
    calendar: WorkCalendar | None = None,
) -> Dossier:
    """Open a dossier; when ``due_at`` is not given it comes from the procedure's time limit.

    The calendar defaults to the national working-day calendar.
    """
    from cchc.service.code import validate_code

    validate_code(code, received_at)
    if due_at is None and procedure is not None:
        due_at = procedure.due_at(received_at, calendar, counter=channel == "counter")
    if due_at is not None and due_at < received_at:
        raise TransitionError(f"hồ sơ {code}: ngày hẹn trả trước ngày tiếp nhận")
    return Dossier(code, unit_code, procedure_code, received_at, due_at, channel=channel)
