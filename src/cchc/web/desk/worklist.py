"""The officer's work lists: open dossiers, those due today and those past their date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString

from cchc.fmt import format_datetime
from cchc.service.dossier import STATUS_LABELS, WAITING, deadline_at
from cchc.service.schema import TERMINAL_STATUSES
from cchc.web.desk.clock import TZ, now
from cchc.web.desk.models import CHANNEL_LABELS, Dossier
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


# The core's ``clock_runs`` for open dossiers, in SQL (the fast path of the lists and
# counts; tests/web/test_desk_rules.py holds it equal to the core for every status).
CLOCK_RUNS = ~Q(status=WAITING) | Q(supplement_late=True)


def _running(unit: Unit) -> QuerySet[Dossier]:
    return open_dossiers(unit).filter(CLOCK_RUNS)


def due_today(unit: Unit) -> QuerySet[Dossier]:
    """Running dossiers whose appointment falls today (and has not passed yet)."""
    start, end = _today_bounds()
    return _running(unit).filter(due_at__gte=max(start, now()), due_at__lt=end)


def overdue(unit: Unit) -> QuerySet[Dossier]:
    """Running dossiers past their appointment (not those waiting for a supplement asked
    for in time)."""
    return _running(unit).filter(due_at__lt=now())


@dataclass(frozen=True)
class Counts:
    open: int
    today: int
    overdue: int


def counts(unit: Unit) -> Counts:
    """The three counts in ONE query over the unit's open dossiers (the partial index
    ``desk_dossier_open_idx``): the conditions of ``open_dossiers``, ``due_today`` and
    ``overdue``, which tests hold equal to these counts.

    Written in SQL: Django takes ~2 ms of Python to build this aggregate, longer than the
    database takes to answer it, on the page every officer reloads (load test, benchmarks/load).
    """
    start, end = _today_bounds()
    moment = now()
    adapt = connection.ops.adapt_datetimefield_value
    terminal = sorted(TERMINAL_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            _COUNTS_SQL.format(
                table=Dossier._meta.db_table, terminal=", ".join(["%s"] * len(terminal))
            ),
            [
                WAITING,
                adapt(max(start, moment)),
                adapt(end),
                WAITING,
                adapt(moment),
                unit.pk,
                *terminal,
            ],
        )
        opened, today, late = cursor.fetchone()
    return Counts(opened, today, late)


# CLOCK_RUNS in SQL: not waiting for papers, or waiting after a late request.
_COUNTS_SQL = """
SELECT COUNT(*),
       COUNT(CASE WHEN (status <> %s OR supplement_late) AND due_at >= %s AND due_at < %s THEN 1 END),
       COUNT(CASE WHEN (status <> %s OR supplement_late) AND due_at < %s THEN 1 END)
FROM {table}
WHERE unit_id = %s AND status NOT IN ({terminal})
"""


# What a work-list row shows (desk/_worklist_table.html): the applicant's personal data and
# the rest of the dossier are not fetched.
LIST_COLUMNS = (
    "code",
    "procedure_code",
    "procedure__name",
    "channel",
    "received_at",
    "due_at",
    "status",
    "supplement_late",
)


def listing(unit: Unit, which: str, query: str = "") -> QuerySet[Dossier, dict[str, Any]]:
    """The dossiers of one filter, soonest appointment first; ``query`` matches the code.

    Plain rows (``values``), not model instances: a page of 50 is built on every visit of
    every officer, and instances cost more than the query (benchmarks/load)."""
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
    return rows.order_by(*order).values(*LIST_COLUMNS)


def warning(dossier: Dossier) -> str:
    """ "overdue", "today" or "" for one dossier, for the row's warning mark (the core's
    ``deadline_at`` judged now)."""
    return deadline_at(
        dossier.status, dossier.due_at, _local_now(), supplement_late=dossier.supplement_late
    ).value


def _local_now() -> dt.datetime:
    # Aware, in the local zone: the core's "today" is the calendar day of the moment given.
    return now().astimezone(TZ)


# One line of the table in desk/_worklist_table.html. Written here rather than as a loop in
# the template: 50 rows × 9 template variables cost more than the rest of the page put
# together (load test at 1 M dossiers, benchmarks/load); one format per row costs a tenth of that.
_TR = (
    '<tr class="{css}" data-code="{code}"><td><a href="{href}">{code}</a></td>'
    "<td>{procedure}</td><td>{channel}</td><td>{received}</td><td>{due}</td><td>{status}</td>"
    '<td class="warning">{badge}</td></tr>'
)
_BADGES = {
    "overdue": '<span class="badge overdue">Quá hạn</span>',
    "today": '<span class="badge today">Đến hạn hôm nay</span>',
    "": "",
}


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the work list, every cell already a string."""

    code: str
    href: str
    procedure: str
    channel: str
    received: str
    due: str
    status: str
    warning: str

    @property
    def html(self) -> SafeString:
        """The row as a ``<tr>``, every value escaped."""
        return SafeString(
            _TR.format(
                css=f"warn-{self.warning}" if self.warning else "",
                code=escape(self.code),
                href=escape(self.href),
                procedure=escape(self.procedure),
                channel=escape(self.channel),
                received=escape(self.received),
                due=escape(self.due),
                status=escape(self.status),
                badge=_BADGES[self.warning],
            )
        )


def _local(value: dt.datetime | None) -> str:
    return "" if value is None else format_datetime(value.astimezone(TZ))


def rows(page: Iterable[dict[str, Any]]) -> list[Row]:
    """The printable lines of one page of ``listing``."""
    # One reverse() for the page: the code is the only part that changes ("~" is a character
    # reverse() leaves as it is and a dossier code never holds).
    before, _, after = reverse("desk:dossier", args=["~"]).rpartition("~")
    moment = _local_now()
    return [
        Row(
            code=d["code"],
            href=before + quote(d["code"], safe="") + after,
            procedure=d["procedure__name"] or d["procedure_code"],
            channel=CHANNEL_LABELS.get(d["channel"], d["channel"]),
            received=_local(d["received_at"]),
            due=_local(d["due_at"]),
            status=STATUS_LABELS.get(d["status"], d["status"]),
            warning=deadline_at(
                d["status"], d["due_at"], moment, supplement_late=d["supplement_late"]
            ).value,
        )
        for d in page
    ]
