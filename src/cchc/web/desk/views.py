"""The one-stop officer's pages: work list, receive, act, print forms 01–04, import, dashboard.

Views parse the request, call ``services`` / ``ledger`` / ``dashboard`` and render; every
dossier is fetched through ``access.dossier_for`` (own unit only, 404 otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from cchc.fmt import format_datetime
from cchc.service.circular import APPLICANT, SIGNATURES, FormReference, Paper, form_on
from cchc.service.dossier import EVENT_LABELS, IRREVERSIBLE, REASON_REQUIRED, Event
from cchc.service.importer import LedgerImportError
from cchc.service.period import Period, PeriodError, parse_period, quarter_of
from cchc.service.procedure import END_OF_WORKING_DAY
from cchc.web import uploads
from cchc.web.desk import (
    access,
    dashboard,
    papers,
    period_picker,
    portal766,
    register,
    services,
    worklist,
)
from cchc.web.desk.clock import TZ, local_now, to_local
from cchc.web.desk.forms import ActionForm, ImportForm, ReceiveForm
from cchc.web.desk.ledger import import_ledger
from cchc.web.desk.models import Dossier, DossierEvent
from cchc.web.units.lookup import current_code
from cchc.web.units.models import Unit

# URL slug → (event, button label, fields the form shows).
ACTIONS: dict[str, tuple[Event, str, tuple[str, ...]]] = {
    "chuyen-xu-ly": (Event.TRANSFERRED, "Chuyển xử lý", ("to", "note")),
    "yeu-cau-bo-sung": (
        Event.SUPPLEMENT_REQUESTED,
        "Yêu cầu bổ sung (mẫu 02)",
        ("note", "accept_late"),
    ),
    "da-bo-sung": (Event.SUPPLEMENT_COMPLETED, "Công dân đã bổ sung", ("note",)),
    "xin-loi": (Event.APOLOGY, "Xin lỗi và hẹn lại (mẫu 04)", ("new_due", "note")),
    "xu-ly-xong": (Event.FINISHED, "Xử lý xong", ("e_result", "digitised", "note")),
    "tra-ket-qua": (
        Event.RETURNED,
        "Trả kết quả",
        ("e_result", "digitised", "paid_online", "note"),
    ),
    "tu-choi": (Event.REFUSED, "Từ chối (mẫu 03)", ("note",)),
    "dung-xu-ly": (Event.STOPPED, "Dừng xử lý", ("note",)),
    "rut-ho-so": (Event.WITHDRAWN, "Công dân rút hồ sơ", ("note",)),
}
# Printed forms 01–04 (``/mau-<n>/``): the paper and the history entry it prints. Their
# numbers and titles come from the circular in force on the entry's day (``form_reference``).
FORMS: dict[int, tuple[Paper, str]] = {
    1: (Paper.RECEIPT, "received"),
    2: (Paper.SUPPLEMENT_REQUEST, Event.SUPPLEMENT_REQUESTED.value),
    3: (Paper.REFUSAL, Event.REFUSED.value),
    4: (Paper.APOLOGY, Event.APOLOGY.value),
}
# What the officer confirms before an action that ends the dossier without its result
# (``IRREVERSIBLE``): the question of the browser's dialog and the words of the required box.
CONFIRMATIONS: dict[Event, tuple[str, str]] = {
    Event.REFUSED: (
        "Từ chối hồ sơ {code}? Hồ sơ sẽ kết thúc, không thể hoàn tác, và Phiếu từ chối "
        "(mẫu 03) được in với lý do đã ghi.",
        "Tôi xác nhận từ chối hồ sơ này; thao tác không thể hoàn tác",
    ),
    Event.STOPPED: (
        "Dừng xử lý hồ sơ {code}? Hồ sơ sẽ kết thúc và không thể hoàn tác.",
        "Tôi xác nhận dừng xử lý hồ sơ này; thao tác không thể hoàn tác",
    ),
    Event.WITHDRAWN: (
        "Ghi nhận công dân rút hồ sơ {code}? Hồ sơ sẽ kết thúc và không thể hoàn tác.",
        "Tôi xác nhận công dân đã rút hồ sơ này; thao tác không thể hoàn tác",
    ),
}
NOT_CONFIRMED = "Hãy đánh dấu ô xác nhận trước khi {label}: thao tác này không thể hoàn tác."


def form_reference(number: int, event: DossierEvent) -> FormReference:
    """Form ``number``'s number, title and circular on the day of the entry it prints."""
    paper, _event = FORMS[number]
    day = to_local(event.at)
    assert day is not None
    reference = form_on(paper, day.date())
    assert reference is not None  # both circulars have forms 01–04
    return reference


