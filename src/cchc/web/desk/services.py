"""Every change to a dossier, each in one transaction with its ``DossierEvent``.

Views call these functions and nothing else writes dossiers. The rules (which event is
allowed when, the apology once and at least one day before the due date, the appointment
from the procedure's time limit) are the service core's (``cchc.service.dossier``); this
module only translates between rows and the core's values and records who did what.

Supplements: the appointment is recomputed when the papers come back (Decree 61 restart,
``settings.CCHC_SUPPLEMENT_RESTART``, on by default) and a request after the 3-working-day
limit needs the officer's confirmation and is recorded with the warning (docs/desk.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from cchc.fmt import visible_text
from cchc.service import dossier as core
from cchc.service.code import MAX_SEQUENCE, DossierCodeError, make_code
from cchc.service.procedure import Procedure as CoreProcedure
from cchc.units.official import agency_code
from cchc.web.desk.clock import from_local, now, to_local
from cchc.web.desk.models import Dossier, DossierEvent, Procedure
from cchc.web.desk.rating_key import key_digest, new_key
from cchc.web.ops.audit import record as audit_record
from cchc.web.units.models import Unit


class DeskError(ValueError):
    """An action the desk refuses; the message is shown to the officer as it is."""


class StaleDossier(DeskError):
    """Someone else changed the dossier since the officer opened it."""


def core_procedure(procedure: Procedure) -> CoreProcedure:
    """The catalogue row as the service core's ``Procedure``."""
    return CoreProcedure(
        code=procedure.code,
        name=procedure.name,
        time_limit=procedure.time_limit,
        time_unit=procedure.time_unit,  # type: ignore[arg-type]  # limited by the field's choices
        fee=procedure.fee,
        online_eligible=procedure.online_eligible,
        requires_result_document=procedure.requires_result_document,
    )


def to_core(row: Dossier) -> core.Dossier:
    """The row as the core's immutable ``Dossier`` (naive local times)."""
    received = to_local(row.received_at)
    assert received is not None
    return core.Dossier(
        code=row.code,
        unit_code=row.unit.code,
        procedure_code=row.procedure_code,
        received_at=received,
        due_at=to_local(row.due_at),
        channel=row.channel,
        status=row.status,
        finished_at=to_local(row.finished_at),
        supplement_count=row.supplement_count,
        supplement_requested_at=to_local(row.supplement_requested_at),
        supplement_completed_at=to_local(row.supplement_completed_at),
        apology_at=to_local(row.apology_at),
        original_due_at=to_local(row.original_due_at),
        last_event_at=to_local(row.last_event_at),
        supplement_late=row.supplement_late,
        due_before_restart=to_local(row.due_before_restart),
    )


_CORE_FIELDS = (
    "status",
    "due_at",
    "finished_at",
    "supplement_count",
    "supplement_requested_at",
    "supplement_completed_at",
    "apology_at",
    "original_due_at",
    "last_event_at",
    "supplement_late",
    "due_before_restart",
)


def _changes(before: core.Dossier, after: core.Dossier) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _CORE_FIELDS:
        new = getattr(after, name)
        if new != getattr(before, name):
            out[name] = from_local(new) if isinstance(new, dt.datetime) else new
    return out


def supplement_restart() -> bool:
    """Whether a completed supplement recomputes the appointment (the deployment's rule)."""
    return bool(getattr(settings, "CCHC_SUPPLEMENT_RESTART", True))


@dataclass(frozen=True)
class SupplementLimit:
    """What the dossier page says about the 3-working-day limit before a request."""

    deadline: dt.date
    late_now: bool
    warning: str = core.LATE_SUPPLEMENT_WARNING
    days: int = core.SUPPLEMENT_REQUEST_DAYS


def supplement_limit(row: Dossier) -> SupplementLimit:
    """The last day a supplement may be requested, and whether now is past it."""
    value = to_core(row)
    moment = to_local(now())
    assert moment is not None
    return SupplementLimit(value.supplement_deadline(), value.is_late_request(moment))


def agency_id(unit: Unit) -> str:
    """The agency identifier in the unit's new dossier codes: the official code in the unit's
    id (``21640@2025-06-30`` → ``21640``; assumed: the national portal's identifiers, e.g.
    ``000.00.12.H12``, can replace it once the unit registry carries them). Codes issued
    under an old code (``HNH-261207-0001``) stay valid: an import accepts them too
    (``cchc.web.units.lookup.agency_ids``)."""
    return agency_code(unit.code)


