"""Submitting a unit's self-assessment when some components come from surveys.

``services.submit_unit`` wants every scored node self-scored; survey components are never
self-scored (the organiser enters them), so this version asks only for the others. It
locks, stamps and records exactly as the service does.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from cchc.web import permissions
from cchc.web.campaigns import services
from cchc.web.campaigns.models import CampaignUnit, ScoreChange
from cchc.web.workflow.surveys import survey_codes


def missing_self_scores(campaign_unit: CampaignUnit) -> list[str]:
    """Criteria the unit must still score before it may submit."""
    survey = survey_codes(campaign_unit.campaign)
    return list(
        campaign_unit.scores.filter(self_score__isnull=True, not_applicable=False)
        .exclude(node_code__in=survey)
        .values_list("node_code", flat=True)
    )


@transaction.atomic
def submit_self_assessment(campaign_unit: CampaignUnit, *, user: Any) -> CampaignUnit:
    """Submit: every self-scored criterion has a score; then all locked (no more edits)."""
    campaign_unit = CampaignUnit.objects.select_for_update().get(pk=campaign_unit.pk)
    if not permissions.can_edit_unit_scores(user, campaign_unit):
        raise services.NotAllowed("Bạn không được nộp bản tự đánh giá của đơn vị này.")
    blank = missing_self_scores(campaign_unit)
    if blank:
        raise services.CampaignError(f"Chưa chấm điểm tiêu chí: {', '.join(blank)}.")
    campaign_unit.scores.update(self_locked=True)
    campaign_unit.submitted_at = timezone.now()
    campaign_unit.submitted_by = user
    campaign_unit.save(update_fields=["submitted_at", "submitted_by"])
    ScoreChange.objects.bulk_create(
        ScoreChange(criterion_score=s, user=user, field="submitted", old="", new="Đã nộp")
        for s in campaign_unit.scores.all()
    )
    return campaign_unit
