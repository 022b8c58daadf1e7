"""The 766 board out of 100, the national portal's files, reconciliation and what-if at the desk.

Thin over the core: ``cchc.service.portal_files`` reads the portal's files,
``board`` puts a unit's six groups together, ``reconcile`` sets the unit's ledger against
the portal, ``whatif`` finds the cheapest points, ``portal_export`` writes the workbooks.
This module stores imports (``PortalImport``), reads the unit's dossiers and checks who may
see what: the same units as the 766 dashboard (``access.dashboard_units``); importing the
portal's files (the whole province's data) is for the organiser and the administrator.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cchc.fmt import format_datetime
from cchc.safety import safe_filename
from cchc.service import board as bd
from cchc.service import portal_export as px
from cchc.service import reconcile as rc
from cchc.service import whatif as wi
from cchc.service.period import Period, PeriodError, parse_period, quarter_of, spoken
from cchc.service.portal_files import (
    PortalData,
    PortalFileError,
    from_dict,
    read_portal_files,
    to_dict,
)
from cchc.service.problems import Problem
from cchc.web.accounts import roles
from cchc.web.accounts.models import Role
from cchc.web.desk import access, period_picker
from cchc.web.desk.clock import local_now
from cchc.web.desk.ledger import in_period, ledger_table
from cchc.web.desk.models import Dossier, PortalImport
from cchc.web.units.lookup import current_code
from cchc.web.units.models import Unit
from cchc.web.uploads import PORTAL_FILES, UploadRejected, receive

IMPORT_ROLES = frozenset({Role.ADMINISTRATOR, Role.ORGANISER})
MAX_FILES = 12


# --- rules of who and what ---------------------------------------------------------------


def may_import(user: Any) -> bool:
    """Portal files are imported by those who manage (organiser, administrator)."""
    return roles.is_manager(user)


def units_for(user: Any) -> list[Unit]:
    """The units whose board the user may read (PermissionDenied for other roles)."""
    allowed = access.dashboard_units(user)
    if allowed is not None:
        return allowed
    return list(Unit.objects.order_by("code"))


@dataclass(frozen=True)
class Choice:
    """The period and unit a page asked for, or the error to show."""

    period_text: str
    period: Period | None
    unit: Unit | None
    units: list[Unit]
    error: str = ""
    #: a unit was asked for that the user may not read (or that does not exist): 404, as
    #: the API of the index answers, so another unit's existence is not revealed
    hidden: bool = False


def choose(user: Any, period_text: str | None, unit_code: str | None) -> Choice:
    """Parse ``ky`` / ``don-vi`` (or ``period`` / ``unit``) within what the user may read."""
    units = units_for(user)
    text = (period_text or "").strip() or quarter_of(local_now().date()).label
    try:
        period: Period | None = parse_period(text)
        error = ""
    except PeriodError as exc:
        period, error = None, str(exc)
    if unit_code:
        unit_code = current_code(unit_code) or unit_code  # or a code it had before its official id
    unit = next((u for u in units if u.code == unit_code), None)
    if unit_code and unit is None:
        return Choice(text, period, None, units, f"Không có đơn vị {unit_code} trong các đơn vị bạn được xem.", True)
    if unit is None:
        unit = units[0] if units else None
    return Choice(text, period, unit, units, error)


# --- imports ---------------------------------------------------------------------------------


def latest_import(period: Period) -> PortalImport | None:
    return PortalImport.objects.filter(period=period.label).defer("data").first()


def _folded(text: str) -> str:
    plain = unicodedata.normalize("NFC", text).casefold()
    for prefix in ("ubnd ", "ủy ban nhân dân ", "uỷ ban nhân dân "):
        plain = plain.removeprefix(prefix)
    return " ".join(plain.split())


def match_units(data: PortalData, units: Sequence[Unit], explicit: dict[str, str]) -> dict[str, str]:
    """Desk unit code → the portal's unit code: as given, else the same code, else the same
    name (case, spacing and the "UBND" prefix aside)."""
    by_name: dict[str, str] = {}
    for code, name in data.units.items():
        by_name.setdefault(_folded(name), code)
        by_name.setdefault(_folded(name.split(" - ")[0]), code)
    out: dict[str, str] = {}
    for unit in units:
        if unit.code in explicit:
            out[unit.code] = explicit[unit.code]
        elif unit.code in data.units:
            out[unit.code] = unit.code
        elif _folded(unit.name) in by_name:
            out[unit.code] = by_name[_folded(unit.name)]
    return out


def parse_mapping(text: str) -> dict[str, str]:
    """Lines "BSO=H44.100" (desk code = portal code); ValueError naming the bad line."""
    out: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        ours, sep, theirs = line.partition("=")
        if not sep or not ours.strip() or not theirs.strip():
            raise ValueError(f"dòng {number} của bảng mã đơn vị: cần dạng MÃ_ĐƠN_VỊ=MÃ_TRÊN_CỔNG")
        out[ours.strip()] = theirs.strip()
    return out


def store_import(
    files: Sequence[tuple[str, bytes]], period: Period, user: Any, mapping: dict[str, str]
) -> PortalImport:
    """Read every file (all or nothing) and store the import; PortalFileError otherwise."""
    # Size, extension and content were checked by the upload receiver (``read_uploads``);
    # ``read_portal_files`` refuses any other extension.
    problems: list[Problem] = []
    if not files:
        problems.append(Problem("(không có tệp)", None, None, "chưa chọn tệp nào"))
    if len(files) > MAX_FILES:
        problems.append(Problem("(nhiều tệp)", None, None, f"tối đa {MAX_FILES} tệp một lần"))
    problems += [Problem(name, None, None, "tệp rỗng") for name, content in files if not content]
    if problems:
        raise PortalFileError(problems)
    data = read_portal_files(list(files))  # read from the uploads' bytes, no copy on disk
    units = match_units(data, list(Unit.objects.all()), mapping)
    with transaction.atomic():
        return PortalImport.objects.create(
            period=period.label,
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            files=", ".join(safe_filename(n) for n, _ in files),
            endpoints=", ".join(dict.fromkeys(data.endpoints)),
            units=units,
            data=to_dict(data),
        )


def findings(imp: PortalImport) -> dict[str, Any]:
    """The import's published points against ours: how many of each result, and the
    differences (unit, indicator, ours, published)."""
    from cchc.service.portal_files import compare, differences

    _, lines = compare(from_dict(imp.data))
    tally: dict[str, int] = {}
    for line in lines:
        tally[line.status] = tally.get(line.status, 0) + 1

    def num(value: Decimal | None) -> float | None:
        return None if value is None else float(value)

    return {
        "results": tally,
        "differences": [
            {"unit_code": line.unit_code, "unit_name": line.unit_name, "group": line.group,
             "indicator": line.indicator, "ours": num(line.ours), "published": num(line.published),
             "difference": num(line.difference)}
            for line in differences(lines)
        ],
    }


def import_label(imp: PortalImport | None) -> str:
    if imp is None:
        return ""
    return (f"Tệp của Cổng DVCQG nhập lúc {format_datetime(local(imp.imported_at))}: {imp.files} "
            f"(trang {imp.endpoints})")


def local(moment: Any) -> Any:
    from django.utils import timezone

    return timezone.localtime(moment)


# --- the unit's numbers ---------------------------------------------------------------------


def members(period: Period, unit: Unit) -> list[rc.Member]:
    """The unit's dossiers that count in the period, with the sets they belong to."""
    dossiers = Dossier.objects.filter(in_period(period), unit=unit)
    return rc.ledger_members(ledger_table(dossiers), period)


