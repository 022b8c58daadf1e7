"""`cchc backup`, `cchc restore`, `cchc check`, `cchc audit verify`: operating an installation.

They act on the installation the environment describes (CCHC_DATA_DIR, DATABASE_URL, …;
docs/web.md), like `cchc serve`. Django is imported inside the commands so `cchc --help`
stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import typer

from cchc.cli.display import fail

audit_app = typer.Typer(no_args_is_help=True, help="Nhật ký kiểm toán: kiểm tra tính toàn vẹn.")
privacy_app = typer.Typer(
    no_args_is_help=True, help="Dữ liệu cá nhân: xóa khi hết thời hạn lưu trữ (NĐ 13/2023)."
)


def _setup_django() -> None:
    """Configure Django from the environment; a bad configuration exits 2 with its reason."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    from cchc.web.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        fail(f"cấu hình không hợp lệ: {exc}")


def backup(
    out: Path = typer.Argument(..., help="tệp ZIP sẽ tạo, ví dụ sao-luu-2023-03-16.zip"),
    force: bool = typer.Option(False, "--force", help="ghi đè nếu tệp đã có"),
) -> None:
    """Sao lưu cơ sở dữ liệu và tệp tải lên vào một tệp ZIP (có mã kiểm tra SHA-256; có chữ
    ký HMAC khi đặt CCHC_BACKUP_KEY). Tệp chỉ chủ sở hữu đọc được (0600)."""
    if out.exists() and not force:
        fail(f"{out} đã tồn tại (dùng --force để ghi đè)")
    if not out.parent.exists():
        fail(f"thư mục {out.parent} không tồn tại")
    _setup_django()
    from cchc.fmt import format_int
    from cchc.web.ops.backup import BackupError, backup_key, create_backup

    try:
        summary = create_backup(out)
    except (BackupError, OSError) as exc:
        fail(str(exc))
    rows = sum(summary.rows.values())
    signed = "có chữ ký (CCHC_BACKUP_KEY)" if backup_key() else "không có chữ ký"
    typer.echo(
        f"Đã sao lưu {format_int(rows)} dòng dữ liệu và {format_int(summary.files)} tệp "
        f"tải lên vào {out}, {signed}"
    )
    if summary.audit_head is not None:
        seq, digest = summary.audit_head
        typer.echo(f"Mã băm cuối chuỗi nhật ký kiểm toán (bản ghi {format_int(seq)}): {digest}")


def restore(
    src: Path = typer.Argument(..., help="tệp ZIP do `cchc backup` tạo"),
    allow_unsigned: bool = typer.Option(
        False,
        "--allow-unsigned",
        help="chấp nhận bản sao lưu không kiểm tra được chữ ký (không có chữ ký khi đã đặt "
        "CCHC_BACKUP_KEY, hoặc có chữ ký khi chưa đặt): chỉ kiểm tra mã SHA-256",
    ),
) -> None:
    """Khôi phục một bản sao lưu vào một cài đặt mới (cơ sở dữ liệu trống); từ chối bản sao
    lưu có chữ ký không khớp CCHC_BACKUP_KEY."""
    _setup_django()
    from django.core.management import call_command

    from cchc.fmt import format_int
    from cchc.web.ops.backup import BackupError, restore_backup

    try:
        call_command("migrate", verbosity=0, interactive=False)
        summary = restore_backup(src, allow_unsigned=allow_unsigned)
    except (BackupError, OSError) as exc:
        fail(str(exc))
    typer.echo(
        f"Đã khôi phục {format_int(sum(summary.rows.values()))} dòng dữ liệu và "
        f"{format_int(summary.files)} tệp tải lên từ {src}"
    )


