"""`cchc units ...`: the registry of administrative units."""

from __future__ import annotations

import datetime as dt

import typer

app = typer.Typer(no_args_is_help=True, help="Đơn vị hành chính: danh sách, hiệu lực, kế thừa.")


def _parse_day(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"ngày không hợp lệ {text!r} (dạng YYYY-MM-DD)") from None


@app.command("list")
def list_units(
    level: str | None = typer.Option(
        None,
        "--level",
        help="cấp: province (tỉnh), district (huyện), commune (xã), agency (sở, ban, ngành)",
    ),
    parent: str | None = typer.Option(None, "--parent", help="mã đơn vị cấp trên"),
    on: str | None = typer.Option(None, "--on", help="ngày hiệu lực (YYYY-MM-DD)"),
) -> None:
    """Liệt kê đơn vị theo cấp, đơn vị cấp trên và ngày hiệu lực."""
    from rich.console import Console
    from rich.table import Table

    from cchc.cli.display import level_name, nothing
    from cchc.fmt import format_date
    from cchc.units import Level, default_registry

    if level is not None and level not in {lv.value for lv in Level}:
        raise typer.BadParameter(f"cấp không hợp lệ {level!r}", param_hint="--level")
    day = _parse_day(on)
    units = default_registry().units(level=level, parent=parent, on=day)
    if not units:
        where = [f"thuộc {level_name(level)}"] if level else []
        where += [f"trực thuộc {parent}"] if parent else []
        where += [f"có hiệu lực ngày {format_date(day)}"] if day else []
        nothing("đơn vị nào" + (" " + ", ".join(where) if where else ""))
        return
    table = Table("Mã", "Tên đơn vị", "Cấp", "Trực thuộc", "Hiệu lực từ", "Đến")
    for u in units:
        table.add_row(
            u.code,
            u.name,
            level_name(u.level.value),
            u.parent or "",
            format_date(u.valid_from) if u.valid_from else "",
            format_date(u.valid_to) if u.valid_to else "",
        )
    Console().print(table)


@app.command("lineage")
def lineage(code: str) -> None:
    """Đơn vị tiền thân và kế thừa của một đơn vị."""
    from cchc.units import default_registry

    registry = default_registry()
    try:
        unit = registry.get(code)
    except KeyError as exc:
        typer.echo(f"Lỗi: {exc.args[0]}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"{unit.code} — {unit.name}")
    for label, units in (("Tiền thân", registry.predecessors(code)), ("Kế thừa", registry.successors(code))):
        typer.echo(f"{label}: " + (", ".join(f"{u.code} ({u.name})" for u in units) or "không có"))
