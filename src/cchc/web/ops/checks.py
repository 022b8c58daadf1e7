"""``cchc check``: is this deployment safe and able to work?

Each check returns a ``Finding``; the command prints them in Vietnamese and exits non-zero
when any is an error. Settings themselves are validated by ``cchc.web.config.Settings``
(placeholder secret and DEBUG in production are refused there); the checks here cover what
only a running installation can tell: the database answers, every migration is applied,
the data and upload folders are writable, the cache answers (``CCHC_CACHE_URL``: the log-in
and look-up limits count in it, so a cache that is down breaks log-in), Django's own
deployment checks pass, and the audit chain is intact (and, given a head recorded
elsewhere, still passes through it).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

OK, WARNING, ERROR = "ok", "warning", "error"


@dataclass(frozen=True)
class Finding:
    level: str  # ok | warning | error
    message: str


def _writable(folder: Path, what: str) -> Finding:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".cchc-check-"):
            pass
    except OSError as exc:
        return Finding(ERROR, f"Không ghi được vào {what} {folder}: {exc.strerror or exc}")
    return Finding(OK, f"Ghi được vào {what} {folder}")


def _cache(shared: bool) -> Finding:
    """Write then read one value through Django's cache."""
    import secrets

    from django.core.cache import cache

    token = secrets.token_hex(8)
    try:
        cache.set("cchc:check", token, 30)
        answered = cache.get("cchc:check")
    except Exception as exc:  # any backend error (Redis down, missing table) means unusable
        return Finding(
            ERROR,
            f"Không dùng được bộ nhớ đệm (CCHC_CACHE_URL): {exc}. Với CCHC_CACHE_URL=database "
            "hãy chạy: cchc manage createcachetable",
        )
    if answered != token:
        return Finding(ERROR, "Bộ nhớ đệm (CCHC_CACHE_URL) không giữ được giá trị vừa ghi")
    if shared:
        return Finding(OK, "Bộ nhớ đệm dùng chung được giữa các tiến trình (CCHC_CACHE_URL)")
    return Finding(
        OK, "Bộ nhớ đệm trong tiến trình: chỉ đúng khi chạy một tiến trình (--workers 1)"
    )


def run_checks(expect_head: str | None = None) -> list[Finding]:
    """Every deployment check, in order; Django must already be set up.

    ``expect_head``: an audit head recorded outside the database, which the chain must still
    pass through (``cchc check --expect-head``).
    """
    from django.conf import settings
    from django.core import checks as django_checks
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    config = settings.CONFIG
    findings = [
        Finding(OK, f"Cấu hình hợp lệ (môi trường: {config.env})"),
    ]
    if config.production:
        findings.append(Finding(OK, "DEBUG tắt và khóa bí mật không phải giá trị mẫu"))
        if connection.vendor == "sqlite":
            findings.append(
                Finding(
                    WARNING,
                    "Môi trường production đang dùng SQLite; nên dùng PostgreSQL khi nhiều người dùng",
                )
            )
        if not config.behind_proxy:
            findings.append(
                Finding(
                    WARNING,
                    "CCHC_BEHIND_PROXY chưa bật: sau reverse proxy HTTPS, hãy đặt CCHC_BEHIND_PROXY=1",
                )
            )
    elif config.debug:
        findings.append(Finding(WARNING, "DEBUG đang bật (chỉ dùng khi phát triển)"))

    try:
        connection.ensure_connection()
    except Exception as exc:  # any driver error means "not reachable"
        findings.append(
            Finding(ERROR, f"Không kết nối được cơ sở dữ liệu ({connection.vendor}): {exc}")
        )
        return findings
    findings.append(Finding(OK, f"Kết nối được cơ sở dữ liệu ({connection.vendor})"))

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        findings.append(
            Finding(
                ERROR,
                f"Còn {len(plan)} migration chưa áp dụng ({names}); chạy: cchc serve hoặc migrate",
            )
        )
        return findings
    findings.append(Finding(OK, "Đã áp dụng mọi migration"))

    findings.append(_cache(config.shared_cache))
    findings.append(_writable(Path(config.data_dir), "thư mục dữ liệu"))
    findings.append(_writable(Path(settings.MEDIA_ROOT), "thư mục tệp tải lên"))

    for message in django_checks.run_checks(include_deployment_checks=config.production):
        level = ERROR if message.level >= django_checks.ERROR else WARNING
        if message.level >= django_checks.WARNING:
            findings.append(Finding(level, f"Django {message.id}: {message.msg}"))

    from cchc.web.ops.audit import verify_stored

    count, problems = verify_stored(expect_head=expect_head)
    if problems:
        findings.append(Finding(ERROR, f"Nhật ký kiểm toán bị thay đổi: {problems[0].message}"))
    else:
        from cchc.web.ops.audit import head

        _seq, digest = head()
        since = " từ mã băm đã lưu" if expect_head else ""
        findings.append(
            Finding(
                OK,
                f"Nhật ký kiểm toán toàn vẹn{since} ({count} bản ghi; mã băm cuối chuỗi "
                f"{digest})",
            )
        )
    return findings
