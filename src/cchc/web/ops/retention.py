"""Retention of personal data (Decree 13/2023/NĐ-CP: keep personal data no longer than the
purpose needs): erase the applicant's name, phone and address of dossiers that ended long
enough ago. The dossier itself (code, dates, status, rating) stays: the service index and
the archive need it, and it identifies no one.

The period is the office's decision (its records schedule), not a figure from a legal text:
``CCHC_PERSONAL_DATA_RETENTION_DAYS`` (environment → Django setting) or ``--days``; nothing
is erased when neither is given. One audit entry records each erasure run (cutoff and
count). The other rules of ``cchc privacy erase``: ``cchc.web.accounts.retention`` (accounts
of people who left) and ``cchc.web.surveys.retention`` (survey respondents' links).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cchc.web.ops.audit import record

PERSONAL_FIELDS = ("applicant_name", "applicant_phone", "applicant_address")


def configured_days(setting: str) -> int | None:
    """A retention period from Django's settings in days, or ``None`` (keep everything)."""
    value = getattr(settings, setting, None)
    return None if value in (None, "") else int(value)


def cutoff_before(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """The moment ``days`` days before ``now``: what ended earlier has been kept long enough."""
    if days < 0:
        raise ValueError("days must not be negative")
    return (now or timezone.now()) - dt.timedelta(days=days)


def record_erasure(*, actor: Any, object_type: str, fields: str, count: int, reason: str) -> None:
    """The one audit entry of a retention rule's run (the same shape for every rule)."""
    record(
        actor=actor,
        action="privacy.erase",
        object_type=object_type,
        object_id="*",
        field=fields,
        new=str(count),
        reason=reason,
    )


def retention_days() -> int | None:
    """The dossier applicants' period, or ``None`` (keep everything)."""
    return configured_days("CCHC_PERSONAL_DATA_RETENTION_DAYS")


def _due(cutoff: dt.datetime) -> Any:
    from cchc.web.desk.models import Dossier

    has_personal = Q()
    for name in PERSONAL_FIELDS:
        has_personal |= ~Q(**{name: ""})
    return Dossier.objects.filter(finished_at__lt=cutoff).filter(has_personal)


def erase_personal_data(
    days: int, *, actor: Any = None, dry_run: bool = False, now: dt.datetime | None = None
) -> tuple[dt.datetime, int]:
    """Blank the personal fields of dossiers finished more than ``days`` days ago.

    Returns (cutoff, number of dossiers erased — or that would be, with ``dry_run``).
    """
    cutoff = cutoff_before(days, now)
    with transaction.atomic():
        queryset = _due(cutoff)
        if dry_run:
            return cutoff, queryset.count()
        count = queryset.update(**dict.fromkeys(PERSONAL_FIELDS, ""))
        if count:
            record_erasure(
                actor=actor,
                object_type="dossier",
                fields=",".join(PERSONAL_FIELDS),
                count=count,
                reason=f"hết thời hạn lưu trữ {days} ngày (kết thúc trước {cutoff.isoformat()})",
            )
    return cutoff, count
