"""`cchc service portal`, `cchc service reconcile`, `cchc service whatif`.

The national portal's own 766 files (saved JSON responses, Excel exports) beside our
scoring; the unit's ledger against them; and what more dossiers would bring. Registered
into `cchc service` by cchc/cli/service.py; the work is in ``cchc.service.portal_files``,
``reconcile``, ``whatif`` and ``portal_export``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cchc.cli.display import SheetFormat, emit, fail, json_text

if TYPE_CHECKING:
    from cchc.service.portal766 import Count
    from cchc.service.portal_files import PortalData


class PortalFormat(StrEnum):
    json = "json"
    table = "table"
    xlsx = "xlsx"
    counts = "counts"


def _check_output(format: str, output: Path | None) -> None:
    if output is not None and not output.parent.is_dir():
        fail(f"thư mục '{output.parent}' không tồn tại (tùy chọn --output)")
    if format == "xlsx" and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx")


def read_portal(files: list[Path]) -> PortalData:
    """Portal files → data, or exit 2 with every problem (file, row or field, reason)."""
    from cchc.service.portal_files import PortalFileError, read_portal_files

    for path in files:
        if not path.exists():
            fail(f"tệp {path} không tồn tại")
    try:
        return read_portal_files(files)
    except PortalFileError as exc:
        fail(f"không đọc được tệp của Cổng:\n{exc}")


def _num(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _text(value: Any, decimals: int = 2) -> str:
    from decimal import Decimal

    from cchc.fmt import format_int, format_number

    if value is None:
        return "—"
    if isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value() and decimals == 0):
        return format_int(int(value))
    return format_number(float(value), decimals)


def portal(
    files: list[Path] = typer.Argument(..., help="Tệp tải từ trang Đánh giá chất lượng phục vụ của Cổng DVCQG: phản hồi JSON của các trang nhóm chỉ số, hoặc tệp Excel xuất ra."),
    format: PortalFormat = typer.Option(PortalFormat.table, "--format", help="table (mặc định), json, xlsx hoặc counts (tệp số liệu CSV cho cchc service score)."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (bắt buộc với xlsx)."),
    only_differences: bool = typer.Option(False, "--only-differences", help="Chỉ in các điểm tính lại khác điểm Cổng công bố."),
) -> None:
    """Đọc tệp của Cổng DVCQG: số liệu từng đơn vị, điểm Cổng công bố đặt cạnh điểm tính lại theo quy tắc 766."""
    from cchc.service import portal_export as px
    from cchc.service.portal_files import compare, differences

    _check_output(format.value, output)
    data = read_portal(files)
    scores, lines = compare(data)
    shown = differences(lines) if only_differences else lines
    if format is PortalFormat.counts:
        import csv
        import io

        from cchc.safety import safe_cell

        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["unit_code", "unit_name", "indicator", "numerator", "denominator"])
        for c in data.counts:
            writer.writerow([safe_cell(c.unit_code), safe_cell(c.unit_name), c.indicator, c.numerator, c.denominator])
        emit(buffer.getvalue(), output)
    elif format is PortalFormat.json:
        emit(json_text({
            "units": [s.to_dict() for s in scores],
            "published": [
                {
                    "unit_code": line.unit_code, "unit_name": line.unit_name, "group": line.group,
                    "indicator": line.indicator, "ours": _num(line.ours), "published": _num(line.published),
                    "difference": _num(line.difference), "max": _num(line.max), "status": line.status,
                    "note": line.note,
                }
                for line in shown
            ],
        }), output)
    elif format is PortalFormat.xlsx:
        assert output is not None
        px.write(output, [px.comparison_sheet(shown, "Điểm Cổng DVCQG công bố và điểm tính lại theo quy tắc 766")])
        typer.echo(f"Đã ghi {output}")
    else:
        from rich.table import Table

        if not shown:
            from cchc.cli.display import nothing

            nothing("điểm công bố nào khác điểm tính lại" if only_differences else "điểm công bố nào")
        else:
            table = Table(title="Điểm Cổng DVCQG công bố và điểm tính lại")
            for name in ("Đơn vị", "Nhóm", "Chỉ số", "Tính lại", "Cổng", "Chênh lệch", "Tối đa", "Kết quả"):
                table.add_column(name, justify="right" if name not in ("Đơn vị", "Kết quả") else "left")
            for line in shown:
                table.add_row(f"{line.unit_code} ({line.unit_name})", str(line.group), line.indicator or "cả nhóm",
                              _text(line.ours), _text(line.published), _text(line.difference), _text(line.max),
                              line.status)
            _print(table, output)
        found = len(differences(lines))
        typer.echo(f"{len(lines)} điểm công bố, {found} điểm tính lại không khớp.", err=True)


def _print(renderable: Any, output: Path | None) -> None:
    from rich.console import Console

    if output is None:
        Console(width=200).print(renderable)
    else:
        with output.open("w", encoding="utf-8") as handle:
            Console(file=handle, width=200).print(renderable)


def _unit_map(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        ours, sep, theirs = pair.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            fail(f"--map cần dạng MÃ_TRONG_SỔ=MÃ_TRÊN_CỔNG, nhận được '{pair}'")
        mapping[ours.strip()] = theirs.strip()
    return mapping


def reconcile(
    ledger: Path = typer.Argument(..., help="Sổ hồ sơ của đơn vị: .parquet, .csv hoặc .xlsx."),
    portal_files: list[Path] = typer.Argument(..., help="Tệp của Cổng DVCQG cùng kỳ (JSON hoặc Excel)."),
    period: str = typer.Option(..., "--period", help="Kỳ: YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM."),
    unit_map: list[str] = typer.Option([], "--map", help="Mã đơn vị trong sổ = mã trên Cổng (lặp lại được), ví dụ --map BCT=H44.07."),
    format: SheetFormat = typer.Option(SheetFormat.table, "--format", help="table (mặc định), json hoặc xlsx."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (bắt buộc với xlsx)."),
) -> None:
    """Đối soát sổ hồ sơ của đơn vị với số liệu Cổng DVCQG cùng kỳ: chênh lệch từng chỉ số và hồ sơ cần kiểm tra."""
    from cchc.cli.service import _checked, _load, _reported
    from cchc.service import portal_export as px
    from cchc.service import reconcile as rc

    the_period = _checked(ledger, period, output)
    _check_output(format.value, output)
    mapping = _unit_map(unit_map)
    data = read_portal(portal_files)
    with _reported(ledger):
        members = rc.ledger_members(_load(ledger), the_period)
    ours = rc.member_counts(members, {k: data.units.get(v, k) for k, v in mapping.items()})
    result = rc.reconcile(the_period.label, ours, data.counts, members, mapping)
    if format is SheetFormat.json:
        emit(json_text(rc.to_dict(result)), output)
    elif format is SheetFormat.xlsx:
        assert output is not None
        px.write(output, [px.reconcile_sheet(result)])
        typer.echo(f"Đã ghi {output}")
    else:
        from rich.table import Table

        if not result.lines:
            from cchc.cli.display import nothing

            nothing(f"hồ sơ nào trong sổ và số liệu nào của Cổng để đối soát kỳ {result.period}")
            return
        table = Table(title=f"Đối soát sổ hồ sơ với Cổng DVCQG, kỳ {result.period}")
        for name in ("Đơn vị", "Chỉ số", "Tử số sổ/Cổng", "Mẫu số sổ/Cổng", "Kết quả", "Hồ sơ cần kiểm tra"):
            table.add_column(name)
        for line in result.lines:
            listed = ", ".join(line.dossiers[:5]) + (" …" if len(line.dossiers) > 5 or line.more else "")
            table.add_row(
                f"{line.unit_code} ({line.unit_name})" if line.unit_name != line.unit_code else line.unit_code,
                line.indicator,
                f"{_text(line.ours_numerator, 0)} / {_text(line.portal_numerator, 0)}",
                f"{_text(line.ours_denominator, 0)} / {_text(line.portal_denominator, 0)}",
                line.status, listed,
            )
        _print(table, output)


def _read_counts(files: list[Path]) -> list[Count]:
    """Counts from portal files (saved JSON responses, Excel exports) or counts files."""
    from cchc.service.importer import LedgerImportError
    from cchc.service.portal_files import read_any_counts

    try:
        return read_any_counts(files)
    except LedgerImportError as exc:
        fail(f"không đọc được số liệu:\n{exc}")


def _additions(pairs: list[str]) -> dict[str, int]:
    added: dict[str, int] = {}
    for pair in pairs:
        key, sep, amount = pair.partition("=")
        try:
            number = int(amount)
        except ValueError:
            number = -1
        if not sep or number < 0:
            fail(f"--add cần dạng CHỈ_SỐ=SỐ_HỒ_SƠ (số nguyên không âm), nhận được '{pair}'")
        added[key.strip()] = number
    return added


def whatif(
    files: list[Path] = typer.Argument(..., help="Số liệu: tệp của Cổng DVCQG (JSON, Excel) hoặc tệp số liệu CSV/XLSX."),
    unit: str = typer.Option(..., "--unit", help="Mã đơn vị."),
    gain: str | None = typer.Option(None, "--gain", help="Số điểm muốn tăng, ví dụ 2 hoặc 1,5."),
    add: list[str] = typer.Option([], "--add", help="Thêm hồ sơ đạt vào tử số: CHỈ_SỐ=SỐ (lặp lại được), ví dụ --add 2.1=30."),
    format: SheetFormat = typer.Option(SheetFormat.table, "--format", help="table (mặc định) hoặc json."),
) -> None:
    """Cần thêm bao nhiêu hồ sơ mỗi loại để tăng N điểm (rẻ nhất trước), hoặc một thay đổi mang lại bao nhiêu điểm."""
    from decimal import Decimal, InvalidOperation

    from cchc.service import whatif as wi

    if (gain is None) == (not add):
        fail("cần đúng một trong hai: --gain N hoặc --add CHỈ_SỐ=SỐ")
    if format is SheetFormat.xlsx:
        fail("whatif chỉ in table hoặc json")
    for path in files:
        if not path.exists():
            fail(f"tệp {path} không tồn tại")
    counts = _read_counts(files)
    try:
        if gain is not None:
            try:
                target = Decimal(gain.replace(",", "."))
            except InvalidOperation:
                fail(f"--gain phải là một số, nhận được '{gain}'")
            found = wi.options(counts, unit, target)
            plan = wi.cheapest(counts, unit, target)
            _whatif_gain(unit, target, found, plan, format)
        else:
            change = wi.apply(counts, unit, _additions(add))
            _whatif_change(unit, change, format)
    except wi.WhatIfError as exc:
        fail(str(exc))


def _option_dict(o: Any) -> dict[str, Any]:
    return {"indicator": o.indicator, "kind": o.kind, "dossiers": o.dossiers, "gain": float(o.gain),
            "points_per_dossier": float(o.points_per_dossier), "max_gain": float(o.max_gain)}


def _whatif_gain(unit: str, target: Any, found: list[Any], plan: list[Any], format: SheetFormat) -> None:
    if format is SheetFormat.json:
        emit(json_text({"unit_code": unit, "gain": float(target),
                     "options": [_option_dict(o) for o in found],
                     "cheapest": [_option_dict(o) for o in plan]}), None)
        return
    from rich.table import Table

    table = Table(title=f"Đơn vị {unit}: thêm bao nhiêu hồ sơ để tăng {_text(target)} điểm (ít hồ sơ nhất trước)")
    for name in ("Chỉ số", "Loại hồ sơ", "Cần thêm", "Điểm tăng", "Điểm / hồ sơ"):
        table.add_column(name)
    for o in found:
        table.add_row(o.indicator, o.kind, _text(o.dossiers, 0), _text(o.gain), _text(o.points_per_dossier, 4))
    _print(table, None)
    if plan:
        parts = "; ".join(f"{_text(o.dossiers, 0)} {o.kind} ({o.indicator}, +{_text(o.gain)})" for o in plan)
        typer.echo(f"Cách ít hồ sơ nhất: {parts}.")
    else:
        typer.echo("Không đạt được số điểm này chỉ bằng cách thêm hồ sơ đạt.")


def _whatif_change(unit: str, change: Any, format: SheetFormat) -> None:
    if format is SheetFormat.json:
        emit(json_text({"unit_code": unit, "before": change.before.to_dict(), "after": change.after.to_dict(),
                     "gains": {k: float(v) for k, v in change.gains.items()}, "gain": float(change.gain)}), None)
        return
    for key, value in change.gains.items():
        typer.echo(f"{key}: {_text(change.before.indicators[key].points)} → "
                   f"{_text(change.after.indicators[key].points)} điểm (+{_text(value)})")
    typer.echo(f"Tổng: {_text(change.before.total_points)} → {_text(change.after.total_points)} "
               f"điểm (+{_text(change.gain)}).")
