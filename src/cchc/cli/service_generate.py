"""`cchc service generate`: write an ILLUSTRATIVE synthetic dossier ledger to Parquet.

Registered into `cchc service` by cchc/cli/service.py; the work is in cchc.service.generator.
"""

from __future__ import annotations

import time
from pathlib import Path

import typer


def generate(
    rows: int = typer.Option(..., "--rows", min=1, help="số hồ sơ cần tạo"),
    output: Path = typer.Option(..., "--output", help="tệp Parquet sẽ ghi (ghi đè nếu đã có)"),
    seed: int = typer.Option(
        0, "--seed", min=0, help="hạt giống ngẫu nhiên: cùng hạt giống, cùng dữ liệu"
    ),
) -> None:
    """Tạo sổ hồ sơ một cửa giả lập (số liệu minh họa) để chạy thử và đo hiệu năng."""
    from cchc.fmt import format_date, format_int, format_number, format_percent
    from cchc.service.generator import write_ledger

    if not output.parent.is_dir():
        typer.echo(f"Lỗi: thư mục '{output.parent}' không tồn tại (tùy chọn --output).", err=True)
        raise typer.Exit(2)
    if output.is_dir():
        typer.echo(
            f"Lỗi: '{output}' là một thư mục, cần đường dẫn tệp (tùy chọn --output).", err=True
        )
        raise typer.Exit(2)
    began = time.perf_counter()
    try:
        summary = write_ledger(output, rows, seed=seed)
    except (ValueError, OSError) as exc:
        typer.echo(f"Lỗi: không tạo được '{output}': {exc}", err=True)
        raise typer.Exit(2) from None
    seconds = time.perf_counter() - began
    size_mb = output.stat().st_size / 1_000_000
    typer.echo(
        f"Đã tạo {format_int(summary.rows)} hồ sơ (số liệu minh họa) của {summary.units} đơn vị, "
        f"tiếp nhận từ {format_date(summary.start)} đến {format_date(summary.end)}, "
        f"vào '{output}' ({format_number(size_mb, 1)} MB, {format_number(seconds, 1)} giây)."
    )
    typer.echo(
        f"Trực tuyến: {format_percent(summary.online / summary.rows, 1)}; "
        f"còn đang giải quyết cuối kỳ: {format_int(summary.open_dossiers)} hồ sơ."
    )