@dataclass(frozen=True)
class ListRequest:
    """What a work list asks for: the list, the search text, and whether the search covers
    every list of the unit (``moi``; on by default: a pasted code may be of a finished
    dossier, and an officer should not have to guess its list first)."""

    which: str
    query: str
    everywhere: bool

    @classmethod
    def of(cls, request: HttpRequest) -> ListRequest:
        which = request.GET.get("loc", "open")
        if which not in worklist.FILTERS:
            which = "open"
        # A submitted form without the box ticked has "ma" and no "moi"; a first visit has
        # neither and gets the default.
        everywhere = "moi" in request.GET or "ma" not in request.GET
        return cls(which, request.GET.get("ma", "").strip(), everywhere)

    def listing(self, unit: Unit) -> Any:
        return worklist.listing(unit, self.which, self.query, everywhere=self.everywhere)

    @property
    def params(self) -> str:
        """The query string that asks for this list again (pages, the XLSX download)."""
        pairs = {"loc": self.which, "ma": self.query}
        if self.everywhere:
            pairs["moi"] = "1"
        return urlencode(pairs)


@login_required
def work_list(request: HttpRequest) -> HttpResponse:
    unit = access.desk_unit(request.user)
    asked = ListRequest.of(request)
    partial = bool(request.htmx)  # type: ignore[attr-defined]
    paginator = Paginator(asked.listing(unit), 50)
    # The counts above the table are not part of an HTMX swap of the table alone; on the
    # full page the open count is also the pager's count of the default list (no second
    # COUNT of the same rows; Paginator.count is a cached property).
    counts = None if partial else worklist.counts(unit)
    if counts is not None and asked.which == "open" and not asked.query:
        paginator.__dict__["count"] = counts.open
    page = paginator.get_page(request.GET.get("trang"))
    rows = worklist.rows(page)
    context = {
        "unit": unit,
        "which": asked.which,
        "which_label": worklist.FILTERS[asked.which],
        "query": asked.query,
        "everywhere": asked.everywhere,
        "params": asked.params,
        "xlsx_url": reverse("desk:worklist_xlsx") + "?" + asked.params,
        "filters": worklist.FILTERS,
        "counts": counts,
        "page": page,
        "rows": rows,
    }
    template = "desk/_worklist_table.html" if partial else "desk/worklist.html"
    return render(request, template, context)


@login_required
@require_GET
def work_list_xlsx(request: HttpRequest) -> HttpResponse:
    """The list or search on screen, every row (not just the page), as XLSX; the officer's
    own unit only, like the page."""
    unit = access.desk_unit(request.user)
    asked = ListRequest.of(request)
    title = worklist.describe(asked.which, asked.query, asked.everywhere)
    filename = f"danh-sach-ho-so-{unit.code}-{local_now():%Y%m%d-%H%M}.xlsx"
    return register.xlsx_download(
        filename,
        lambda path: worklist.write_xlsx(
            path, unit, title, asked.listing(unit).iterator(chunk_size=register.CHUNK)
        ),
    )


@login_required
def receive(request: HttpRequest) -> HttpResponse:
    unit = access.desk_unit(request.user)
    form = ReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            dossier = services.receive(
                unit,
                data["procedure"],
                user=request.user,
                applicant_name=data["applicant_name"],
                applicant_phone=data["applicant_phone"],
                applicant_address=data["applicant_address"],
                channel=data["channel"],
                note=data["note"],
            )
        except services.DeskError as exc:
            form.add_error(None, str(exc))
        else:
            _keep_rating_key(request, dossier.code, dossier.rating_key)  # type: ignore[attr-defined]
            messages.success(request, f"Đã tiếp nhận hồ sơ {dossier.code}.")
            return redirect("desk:dossier", code=dossier.code)
    return render(request, "desk/receive.html", {"unit": unit, "form": form})


def _rating_key_slot(code: str) -> str:
    return f"desk-rating-key:{code}"


def _keep_rating_key(request: HttpRequest, code: str, key: str) -> None:
    """Hold a new rating key in the officer's session until form 01 prints it once; the
    database keeps only its digest."""
    request.session[_rating_key_slot(code)] = key


@login_required
@require_POST
def rating_key(request: HttpRequest, code: str) -> HttpResponse:
    """Issue a new rating key (the old one stops working) and print form 01 with it: for a
    lost receipt, or a dossier received before keys existed."""
    dossier = access.dossier_for(request.user, code)
    if not _has_event(dossier, "received"):
        messages.error(request, "Hồ sơ nhập từ sổ không có giấy tiếp nhận (mẫu 01) để in mã đánh giá.")
        return redirect("desk:dossier", code=code)
    try:
        key = services.issue_rating_key(dossier, user=request.user)
    except services.DeskError as exc:
        messages.error(request, str(exc))
        return redirect("desk:dossier", code=code)
    _keep_rating_key(request, code, key)
    messages.success(request, "Đã cấp mã đánh giá mới; mã cũ không còn dùng được. In lại mẫu 01.")
    return redirect("desk:form", code=code, number=1)


