"""Two printed papers of one dossier: the process-control sheet and the notice of stopping.

Numbers and titles come from the circular in force (``cchc.service.circular``): the sheet is
form 05 of Circular 01/2018 and form 06 of Circular 03/2025, the notice form 05 of Circular
03/2025 (Circular 01/2018 has none). The sheet follows the circular in force on the day the
dossier was received (it is opened at receipt and travels with the dossier); the notice the
one in force on the day of stopping. Same access rule as forms 01–04: the one-stop officers
of the dossier's unit (``access.dossier_for``; another unit's dossier answers 404).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cchc.reports.contents import place_date_line
from cchc.service import control_sheet
from cchc.service.circular import CIRCULAR_03_2025, FormReference, Paper, form_on
from cchc.service.dossier import EVENT_LABELS, Event
from cchc.service.timeliness import TIMELINESS_LABELS
from cchc.web.desk import access, lookup
from cchc.web.desk.clock import local_now, to_local
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.units.models import Unit

DESK = "Bộ phận tiếp nhận và trả kết quả"
_LEVEL_WORDS = (
    "ủy ban nhân dân",
    "ubnd",
    "thị trấn",
    "thị xã",
    "thành phố",
    "phường",
    "xã",
    "huyện",
    "tỉnh",
)


def place_of(unit: Unit) -> str:
    """The place name of the date line: the unit's name without its level word.

    "Phường Bồng Sơn" → "Bồng Sơn" (assumed: Decree 30/2020 writes the locality where the
    agency sits; the unit registry has no such field yet).
    """
    name = " ".join(unit.name.split())
    lowered = name.lower()
    for word in _LEVEL_WORDS:
        if lowered.startswith(word + " "):
            return name[len(word) + 1 :].strip()
    return name


def date_line(unit: Unit, day: dt.date) -> str:
    """ "Bồng Sơn, ngày 05 tháng 3 năm 2025" (Decree 30/2020, Appendix I, II.5.b)."""
    return place_date_line(place_of(unit), day)


def split_transfer(note: str) -> tuple[str, str]:
    """(receiving side, note) of a transfer event.

    ``services.act`` records a transfer's destination at the start of the note, as
    "<to>. <note>" (DossierEvent has no column of its own for it): a destination that itself
    contains ". " is cut there (known limitation, docs/desk.md).
    """
    to, _dot, rest = note.partition(". ")
    return to.strip(), rest.strip()


def signer_name(user: Any) -> str:
    """The name printed under an officer's signature: the account's full name (first and
    last name, ``User.get_full_name``). An account without one prints no name: the officer
    writes it by hand under "(Ký và ghi rõ họ tên)"; a log-in name is never printed."""
    if user is None:
        return ""
    return " ".join(str(user.get_full_name()).split())


def public_url(request: HttpRequest, path: str) -> str:
    """The absolute address of ``path`` as citizens reach the site: ``CCHC_PUBLIC_URL``
    when set (behind a proxy, or when officers use an internal address), otherwise the
    address of this request."""
    base = str(getattr(settings, "CCHC_PUBLIC_URL", "") or "")
    if base:
        return base.rstrip("/") + path
    return request.build_absolute_uri(path)


def _actor_name(event: DossierEvent) -> str:
    actor = event.actor
    if actor is None:
        return ""
    return str(actor.get_full_name() or actor.username)


def records(events: list[DossierEvent]) -> list[control_sheet.Record]:
    """The dossier's events as the core's records (local times, transfer destinations)."""
    out = []
    for event in events:
        at = to_local(event.at)
        assert at is not None
        to, note = (
            split_transfer(event.note) if event.event == Event.TRANSFERRED else ("", event.note)
        )
        out.append(
            control_sheet.Record(
                event=event.event,
                at=at,
                to=to,
                new_due_at=to_local(event.new_due_at),
                actor=_actor_name(event),
                note=note,
                late=event.event == Event.SUPPLEMENT_REQUESTED and bool(event.warning),
            )
        )
    return out


def _stop_event(dossier: Dossier) -> DossierEvent | None:
    return (
        dossier.events.filter(event=Event.STOPPED.value)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )


def _stop_reference(stopped: DossierEvent) -> FormReference | None:
    at = to_local(stopped.at)
    assert at is not None
    return form_on(Paper.STOP_NOTICE, at.date())


def links(dossier: Dossier) -> list[dict[str, str]]:
    """The papers of this module the dossier page offers: the sheet always, the notice when
    the dossier was stopped under Circular 03/2025."""
    received = to_local(dossier.received_at)
    assert received is not None
    sheet = form_on(Paper.CONTROL_SHEET, received.date())
    out = []
    if sheet is not None:
        out.append(
            {
                "id": "print-control-sheet",
                "url": reverse("desk:control_sheet", args=[dossier.code]),
                "label": f"Mẫu {sheet.number:02d} — {sheet.title}",
            }
        )
    if dossier.status == "stopped":
        stopped = _stop_event(dossier)
        notice = _stop_reference(stopped) if stopped is not None else None
        if notice is not None:
            out.append(
                {
                    "id": "print-stop-notice",
                    "url": reverse("desk:stop_notice", args=[dossier.code]),
                    "label": f"Mẫu {notice.number:02d} — {notice.title}",
                }
            )
    return out


@login_required
@require_GET
def control_sheet_page(request: HttpRequest, code: str) -> HttpResponse:
    """The process-control sheet: every hand-over, each step early / on time / overdue."""
    dossier = access.dossier_for(request.user, code)
    events = list(dossier.events.select_related("actor").order_by("at", "pk"))
    received = to_local(dossier.received_at)
    assert received is not None
    now = local_now()
    lines = control_sheet.steps(
        records(events),
        received_at=received,
        due_at=to_local(dossier.original_due_at or dossier.due_at),
        desk=DESK,
        as_of=now,
    )
    reference = form_on(Paper.CONTROL_SHEET, received.date())
    assert reference is not None  # every circular has the sheet
    returned = next((e for e in events if e.event == Event.RETURNED), None)
    ended = next((e for e in events if e.event in control_sheet.ENDING_EVENTS), None)
    context: dict[str, Any] = {
        "dossier": dossier,
        "form": reference,
        "steps": [
            {
                "step": s,
                "result": TIMELINESS_LABELS[s.timeliness] if s.timeliness else "không có ngày hẹn",
                "end_label": EVENT_LABELS.get(Event(s.end_event), "") if s.end_event else "",
            }
            for s in lines
        ],
        "imported": any(e.event == "imported" for e in events),
        "overall": lookup.public_view(dossier),
        "ended": ended,
        "ended_label": EVENT_LABELS[Event(ended.event)] if ended is not None else "",
        "returned": returned,
        "date_line": date_line(dossier.unit, now.date()),
        "desk": DESK,
        "signer": signer_name(request.user),
    }
    return render(request, "desk/control_sheet.html", context)


@login_required
@require_GET
def stop_notice_page(request: HttpRequest, code: str) -> HttpResponse:
    """The notice of stopping (Circular 03/2025) with the reason recorded when stopping."""
    dossier = access.dossier_for(request.user, code)
    stopped = _stop_event(dossier)
    if stopped is None:
        messages.error(request, f"Hồ sơ {code} không bị dừng xử lý nên không có thông báo dừng.")
        return redirect("desk:dossier", code=code)
    reference = _stop_reference(stopped)
    if reference is None:
        since = CIRCULAR_03_2025.since.strftime("%d/%m/%Y")
        messages.error(
            request,
            f"Hồ sơ {code} dừng xử lý trước ngày {since}: Thông tư 01/2018/TT-VPCP không có "
            "mẫu thông báo dừng giải quyết hồ sơ.",
        )
        return redirect("desk:dossier", code=code)
    stopped_on = to_local(stopped.at)
    assert stopped_on is not None
    context = {
        "dossier": dossier,
        "event": stopped,
        "form": reference,
        "signer": signer_name(stopped.actor),
        "date_line": date_line(dossier.unit, stopped_on.date()),
        "desk": DESK,
        "lookup_url": public_url(request, reverse("desk:lookup")),
    }
    return render(request, "desk/stop_notice.html", context)
