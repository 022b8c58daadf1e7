"""The desk's clock and the conversion between stored (aware) and interchange (local) times.

The service core works in naive local time (Asia/Ho_Chi_Minh, the interchange contract);
Django stores aware datetimes. ``now()`` reads the setting ``CCHC_DESK_NOW`` first: a fixed
instant injected by tests (time must pass a due date without sleeping); unset in production.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from cchc.service.schema import LOCAL_TZ

TZ = ZoneInfo(LOCAL_TZ)


def now() -> dt.datetime:
    """The current instant (aware), or the one injected with ``settings.CCHC_DESK_NOW``."""
    fixed = getattr(settings, "CCHC_DESK_NOW", None)
    if fixed is not None:
        return fixed if timezone.is_aware(fixed) else fixed.replace(tzinfo=TZ)
    return timezone.now()


def to_local(value: dt.datetime | None) -> dt.datetime | None:
    """Aware → naive local time (what ``cchc.service`` expects)."""
    if value is None:
        return None
    return value.astimezone(TZ).replace(tzinfo=None)


def from_local(value: dt.datetime | None) -> dt.datetime | None:
    """Naive local time → aware (Vietnam has no daylight saving: never ambiguous)."""
    if value is None:
        return None
    return value.replace(tzinfo=TZ) if value.tzinfo is None else value


def local_now() -> dt.datetime:
    local = to_local(now())
    assert local is not None
    return local