def _available(dossier: Dossier) -> list[dict[str, Any]]:
    """The actions the core allows now (``Dossier.allowed_events``; it decides again on
    submit)."""
    allowed = set(services.to_core(dossier).allowed_events(local_now()))
    out = []
    for slug, (event, label, fields) in ACTIONS.items():
        if event not in allowed:
            continue
        question, box = CONFIRMATIONS.get(event, ("", ""))
        out.append(
            {
                "slug": slug,
                "label": label,
                "fields": fields,
                "reason_required": event in REASON_REQUIRED,
                "confirm_question": question.format(code=dossier.code),
                "confirm_box": box,
            }
        )
    return out


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    dossier = access.dossier_for(request.user, code)
    context = {
        "dossier": dossier,
        "events": dossier.events.select_related("actor").all(),
        "actions": _available(dossier),
        "form": ActionForm(initial={"version": dossier.version}),
        "warning": worklist.warning(dossier),
        "supplement_limit": services.supplement_limit(dossier),
        "forms": _printable(dossier),
        "papers": papers.links(dossier),  # the control sheet, the notice of stopping
        # Forms 01 exist only for dossiers received here; a rated dossier needs no key.
        "can_issue_key": not dossier.rating and _has_event(dossier, "received"),
    }
    return render(request, "desk/dossier.html", context)


def _printable(dossier: Dossier) -> dict[int, FormReference]:
    """Forms 01–04 the dossier's history can print, each as numbered on its entry's day."""
    out = {}
    for number, (_paper, name) in FORMS.items():
        event = dossier.events.filter(event=name).order_by("-at", "-pk").first()
        if event is not None:
            out[number] = form_reference(number, event)
    return out


def _has_event(dossier: Dossier, event: str) -> bool:
    return dossier.events.filter(event=event).exists()


@login_required
@require_POST
def act(request: HttpRequest, code: str, action: str) -> HttpResponse:
    dossier = access.dossier_for(request.user, code)
    if action not in ACTIONS:
        raise Http404
    event, label, fields = ACTIONS[action]
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Dữ liệu không hợp lệ: "
            + "; ".join(
                f"{form.fields[k].label if k in form.fields else k}: {' '.join(v)}"
                for k, v in form.errors.items()
            ),
        )
        return redirect("desk:dossier", code=code)
    data = form.cleaned_data
    new_due = None
    if event is Event.APOLOGY and data["new_due"] is not None:
        # Appointments are for the end of the working day (assumed, as in cchc.service).
        new_due = dt.datetime.combine(data["new_due"], END_OF_WORKING_DAY, tzinfo=TZ)
    flags = {f: bool(data[f]) for f in ("e_result", "digitised", "paid_online") if f in fields}
    if event is Event.TRANSFERRED and not data["to"].strip():
        messages.error(request, "Hãy ghi nơi chuyển hồ sơ đến.")
        return redirect("desk:dossier", code=code)
    if event in IRREVERSIBLE and not data["confirm"]:
        # The required box of the form (and the browser's dialog) ask first; a request
        # without it (no browser check, a crafted post) changes nothing.
        messages.error(request, NOT_CONFIRMED.format(label=EVENT_LABELS[event]))
        return redirect("desk:dossier", code=code)
    try:
        updated = services.act(
            dossier,
            event,
            user=request.user,
            expected_version=data["version"],
            new_due_at=new_due,
            to=data["to"].strip(),
            note=data["note"],
            flags=flags,
            accept_late=data["accept_late"],
        )
    except services.DeskError as exc:
        messages.error(request, str(exc))
        return redirect("desk:dossier", code=code)
    messages.success(request, f"{label}: đã ghi nhận cho hồ sơ {code}.")
    if event is Event.SUPPLEMENT_COMPLETED and updated.due_at != dossier.due_at and updated.due_at:
        messages.info(
            request,
            f"Ngày hẹn trả mới: {format_datetime(updated.due_at.astimezone(TZ))} (in lại mẫu 01).",
        )
    number = next((n for n, (_p, ev) in FORMS.items() if ev == event.value), None)
    if number is not None:
        return redirect("desk:form", code=code, number=number)
    return redirect("desk:dossier", code=code)