def check(
    expect_head: str | None = typer.Option(
        None,
        "--expect-head",
        help="mã băm cuối chuỗi nhật ký kiểm toán đã lưu ở nơi khác (cchc audit verify, "
        "bản sao lưu, nhật ký máy chủ): chuỗi phải còn đi qua mã này",
    ),
) -> None:
    """Kiểm tra một cài đặt: cấu hình, cơ sở dữ liệu, migration, thư mục, nhật ký."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
    from cchc.web.config import ConfigError

    try:
        import django

        django.setup()
    except ConfigError as exc:
        typer.echo(f"✗ Cấu hình không hợp lệ: {exc}")
        raise typer.Exit(1) from None
    from cchc.web.ops.checks import ERROR, OK, run_checks

    findings = run_checks(expect_head=_head_argument(expect_head))
    marks = {OK: "✓", ERROR: "✗"}
    for finding in findings:
        typer.echo(f"{marks.get(finding.level, '!')} {finding.message}")
    errors = sum(1 for f in findings if f.level == ERROR)
    if errors:
        typer.echo(f"Có {errors} lỗi cần sửa trước khi vận hành.", err=True)
        raise typer.Exit(1)
    typer.echo("Cài đặt sẵn sàng vận hành.")


def _head_argument(value: str | None) -> str | None:
    """A recorded head: 64 hexadecimal digits (a usage error exits 2 otherwise)."""
    if value is None:
        return None
    digest = value.strip().lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        fail(f"--expect-head {value!r}: cần đủ 64 chữ số thập lục phân của mã băm SHA-256")
    return digest


@audit_app.command("verify")
def audit_verify(
    expect_head: str | None = typer.Option(
        None,
        "--expect-head",
        help="mã băm cuối chuỗi đã lưu ở nơi khác (lần kiểm tra trước, bản sao lưu hoặc "
        "nhật ký máy chủ in ra): chuỗi phải kết thúc ở mã này hoặc nối tiếp từ nó",
    ),
) -> None:
    """Kiểm tra chuỗi băm của nhật ký kiểm toán; mã thoát 1 khi có bản ghi bị sửa hoặc xóa."""
    _setup_django()
    from cchc.fmt import format_int
    from cchc.web.ops.audit import head, verify_stored

    count, problems = verify_stored(expect_head=_head_argument(expect_head))
    if problems:
        first = problems[0]
        typer.echo(
            f"Nhật ký kiểm toán KHÔNG toàn vẹn: bản ghi đầu tiên có vấn đề là số {first.seq}."
        )
        for problem in problems[:10]:
            typer.echo(f"  - {problem.message}")
        if len(problems) > 10:
            typer.echo(f"  … và {format_int(len(problems) - 10)} vấn đề khác")
        raise typer.Exit(1)
    _seq, digest = head()
    typer.echo(f"Nhật ký kiểm toán toàn vẹn: {format_int(count)} bản ghi.")
    typer.echo(f"Mã băm cuối chuỗi (lưu lại để đối chiếu lần sau): {digest}")


def _period(option: int | None, setting: int | None, flag: str) -> int | None:
    period = option if option is not None else setting
    if period is not None and period < 0:
        fail(f"{flag} phải là số ngày không âm")
    return period


@privacy_app.command("erase")
def privacy_erase(
    days: int | None = typer.Option(
        None,
        "--days",
        help="hồ sơ: thời hạn lưu trữ (ngày); mặc định CCHC_PERSONAL_DATA_RETENTION_DAYS",
    ),
    account_days: int | None = typer.Option(
        None,
        "--account-days",
        help="tài khoản đã khóa: thời hạn (ngày) từ lần hoạt động cuối; "
        "mặc định CCHC_ACCOUNT_RETENTION_DAYS",
    ),
    survey_days: int | None = typer.Option(
        None,
        "--survey-days",
        help="khảo sát: thời hạn (ngày) từ khi kết thúc thu phiếu; "
        "mặc định CCHC_SURVEY_TOKEN_RETENTION_DAYS",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="chỉ đếm, không xóa"),
) -> None:
    """Xóa dữ liệu cá nhân quá thời hạn lưu trữ: người nộp hồ sơ, tài khoản đã khóa, liên kết
    người trả lời khảo sát. Quy tắc nào chưa đặt thời hạn thì bỏ qua."""
    _setup_django()
    from django.db import transaction
    from django.utils import timezone

    from cchc.fmt import format_datetime, format_int
    from cchc.web.accounts.retention import account_retention_days, anonymise_departed_accounts
    from cchc.web.ops.retention import erase_personal_data, retention_days
    from cchc.web.surveys.retention import survey_retention_days, unlink_closed_surveys

    periods = (
        _period(days, retention_days(), "--days"),
        _period(account_days, account_retention_days(), "--account-days"),
        _period(survey_days, survey_retention_days(), "--survey-days"),
    )
    if all(p is None for p in periods):
        fail(
            "chưa đặt thời hạn lưu trữ nào: dùng --days, --account-days, --survey-days hoặc "
            "CCHC_PERSONAL_DATA_RETENTION_DAYS, CCHC_ACCOUNT_RETENTION_DAYS, "
            "CCHC_SURVEY_TOKEN_RETENTION_DAYS"
        )
    dossier_days, user_days, survey_period = periods
    verb = "Sẽ xóa" if dry_run else "Đã xóa"
    lines: list[str] = []

    def when(cutoff: dt.datetime) -> str:
        return format_datetime(timezone.localtime(cutoff))

    # One transaction: the three rules and their audit entries commit together or not at all.
    with transaction.atomic():
        if dossier_days is None:
            lines.append(
                "Hồ sơ: bỏ qua, chưa đặt thời hạn (--days hoặc CCHC_PERSONAL_DATA_RETENTION_DAYS)."
            )
        else:
            cutoff, count = erase_personal_data(dossier_days, dry_run=dry_run)
            lines.append(
                f"{verb} dữ liệu cá nhân của {format_int(count)} hồ sơ kết thúc trước "
                f"{when(cutoff)}."
            )
        if user_days is None:
            lines.append(
                "Tài khoản: bỏ qua, chưa đặt thời hạn "
                "(--account-days hoặc CCHC_ACCOUNT_RETENTION_DAYS)."
            )
        else:
            accounts = anonymise_departed_accounts(user_days, dry_run=dry_run)
            lines.append(
                f"{verb} thông tin cá nhân của {format_int(accounts.count)} tài khoản đã khóa, "
                f"hoạt động lần cuối trước {when(accounts.cutoff)}."
            )
            if accounts.kept_administrators:
                lines.append(
                    f"Giữ nguyên {format_int(accounts.kept_administrators)} tài khoản quản trị "
                    "đã khóa: không còn tài khoản quản trị nào đang hoạt động."
                )
        if survey_period is None:
            lines.append(
                "Khảo sát: bỏ qua, chưa đặt thời hạn "
                "(--survey-days hoặc CCHC_SURVEY_TOKEN_RETENTION_DAYS)."
            )
        else:
            surveys = unlink_closed_surveys(survey_period, dry_run=dry_run)
            lines.append(
                f"{verb} liên kết người trả lời ({format_int(surveys.respondents)} người được "
                f"khảo sát) của {format_int(surveys.surveys)} cuộc khảo sát kết thúc thu phiếu "
                f"trước {when(surveys.cutoff)}."
            )
    for line in lines:
        typer.echo(line)


def register(app: typer.Typer) -> None:
    """Attach the operations commands to the top-level app."""
    app.command("backup")(backup)
    app.command("restore")(restore)
    app.command("check")(check)
    app.add_typer(audit_app, name="audit")
    app.add_typer(privacy_app, name="privacy")
