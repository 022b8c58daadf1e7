"""Public pages: dossier look-up by code, the citizen's rating, the procedure catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cchc.web.desk import lookup
from cchc.web.desk.forms import RatingForm
from cchc.web.desk.models import Procedure
from cchc.web.desk.rating import CRITERIA, can_rate, rate
from cchc.web.desk.services import DeskError


@require_GET
def lookup_page(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/?ma=CODE``: status, appointment and timeliness, no personal data."""
    code = request.GET.get("ma", "").strip()
    context: dict[str, object] = {"code": code}
    status = 200
    if code:
        if not lookup.allow(request):
            context["error"] = lookup.LIMIT_MESSAGE
            status = 429
        else:
            found = lookup.find(code)
            if found is None:
                context["error"] = f"Không tìm thấy hồ sơ có mã {code}. Hãy kiểm tra lại mã trên giấy hẹn."
                status = 404
            else:
                context["dossier"] = lookup.public_view(found)
                if can_rate(found):
                    context["rating_form"] = lookup.RenderedRatingForm()
    return render(request, "desk/lookup.html", context, status=status)


@require_POST
def rate_view(request: HttpRequest, code: str) -> HttpResponse:
    """One rating per dossier, once it is finished."""
    if not lookup.allow(request):
        return render(request, "desk/lookup.html", {"code": code, "error": lookup.LIMIT_MESSAGE}, status=429)
    found = lookup.find(code)
    if found is None:
        raise Http404
    form = RatingForm(request.POST)
    back = reverse("desk:lookup") + f"?ma={found.code}"
    if not form.is_valid():
        messages.error(request, "Hãy chọn Hài lòng hoặc Không hài lòng.")
        return redirect(back)
    answers = {c.code: form.cleaned_data.get(f"c_{c.code}") or "" for c in CRITERIA}
    try:
        rate(found, form.cleaned_data["value"], answers, form.cleaned_data["comment"])
    except DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ.")
    return redirect(back)


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """The procedure catalogue: time limits, fees, online service."""
    procedures = Procedure.objects.all()
    return render(
        request,
        "desk/catalogue.html",
        {"procedures": procedures, "illustrative": procedures.filter(illustrative=True).exists()},
    )
