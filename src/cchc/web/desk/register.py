"""The dossier register ("Sổ theo dõi hồ sơ") of a unit for a date range: page and XLSX.

Form 06 of Circular 01/2018/TT-VPCP, form 07 of Circular 03/2025/TT-VPCP (the number of the
circular in force on the range's last day, ``cchc.service.circular``). One row per dossier
received in the range, oldest first, with the applicant's name and contacts: personal data,
so the page is the one-stop officer's of the own unit only (``access.desk_unit``).

A unit's year can hold 100,000 dossiers: the page shows ``PAGE_SIZE`` rows a page (rows
numbered across pages) and says so; the XLSX has every row, written by xlsxwriter in
constant-memory mode from a server-side cursor into a temporary file that is streamed back,
so neither the rows nor the workbook are held in memory.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from cchc.calendar import MAX_YEAR, MIN_YEAR
from cchc.fmt import ParseDateError, format_date, format_int, parse_date
from cchc.safety import XLSX_OPTIONS, safe_cell
from cchc.service.circular import FormReference, Paper, form_on
from cchc.service.dossier import Event
from cchc.web.desk import access, lookup
from cchc.web.desk.clock import TZ, local_now, to_local
from cchc.web.desk.models import Dossier, DossierEvent, Procedure
from cchc.web.desk.papers import date_line
from cchc.web.units.models import Unit

PAGE_SIZE = 500
#: Longest range one register covers (assumed: a year, leap or not; a unit's year is the
#: largest register offices keep, and it bounds the export's cost).
MAX_DAYS = 366
CHUNK = 2000

COLUMNS = (
    "STT",
    "Mã hồ sơ",
    "Tên thủ tục hành chính",
    "Tên cá nhân, tổ chức",
    "Địa chỉ, số điện thoại",
    "Kênh nộp",
    "Nhận hồ sơ",
    "Hẹn trả kết quả",
    "Chuyển cơ quan giải quyết",
    "Nơi đang/đã giải quyết",
    "Kết thúc xử lý",
    "Trả kết quả",
    "Trạng thái",
    "Kết quả giải quyết",
    "Ghi chú",
)


class RangeError(ValueError):
    """A date range the register refuses; the message names the field."""


def parse_day(text: str, field: str) -> dt.date:
    """ "31/03/2025" (the page's field) or "2025-03-31" (older links), read by the core's one
    date parser (``cchc.fmt.parse_date``); RangeError naming the field otherwise."""
    try:
        day = parse_date(text)
    except ParseDateError as exc:
        raise RangeError(f"{field}: {exc}.") from None
    # Year 9999 passed the parse and overflowed the day after the range (a 500).
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise RangeError(
            f"{field}: “{text.strip()}” ngoài phạm vi lịch làm việc ({MIN_YEAR}–{MAX_YEAR})."
        )
    return day


def parse_range(params: Any, today: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last day) from the ``tu`` / ``den`` parameters; default this month to today."""
    start_text, end_text = params.get("tu", "").strip(), params.get("den", "").strip()
    start = parse_day(start_text, "Từ ngày") if start_text else today.replace(day=1)
    end = parse_day(end_text, "Đến ngày") if end_text else today
    if end < start:
        raise RangeError("Đến ngày phải sau hoặc bằng Từ ngày.")
    if (end - start).days + 1 > MAX_DAYS:
        raise RangeError(f"Một sổ theo dõi tối đa {MAX_DAYS} ngày; hãy chọn khoảng ngày ngắn hơn.")
    return start, end


def dossiers(unit: Unit, start: dt.date, end: dt.date) -> QuerySet[Dossier]:
    """The unit's dossiers received from ``start`` to ``end`` (local days), oldest first,
    each with the time of its first transfer."""
    first_transfer = (
        DossierEvent.objects.filter(dossier=OuterRef("pk"), event=Event.TRANSFERRED.value)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    begin = dt.datetime.combine(start, dt.time(), tzinfo=TZ)
    stop = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=TZ)
    # No join to the unit (one for all rows) nor to the procedure (a small catalogue, read
    # once by ``rows``): a year's export builds one model object per row, not three.
    return (
        Dossier.objects.filter(unit=unit, received_at__gte=begin, received_at__lt=stop)
        .annotate(transferred_at=Subquery(first_transfer))
        .order_by("received_at", "code")
    )


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the register; times naive local (Excel has no time zones)."""

    number: int
    code: str
    procedure: str
    applicant: str
    contact: str
    channel: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    transferred_at: dt.datetime | None
    handled_by: str
    finished_at: dt.datetime | None
    returned_at: dt.datetime | None
    status: str
    result: str
    note: str

    def cells(self) -> tuple[object, ...]:
        return (
            self.number,
            self.code,
            self.procedure,
            self.applicant,
            self.contact,
            self.channel,
            self.received_at,
            self.due_at,
            self.transferred_at,
            self.handled_by,
            self.finished_at,
            self.returned_at,
            self.status,
            self.result,
            self.note,
        )


def row(number: int, dossier: Dossier) -> Row:
    """The register line of one dossier; timeliness as the look-up judges it now."""
    public = lookup.public_view(dossier)
    notes = []
    if dossier.original_due_at is not None:
        notes.append(f"xin lỗi, hẹn lại (hẹn ban đầu {format_date(_day(dossier.original_due_at))})")
    if dossier.supplement_count:
        notes.append(f"yêu cầu bổ sung {dossier.supplement_count} lần")
    return Row(
        number=number,
        code=dossier.code,
        procedure=dossier.procedure.name if dossier.procedure else dossier.procedure_code,
        applicant=dossier.applicant_name,
        contact="; ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p),
        channel=dossier.channel_label,
        received_at=to_local(dossier.received_at),
        due_at=to_local(dossier.due_at),
        transferred_at=to_local(getattr(dossier, "transferred_at", None)),
        handled_by=dossier.handled_by,
        finished_at=to_local(dossier.finished_at),
        returned_at=to_local(dossier.returned_at),
        status=dossier.status_label,
        result=public.timeliness_label,
        note="; ".join(notes),
    )


def _day(value: dt.datetime) -> dt.date:
    local = to_local(value)
    assert local is not None
    return local.date()


def rows(unit: Unit, dossiers: Iterable[Dossier], first_number: int = 1) -> Iterator[Row]:
    """Register lines of ``dossiers`` (all of ``unit``), numbered from ``first_number``."""
    procedures = {p.pk: p for p in Procedure.objects.all()}
    for offset, dossier in enumerate(dossiers):
        dossier.unit = unit
        dossier.procedure = procedures.get(dossier.procedure_id)  # type: ignore[assignment]
        yield row(first_number + offset, dossier)


def reference(end: dt.date) -> FormReference:
    found = form_on(Paper.REGISTER, end)
    assert found is not None  # every circular has the register
    return found


def write_xlsx(path: Path, unit: Unit, start: dt.date, end: dt.date, lines: Iterator[Row]) -> int:
    """The register as a workbook: dates as dates, text neutralised (``safe_cell``). Returns
    the number of rows written."""
    import xlsxwriter

    form = reference(end)
    options = {**XLSX_OPTIONS, "constant_memory": True}
    with xlsxwriter.Workbook(str(path), options) as book:
        sheet = book.add_worksheet("Sổ theo dõi hồ sơ")
        title = book.add_format({"bold": True, "font_size": 13})
        head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
        when = book.add_format({"num_format": "dd/mm/yyyy hh:mm"})
        # Constant-memory mode writes row by row: the header rows come first, in order.
        sheet.write_string(0, 0, form.title.upper(), title)
        sheet.write_string(1, 0, str(safe_cell(f"{unit.name} — {form.label}")))
        sheet.write_string(
            2, 0, f"Hồ sơ tiếp nhận từ ngày {format_date(start)} đến ngày {format_date(end)}"
        )
        sheet.write_row(4, 0, COLUMNS, head)
        sheet.freeze_panes(5, 2)
        for width, first, last in (
            (6, 0, 0),
            (20, 1, 1),
            (40, 2, 2),
            (24, 3, 4),
            (16, 5, 11),
            (18, 12, 14),
        ):
            sheet.set_column(first, last, width)
        count = 0
        for count, line in enumerate(lines, start=1):
            r = 4 + count
            for c, value in enumerate(line.cells()):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, when)
                elif value is None or value == "":
                    continue  # an empty cell is simply not written
                elif isinstance(value, int):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, str(safe_cell(value)))
    return count


def _context(request: HttpRequest, unit: Unit) -> dict[str, Any]:
    today = local_now().date()
    context: dict[str, Any] = {
        "unit": unit,
        "error": "",
        "tu": request.GET.get("tu", ""),
        "den": request.GET.get("den", ""),
    }
    try:
        start, end = parse_range(request.GET, today)
    except RangeError as exc:
        context["error"] = str(exc)
        return context
    # Shown as offices write dates, whatever the browser's locale (docs/desk.md, "Dates").
    context |= {"start": start, "end": end, "tu": format_date(start), "den": format_date(end)}
    return context


@login_required
@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    """The register as a print page, ``PAGE_SIZE`` rows a page."""
    unit = access.desk_unit(request.user)
    context = _context(request, unit)
    if context["error"]:
        return render(request, "desk/register.html", context, status=400)
    start, end = context["start"], context["end"]
    paginator = Paginator(dossiers(unit, start, end), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("trang"))
    query = f"tu={start.isoformat()}&den={end.isoformat()}"
    context |= {
        "form": reference(end),
        "page": page,
        "rows": list(rows(unit, page.object_list, page.start_index())),
        "total": format_int(paginator.count),
        "query": query,
        "xlsx_url": reverse("desk:register_xlsx") + "?" + query,
        "date_line": date_line(unit, local_now().date()),
        "columns": COLUMNS,
    }
    return render(request, "desk/register.html", context)


@login_required
@require_GET
def register_xlsx(request: HttpRequest) -> HttpResponse:
    """Every row of the register as XLSX, streamed from a temporary file."""
    unit = access.desk_unit(request.user)
    context = _context(request, unit)
    if context["error"]:
        return HttpResponse(context["error"], status=400, content_type="text/plain; charset=utf-8")
    start, end = context["start"], context["end"]
    # A server-side cursor read in chunks: never the whole year in memory.
    filename = f"so-theo-doi-{unit.code}-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    return xlsx_download(
        filename,
        lambda path: write_xlsx(
            path, unit, start, end, rows(unit, dossiers(unit, start, end).iterator(chunk_size=CHUNK))
        ),
    )


def xlsx_download(filename: str, write: Callable[[Path], object]) -> FileResponse:
    """A workbook ``write`` puts in a temporary file, streamed back as ``filename``: neither
    the rows nor the workbook are held in memory (the work list's download uses it too)."""
    handle, name = tempfile.mkstemp(prefix="cchc-", suffix=".xlsx")
    os.close(handle)
    path = Path(name)
    try:
        write(path)
        stream = path.open("rb")
    finally:
        # The open handle keeps the data readable; the name goes at once (POSIX), so an
        # interrupted download leaves nothing behind.
        path.unlink(missing_ok=True)
    return FileResponse(stream, as_attachment=True, filename=filename)
