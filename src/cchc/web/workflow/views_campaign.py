"""The organiser's pages: campaigns, creation, phases and dates, survey scores, publishing."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cchc.par.approval import may_publish, publish_refusal
from cchc.par.framework import FrameworkError
from cchc.web import permissions
from cchc.web.accounts.models import Role
from cchc.web.accounts.roles import is_approver
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.frameworks import engine_framework, scored_nodes
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework, Status
from cchc.web.units.models import Unit
from cchc.web.workflow import campaigns as flow
from cchc.web.workflow import uncertainty as survey_error
from cchc.web.workflow.access import can_open_campaign, is_office, role, visible_units
from cchc.web.workflow.pages import campaign_for, done, failed, parse_date
from cchc.web.workflow.submission import missing_self_scores
from cchc.web.workflow.surveys import (
    enter_survey_scores,
    import_survey_file,
    marked_survey_codes,
    survey_nodes,
)
from cchc.web.workflow.views_approval import approval_context, publication_preview


def _detail_url(campaign: Campaign) -> str:
    return reverse("workflow:campaign", args=[campaign.pk])


@require_GET
def campaign_list(request: HttpRequest) -> HttpResponse:
    """Every campaign the user takes part in, newest first."""
    if not (is_office(request.user) or role(request.user) == Role.UNIT_OFFICER):
        raise PermissionDenied
    rows = [c for c in Campaign.objects.select_related("framework") if can_open_campaign(request.user, c)]
    return render(
        request,
        "workflow/campaigns.html",
        {
            "campaigns": rows,
            "can_create": permissions.can_manage_campaigns(request.user),
            # The leader's landing page: what awaits their approval comes first.
            "awaiting": approval.awaiting(request.user) if is_approver(request.user) else None,
        },
    )


def _dates(request: HttpRequest) -> dict[str, object]:
    labels = {
        "self_assessment_start": "Tự đánh giá từ", "self_assessment_end": "Tự đánh giá đến",
        "appraisal_start": "Thẩm định từ", "appraisal_end": "Thẩm định đến",
        "objections_start": "Kiến nghị từ", "objections_end": "Kiến nghị đến",
    }
    return {name: parse_date(request.POST.get(name, ""), label) for name, label in labels.items()}


@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """Create a campaign: a framework (its level and year), units of that level, dates,
    which components come from surveys."""
    if not permissions.can_manage_campaigns(request.user):
        raise PermissionDenied
    frameworks = list(Framework.objects.all())
    chosen = request.POST.get("framework") or request.GET.get("framework")
    framework = get_object_or_404(Framework, pk=chosen) if chosen and chosen.isdigit() else None
    context: dict[str, object] = {"frameworks": frameworks, "framework": framework}
    if framework is not None:
        try:
            fw = engine_framework(framework)
        except FrameworkError as exc:
            context["error"] = str(exc)
            return render(request, "workflow/create.html", context, status=400)
        # Units that existed during the assessed year (districts were abolished on 01/07/2025).
        start, end = dt.date(fw.year, 1, 1), dt.date(fw.year, 12, 31)
        context["units"] = (
            Unit.objects.filter(level=fw.level)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
            .order_by("code")
        )
        context["nodes"] = scored_nodes(fw)
        # The framework's survey components are fixed; others may be ticked.
        context["survey_default"] = context["survey_fixed"] = marked_survey_codes(fw)
        context["default_name"] = f"Đánh giá {fw.name[0].lower()}{fw.name[1:]} năm {fw.year}"
    if request.method == "POST" and framework is not None:
        units = list(Unit.objects.filter(code__in=request.POST.getlist("units")))
        try:
            campaign = flow.open_campaign(
                framework,
                units,
                user=request.user,
                name=request.POST.get("name", "").strip(),
                dates=_dates(request),  # type: ignore[arg-type]
                survey=request.POST.getlist("survey"),
                organisation=request.POST.get("organisation", "").strip(),
                place=request.POST.get("place", "").strip(),
            )
        except services.CampaignError as exc:
            context["error"] = str(exc)
            return render(request, "workflow/create.html", context, status=400)
        return done(request, _detail_url(campaign), f"Đã tạo đợt đánh giá “{campaign.name}”.")
    return render(request, "workflow/create.html", context)


@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: phases and dates, units and their progress, the organiser's actions."""
    campaign = campaign_for(request, pk)
    units = visible_units(request.user, campaign)
    counts = {
        row["campaign_unit"]: row
        for row in CriterionScore.objects.filter(campaign_unit__in=units)
        .values("campaign_unit")
        .annotate(
            scored=Count("id", filter=Q(self_score__isnull=False) | Q(not_applicable=True)),
            appraised=Count(
                "id", filter=Q(appraised_score__isnull=False) | Q(appraised_not_applicable=True)
            ),
            total=Count("id"),
        )
    }
    rows = [
        {"cu": cu, "counts": counts.get(cu.pk, {}), "missing": len(missing_self_scores(cu))}
        for cu in units
    ]
    manage = permissions.can_change_phase(request.user, campaign)
    next_phase = flow.NEXT_PHASE.get(campaign.status)
    return render(
        request,
        "workflow/campaign.html",
        {
            "campaign": campaign,
            "rows": rows,
            "phases": flow.phase_rows(campaign),
            "manage": manage,
            # The one phase form: every phase but "published" (its own page), the next
            # phase chosen, and what closing the current one takes away.
            "statuses": [(s, Status(s).label) for s in Status.values if s != Status.PUBLISHED],
            "target": next_phase[0] if next_phase else campaign.status,
            "closing": flow.CLOSING.get(campaign.status, "") if next_phase else "",
            "survey": survey_nodes(campaign),
            "can_results": permissions.can_view_results(request.user, campaign),
            **approval_context(request.user, campaign),
            "can_uncertainty": permissions.can_upload_uncertainty(request.user, campaign),
        },
    )


