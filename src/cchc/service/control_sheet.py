"""The process-control sheet of a dossier: each hand-over, and whether each step was in time.

Form "Phiếu kiểm soát quá trình giải quyết hồ sơ" (form 05 of Circular 01/2018/TT-VPCP,
form 06 of Circular 03/2025/TT-VPCP, see ``circular``). Each transfer opens a step: the
receiving side holds the dossier from the transfer until it hands it on, either to the next
side (the next transfer) or back to the one-stop desk (the first terminal event: finished,
returned, refused, stopped, withdrawn).

Per-step deadlines (each side's share of the time limit) are not recorded by this product.
A step is therefore judged against the **dossier's appointment in force when the step was
handed on**, with the whole-dossier rules of ``timeliness.classify`` (the citizen's
supplement time is not held against the step), and ``Step.own_due`` is False to say so on
the printed sheet. A step still open is judged at ``as_of`` (within / past the date).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from cchc.service.schema import TERMINAL_STATUSES
from cchc.service.timeliness import DossierTimes, SupplementRule, Timeliness, classify

TRANSFER = "transferred"
#: Events that end the last step: the holder hands the dossier back to the one-stop desk.
ENDING_EVENTS = frozenset(TERMINAL_STATUSES)


@dataclass(frozen=True, slots=True)
class Record:
    """One recorded event of the dossier as the sheet needs it (naive local times)."""

    event: str
    at: dt.datetime
    to: str = ""  # the receiving side of a transfer
    new_due_at: dt.datetime | None = None  # set by the receipt and by an apology
    actor: str = ""
    note: str = ""
    # A supplement request after the time allowed for it: counted, but it stops no clock
    # (as ``dossier.Dossier.to_record`` exports it).
    late: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """One line of the sheet: who handed the dossier to whom, when, and how it went."""

    number: int
    giver: str
    receiver: str
    handed_by: str  # the person who recorded the transfer
    received_at: dt.datetime
    due_at: dt.datetime | None
    own_due: bool  # False: the step's own deadline is not recorded, due_at is the dossier's
    handed_on_at: dt.datetime | None  # None while the receiver still holds the dossier
    handed_on_to: str
    end_event: str  # "transferred" or the terminal event; "" while open
    timeliness: Timeliness | None  # None when the dossier has no appointment
    note: str


@dataclass(frozen=True, slots=True)
class _State:
    due_at: dt.datetime | None
    supplement_count: int = 0
    supplement_requested_at: dt.datetime | None = None
    supplement_completed_at: dt.datetime | None = None

    def after(self, record: Record) -> _State:
        if record.event == "supplement_requested":
            requested = None if record.late else record.at
            return _State(self.due_at, self.supplement_count + 1, requested, None)
        if record.event == "supplement_completed":
            # A Decree 61 restart's new appointment is not taken: the rules judge against the
            # date before the restart and take the citizen's time off themselves.
            return _State(
                self.due_at, self.supplement_count, self.supplement_requested_at, record.at
            )
        if record.new_due_at is not None:
            return _State(
                record.new_due_at,
                self.supplement_count,
                self.supplement_requested_at,
                self.supplement_completed_at,
            )
        return self


def steps(
    records: Sequence[Record],
    *,
    received_at: dt.datetime,
    due_at: dt.datetime | None,
    desk: str,
    as_of: dt.datetime,
) -> tuple[Step, ...]:
    """The sheet's lines, one per transfer in ``records`` (in time order).

    ``due_at`` is the appointment given at receipt (records carrying ``new_due_at`` move it);
    ``desk`` names the one-stop desk, the first giver and the last receiver.
    """
    ordered = sorted(enumerate(records), key=lambda pair: (pair[1].at, pair[0]))
    flat = [r for _i, r in ordered]
    # states[i]: the dossier's appointment and supplements just before flat[i].
    states = [_State(due_at)]
    for record in flat:
        states.append(states[-1].after(record))

    out: list[Step] = []
    holder = desk
    for index, record in enumerate(flat):
        if record.event != TRANSFER:
            continue
        end = next(
            (
                j
                for j in range(index + 1, len(flat))
                if flat[j].event == TRANSFER or flat[j].event in ENDING_EVENTS
            ),
            None,
        )
        if end is None:
            state, closed_at, next_to, end_event = states[-1], None, "", ""
        else:
            state, closed_at = states[end], flat[end].at
            end_event = flat[end].event
            next_to = flat[end].to if end_event == TRANSFER else desk
        out.append(
            Step(
                number=len(out) + 1,
                giver=holder,
                receiver=record.to,
                handed_by=record.actor,
                received_at=record.at,
                due_at=state.due_at,
                own_due=False,
                handed_on_at=closed_at,
                handed_on_to=next_to,
                end_event=end_event,
                timeliness=_judge(received_at, state, closed_at, as_of),
                note=record.note,
            )
        )
        holder = record.to
    return tuple(out)


def _judge(
    received_at: dt.datetime,
    state: _State,
    closed_at: dt.datetime | None,
    as_of: dt.datetime,
) -> Timeliness | None:
    if state.due_at is None:
        return None
    times = DossierTimes(
        received_at=received_at,
        due_at=state.due_at,
        finished_at=closed_at,
        supplement_count=state.supplement_count,
        supplement_requested_at=state.supplement_requested_at,
        supplement_completed_at=state.supplement_completed_at,
    )
    # The 766 subtraction rule, as everywhere the desk shows timeliness (the Decree 61
    # restart would need the procedure's limit for each step).
    return classify(times, closed_at if closed_at is not None else as_of, SupplementRule.SUBTRACT)
