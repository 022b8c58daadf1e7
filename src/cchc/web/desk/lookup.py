"""The public look-up of a dossier by code: what a citizen may see, and the rate limit.

Only the code, the procedure, the unit, the status, the dates and the timeliness: no
personal data (Law on Personal Data Protection 2025; Decree 13/2023/NĐ-CP). Look-ups are
limited per client address (``CCHC_LOOKUP_PER_MINUTE``, ``Settings``, default 20 a minute, assumed) so
codes cannot be enumerated; the counter lives in Django's cache (per process with the
default local-memory cache: enough for ``cchc serve``, which runs one process).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString

from cchc.service.code import typed_code_spellings
from cchc.service.timeliness import TIMELINESS_LABELS
from cchc.web.desk.clock import local_now, now
from cchc.web.desk.forms import RatingForm
from cchc.web.desk.models import Dossier
from cchc.web.desk.services import to_core
from cchc.web.ops.clientaddr import client_address as _client_address


@dataclass(frozen=True)
class PublicDossier:
    """A dossier as the public sees it."""

    code: str
    procedure: str
    unit: str
    status: str
    status_label: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    original_due_at: dt.datetime | None
    finished_at: dt.datetime | None
    timeliness: str
    timeliness_label: str
    finished: bool
    rated: bool


def find(code: str) -> Dossier | None:
    """The dossier of a code as the citizen typed it (any case, stray spaces): the core's
    ``typed_code_spellings``, each an exact match on the unique code."""
    spellings = typed_code_spellings(code)
    if not spellings:
        return None
    found = {d.code: d for d in Dossier.objects.select_related("unit", "procedure").filter(code__in=spellings)}
    return next((found[s] for s in spellings if s in found), None)


def public_view(dossier: Dossier) -> PublicDossier:
    """What a citizen may know about the dossier, its timeliness judged now."""
    # The index's view of the dossier (the appointment before a restart, a late request
    # without its times), judged by the index's rule: the page agrees with the dashboard.
    value = to_core(dossier)
    timeliness = value.timeliness(local_now())
    return PublicDossier(
        code=dossier.code,
        procedure=dossier.procedure.name if dossier.procedure else dossier.procedure_code,
        unit=dossier.unit.name,
        status=dossier.status,
        status_label=dossier.status_label,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        original_due_at=dossier.original_due_at,
        finished_at=dossier.finished_at,
        timeliness=str(timeliness or ""),
        timeliness_label=TIMELINESS_LABELS[timeliness] if timeliness else "không có ngày hẹn",
        finished=not value.is_open,
        rated=bool(dossier.rating),
    )


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or X-Forwarded-For read through the trusted proxies.

    The first X-Forwarded-For entry is whatever the client sent, so limiting on it let one
    client look up without limit; ``cchc.web.ops.clientaddr`` counts proxies from the right.
    """
    return _client_address(request)


def allow(request: HttpRequest) -> bool:
    """Count one look-up for the client; False once the minute's allowance is spent."""
    limit = int(settings.CCHC_LOOKUP_PER_MINUTE)
    key = f"cchc-desk-lookup:{client_address(request)}:{int(now().timestamp()) // 60}"
    if cache.add(key, 1, timeout=120):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        return True
    return count <= limit


class RenderedRatingForm:
    """The blank rating form, rendered once per process.

    Most looked-up dossiers are finished and not yet rated, so nearly every look-up shows
    this form; rendering its radio widgets through Django's form templates was two thirds
    of the page's time (load test, 1 M dossiers). The blank form is the same for every
    dossier (the action URL and the CSRF token are outside it, in desk/lookup.html).
    """

    def as_div(self) -> SafeString:
        return _blank_rating_form()


@functools.cache
def _blank_rating_form() -> SafeString:
    return RatingForm().as_div()


LIMIT_MESSAGE = "Bạn đã tra cứu quá nhiều lần trong một phút. Vui lòng thử lại sau ít phút."