@dataclass(frozen=True)
class UnitView:
    period: Period
    unit: Unit
    imported: PortalImport | None
    portal: PortalData | None
    portal_unit: str | None
    members: list[rc.Member]

    @property
    def ledger_counts(self) -> list[Any]:
        return rc.member_counts(self.members, {self.unit.code: self.unit.name})

    def board(self) -> bd.Board:
        return bd.build(self.unit.code, self.unit.name, self.ledger_counts, self.portal, self.portal_unit)

    def counts(self) -> list[Any]:
        """What the board scores, as counts (for what-if)."""
        out = []
        for group in self.board().groups:
            for line in group.lines:
                if line.numerator is not None and line.denominator is not None:
                    from cchc.service.portal766 import Count

                    out.append(Count(self.unit.code, self.unit.name, line.id, line.numerator, line.denominator))
        return out

    def reconciliation(self) -> rc.Reconciliation:
        # One unit's page: the portal's counts of its matched unit only.
        theirs = [
            c for c in (self.portal.counts if self.portal is not None else [])
            if self.portal_unit is not None and c.unit_code == self.portal_unit
        ]
        mapping = {self.unit.code: self.portal_unit} if self.portal_unit else {}
        return rc.reconcile(self.period.label, self.ledger_counts, theirs, self.members, mapping)


@lru_cache(maxsize=8)
def _portal_data(pk: int, imported_at: Any) -> PortalData:
    """An import's data, read once per process: imports are never changed after storing
    (a new import is a new row), so (pk, time) names the same data."""
    return from_dict(PortalImport.objects.values_list("data", flat=True).get(pk=pk))


