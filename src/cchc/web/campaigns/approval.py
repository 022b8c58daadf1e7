"""The leader's approval of a campaign's results: stored on the campaign, audited, checked.

The rules (which step may follow which, when an approval is outdated) are
``cchc.par.approval``; this module adds the permission checks (``cchc.web.permissions``),
the transaction, the fingerprint of the campaign's scores and one audit entry per step
(who, when, old → new state, reason). ``user=None`` is the system itself (the demo loader).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.par.approval import (
    APPROVAL_LABELS,
    STEP_LABELS,
    Approval,
    ApprovalError,
    Step,
    apply,
    effective,
    results_digest,
)
from cchc.par.values import NOT_APPLICABLE
from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, CriterionScore, Status
from cchc.web.ops.audit import record

ACTION = "campaign.approval"


def current_digest(campaign: Campaign) -> str:
    """The fingerprint of the campaign's final scores as they are now (appraised and own
    values: whatever the published result would be computed from)."""
    # Plain rows, not model instances: a whole country's communes are some 350.000 scores,
    # read at each approval step and again at publication. The text of each value is the
    # one ``CriterionScore.appraised_value``/``self_value`` would give (same field
    # converters: Decimal("4.50"), "KAD", ""), so digests stored before stay valid.
    rows = (
        CriterionScore.objects.filter(campaign_unit__campaign=campaign)
        .order_by("campaign_unit__unit__code", "node_code")
        .values_list(
            "campaign_unit__unit__code", "node_code",
            "appraised_not_applicable", "appraised_score", "not_applicable", "self_score",
        )
    )
    return results_digest(
        (unit, node, f"{_value(a_na, appraised)}|{_value(s_na, own)}")
        for unit, node, a_na, appraised, s_na, own in rows.iterator(chunk_size=20_000)
    )


def _value(not_applicable: bool, score: Decimal | None) -> str:
    if not_applicable:
        return str(NOT_APPLICABLE)  # "KAD", whatever the number beside it
    return "" if score is None else str(score)  # Decimal("12.50")


def state(campaign: Campaign) -> Approval:
    """Where the campaign's results stand with the leader, now."""
    if campaign.approval in (Approval.PROPOSED, Approval.APPROVED):
        return effective(campaign.approval, campaign.approval_digest, current_digest(campaign))
    return Approval(campaign.approval)


def _step(campaign: Campaign, step: Step, *, user: Any, reason: str = "", digest: str = "") -> Campaign:
    before = state(campaign)
    try:
        after = apply(before, step, reason=reason)
    except ApprovalError as exc:
        raise services.CampaignError(str(exc)) from None
    campaign.approval = after.value
    if step == Step.PROPOSE:
        campaign.approval_digest = digest
    elif step == Step.WITHDRAW:
        campaign.approval_digest = ""
    campaign.approval_reason = reason if step == Step.RETURN else ""
    campaign.approval_by = user if getattr(user, "is_authenticated", False) else None
    campaign.approval_at = timezone.now()
    campaign.save(
        update_fields=["approval", "approval_digest", "approval_reason", "approval_by", "approval_at"]
    )
    record(
        actor=user,
        action=ACTION,
        object_type="campaign",
        object_id=campaign.pk,
        field="approval",
        old=before.value,
        new=after.value,
        reason=reason,
    )
    return campaign


def _locked(campaign: Campaign) -> Campaign:
    """The campaign re-read under a row lock for this transaction (two steps never
    interleave)."""
    Campaign.objects.select_for_update().filter(pk=campaign.pk).exists()
    campaign.refresh_from_db()
    return campaign


@transaction.atomic
def propose(campaign: Campaign, *, user: Any) -> Campaign:
    """The organiser proposes the results as they stand now; refused while they could not
    be published (a criterion without an appraised value, scores the engine refuses)."""
    if user is not None and not permissions.can_propose(user, campaign):
        raise services.NotAllowed("Chỉ cơ quan tổ chức đánh giá được đề nghị phê duyệt kết quả.")
    campaign = _locked(campaign)
    if campaign.is_published:
        raise services.CampaignError("Đợt đánh giá này đã được công bố.")
    services.check_publishable(campaign)
    return _step(campaign, Step.PROPOSE, user=user, digest=current_digest(campaign))


@transaction.atomic
def approve(campaign: Campaign, *, user: Any) -> Campaign:
    """A leader of the organising body approves the proposed results (still unchanged)."""
    if user is not None and not permissions.can_approve(user, campaign):
        raise services.NotAllowed("Chỉ lãnh đạo cơ quan tổ chức đánh giá được phê duyệt kết quả này.")
    return _step(_locked(campaign), Step.APPROVE, user=user)


@transaction.atomic
def return_results(campaign: Campaign, *, user: Any, reason: str) -> Campaign:
    """A leader of the organising body returns the proposal; the reason is required and
    shown to the organiser."""
    if user is not None and not permissions.can_approve(user, campaign):
        raise services.NotAllowed("Chỉ lãnh đạo cơ quan tổ chức đánh giá được trả lại kết quả này.")
    reason = services.require_reason(
        reason, "Trả lại kết quả: phải ghi lý do để cơ quan tổ chức biết cần sửa gì."
    )
    return _step(_locked(campaign), Step.RETURN, user=user, reason=reason)


def withdraw(campaign: Campaign, *, user: Any, reason: str) -> None:
    """Drop a pending proposal or approval (the caller checked the permission and holds
    the transaction): the phase moved, so the results proposed are no longer the ones to
    publish. Nothing happens when nothing was proposed."""
    if campaign.approval != Approval.NONE:
        _step(campaign, Step.WITHDRAW, user=user, reason=reason)


def awaiting(user: Any) -> list[Campaign]:
    """Proposals waiting for this leader: unpublished campaigns whose results are proposed,
    unchanged since, and which this user may approve."""
    candidates = Campaign.objects.filter(approval=Approval.PROPOSED).exclude(status=Status.PUBLISHED)
    return [
        c for c in candidates.select_related("framework", "approval_by")
        if permissions.can_approve(user, c) and state(c) == Approval.PROPOSED
    ]


@dataclass(frozen=True)
class ApprovalStep:
    at: datetime
    actor: str
    step: str
    old: str
    new: str
    reason: str


def history(campaign: Campaign) -> list[ApprovalStep]:
    """Every approval step of the campaign, oldest first, as the audit chain recorded it."""
    from cchc.web.ops.models import AuditEntry

    labels = {a.value: APPROVAL_LABELS[a] for a in Approval}
    steps = {
        (Approval.NONE.value, Approval.PROPOSED.value): Step.PROPOSE,
        (Approval.RETURNED.value, Approval.PROPOSED.value): Step.PROPOSE,
        (Approval.OUTDATED.value, Approval.PROPOSED.value): Step.PROPOSE,
        (Approval.PROPOSED.value, Approval.APPROVED.value): Step.APPROVE,
        (Approval.PROPOSED.value, Approval.RETURNED.value): Step.RETURN,
    }
    out = []
    for entry in AuditEntry.objects.filter(
        object_type="campaign", object_id=str(campaign.pk), action=ACTION
    ).order_by("seq"):
        old, new = entry.old or "", entry.new or ""
        step = steps.get((old, new), Step.WITHDRAW)
        out.append(
            ApprovalStep(
                entry.at, entry.actor, STEP_LABELS[step], labels.get(old, old),
                labels.get(new, new), entry.reason,
            )
        )
    return out
