"""``/api/v1/service/index``, ``/api/v1/dossiers/{code}`` and ``/api/v1/dossiers/import``.

The index answers exactly what ``cchc service index --format json`` prints for the same
dossiers (``ServiceIndex.to_dict``, UTF-8, indented), to exactly the people its page
(``/mot-cua/chi-so-766/``) serves: a one-stop officer for the own unit, the organiser,
leader and administrator for any unit (``access.dashboard_units``), signed in or with a
bearer token. One computation reads the period's whole ledger (3,5 s at 300 000 dossiers),
so answers are cached for ``CCHC_SERVICE_INDEX_CACHE_SECONDS`` (default 60) and each user
may ask ``CCHC_SERVICE_INDEX_PER_MINUTE`` times a minute (default 30, assumed). The look-up is the portal's, without
personal data and under the same rate limit. The import is a write endpoint: a bearer token
(``cchc.web.accounts.tokens``) of a one-stop officer (own unit only), an organiser or an
administrator; all rows or none, 422 with every problem.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from cchc.safety import safe_filename
from cchc.service.importer import LedgerImportError
from cchc.service.period import PeriodError, parse_period, quarter_of
from cchc.web.accounts.tokens import token_auth
from cchc.web.desk import access, dashboard, lookup
from cchc.web.desk.clock import local_now
from cchc.web.desk.ledger import import_ledger
from cchc.web.ops import ratelimit
from cchc.web.units.lookup import current_code
from cchc.web.uploads import LEDGERS, UploadRejected, receive, table_limits

router = Router(tags=["Một cửa và chỉ số phục vụ 766"])


class Problem(Schema):
    detail: str


class RowProblem(Schema):
    file: str
    row: int | None
    column: str | None
    reason: str


class ImportProblems(Schema):
    detail: str
    total: int
    problems: list[RowProblem]


class Imported(Schema):
    imported: int


class DossierOut(Schema):
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


def _json(body: Any, status: int = 200) -> HttpResponse:
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    return HttpResponse(text.encode("utf-8"), status=status, content_type="application/json; charset=utf-8")


# Why a short time-to-live and not a key on the ledger's version: the index depends on the
# clock as well as on the rows (an open dossier becomes late when its appointment passes),
# so no stored version says when an answer goes stale; and every desk action changes the
# ledger, so a version counter would be one more row written by every action. A minute of
# staleness on a quarter's index is no loss; the page itself computes afresh.
RATE_MESSAGE = "Bạn đã yêu cầu chỉ số phục vụ quá nhiều lần trong một phút. Vui lòng thử lại sau."


def _units_for(user: Any, unit: str | None) -> list[str] | None:
    """The unit codes the user may read, as the page decides; ``None`` = every unit."""
    allowed = access.dashboard_units(user)  # PermissionDenied for other roles
    if unit:
        unit = current_code(unit) or unit  # the official id or a code the unit had before
    if allowed is None:
        return [unit] if unit else None
    codes = [u.code for u in allowed]
    if unit and unit not in codes:
        raise LookupError(unit)
    return [unit] if unit else codes


@router.get(
    "/service/index",
    auth=[token_auth, django_auth],
    response={200: dict, 400: Problem, 403: Problem, 404: Problem, 429: Problem},
    summary="Chỉ số phục vụ 766 (7 chỉ tiêu từ hồ sơ) của một kỳ",
)
def service_index(
    request: HttpRequest, period: str | None = None, unit: str | None = None
) -> HttpResponse:
    """The same JSON as ``cchc service index --period P --format json`` over the stored
    dossiers, for the units the caller's page shows (the current quarter by default)."""
    user: Any = request.auth  # type: ignore[attr-defined]
    try:
        codes = _units_for(user, unit)
    except PermissionDenied:
        return _json({"detail": "Vai trò của bạn không xem được chỉ số phục vụ."}, 403)
    except LookupError:
        return _json({"detail": f"Không có đơn vị {unit} trong phạm vi bạn được xem."}, 404)
    per_minute = int(settings.CCHC_SERVICE_INDEX_PER_MINUTE)
    if not ratelimit.allow("api-service-index", str(user.pk), per_minute):
        response = _json({"detail": RATE_MESSAGE}, 429)
        response["Retry-After"] = "60"
        return response
    try:
        the_period = parse_period(period) if period else quarter_of(local_now().date())
    except PeriodError as exc:
        return _json({"detail": str(exc)}, 400)
    scope = ",".join(sorted(codes)) if codes is not None else "*"
    key = "cchc:api-service-index:" + hashlib.sha256(
        f"{the_period.label}|{scope}".encode()
    ).hexdigest()[:32]
    body = cache.get(key)
    if body is None:
        result = dashboard.compute(the_period, codes)
        body = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
        seconds = int(settings.CCHC_SERVICE_INDEX_CACHE_SECONDS)
        cache.set(key, body, timeout=seconds)
    return HttpResponse(
        body.encode("utf-8"), content_type="application/json; charset=utf-8"
    )


@router.post(
    "/dossiers/import",
    auth=token_auth,
    response={200: Imported, 403: Problem, 422: ImportProblems},
    summary="Nhập sổ hồ sơ (CSV, XLSX, Parquet): tất cả hoặc không dòng nào",
)
def import_dossiers(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    try:
        unit = access.import_scope(user)  # the page's rule (desk:import)
    except PermissionDenied:
        return Status(403, {"detail": "Vai trò của mã truy cập này không được nhập hồ sơ."})
    try:
        received = receive(file, LEDGERS)
    except UploadRejected as exc:
        return Status(422, {
            "detail": str(exc),
            "total": 1,
            "problems": [{"file": safe_filename(file.name or ""), "row": None, "column": None, "reason": str(exc)}],
        })
    try:
        count = import_ledger(
            received.stream, user=user, unit=unit, name=received.name, limits=table_limits()
        )
    except LedgerImportError as exc:
        return Status(422, {
            "detail": f"Không nhập được tệp {received.name}: {exc.total} lỗi, không dòng nào được lưu.",
            "total": exc.total,
            "problems": [
                {"file": p.file, "row": p.row, "column": p.column, "reason": p.reason}
                for p in exc.problems
            ],
        })
    return Status(200, {"imported": count})


# Registered after the import: "/dossiers/{code}" would otherwise also match "/dossiers/import".
@router.get(
    "/dossiers/{code}",
    response={200: DossierOut, 404: Problem, 429: Problem},
    summary="Tra cứu hồ sơ theo mã (không có thông tin cá nhân)",
)
def dossier(request: HttpRequest, code: str) -> Any:
    if not lookup.allow(request):
        return Status(429, {"detail": lookup.LIMIT_MESSAGE})
    found = lookup.find(code)
    if found is None:
        return Status(404, {"detail": f"Không tìm thấy hồ sơ có mã {code}."})
    view = lookup.public_view(found)
    return Status(200, {name: getattr(view, name) for name in DossierOut.model_fields})