def unit_view(period: Period, unit: Unit) -> UnitView:
    imported = latest_import(period)
    data = _portal_data(imported.pk, imported.imported_at) if imported is not None else None
    portal_unit = imported.units.get(unit.code) if imported is not None else None
    return UnitView(period, unit, imported, data, portal_unit, members(period, unit))


def parse_gain(text: str | None) -> Decimal:
    """``them`` / ``gain``: points to gain (default 1); ValueError in Vietnamese."""
    if text is None or not text.strip():
        return Decimal(1)
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"Số điểm muốn tăng phải là một số, nhận được “{text}”.") from None
    if not value.is_finite() or value <= 0 or value > 100:
        raise ValueError("Số điểm muốn tăng phải lớn hơn 0 và không quá 100.")
    return value


def whatif_doc(view: UnitView, gain: Decimal) -> dict[str, Any]:
    counts = view.counts()
    if not counts:
        return {"gain": float(gain), "options": [], "cheapest": []}
    options = wi.options(counts, view.unit.code, gain)
    plan = wi.cheapest(counts, view.unit.code, gain)

    def item(o: wi.Option) -> dict[str, Any]:
        return {"indicator": o.indicator, "kind": o.kind, "dossiers": o.dossiers, "gain": float(o.gain),
                "points_per_dossier": float(o.points_per_dossier)}

    return {"gain": float(gain), "options": [item(o) for o in options], "cheapest": [item(o) for o in plan]}


def board_doc(view: UnitView) -> dict[str, Any]:
    """The JSON twin of the board (numbers as JSON numbers)."""
    board = view.board()

    def num(value: Decimal | int | None) -> int | float | None:
        if value is None or isinstance(value, int):
            return value
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "period": view.period.label,
        "unit_code": board.unit_code,
        "unit_name": board.unit_name,
        "portal_unit": view.portal_unit,
        "portal_import": None if view.imported is None else {
            "imported_at": local(view.imported.imported_at).isoformat(),
            "files": view.imported.files,
            "endpoints": view.imported.endpoints,
        },
        "groups": [
            {
                "group": g.number, "name": g.name, "points": num(g.points), "max": num(g.max), "note": g.note,
                "indicators": [
                    {
                        "id": line.id, "name": line.name, "numerator": num(line.numerator),
                        "denominator": num(line.denominator),
                        "rate": None if line.rate is None else float(line.rate),
                        "points": num(line.points), "max": num(line.max), "source": line.source,
                        "published": num(line.published), "status": line.status,
                    }
                    for line in g.lines
                ],
            }
            for g in board.groups
        ],
        "total_points": num(board.total_points),
        "total_max": num(board.total_max),
    }


# --- pages -----------------------------------------------------------------------------------


def _query(request: HttpRequest) -> tuple[str | None, str | None]:
    return period_picker.period_text(request.GET), request.GET.get("don-vi")


def imported_units() -> list[str]:
    """Desk units matched to a portal unit by some import (their board has data without
    dossiers)."""
    codes: set[str] = set()
    for units in PortalImport.objects.values_list("units", flat=True):
        codes.update(units or {})
    return sorted(codes)


def board_context(request: HttpRequest, period: Period | None, unit: Unit | None) -> dict[str, Any]:
    """What the 766 dashboard adds below its dossier indicators: the board out of 100, its
    source, and the what-if panel (nothing without a period and a unit)."""
    if period is None or unit is None:
        return {}
    view = unit_view(period, unit)
    gain_text = request.GET.get("them")
    try:
        gain, gain_error = parse_gain(gain_text), ""
    except ValueError as exc:
        gain, gain_error = Decimal(1), str(exc)
    query = f"?ky={period.label}&don-vi={unit.code}"
    return {
        "board": view.board(),
        "portal_import": view.imported,
        "portal_source": import_label(view.imported),
        "portal_unit": view.portal_unit,
        "whatif": whatif_doc(view, gain),
        "gain_text": gain_text or "1",
        "gain_error": gain_error,
        "board_xlsx_url": reverse("desk:dashboard_xlsx") + query,
        "board_api_url": reverse("api-1:service_board") + f"?period={period.label}&unit={unit.code}",
        "reconcile_url": reverse("desk:reconcile") + query,
        "may_import": may_import(request.user),
        "import_url": reverse("desk:portal_import"),
    }


@login_required
@require_GET
def board_xlsx(request: HttpRequest) -> HttpResponse:
    # The title says the period in words ("Quý III/2026"), as the dashboard does.
    return _unit_workbook(
        request, "chi-so-766",
        lambda view, period: px.board_sheet(view.board(), spoken(period), import_label(view.imported)),
    )


