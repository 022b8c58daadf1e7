"""JSON twins of the 766 board, reconciliation, what-if and the portal-file import.

The same permission as their pages: a signed-in session or a bearer token of a role that
reads the 766 dashboard (one-stop officers their own unit only); importing is for the
organiser and the administrator. Errors are ``{"detail": "..."}`` in Vietnamese.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import File, Router
from ninja.files import UploadedFile
from ninja.security import django_auth

from cchc.service.period import Period, PeriodError, parse_period
from cchc.service.portal_files import PortalFileError
from cchc.web.accounts.tokens import token_auth
from cchc.web.desk import portal766
from cchc.web.desk.models import PortalImport
from cchc.web.units.models import Unit

router = Router(tags=["Một cửa và chỉ số phục vụ 766"])
AUTH = [token_auth, django_auth]


def _json(body: Any, status: int = 200) -> HttpResponse:
    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    return HttpResponse(text.encode("utf-8"), status=status, content_type="application/json; charset=utf-8")


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None) or request.user


def _chosen(request: HttpRequest, period: str | None, unit: str | None) -> tuple[Period, Unit] | HttpResponse:
    """The period and unit asked for, by the 766 dashboard's rule of who reads which unit."""
    try:
        choice = portal766.choose(_user(request), period, unit)
    except PermissionDenied as exc:
        return _json({"detail": str(exc) or "Bạn không được xem chỉ số phục vụ."}, 403)
    if choice.hidden:
        return _json({"detail": choice.error}, 404)
    if choice.error:
        return _json({"detail": choice.error}, 400)
    if choice.period is None or choice.unit is None:
        return _json({"detail": "Không có đơn vị nào để xem."}, 404)
    return choice.period, choice.unit


def _view(request: HttpRequest, period: str | None, unit: str | None) -> portal766.UnitView | HttpResponse:
    chosen = _chosen(request, period, unit)
    return chosen if isinstance(chosen, HttpResponse) else portal766.unit_view(*chosen)


@router.get("/service/board", auth=AUTH, url_name="service_board",
            summary="Chỉ số 766 của một đơn vị: sáu nhóm, thang 100 (sổ hồ sơ và tệp của Cổng)")
def service_board(request: HttpRequest, period: str | None = None, unit: str | None = None,
                  gain: str | None = None) -> HttpResponse:
    view = _view(request, period, unit)
    if isinstance(view, HttpResponse):
        return view
    try:
        target = portal766.parse_gain(gain)
    except ValueError as exc:
        return _json({"detail": str(exc)}, 400)
    return _json({**portal766.board_doc(view), "whatif": portal766.whatif_doc(view, target)})


@router.get("/service/reconcile", auth=AUTH, url_name="service_reconcile",
            summary="Đối soát sổ hồ sơ của đơn vị với số liệu Cổng DVCQG cùng kỳ")
def service_reconcile(request: HttpRequest, period: str | None = None, unit: str | None = None) -> HttpResponse:
    from cchc.service.reconcile import to_dict

    view = _view(request, period, unit)
    if isinstance(view, HttpResponse):
        return view
    doc = to_dict(view.reconciliation())
    doc["portal_import"] = portal766.import_label(view.imported) or None
    return _json(doc)


def _imports_doc() -> dict[str, Any]:
    return {
        "imports": [
            {"id": imp.pk, "period": imp.period, "imported_at": portal766.local(imp.imported_at).isoformat(),
             "files": imp.files, "endpoints": imp.endpoints, "units": imp.units,
             **portal766.findings(imp)}
            for imp in PortalImport.objects.all()[:20]
        ]
    }


@router.get("/service/portal-files", auth=AUTH, url_name="service_portal_imports",
            summary="Các lần nhập tệp chỉ số 766 của Cổng DVCQG")
def portal_imports(request: HttpRequest) -> HttpResponse:
    if not portal766.may_import(_user(request)):
        return _json({"detail": "Chỉ cơ quan tổ chức đánh giá và quản trị hệ thống được nhập tệp của Cổng."}, 403)
    return _json(_imports_doc())


@router.post("/service/portal-files", auth=AUTH, url_name="service_portal_import",
             summary="Nhập tệp chỉ số 766 của Cổng DVCQG cho một kỳ: tất cả hoặc không tệp nào")
def portal_import(request: HttpRequest, period: str | None = None,
                  files: list[UploadedFile] = File(default=None)) -> HttpResponse:
    user = _user(request)
    if not portal766.may_import(user):
        return _json({"detail": "Chỉ cơ quan tổ chức đánh giá và quản trị hệ thống được nhập tệp của Cổng."}, 403)
    try:
        the_period = parse_period(period or "")
    except PeriodError as exc:
        return _json({"detail": str(exc)}, 400)
    try:
        payload = portal766.read_uploads(files or [])
        imp = portal766.store_import(payload, the_period, user, {})
    except PortalFileError as exc:
        return _json({
            "detail": f"Không nhập được: {exc.total} lỗi, không tệp nào được lưu.",
            "total": exc.total,
            "problems": [{"file": p.file, "row": p.row, "column": p.column, "reason": p.reason} for p in exc.problems],
        }, 422)
    return _json({"id": imp.pk, "period": imp.period, "files": imp.files, "endpoints": imp.endpoints,
                  "units": imp.units})


@router.get("/service/integrity", auth=AUTH, url_name="service_integrity",
            summary="Kiểm tra sổ hồ sơ của một đơn vị trong kỳ: quy tắc chính xác kèm mã hồ sơ, và dấu hiệu")
def service_integrity(request: HttpRequest, period: str | None = None, unit: str | None = None) -> HttpResponse:
    """The JSON twin of the ledger-check page (same contract as ``cchc service integrity
    --format json``) over the desk's own dossiers of the unit and period."""
    from cchc.web.desk.integrity import unit_integrity

    chosen = _chosen(request, period, unit)
    if isinstance(chosen, HttpResponse):
        return chosen
    the_period, the_unit = chosen
    return _json(unit_integrity(the_period, the_unit.code).to_dict())
