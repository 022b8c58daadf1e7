"""``/api/v1/service/index``, ``/api/v1/dossiers/{code}`` and ``/api/v1/dossiers/import``.

The index answers exactly what ``cchc service index --format json`` prints for the same
dossiers (``ServiceIndex.to_dict``, UTF-8, indented). The look-up is the portal's, without
personal data and under the same rate limit. The import is a write endpoint: a bearer token
(``cchc.web.accounts.tokens``) of a one-stop officer (own unit only), an organiser or an
administrator; all rows or none, 422 with every problem.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from cchc.service.importer import LedgerImportError
from cchc.service.period import PeriodError, parse_period
from cchc.web.accounts.models import Role
from cchc.web.accounts.tokens import token_auth
from cchc.web.desk import dashboard, lookup
from cchc.web.desk.ledger import import_ledger

router = Router(tags=["Một cửa và chỉ số phục vụ 766"])

IMPORT_SUFFIXES = (".csv", ".xlsx", ".parquet")


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


@router.get(
    "/service/index",
    response={200: dict, 400: Problem},
    summary="Chỉ số phục vụ 766 (7 chỉ tiêu từ hồ sơ) của một kỳ",
)
def service_index(request: HttpRequest, period: str, unit: str | None = None) -> HttpResponse:
    """The same JSON as ``cchc service index --period P --format json`` over the stored dossiers."""
    try:
        the_period = parse_period(period)
    except PeriodError as exc:
        return _json({"detail": str(exc)}, 400)
    result = dashboard.compute(the_period, [unit] if unit else None)
    return _json(result.to_dict())


@router.post(
    "/dossiers/import",
    auth=token_auth,
    response={200: Imported, 403: Problem, 422: ImportProblems},
    summary="Nhập sổ hồ sơ (CSV, XLSX, Parquet): tất cả hoặc không dòng nào",
)
def import_dossiers(request: HttpRequest, file: File[UploadedFile]) -> Any:
    user: Any = request.auth  # type: ignore[attr-defined]
    if user.role == Role.ONESTOP_OFFICER:
        unit = user.unit
    elif user.role in (Role.ORGANISER, Role.ADMINISTRATOR):
        unit = None
    else:
        return Status(403, {"detail": "Vai trò của mã truy cập này không được nhập hồ sơ."})
    name = Path(file.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        return Status(422, {
            "detail": f"Tệp {name or '(không tên)'}: chỉ nhận .csv, .xlsx hoặc .parquet",
            "total": 1,
            "problems": [{"file": name, "row": None, "column": None, "reason": "định dạng tệp không được hỗ trợ"}],
        })
    with tempfile.TemporaryDirectory(prefix="cchc-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as out:
            for chunk in file.chunks():
                out.write(chunk)
        try:
            count = import_ledger(path, user=user, unit=unit, name=name)
        except LedgerImportError as exc:
            return Status(422, {
                "detail": f"Không nhập được tệp {name}: {exc.total} lỗi, không dòng nào được lưu.",
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
