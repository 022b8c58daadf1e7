"""`cchc calendar ...` commands: deadlines, working-day counts and each year's days off.

The calendar package is imported inside each command so `cchc --help` stays fast.
"""

from __future__ import annotations

import datetime as dt

import typer

from cchc.cli.display import fail

app = typer.Typer(
    no_args_is_help=True,
    help="Lịch làm việc: hạn giải quyết, số ngày làm việc, ngày nghỉ lễ và ngày làm bù.",
)

_UNITS = ("working-days", "days", "hours")


def _parse_moment(text: str, argument: str) -> dt.date | dt.datetime:
    value = text.strip()
    try:
        if "T" in value or " " in value:
            return dt.datetime.fromisoformat(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"{argument} = {text!r} không phải ngày YYYY-MM-DD hoặc thời điểm YYYY-MM-DDTHH:MM")


def _parse_date(text: str, argument: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        fail(f"{argument} = {text!r} không phải ngày dạng YYYY-MM-DD")


def _officer_note(note: str) -> str:
    """A note of the calendar's data as an officer reads it: the "(assumed)" label of the
    data file (docs/calendar.md lists those assumptions) becomes plain Vietnamese."""
    text = note.strip()
    if text.startswith("(assumed)"):
        text = "lưu ý, " + text.removeprefix("(assumed)").strip()
    return text


@app.command("deadline")
def deadline(
    start: str = typer.Argument(
        ..., metavar="START", help="Ngày (YYYY-MM-DD) hoặc thời điểm tiếp nhận (YYYY-MM-DDTHH:MM)."
    ),
    n: str = typer.Argument(..., metavar="N", help="Thời hạn giải quyết (số nguyên ≥ 0)."),
    unit: str = typer.Option(
        "working-days",
        "--unit",
        help="Đơn vị thời hạn: working-days (ngày làm việc), days (ngày), hours (giờ làm việc).",
    ),
    saturday: bool = typer.Option(
        False, "--saturday", help="Thứ Bảy được tính là ngày làm việc (bộ phận một cửa mở thứ Bảy)."
    ),
    cutoff: str = typer.Option(
        "15:00",
        "--cutoff",
        help="Giờ chốt tiếp nhận (HH:MM): sau giờ này tính từ ngày làm việc kế tiếp.",
    ),
    no_cutoff: bool = typer.Option(
        False, "--no-cutoff", help="Không áp dụng giờ chốt (ví dụ hồ sơ trực tuyến)."
    ),
) -> None:
    """In hạn giải quyết: ngày dd/mm/yyyy, hoặc dd/mm/yyyy HH:MM với --unit hours.

    N ngày làm việc tính từ ngày làm việc sau ngày tiếp nhận; tiếp nhận vào ngày nghỉ hoặc sau giờ chốt (15:00) tính như tiếp nhận vào ngày làm việc kế tiếp.
    """
    if unit not in _UNITS:
        fail(f"--unit = {unit!r} không hợp lệ (chỉ nhận: {', '.join(_UNITS)})")
    try:
        count = int(n)
    except ValueError:
        fail(f"N = {n!r} không phải số nguyên")
    if count < 0:
        fail(f"N = {count} không được âm")
    moment = _parse_moment(start, "START")
    try:
        cutoff_time = dt.time.fromisoformat(cutoff)
    except ValueError:
        fail(f"--cutoff = {cutoff!r} không phải giờ dạng HH:MM")

    from cchc.calendar import OfficeSettings, default_calendar

    settings = OfficeSettings(saturday_counts=saturday, receipt_cutoff=cutoff_time)
    try:
        due = default_calendar(settings).deadline(moment, count, unit, apply_cutoff=not no_cutoff)
    except (ValueError, OverflowError) as exc:
        fail(str(exc))
    from cchc.fmt import format_date, format_datetime

    typer.echo(format_datetime(due) if isinstance(due, dt.datetime) else format_date(due))


@app.command("working-days")
def working_days(
    from_: str = typer.Argument(..., metavar="FROM", help="Ngày đầu (YYYY-MM-DD), được tính."),
    to: str = typer.Argument(..., metavar="TO", help="Ngày cuối (YYYY-MM-DD), được tính."),
    saturday: bool = typer.Option(
        False, "--saturday", help="Thứ Bảy được tính là ngày làm việc (bộ phận một cửa mở thứ Bảy)."
    ),
) -> None:
    """In số ngày làm việc từ FROM đến TO, tính cả hai đầu."""
    a = _parse_date(from_, "FROM")
    b = _parse_date(to, "TO")
    if b < a:
        fail(f"TO ({b:%d/%m/%Y}) trước FROM ({a:%d/%m/%Y})")

    from cchc.calendar import OfficeSettings, default_calendar

    calendar = default_calendar(OfficeSettings(saturday_counts=saturday))
    try:
        typer.echo(str(calendar.working_days_between(a, b)))
    except ValueError as exc:
        fail(str(exc))


@app.command("holidays")
def holidays(
    year: str = typer.Argument(..., metavar="YEAR", help="Năm, ví dụ 2026."),
) -> None:
    """Liệt kê ngày nghỉ lễ, ngày nghỉ bù, ngày nghỉ hoán đổi và thứ Bảy làm bù của một năm."""
    try:
        y = int(year)
    except ValueError:
        fail(f"YEAR = {year!r} không phải số năm")
    if not 1900 <= y <= 2300:
        fail(f"YEAR = {y} ngoài phạm vi 1900–2300")

    from rich.console import Console
    from rich.table import Table

    from cchc.calendar import DayKind, default_calendar
    from cchc.fmt import format_date

    weekdays = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
    kinds = {
        DayKind.HOLIDAY: "nghỉ lễ",
        DayKind.DAY_OFF: "nghỉ bù / hoán đổi",
        DayKind.WORKING_DAY: "làm việc",
    }
    table = Table(title=f"Ngày nghỉ và ngày làm bù năm {y}")
    for column in ("Ngày", "Thứ", "Loại", "Tên", "Nguồn"):
        table.add_column(column)
    for info in default_calendar().special_days(y):
        source = info.source + (f" — {_officer_note(info.note)}" if info.note else "")
        table.add_row(
            format_date(info.date),
            weekdays[info.date.weekday()],
            kinds[info.kind],
            info.name,
            source,
        )
    Console().print(table)
