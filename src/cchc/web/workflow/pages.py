"""Shared helpers of the workflow views: loading objects with their checks, form values."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404

from cchc import fmt
from cchc.web.accounts.models import Role
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, CampaignUnit, CriterionScore
from cchc.web.workflow.access import can_open_campaign, can_open_unit, role


def refuse(request: HttpRequest) -> None:
    """A unit officer gets 404 for what is not theirs (not even its existence is shown);
    everyone else 403 (the public is sent to log in by the platform's 403 handler)."""
    if role(request.user) == Role.UNIT_OFFICER:
        raise Http404("Không tìm thấy.")
    raise PermissionDenied("Bạn không có quyền xem trang này.")


def campaign_for(request: HttpRequest, pk: int) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    if not can_open_campaign(request.user, campaign):
        refuse(request)
    return campaign


def unit_for(request: HttpRequest, pk: int, code: str) -> CampaignUnit:
    cu = get_object_or_404(
        CampaignUnit.objects.select_related("campaign__framework", "unit"),
        campaign_id=pk,
        unit__code=code,
    )
    if not can_open_unit(request.user, cu):
        refuse(request)
    return cu


def score_for(request: HttpRequest, pk: int, code: str, node: str) -> CriterionScore:
    cu = unit_for(request, pk, code)
    score = get_object_or_404(CriterionScore, campaign_unit=cu, node_code=node)
    score.campaign_unit = cu  # reuse the loaded unit and campaign
    return score


def parse_date(value: str, label: str) -> dt.date | None:
    """A date from a form: yyyy-mm-dd (date inputs) or dd/mm/yyyy (typed); blank → None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return fmt.parse_date(value)
    except fmt.ParseDateError as exc:
        raise services.CampaignError(f"{label}: {exc}") from None


def version_of(request: HttpRequest) -> int | None:
    """The score version the form was opened with (optimistic locking)."""
    raw = request.POST.get("version", "")
    if not raw.isdigit():
        raise services.CampaignError("Biểu mẫu thiếu phiên bản điểm; vui lòng tải lại trang.")
    return int(raw)


def done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(url)


def failed(request: HttpRequest, url: str, exc: Exception) -> HttpResponse:
    """A refused change: the reason on the page the user came from (never a traceback)."""
    if isinstance(exc, services.NotAllowed):
        raise PermissionDenied(str(exc))
    messages.error(request, str(exc))
    return HttpResponseRedirect(url)


def post_text(request: HttpRequest, name: str) -> str:
    value: Any = request.POST.get(name, "")
    return str(value)