@login_required
def print_form(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """Forms 01–04 as A4 print pages, numbered by the circular in force on the paper's day
    (Circular 01/2018 before 15/09/2025, Circular 03/2025 from then: ``form_on``), with the
    place-and-date line, the signature blocks of the form and the full look-up address."""
    dossier = access.dossier_for(request.user, code)
    if number not in FORMS:
        raise Http404
    paper, event_name = FORMS[number]
    event = (
        dossier.events.filter(event=event_name)
        .select_related("actor")
        .order_by("-at", "-pk")
        .first()
    )
    if event is None:
        raise Http404("Hồ sơ chưa có sự kiện tương ứng với mẫu này.")
    reference = form_reference(number, event)
    day = to_local(event.at)
    assert day is not None
    officer = papers.signer_name(event.actor)
    signatures = [
        {"title": title, "name": dossier.applicant_name if title == APPLICANT else officer}
        for title in SIGNATURES[paper]
    ]
    context: dict[str, Any] = {
        "dossier": dossier,
        "event": event,
        "form": reference,
        "title": reference.title,
        "number": number,
        "date_line": papers.date_line(dossier.unit, day.date()),
        "signatures": signatures,
        "lookup_url": papers.public_url(request, reverse("desk:lookup")),
        "desk": papers.DESK,
    }
    if number == 1:
        # Printed once: the key leaves the session with this page (reissue for a reprint).
        key = request.session.pop(_rating_key_slot(dossier.code), None)
        if key:
            link = papers.public_url(
                request, reverse("desk:lookup") + "?" + urlencode({"ma": dossier.code, "k": key})
            )
            context.update(rating_key=key, rating_link=link, rating_qr=_qr_svg(link))
    return render(request, "desk/print_form.html", context)


def _qr_svg(text: str) -> str:
    import segno

    # segno writes the SVG from the link alone (code and key from fixed alphabets).
    return mark_safe(segno.make(text, error="m").svg_inline(scale=3, title="Mã QR đánh giá"))


@login_required
def import_file(request: HttpRequest) -> HttpResponse:
    unit = access.import_scope(request.user)  # the API's rule too (POST /api/v1/dossiers/import)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    total = 0
    if request.method == "POST" and form.is_valid():
        try:
            received = uploads.receive(form.cleaned_data["file"], uploads.LEDGERS)
            count = import_ledger(
                received.stream, user=request.user, unit=unit, name=received.name,
                limits=uploads.table_limits(),
            )
        except uploads.UploadRejected as exc:
            problems, total = [str(exc)], 1
        except LedgerImportError as exc:
            problems, total = [str(p) for p in exc.problems], exc.total
        else:
            messages.success(request, f"Đã nhập {count} hồ sơ từ tệp {received.name}.")
            return redirect("desk:worklist" if unit is not None else "desk:dashboard")
    context = {"unit": unit, "form": form, "problems": problems, "total": total}
    return render(request, "desk/import.html", context, status=422 if problems else 200)


def chosen_period_and_unit(
    request: HttpRequest, choices: list[Unit]
) -> tuple[str, Period | None, str, str]:
    """The period (``?ky=``, the current quarter by default) and the unit (``?don-vi=``, one of
    ``choices``, the first by default) of a page about one unit's dossiers: (text, period or
    None, the period's error in Vietnamese, unit code)."""
    text = period_picker.period_text(request.GET) or quarter_of(local_now().date()).label
    error = ""
    period: Period | None = None
    try:
        period = parse_period(text)
    except PeriodError as exc:
        error = str(exc)
    code = request.GET.get("don-vi") or (choices[0].code if choices else "")
    code = current_code(code) or code  # a code the unit had before its official id
    if code not in {u.code for u in choices}:
        code = choices[0].code if choices else ""
    return text, period, error, code


def period_choice(period: Period | None) -> dict[str, Any]:
    """The period picker of a 766 page (``desk/_period_picker.html``)."""
    today = local_now().date()
    return period_picker.picker(period, quarter_of(today), today.year)


@login_required
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """The 766 index of a unit and period, each rate with its numerator and denominator."""
    allowed = access.dashboard_units(request.user)
    choices = (
        allowed
        if allowed is not None
        else list(
            Unit.objects.filter(Q(dossiers__isnull=False) | Q(code__in=portal766.imported_units()))
            .distinct()
            .order_by("code")
        )
    )
    text, period, error, code = chosen_period_and_unit(request, choices)
    unit_result = None
    if period is not None and code:
        result = dashboard.compute(period, [code])
        unit_result = result.units[0] if result.units else None
    # The six groups out of 100, the portal's file and the what-if panel (portal766).
    board = portal766.board_context(request, period, next((u for u in choices if u.code == code), None))
    context = {
        **board,
        "period_text": text,
        "error": error,
        "choices": choices,
        "code": code,
        "unit_name": next((u.name for u in choices if u.code == code), ""),
        "result": unit_result,
        "lines": dashboard.lines(unit_result) if unit_result else [],
        "max_points": dashboard.max_points(),
        "picker": period_choice(period),
        "api_url": reverse("api-1:service_index") + f"?period={text}&unit={code}",
    }
    return render(request, "desk/dashboard.html", context, status=400 if error else 200)