def next_code(unit: Unit, received_on: dt.date) -> str:
    """The next free ``<agency id>-YYMMDD-NNNN`` of the unit for that day.

    One above the day's highest number; once that would pass 9999 (an imported ledger may
    hold the day's last number), the lowest number still free. So the day is full only when
    all 9999 numbers are taken, and an import cannot end the desk's numbering with one row.
    """
    prefix = make_code(agency_id(unit), received_on, 1)[:-4]
    day = Dossier.objects.filter(code__startswith=prefix)
    last = day.order_by("-code").values_list("code", flat=True).first()
    sequence = int(last[-4:]) + 1 if last else 1
    if sequence > MAX_SEQUENCE:
        used = {int(code[-4:]) for code in day.values_list("code", flat=True)}
        free = (n for n in range(1, MAX_SEQUENCE + 1) if n not in used)
        sequence = next(free, MAX_SEQUENCE + 1)
    try:
        return make_code(agency_id(unit), received_on, sequence)
    except DossierCodeError:
        raise DeskError(
            f"đã dùng hết {MAX_SEQUENCE} số thứ tự hồ sơ của {unit.name} trong ngày "
            f"{received_on:%d/%m/%Y}"
        ) from None


def receive(
    unit: Unit,
    procedure: Procedure,
    *,
    user: Any,
    applicant_name: str,
    applicant_phone: str = "",
    applicant_address: str = "",
    channel: str = "counter",
    received_at: dt.datetime | None = None,
    due_at: dt.datetime | None = None,
    note: str = "",
) -> Dossier:
    """Receive a dossier: issue its code, compute the appointment (form 01), record it.

    The appointment comes from the procedure's time limit through the working-day calendar
    (counter dossiers after the cut-off count from the next working day) unless given.
    """
    at = received_at or now()
    local_at = to_local(at)
    assert local_at is not None
    key = new_key()
    for _attempt in range(5):
        code = next_code(unit, local_at.date())
        try:
            value = core.receive(
                code,
                unit.code,
                procedure.code,
                local_at,
                due_at=to_local(due_at),
                channel=channel,
                procedure=core_procedure(procedure),
            )
        except (core.TransitionError, DossierCodeError) as exc:
            raise DeskError(str(exc)) from None
        try:
            with transaction.atomic():
                row = Dossier.objects.create(
                    code=code,
                    unit=unit,
                    procedure=procedure,
                    procedure_code=procedure.code,
                    applicant_name=applicant_name.strip(),
                    applicant_phone=applicant_phone.strip(),
                    applicant_address=applicant_address.strip(),
                    channel=channel,
                    status=value.status,
                    received_at=at,
                    due_at=from_local(value.due_at),
                    last_event_at=at,
                    online_eligible=procedure.online_eligible,
                    has_fee=procedure.fee > 0,
                    requires_result_document=procedure.requires_result_document,
                    rating_key_digest=key_digest(code, key),
                )
                DossierEvent.objects.create(
                    dossier=row,
                    event="received",
                    at=at,
                    actor=_actor(user),
                    to_status=row.status,
                    new_due_at=row.due_at,
                    note=note,
                )
            # The key in clear exists only here and on the printed form 01 (the view keeps
            # it in the officer's session until form 01 is printed once).
            row.rating_key = key  # type: ignore[attr-defined]
            return row
        except IntegrityError:
            continue  # another officer took this sequence number at the same moment
    raise DeskError("không cấp được mã hồ sơ, vui lòng thử lại")


@transaction.atomic
def issue_rating_key(row: Dossier, *, user: Any) -> str:
    """A new rating key for a dossier received at this desk and not rated yet; the old one
    stops working. Returns the key in clear, to print on form 01 once."""
    current = Dossier.objects.select_for_update().get(pk=row.pk)
    if current.rating:
        raise DeskError(f"hồ sơ {row.code} đã được đánh giá; không cấp mã đánh giá mới")
    key = new_key()
    Dossier.objects.filter(pk=row.pk).update(rating_key_digest=key_digest(row.code, key))
    audit_record(
        actor=user,
        action="desk.rating_key",
        object_type="dossier",
        object_id=row.code,
        field="rating_key_digest",
        new="cấp mã đánh giá mới",
        at=now(),
    )
    return key


