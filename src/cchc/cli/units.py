"""`cchc units ...`: the national registry of administrative units, before and after 01/07/2025."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from pathlib import Path

import typer

from cchc.cli.display import fail
from cchc.fmt import ParseDateError, parse_date

app = typer.Typer(no_args_is_help=True, help="Đơn vị hành chính: danh sách, hiệu lực, kế thừa, đối chiếu tên.")

_FORMATS = ("table", "json", "csv")


def _parse_day(text: str | None, option: str) -> dt.date:
    """dd/mm/yyyy or YYYY-MM-DD; today when not given."""
    if text is None:
        return dt.date.today()
    try:
        return parse_date(text)
    except ParseDateError as exc:
        fail(f"{option}: {exc}")


def _check_format(fmt: str) -> None:
    if fmt not in _FORMATS:
        fail(f"--format: {fmt!r} không hợp lệ (chọn {', '.join(_FORMATS)})")


def _registry():  # type: ignore[no-untyped-def]
    from cchc.units import national_registry

    return national_registry()


@app.command("list")
def list_units(
    on: str | None = typer.Option(None, "--on", help="Ngày hiệu lực (dd/mm/yyyy; mặc định hôm nay)."),
    level: str | None = typer.Option(None, "--level", help="province, district, commune hoặc agency (sở, ban, ngành)."),
    province: str | None = typer.Option(None, "--province", help="Mã tỉnh (mọi đơn vị thuộc tỉnh)."),
    parent: str | None = typer.Option(None, "--parent", help="Mã đơn vị cấp trên trực tiếp."),
    fmt: str = typer.Option("table", "--format", help="table, json hoặc csv."),
) -> None:
    """Liệt kê đơn vị hành chính có hiệu lực vào một ngày, với mã chính thức."""
    from cchc.cli.display import level_name, nothing
    from cchc.fmt import format_date, format_int
    from cchc.units import Level

    _check_format(fmt)
    day = _parse_day(on, "--on")
    if level is not None and level not in {lv.value for lv in Level}:
        fail(f"--level: cấp không hợp lệ {level!r} (province, district, commune, agency)")
    registry = _registry()
    for option, code in (("--province", province), ("--parent", parent)):
        if code is not None and code not in registry:
            fail(f"{option}: không có đơn vị mã {code!r}")
    units = registry.units(level=level, parent=parent, on=day, province=province)
    if fmt == "json":
        typer.echo(json.dumps([_record(registry, u) for u in units], ensure_ascii=False, indent=1))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(_record(registry, None)), lineterminator="\n")
        writer.writeheader()
        writer.writerows(_record(registry, u) for u in units)
        sys.stdout.write(buffer.getvalue())
        return
    if not units:
        where = [f"thuộc {level_name(level)}"] if level else []
        where += [f"thuộc tỉnh {province}"] if province else []
        where += [f"trực thuộc {parent}"] if parent else []
        where += [f"có hiệu lực ngày {format_date(day)}"]
        nothing("đơn vị nào " + ", ".join(where))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("Mã", "Tên đơn vị", "Cấp", "Trực thuộc", "Hiệu lực từ", "Đến",
                  title=f"Đơn vị hành chính có hiệu lực ngày {format_date(day)}")
    for u in units:
        parent_unit = registry.get(u.parent) if u.parent else None
        table.add_row(
            u.code,
            u.name,
            level_name(u.level.value),
            f"{parent_unit.code} {parent_unit.name}" if parent_unit else "",
            format_date(u.valid_from) if u.valid_from else "",
            format_date(u.valid_to) if u.valid_to else "",
        )
    Console(width=140).print(table)
    typer.echo(f"Tổng số: {format_int(len(units))} đơn vị.")


def _record(registry, unit) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """One unit as JSON/CSV: dates in ISO form for machines, ``parent`` its official code."""
    if unit is None:
        return dict.fromkeys(("id", "code", "name", "level", "kind", "parent", "parent_id",
                              "valid_from", "valid_to", "source"))
    parent = registry.get(unit.parent) if unit.parent else None
    return {
        "id": unit.key,
        "code": unit.code,
        "name": unit.name,
        "level": unit.level.value,
        "kind": unit.kind,
        "parent": parent.code if parent else None,
        "parent_id": parent.key if parent else None,
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "source": unit.source,
    }


@app.command("lineage")
def lineage(code: str = typer.Argument(..., help="Mã chính thức, mã kèm ngày kết thúc hoặc mã cũ tự đặt.")) -> None:
    """Đơn vị tiền thân và kế thừa của một đơn vị, ngày kết thúc và nghị quyết quyết định."""
    from cchc.cli.display import level_name
    from cchc.fmt import format_date

    registry = _registry()
    units = registry.find(code)
    if not units:
        fail(f"không có đơn vị mã {code!r}")
    for n, unit in enumerate(units):
        if n:
            typer.echo("")
        parent = registry.get(unit.parent) if unit.parent else None
        where = f", thuộc {parent.name}" if parent else ""
        typer.echo(f"{unit.key} — {unit.name} ({level_name(unit.level.value)}{where})")
        aliases = registry.aliases(unit.key)
        if aliases:
            typer.echo(f"  Mã cũ tự đặt: {', '.join(aliases)}")
        if unit.valid_from and unit.valid_to:
            span = f"từ {format_date(unit.valid_from)} đến {format_date(unit.valid_to)}"
        elif unit.valid_from:
            span = f"từ {format_date(unit.valid_from)} đến nay"
        elif unit.valid_to:
            span = f"đến hết ngày {format_date(unit.valid_to)}"
        else:
            span = "trước và sau 01/07/2025 (không sắp xếp)"
        typer.echo(f"  Hiệu lực: {span}")
        for label, events, other in (
            ("Tiền thân", registry.events_to(unit.key), "from_code"),
            ("Kế thừa", registry.events_from(unit.key), "to_code"),
        ):
            if not events:
                typer.echo(f"  {label}: không có")
                continue
            typer.echo(f"  {label}:")
            for e in events:
                linked = registry.get(getattr(e, other))
                part = f" ({e.note})" if e.note else ""
                typer.echo(f"    - {linked.key} {linked.name}{part}, {format_date(e.date)}: {e.source}")
        if unit.valid_to and not registry.events_from(unit.key):
            typer.echo(f"  Chấm dứt hoạt động sau ngày {format_date(unit.valid_to)}: {unit.source.split('; ')[-1]}")


@app.command("match")
def match(
    file: Path = typer.Argument(..., help="Tệp CSV hoặc XLSX có cột tên đơn vị (cột 'name', 'ten_don_vi' hoặc cột đầu)."),
    on: str | None = typer.Option(None, "--on", help="Ngày hiệu lực của các đơn vị (dd/mm/yyyy; mặc định hôm nay)."),
    province: str | None = typer.Option(None, "--province", help="Chỉ tìm trong một tỉnh (mã tỉnh)."),
    output: Path | None = typer.Option(None, "--output", help="Tệp kết quả CSV (mặc định in ra màn hình)."),
    review: Path | None = typer.Option(None, "--review", help="Tệp CSV các dòng cần xem lại, kèm các đơn vị ứng viên."),
) -> None:
    """Đối chiếu tên đơn vị do hệ thống khác ghi với danh mục đơn vị hành chính."""
    from cchc.units.matching import Matcher, MatchStatus

    day = _parse_day(on, "--on")
    registry = _registry()
    if province is not None and province not in registry:
        fail(f"--province: không có đơn vị mã {province!r}")
    names = _read_names(file)
    matcher = Matcher(registry, day, province)
    results = [matcher.match(name) for name in names]
    rows = [
        {
            "ten_goc": r.name,
            "ket_qua": r.status.value,
            "ma": r.unit.code if r.unit else "",
            "id": r.unit.key if r.unit else "",
            "ten_chuan": r.unit.name if r.unit else "",
            "ung_vien": "; ".join(f"{u.key} {u.name} ({_province_name(registry, u)})" for u in r.candidates)
            if r.status is MatchStatus.REVIEW else "",
        }
        for r in results
    ]
    text = _csv(rows)
    if output is not None:
        output.write_text(text, encoding="utf-8-sig")
    else:
        sys.stdout.write(text)
    if review is not None:
        review.write_text(_csv([r for r in rows if r["ket_qua"] == MatchStatus.REVIEW.value]), encoding="utf-8-sig")
    counts = {s: sum(r.status is s for r in results) for s in MatchStatus}
    typer.echo(
        f"{len(results)} tên: {counts[MatchStatus.CERTAIN]} khớp, "
        f"{counts[MatchStatus.REVIEW]} cần xem lại, {counts[MatchStatus.NOT_FOUND]} không tìm thấy.",
        err=True,
    )


def _province_name(registry, unit) -> str:  # type: ignore[no-untyped-def]
    chain = registry.ancestors(unit.key)
    return chain[-1].name if chain else unit.name


def _csv(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    fields = ["ten_goc", "ket_qua", "ma", "id", "ten_chuan", "ung_vien"]
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _read_names(path: Path) -> list[str]:
    """The names of a CSV or XLSX file: the column 'name' / 'ten_don_vi' / 'tên đơn vị', or the
    first column; a header row is recognised by those names."""
    from cchc.tables import TableError, cell_text, read_rows

    if not path.is_file():
        fail(f"không tìm thấy tệp {path}")
    # The one table reader (encodings, delimiter, spreadsheet limits); a plain list of names
    # in any other text file is read as a one-column CSV.
    suffix = path.suffix.lower()
    name = path.name if suffix in (".csv", ".xlsx", ".xlsm", ".xls", ".ods", ".xlsb") else path.name + ".csv"
    try:
        rows = [
            [cell_text(c) for c in row]
            for row in read_rows(path.read_bytes(), name)
            if any(c not in (None, "") for c in row)
        ]
    except TableError as exc:
        fail(str(exc).replace(name, path.name))
    if not rows:
        fail(f"{path.name}: tệp không có dòng nào")
    header = [c.strip().lower() for c in rows[0]]
    wanted = ("name", "ten_don_vi", "tên đơn vị", "ten", "tên")
    column = next((header.index(w) for w in wanted if w in header), None)
    body = rows[1:] if column is not None else rows
    column = column or 0
    return [row[column].strip() for row in body if len(row) > column and row[column].strip()]
