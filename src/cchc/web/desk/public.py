"""Public pages: dossier look-up by code, the citizen's rating (the catalogue: ``catalogue``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from cchc.web.desk import lookup
from cchc.web.desk.forms import RatingForm
from cchc.web.desk.rating import CRITERIA, WRONG_KEY, can_rate, holds_key, rate
from cchc.web.desk.services import DeskError


@require_GET
def lookup_page(request: HttpRequest) -> HttpResponse:
    """``/tra-cuu/?ma=CODE``: status, appointment and timeliness, no personal data."""
    code = request.GET.get("ma", "").strip()
    key = request.GET.get("k", "").strip()
    context: dict[str, object] = {"code": code, "key": key}
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
                context["code"] = found.code  # as issued, whatever the case typed
                context["dossier"] = lookup.public_view(found)
                # The rating form only for the holder of the receipt's key (the code alone
                # is guessable); a wrong key is said so, a missing one is asked for.
                # Without a digest (imported, or received before keys existed) nobody holds
                # a key, so there is nothing to ask for until an officer issues one.
                if can_rate(found) and found.rating_key_digest:
                    if holds_key(found, key):
                        context["rating_form"] = lookup.RenderedRatingForm()
                    else:
                        context["ask_key"] = True
                        if key:
                            context["key_error"] = WRONG_KEY
                            status = 403
    return render(request, "desk/lookup.html", context, status=status)


@require_POST
def rate_view(request: HttpRequest, code: str) -> HttpResponse:
    """One rating per dossier, once it is finished."""
    if not lookup.allow(request):
        return render(request, "desk/lookup.html", {"code": code, "error": lookup.LIMIT_MESSAGE}, status=429)
    found = lookup.find(code)
    if found is None:
        raise Http404
    key = request.POST.get("k", "")
    back = reverse("desk:lookup") + f"?ma={found.code}"
    if not holds_key(found, key):
        context = {"code": found.code, "key": "", "error": WRONG_KEY}
        return render(request, "desk/lookup.html", context, status=403)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy chọn Hài lòng hoặc Không hài lòng.")
        return redirect(back + "&" + urlencode({"k": key}))
    answers = {c.code: form.cleaned_data.get(f"c_{c.code}") or "" for c in CRITERIA}
    try:
        rate(found, form.cleaned_data["value"], answers, form.cleaned_data["comment"], key=key)
    except DeskError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Cảm ơn bạn đã đánh giá việc giải quyết hồ sơ.")
    return redirect(back)
