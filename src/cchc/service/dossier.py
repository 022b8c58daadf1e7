"""A dossier and the events of its life, as a small pure state machine.

The one-stop desk (web) records each event through ``Dossier.apply``; an event that the
rules of Decree 61/2018 and Circular 01/2018 do not allow in the current state raises
``TransitionError`` with the reason in Vietnamese, and leaves the dossier unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final

from cchc.service.schema import TERMINAL_STATUSES

if TYPE_CHECKING:
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

_ACTIVE = frozenset({"received", "processing", "supplement_completed"})
_OPEN = _ACTIVE | {"supplement_requested"}
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


class TransitionError(ValueError):
    """An event that is not allowed for the dossier in its current state."""


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

    @property
    def is_open(self) -> bool:
        return self.status not in TERMINAL_STATUSES

    def apply(
        self,
        event: Event | str,
        at: dt.datetime,
        *,
        new_due_at: dt.datetime | None = None,
        to: str = "",
    ) -> Dossier:
        """The dossier after ``event`` at ``at``; raise ``TransitionError`` if not allowed."""
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
        if event is Event.APOLOGY:
            return self._apology(at, new_due_at)
        allowed, target = TRANSITIONS[event]
        if self.status not in allowed:
            raise TransitionError(
                f"hồ sơ {self.code}: không thể '{label}' khi hồ sơ đang ở trạng thái "
                f"'{STATUS_LABELS[self.status]}'"
            )
        changes: dict[str, Any] = {"status": target, "last_event_at": at}
        if event is Event.TRANSFERRED:
            changes["handovers"] = (*self.handovers, HandOver(at, to))
        elif event is Event.SUPPLEMENT_REQUESTED:
            # The register keeps the latest request; from the second one on the dossier
            # counts as overdue for indicator 2.1 whatever its times (DOMAIN.md §7).
            changes |= {
                "supplement_count": self.supplement_count + 1,
                "supplement_requested_at": at,
                "supplement_completed_at": None,
            }
        elif event is Event.SUPPLEMENT_COMPLETED:
            changes["supplement_completed_at"] = at
        elif self.finished_at is None:
            # The first terminal status is the end time (DOMAIN.md §7); returning the result
            # after "finished" does not move it.
            changes["finished_at"] = at
        return replace(self, **changes)

    def _apology(self, at: dt.datetime, new_due_at: dt.datetime | None) -> Dossier:
        # Decree 61/2018 Art. 19(3) and form 04: the apology letter is sent at least one day
        # before the deadline and sets a new appointment date, once only.
        if not self.is_open:
            raise TransitionError(f"hồ sơ {self.code}: đã kết thúc, không thể hẹn lại")
        if self.apology_at is not None:
            raise TransitionError(f"hồ sơ {self.code}: chỉ được xin lỗi và hẹn lại ngày trả một lần")
        if new_due_at is None:
            raise TransitionError(f"hồ sơ {self.code}: thư xin lỗi phải ghi ngày hẹn trả mới")
        if self.due_at is not None:
            if at > self.due_at - dt.timedelta(days=1):
                raise TransitionError(
                    f"hồ sơ {self.code}: thư xin lỗi phải gửi chậm nhất 01 ngày trước hạn "
                    f"({self.due_at:%d/%m/%Y %H:%M})"
                )
            if new_due_at <= self.due_at:
                raise TransitionError(f"hồ sơ {self.code}: ngày hẹn mới phải sau ngày hẹn cũ")
        return replace(
            self,
            due_at=new_due_at,
            original_due_at=self.due_at,
            apology_at=at,
            last_event_at=at,
        )

    def to_record(self) -> dict[str, Any]:
        """The dossier's time and status columns of the interchange format."""
        return {
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
        }


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
