"""`cchc serve` (the web application under waitress) and `cchc manage` (Django's commands).

Django is imported inside the commands, so `cchc --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer


def _django() -> None:
    """Set up Django from ``cchc.web.settings``; a bad environment exits 2 with the reason."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    from cchc.web.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        typer.echo(f"Lỗi cấu hình: {exc}", err=True)
        raise typer.Exit(2) from None


def _print_demo(ctx: object) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print("[bold]Dữ liệu trình diễn (số liệu minh họa):[/bold]")
    for note in getattr(ctx, "notes", []):
        console.print(f"  • {note}")
    table = Table(title="Tài khoản trình diễn (mật khẩu mới ở mỗi lần khởi động)")
    for column in ("Tên đăng nhập", "Vai trò", "Đơn vị", "Mật khẩu"):
        table.add_column(column)
    for acc in getattr(ctx, "accounts", []):
        table.add_row(acc.username, acc.role, acc.unit, acc.password)
    console.print(table)


def serve(
    demo: Annotated[
        bool, typer.Option("--demo", help="Nạp bộ dữ liệu trình diễn và tài khoản mỗi vai trò.")
    ] = False,
    host: Annotated[str, typer.Option(help="Địa chỉ lắng nghe.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Cổng lắng nghe.")] = 8000,
    threads: Annotated[int, typer.Option(help="Số luồng xử lý của waitress.")] = 8,
    workers: Annotated[
        int,
        typer.Option(
            help="Số tiến trình phục vụ (Linux/Unix; > 1 cần CCHC_CACHE_URL dùng chung, "
            "ví dụ database hoặc redis://…)."
        ),
    ] = 1,
) -> None:
    """Chạy ứng dụng web: cập nhật cơ sở dữ liệu, nạp dữ liệu trình diễn nếu có --demo.

    Sau đó phục vụ bằng waitress và in địa chỉ truy cập.
    """
    _django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from cchc.web import server

    if workers < 1:
        typer.echo("--workers phải từ 1 trở lên.", err=True)
        raise typer.Exit(2)
    if workers > 1 and not settings.CONFIG.shared_cache:
        typer.echo(
            "--workers > 1 cần bộ nhớ đệm dùng chung giữa các tiến trình (giới hạn đăng nhập "
            "và tra cứu đếm trong đó): đặt CCHC_CACHE_URL=database hoặc redis://máy:6379/0.",
            err=True,
        )
        raise typer.Exit(2)
    if workers > 1 and not server.can_fork():
        typer.echo("--workers > 1 chỉ chạy được trên Linux/Unix; hãy dùng --workers 1.", err=True)
        raise typer.Exit(2)
    try:
        call_command("migrate", interactive=False, verbosity=0)
        # The database cache's table (CCHC_CACHE_URL=database); does nothing otherwise.
        call_command("createcachetable", verbosity=0)
    except DatabaseError as exc:
        typer.echo(f"Không kết nối hoặc cập nhật được cơ sở dữ liệu: {exc}", err=True)
        raise typer.Exit(2) from None
    if demo:
        from cchc.web.demo import load_demo

        _print_demo(load_demo())
    if host not in ("127.0.0.1", "localhost", "::1") and host not in settings.ALLOWED_HOSTS:
        typer.echo(
            f"Lưu ý: {host} không có trong CCHC_ALLOWED_HOSTS; hãy khai báo tên miền phục vụ.",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    processes = f", {workers} tiến trình × {threads} luồng" if workers > 1 else ""
    typer.echo(f"cchc đang chạy tại http://{shown}:{port}/{processes}  (Ctrl+C để dừng)")
    sys.stdout.flush()
    try:
        server.serve_django(host=host, port=port, threads=threads, workers=workers)
    except OSError as exc:
        typer.echo(f"Không mở được cổng {host}:{port}: {exc}", err=True)
        raise typer.Exit(2) from None


def manage(
    ctx: typer.Context,
) -> None:
    """Chạy một lệnh quản trị của Django, ví dụ: cchc manage createsuperuser."""
    _django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc manage", *ctx.args])


def register(app: typer.Typer) -> None:
    """Attach the serving commands to the top-level app."""
    app.command("serve")(serve)
    app.command(
        "manage",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        add_help_option=False,
    )(manage)