@require_POST
def change_phase(request: HttpRequest, pk: int) -> HttpResponse:
    """The one phase control: any phase but "published"; moving forward is confirmed."""
    campaign = campaign_for(request, pk)
    url = _detail_url(campaign)
    try:
        flow.move_phase(
            campaign,
            request.POST.get("status", ""),
            user=request.user,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except services.CampaignError as exc:
        return failed(request, url, exc)
    return done(request, url, f"Đợt đánh giá chuyển sang giai đoạn: {campaign.get_status_display()}.")


@require_POST
def set_dates(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = campaign_for(request, pk)
    url = _detail_url(campaign)
    try:
        flow.set_dates(campaign, _dates(request), user=request.user)  # type: ignore[arg-type]
    except services.CampaignError as exc:
        return failed(request, url, exc)
    return done(request, url, "Đã lưu thời gian các giai đoạn.")


@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publishing is deliberate: only results the leader approved; a confirmation page shows
    what changes against the version in force; a correction needs its reason; the POST must
    carry the confirmation."""
    campaign = campaign_for(request, pk)
    if not permissions.can_publish(request.user, campaign):
        raise PermissionDenied
    url = _detail_url(campaign)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.publish(campaign, user=request.user, reason=request.POST.get("reason", ""))
        except services.CampaignError as exc:
            return failed(request, reverse("workflow:publish", args=[campaign.pk]), exc)
        return done(
            request,
            url,
            f"Đã công bố kết quả (phiên bản {campaign.version}); bảng xếp hạng hiện trên cổng thông tin.",
        )
    standing = approval.state(campaign)
    if not may_publish(standing):
        # Only results the leader approved, unchanged since, are published.
        context: dict[str, object] = {"campaign": campaign, "unapproved": publish_refusal(standing)}
    else:
        context = publication_preview(campaign)
        if request.method == "POST":
            context["error"] = "Hãy đánh dấu xác nhận trước khi công bố."
    refused = "missing" in context or "problems" in context or "unapproved" in context
    status = 409 if refused else 200
    return render(request, "workflow/publish.html", context, status=status)


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, pk: int) -> HttpResponse:
    """Survey components: typed in a table (one row per unit) or imported from CSV/XLSX."""
    campaign = campaign_for(request, pk)
    if not permissions.can_manage_campaigns(request.user) or campaign.is_published:
        raise PermissionDenied
    nodes = survey_nodes(campaign)
    url = reverse("workflow:survey", args=[campaign.pk])
    if request.method == "POST":
        try:
            if "file" in request.FILES:
                written = import_survey_file(campaign, request.FILES["file"], user=request.user)
            else:
                values = {
                    cu.unit.code: {n.code: request.POST.get(f"{cu.unit.code}:{n.code}", "") for n in nodes}
                    for cu in campaign.units.select_related("unit")
                }
                written = enter_survey_scores(campaign, values, user=request.user)
        except services.CampaignError as exc:
            return failed(request, url, exc)
        return done(request, url, f"Đã lưu {written} điểm điều tra xã hội học.")
    scores = {
        (s.campaign_unit.unit.code, s.node_code): s.appraised_score
        for s in CriterionScore.objects.filter(
            campaign_unit__campaign=campaign, node_code__in=[n.code for n in nodes]
        ).select_related("campaign_unit__unit")
    }
    rows = [
        {"unit": cu.unit, "cells": [{"node": n, "value": scores.get((cu.unit.code, n.code))} for n in nodes]}
        for cu in campaign.units.select_related("unit").order_by("unit__code")
    ]
    return render(request, "workflow/survey.html", {"campaign": campaign, "nodes": nodes, "rows": rows})


@require_http_methods(["GET", "POST"])
def uncertainty(request: HttpRequest, pk: int) -> HttpResponse:
    """The sampling error of surveys run outside cchc: the organiser uploads the uncertainty
    file of ``cchc par robustness`` (or removes it); the results pages then show how sure
    each rank is. A file that cannot be used answers 422 with every problem (row, column)
    and nothing is kept."""
    from cchc.par.uncertainty import UncertaintyError
    from cchc.tables import more_text
    from cchc.web.portal import pages
    from cchc.web.uploads import UploadRejected

    campaign = campaign_for(request, pk)
    if not permissions.can_upload_uncertainty(request.user, campaign):
        raise PermissionDenied
    url = reverse("workflow:uncertainty", args=[campaign.pk])
    error, problems = "", []
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                removed = survey_error.remove_uncertainty(campaign, user=request.user)
                return done(
                    request, url,
                    "Đã gỡ tệp sai số khảo sát." if removed else "Chưa có tệp sai số khảo sát nào.",
                )
            upload = request.FILES.get("file")
            if upload is None:
                error = "Chưa chọn tệp sai số khảo sát (.csv hoặc .xlsx)."
            else:
                _, items = survey_error.upload_uncertainty(campaign, upload, user=request.user)
                return done(
                    request, url, f"Đã lưu sai số khảo sát: {survey_error.summary(items)}."
                )
        except UploadRejected as exc:
            error = str(exc)
        except UncertaintyError as exc:
            error = "Tệp không được lưu (không dòng nào được lưu khi còn lỗi):"
            problems = [p.message for p in exc.problems]
            if exc.total > len(exc.problems):
                problems.append(more_text(exc.total - len(exc.problems)))
        except services.CampaignError as exc:
            return failed(request, url, exc)
    stored = survey_error.stored_uncertainty(campaign)
    stale = None
    if stored is not None:
        _, stale = survey_error.checked_uncertainty(stored, pages.results_for(campaign))
    results_url = (
        reverse("portal:ranking", args=[campaign.level, campaign.year])
        if campaign.is_published
        else reverse("portal:campaign_ranking", args=[campaign.pk])
    )
    return render(
        request,
        "workflow/uncertainty.html",
        {
            "campaign": campaign,
            "stored": stored,
            "stale": [p.message for p in stale.problems] if stale else [],
            "error": error,
            "problems": problems,
            "results_url": results_url,
            "max_mb": survey_error.MAX_FILE_BYTES // (1024 * 1024),
        },
        status=422 if error else 200,
    )