def _unit_workbook(request: HttpRequest, name: str, sheet: Callable[[UnitView, Period], Any]) -> HttpResponse:
    """One sheet on the chosen unit and period as ``name-UNIT-PERIOD.xlsx``; 400 with the
    reason in plain text when the page has no unit or period to show."""
    choice = choose(request.user, *_query(request))
    if choice.hidden:
        raise Http404(choice.error)
    if choice.error or choice.period is None or choice.unit is None:
        return HttpResponse(choice.error or "Không có đơn vị nào để xem.", status=400,
                            content_type="text/plain; charset=utf-8")
    buffer = io.BytesIO()
    px.write(buffer, [sheet(unit_view(choice.period, choice.unit), choice.period)])
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = safe_filename(f"{name}-{choice.unit.code}-{choice.period.label}.xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def reconcile_page(request: HttpRequest) -> HttpResponse:
    """Đối soát: the unit's ledger against the portal's counts of the period."""
    choice = choose(request.user, *_query(request))
    if choice.hidden:
        raise Http404(choice.error)
    today = local_now().date()
    context: dict[str, Any] = {
        "choice": choice,
        "result": None,
        "picker": period_picker.picker(choice.period, quarter_of(today), today.year),
    }
    status = 200
    if choice.error:
        status = 400
    elif choice.period is not None and choice.unit is not None:
        view = unit_view(choice.period, choice.unit)
        query = f"?ky={choice.period.label}&don-vi={choice.unit.code}"
        context.update({
            "result": view.reconciliation(),
            "imported": view.imported,
            "portal_source": import_label(view.imported),
            "portal_unit": view.portal_unit,
            "xlsx_url": reverse("desk:reconcile_xlsx") + query,
            "api_url": reverse("api-1:service_reconcile") + f"?period={choice.period.label}&unit={choice.unit.code}",
            "dashboard_url": reverse("desk:dashboard") + query,
        })
    return render(request, "desk/reconcile.html", context, status=status)


@login_required
@require_GET
def reconcile_xlsx(request: HttpRequest) -> HttpResponse:
    return _unit_workbook(request, "doi-soat", lambda view, _period: px.reconcile_sheet(view.reconciliation()))


def read_uploads(files: Sequence[Any]) -> list[tuple[str, bytes]]:
    """The uploaded files' names and bytes, each checked by the one upload receiver (size,
    extension and content, safe name) before it is read into memory."""
    problems: list[Problem] = []
    accepted: list[tuple[str, bytes]] = []
    for f in files:
        try:
            received = receive(f, PORTAL_FILES)
        except UploadRejected as exc:
            problems.append(Problem(f.name or "(không tên)", None, None, str(exc)))
            continue
        accepted.append((received.name, received.stream.read()))
    if problems:
        raise PortalFileError(problems)
    return accepted


def uploaded(request: HttpRequest) -> list[tuple[str, bytes]]:
    return read_uploads(request.FILES.getlist("files"))


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Import the portal's files of a period (organiser, administrator)."""
    if not may_import(request.user):
        raise PermissionDenied("Chỉ cơ quan tổ chức đánh giá và quản trị hệ thống được nhập tệp của Cổng.")
    problems: list[str] = []
    total = 0
    period_text = request.POST.get("ky", "") if request.method == "POST" else request.GET.get("ky", "")
    mapping_text = request.POST.get("ma-don-vi", "")
    status = 200
    if request.method == "POST":
        try:
            period = parse_period(period_text)
            mapping = parse_mapping(mapping_text)
            imp = store_import(uploaded(request), period, request.user, mapping)
        except (PeriodError, ValueError) as exc:
            if isinstance(exc, PortalFileError):
                problems, total = [str(p) for p in exc.problems], exc.total
            else:
                problems, total = [str(exc)], 1
            status = 422
        else:
            from django.contrib import messages

            messages.success(request, f"Đã nhập tệp của Cổng cho kỳ {imp.period}: {imp.files}.")
            return redirect(reverse("desk:portal_import") + f"?ky={imp.period}")
    shown = PortalImport.objects.filter(period=period_text).first() if period_text else None
    context = {
        "shown": shown,
        "findings": findings(shown) if shown is not None else None,
        "period_text": period_text,
        "mapping_text": mapping_text,
        "problems": problems,
        "total": total,
        "imports": PortalImport.objects.select_related("imported_by")[:20],
        "api_url": reverse("api-1:service_portal_imports"),
    }
    return render(request, "desk/portal_import.html", context, status=status)