def _actor(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


#: Flags an officer may set together with finishing or returning a dossier.
RESULT_FLAGS = ("e_result", "digitised", "reused_data", "paid_online")


@transaction.atomic
def act(
    row: Dossier,
    event: core.Event | str,
    *,
    user: Any,
    at: dt.datetime | None = None,
    expected_version: int | None = None,
    new_due_at: dt.datetime | None = None,
    to: str = "",
    note: str = "",
    flags: dict[str, bool] | None = None,
    accept_late: bool = False,
) -> Dossier:
    """Apply one event of the state machine to the dossier and record it.

    Raises ``DeskError`` with the core's Vietnamese reason when the event is not allowed
    (a supplement request after the limit without ``accept_late``, a refusal or a stop
    without a visible reason in ``note`` included), and
    ``StaleDossier`` when the row changed since ``expected_version``.
    """
    event = core.Event(event)
    at = at or now()
    current = Dossier.objects.select_related("unit", "procedure").get(pk=row.pk)
    version = row.version if expected_version is None else expected_version
    if current.version != version:
        raise StaleDossier(
            f"hồ sơ {row.code} vừa được người khác cập nhật; hãy tải lại trang rồi thao tác lại"
        )
    before = to_core(current)
    local_at = to_local(at)
    assert local_at is not None
    procedure = core_procedure(current.procedure) if current.procedure is not None else None
    try:
        after = before.apply(
            event,
            local_at,
            new_due_at=to_local(new_due_at),
            to=to,
            procedure=procedure,
            restart=supplement_restart(),
            accept_late=accept_late,
            reason=note,
        )
    except core.TransitionError as exc:
        raise DeskError(str(exc)) from None
    changes = _changes(before, after)
    if event is core.Event.TRANSFERRED:
        changes["handled_by"] = to
    if event is core.Event.RETURNED:
        changes["returned_at"] = at
    for name, value in (flags or {}).items():
        if name not in RESULT_FLAGS:
            raise DeskError(f"không thể đặt '{name}' khi kết thúc hồ sơ")
        changes[name] = value
    updated = Dossier.objects.filter(pk=row.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise StaleDossier(f"hồ sơ {row.code} vừa được người khác cập nhật; hãy tải lại trang")
    DossierEvent.objects.create(
        dossier=current,
        event=str(event),
        at=at,
        actor=_actor(user),
        from_status=before.status,
        to_status=after.status,
        old_due_at=from_local(before.due_at) if after.due_at != before.due_at else None,
        new_due_at=from_local(after.due_at) if after.due_at != before.due_at else None,
        note=". ".join(
            p for p in (_restart_note(before, after, event, procedure), to, visible_text(note)) if p
        ),
        # Kept apart from the note, which form 02 prints as the list of missing papers.
        warning=_late_warning(after) if event is core.Event.SUPPLEMENT_REQUESTED else "",
    )
    return Dossier.objects.select_related("unit", "procedure").get(pk=row.pk)


def _late_warning(after: core.Dossier) -> str:
    if not after.supplement_late:
        return ""
    return f"{core.LATE_SUPPLEMENT_WARNING.capitalize()}; thời hạn giải quyết không dừng"


def _restart_note(
    before: core.Dossier, after: core.Dossier, event: core.Event, procedure: CoreProcedure | None
) -> str:
    """Why the appointment was or was not recomputed when the papers came back."""
    if event is not core.Event.SUPPLEMENT_COMPLETED:
        return ""
    if after.due_at != before.due_at:
        return "Hẹn trả tính lại từ khi hồ sơ được bổ sung đầy đủ (Nghị định 61/2018)"
    if before.supplement_late:
        return "Không tính lại ngày hẹn: yêu cầu bổ sung quá hạn"
    if not supplement_restart():
        return "Không tính lại ngày hẹn (CCHC_SUPPLEMENT_RESTART tắt)"
    if procedure is None:
        return "Không tính lại ngày hẹn: thủ tục không có trong danh mục"
    return "Giữ ngày hẹn đã có (muộn hơn ngày tính lại)"
