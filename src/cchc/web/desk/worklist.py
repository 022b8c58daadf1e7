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
from cchc.textio import fold
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
    "applicant_name",
    "procedure_code",
    "procedure__name",
    "channel",
    "received_at",
    "due_at",
    "status",
    "supplement_late",
)


def matching(dossiers: QuerySet[Dossier], query: str) -> QuerySet[Dossier]:
    """The dossiers whose code or applicant's name holds ``query``.

    The code in any case ("hnh-261207-0001" finds HNH-261207-0001), the name without marks
    ("binh" finds "Nguyễn Văn Bình", ``Dossier.applicant_key``). A whole code, as pasted from
    a receipt or the portal, is first looked up on the code's unique index: the common
    case costs one index probe. Otherwise the match is a LIKE over the unit's dossiers
    only (reached through the unit's indexes), never a scan of the whole table; a
    trigram index would make even that sub-linear but needs a PostgreSQL extension the
    deployment may not allow (docs/desk.md, "Tìm hồ sơ")."""
    text = " ".join(query.split())
    if not text:
        return dossiers
    if " " not in text:
        exact = dossiers.filter(code__in={text, text.upper()})
        if exact.exists():
            return exact
    return dossiers.filter(Q(code__icontains=text) | Q(applicant_key__contains=fold(text)))


def listing(
    unit: Unit, which: str, query: str = "", *, everywhere: bool = False
) -> QuerySet[Dossier, dict[str, Any]]:
    """The dossiers of one filter, soonest appointment first; ``query`` matches the code
    or the applicant's name (``matching``), in every list of the unit when ``everywhere``.

    Plain rows (``values``), not model instances: a page of 50 is built on every visit of
    every officer, and instances cost more than the query (benchmarks/load)."""
    if query.strip() and everywhere:
        which = "all"
    if which == "today":
        rows = due_today(unit)
    elif which == "overdue":
        rows = overdue(unit)
    elif which == "all":
        rows = Dossier.objects.filter(unit=unit)
    else:
        rows = open_dossiers(unit)
    rows = matching(rows, query)
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
    '<td class="applicant">{applicant}</td><td>{procedure}</td><td>{channel}</td>'
    "<td>{received}</td><td>{due}</td><td>{status}</td>"
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
    applicant: str
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
                applicant=escape(self.applicant),
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
            applicant=d["applicant_name"],
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


# --- the list as a workbook ------------------------------------------------------------------

XLSX_COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Người nộp",
    "Thủ tục hành chính",
    "Kênh nộp",
    "Tiếp nhận",
    "Hẹn trả",
    "Trạng thái",
    "Cảnh báo",
)
_WARNINGS = {"overdue": "Quá hạn", "today": "Đến hạn hôm nay", "": ""}


def _naive_local(value: dt.datetime | None) -> dt.datetime | None:
    # Excel has no time zones: the wall-clock time in Vietnam.
    return None if value is None else value.astimezone(TZ).replace(tzinfo=None)


def write_xlsx(
    path: Any, unit: Unit, title: str, dossiers: Iterable[dict[str, Any]]
) -> int:
    """Every row of ``dossiers`` (rows of ``listing``) as a workbook: times as dates, text
    neutralised (``safe_cell``), written in constant memory. Returns the rows written."""
    import xlsxwriter

    from cchc.safety import XLSX_OPTIONS, safe_cell

    moment = _local_now()
    with xlsxwriter.Workbook(str(path), {**XLSX_OPTIONS, "constant_memory": True}) as book:
        sheet = book.add_worksheet("Danh sách hồ sơ")
        bold = book.add_format({"bold": True, "font_size": 13})
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        sheet.write_string(0, 0, str(safe_cell(f"Danh sách hồ sơ — {unit.name}")), bold)
        sheet.write_string(1, 0, str(safe_cell(f"{title}; lập lúc {format_datetime(moment)}")))
        sheet.write_row(3, 0, XLSX_COLUMNS, head)
        sheet.freeze_panes(4, 2)
        for width, first, last in ((6, 0, 0), (20, 1, 1), (26, 2, 2), (40, 3, 3), (16, 4, 8)):
            sheet.set_column(first, last, width)
        count = 0
        for count, d in enumerate(dossiers, start=1):
            r = 3 + count
            warning = deadline_at(
                d["status"], d["due_at"], moment, supplement_late=d["supplement_late"]
            ).value
            texts = (
                d["code"],
                d["applicant_name"],
                d["procedure__name"] or d["procedure_code"],
                CHANNEL_LABELS.get(d["channel"], d["channel"]),
            )
            sheet.write_number(r, 0, count)
            for c, text in enumerate(texts, start=1):
                if text:
                    sheet.write_string(r, c, str(safe_cell(text)))
            for c, moment_of in ((5, d["received_at"]), (6, d["due_at"])):
                local = _naive_local(moment_of)
                if local is not None:
                    sheet.write_datetime(r, c, local, when)
            sheet.write_string(r, 7, STATUS_LABELS.get(d["status"], d["status"]))
            if warning:
                sheet.write_string(r, 8, _WARNINGS[warning])
    return count


def describe(which: str, query: str, everywhere: bool) -> str:
    """What a list shows, in words (the workbook's subtitle)."""
    text = " ".join(query.split())
    if not text:
        return f"Danh sách: {FILTERS[which]}"
    scope = "mọi danh sách" if everywhere else f"danh sách “{FILTERS[which]}”"
    return f"Tìm “{text}” trong {scope}"
