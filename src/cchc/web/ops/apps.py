from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "cchc.web.ops"
    label = "ops"
    verbose_name = "Vận hành và nhật ký kiểm toán"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Audit every score change the campaign services record (same transaction).
        from cchc.web.ops import ratelimit, receivers

        receivers.connect()
        # Count failed log-ins even before the middleware is hooked.
        ratelimit.connect()
