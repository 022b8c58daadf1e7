"""The officer's work lists: open dossiers, those due today and those past their date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from cchc.service.schema import TERMINAL_STATUSES
from cchc.web.desk.clock import TZ, now
from cchc.web.desk.models import Dossier
from cchc.web.units.models import Unit

FILTERS = {
    "open": "Đang giải quyết",
    "today": "Đến hạn hôm nay",
    "overdue": "Quá hạn",
    "all": "Tất cả",
}


def _today_bounds() -> tuple[dt.datetime, dt.datetime]:
    today = now().astimezone(TZ).date()
    start = dt.datetime.combine(today, dt.time(0), tzinfo=TZ)
    return start, start + dt.timedelta(days=1)


def open_dossiers(unit: Unit) -> QuerySet[Dossier]:
    return Dossier.objects.filter(unit=unit).exclude(status__in=TERMINAL_STATUSES)


# A dossier waiting for the citizen's supplement is not the desk's delay: its clock stops
# (766 rule) or restarts when the papers come back (Decree 61), DOMAIN.md §5.
WAITING = "supplement_requested"


def _running(unit: Unit) -> QuerySet[Dossier]:
    return open_dossiers(unit).exclude(status=WAITING)


def due_today(unit: Unit) -> QuerySet[Dossier]:
    """Running dossiers whose appointment falls today (and has not passed yet)."""
    start, end = _today_bounds()
    return _running(unit).filter(due_at__gte=max(start, now()), due_at__lt=end)


def overdue(unit: Unit) -> QuerySet[Dossier]:
    """Running dossiers past their appointment (not those waiting for a supplement)."""
    return _running(unit).filter(due_at__lt=now())


@dataclass(frozen=True)
class Counts:
    open: int
    today: int
    overdue: int


def counts(unit: Unit) -> Counts:
    """The three counts in ONE query over the unit's open dossiers (the partial index
    ``desk_dossier_open_idx``): same conditions as ``due_today`` and ``overdue``."""
    start, end = _today_bounds()
    moment = now()
    running = ~Q(status=WAITING)
    totals = open_dossiers(unit).aggregate(
        open=Count("pk"),
        today=Count("pk", filter=running & Q(due_at__gte=max(start, moment), due_at__lt=end)),
        overdue=Count("pk", filter=running & Q(due_at__lt=moment)),
    )
    return Counts(totals["open"], totals["today"], totals["overdue"])


# What a work-list row shows (desk/_worklist_table.html) and ``warning`` reads: the
# applicant's personal data and the rest of the row are not fetched.
LIST_COLUMNS = ("code", "procedure", "procedure_code", "channel", "received_at", "due_at", "status", "procedure__name")


def listing(unit: Unit, which: str, query: str = "") -> QuerySet[Dossier]:
    """The dossiers of one filter, soonest appointment first; ``query`` matches the code."""
    if which == "today":
        rows = due_today(unit)
    elif which == "overdue":
        rows = overdue(unit)
    elif which == "all":
        rows = Dossier.objects.filter(unit=unit)
    else:
        rows = open_dossiers(unit)
    if query:
        rows = rows.filter(Q(code__icontains=query.strip()))
    order = ["-received_at"] if which == "all" else ["due_at", "code"]
    return rows.select_related("procedure").only(*LIST_COLUMNS).order_by(*order)


def warning(dossier: Dossier) -> str:
    """"overdue", "today" or "" for one open dossier, for the row's warning mark."""
    if dossier.status in TERMINAL_STATUSES or dossier.status == WAITING or dossier.due_at is None:
        return ""
    moment = now()
    if dossier.due_at < moment:
        return "overdue"
    _, end = _today_bounds()
    return "today" if dossier.due_at < end else ""
