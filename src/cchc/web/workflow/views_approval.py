"""The leader's approval before publication: the organiser proposes, the leader approves or
returns with a reason, and what publishing would change is shown to both.

The rules are ``cchc.par.approval``; the writes, checks and audit ``cchc.web.campaigns.approval``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from cchc.par.approval import APPROVAL_LABELS, Approval, may_publish
from cchc.par.scores import ScoresError
from cchc.web import permissions
from cchc.web.accounts.roles import is_office
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign
from cchc.web.campaigns.publication import changes, current_publication
from cchc.web.campaigns.results import campaign_results
from cchc.web.portal import pages
from cchc.web.workflow.pages import campaign_for, done, failed

# States from which the organiser may (again) propose the results.
_PROPOSABLE = (Approval.NONE, Approval.RETURNED, Approval.OUTDATED)


def publication_preview(campaign: Campaign) -> dict[str, object]:
    """What publishing would change: missing appraisals, or the units whose score, rank or
    band moves against the version in force (the leader approves what the organiser sees)."""
    current = current_publication(campaign.level, campaign.year)
    context: dict[str, object] = {"campaign": campaign, "current": current}
    missing = services.missing_appraisals(campaign)
    if missing:
        context["missing"] = missing
        return context
    try:
        candidate = campaign_results(campaign)
        before = pages.results_for(current, with_previous=False) if current else None
    except ScoresError as exc:
        context["problems"] = [str(p) for p in exc.errors]
        return context
    context["changes"] = changes(before, candidate)
    context["units"] = len(candidate.units)
    return context


def approval_context(user: Any, campaign: Campaign) -> dict[str, Any]:
    """The approval part of the campaign page: where the results stand, who did what, and
    which buttons this user gets."""
    if not is_office(user):  # an internal step: units see the published result only
        return {"show_approval": False}
    standing = approval.state(campaign)
    return {
        "show_approval": not campaign.is_published or campaign.approval != Approval.NONE,
        "approval": standing.value,
        "approval_label": APPROVAL_LABELS[standing],
        "approval_history": approval.history(campaign),
        "can_propose": permissions.can_propose(user, campaign) and standing in _PROPOSABLE,
        "can_decide": permissions.can_approve(user, campaign) and standing == Approval.PROPOSED,
        "can_publish": permissions.can_publish(user, campaign) and may_publish(standing),
    }


def _detail_url(campaign: Campaign) -> str:
    return reverse("workflow:campaign", args=[campaign.pk])


@require_POST
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser proposes the results as they stand to the leader."""
    campaign = campaign_for(request, pk)
    if not permissions.can_propose(request.user, campaign):
        raise PermissionDenied("Chỉ cơ quan tổ chức đánh giá được đề nghị phê duyệt kết quả.")
    url = _detail_url(campaign)
    try:
        approval.propose(campaign, user=request.user)
    except services.CampaignError as exc:
        return failed(request, url, exc)
    return done(request, url, "Đã đề nghị lãnh đạo phê duyệt kết quả trước khi công bố.")


@require_http_methods(["GET", "POST"])
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The leader reads what publishing would change, then approves or returns (with a
    reason the organiser reads on the campaign page)."""
    campaign = campaign_for(request, pk)
    if not permissions.can_approve(request.user, campaign):
        raise PermissionDenied("Chỉ lãnh đạo cơ quan tổ chức đánh giá được phê duyệt kết quả này.")
    page = reverse("workflow:approval", args=[campaign.pk])
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            if decision == "approve":
                approval.approve(campaign, user=request.user)
                message = "Đã phê duyệt kết quả; cơ quan tổ chức có thể công bố."
            elif decision == "return":
                approval.return_results(
                    campaign, user=request.user, reason=request.POST.get("reason", "")
                )
                message = "Đã trả lại kết quả cho cơ quan tổ chức, kèm lý do."
            else:
                raise services.CampaignError("Hãy chọn phê duyệt hoặc trả lại.")
        except services.CampaignError as exc:
            return failed(request, page, exc)
        return done(request, _detail_url(campaign), message)
    context = publication_preview(campaign)
    context.update(approval_context(request.user, campaign))
    return render(request, "workflow/approval.html", context)
