"""Who may see and change what: object-level checks every view calls on the server.

One function per question, each taking the user and the object, so a permission test reads
like the rule it checks. Phase rules (docs/field.md §3): units self-score during
self-assessment, appraisers adjust during appraisal, units object and appraisers answer
during objections; only published results are public.
"""

from __future__ import annotations

from typing import Any

from cchc.web.accounts.models import Role
from cchc.web.accounts.roles import MANAGER_ROLES as _MANAGERS
from cchc.web.accounts.roles import OFFICE_ROLES as _OFFICE_ROLES
from cchc.web.accounts.roles import is_approver as _is_approver
from cchc.web.accounts.roles import role as _role
from cchc.web.campaigns.models import Campaign, CampaignUnit, CriterionScore, Evidence, Status


def is_officer_of(user: Any, campaign_unit: CampaignUnit) -> bool:
    """The user is the CCHC officer of this campaign unit's unit."""
    return _role(user) == Role.UNIT_OFFICER and user.unit_id == campaign_unit.unit_id


def can_view_campaign(user: Any, campaign: Campaign) -> bool:
    """Published: everyone. Before: the office roles, and officers of units taking part."""
    if campaign.is_published:
        return True
    role = _role(user)
    if role in _OFFICE_ROLES:
        return True
    if role == Role.UNIT_OFFICER and user.unit_id is not None:
        return campaign.units.filter(unit_id=user.unit_id).exists()
    return False


def can_view_unit_scores(user: Any, campaign_unit: CampaignUnit) -> bool:
    """Detailed scores, explanations and history: the office roles and the unit's own officer;
    after publication, everyone sees the final scores (evidence stays restricted)."""
    if campaign_unit.campaign.is_published:
        return True
    return _role(user) in _OFFICE_ROLES or is_officer_of(user, campaign_unit)


def can_view_evidence(user: Any, evidence: Evidence) -> bool:
    """Evidence files are never public: the office roles and the unit's own officer."""
    cu = evidence.criterion_score.campaign_unit
    return _role(user) in _OFFICE_ROLES or is_officer_of(user, cu)


def can_edit_unit_scores(user: Any, campaign_unit: CampaignUnit) -> bool:
    """Self-assessment: the unit's own officer, in the self-assessment phase, before submitting."""
    return (
        is_officer_of(user, campaign_unit)
        and campaign_unit.campaign.status == Status.SELF_ASSESSMENT
        and not campaign_unit.submitted
    )


def can_edit_criterion(user: Any, score: CriterionScore) -> bool:
    """As ``can_edit_unit_scores``, and the criterion itself is not locked."""
    return can_edit_unit_scores(user, score.campaign_unit) and not score.self_locked


def can_appraise(user: Any, campaign: Campaign) -> bool:
    """Appraisers, in the appraisal phase."""
    return _role(user) == Role.APPRAISER and campaign.status == Status.APPRAISAL


def can_appraise_criterion(user: Any, score: CriterionScore) -> bool:
    return can_appraise(user, score.campaign_unit.campaign) and not score.appraisal_locked


def can_object(user: Any, campaign_unit: CampaignUnit) -> bool:
    """The unit's own officer, in the objections phase."""
    return (
        is_officer_of(user, campaign_unit)
        and campaign_unit.campaign.status == Status.OBJECTIONS
    )


def can_answer_objection(user: Any, campaign: Campaign) -> bool:
    """Appraisers answer objections, in the objections phase."""
    return _role(user) == Role.APPRAISER and campaign.status == Status.OBJECTIONS


def can_manage_campaigns(user: Any) -> bool:
    """Create campaigns, load frameworks, move phases: the organiser and the administrator."""
    return _role(user) in _MANAGERS


def can_upload_uncertainty(user: Any, campaign: Campaign) -> bool:
    """The sampling error of the campaign's surveys run outside cchc: the organiser (and the
    administrator), in any phase, published or not, since it changes no score, only how
    sure the ranks are said to be."""
    return can_manage_campaigns(user) and campaign.pk is not None


def can_change_phase(user: Any, campaign: Campaign) -> bool:
    return can_manage_campaigns(user) and not campaign.is_published


# The phases from which results may be proposed, approved and published (objections may be
# skipped).
_CLOSING_PHASES = (Status.APPRAISAL, Status.OBJECTIONS)


def can_publish(user: Any, campaign: Campaign) -> bool:
    """The organiser (or administrator) publishes once objections are closed or skipped
    (and the leader approved: ``cchc.web.campaigns.approval``)."""
    return can_manage_campaigns(user) and campaign.status in _CLOSING_PHASES


def can_propose(user: Any, campaign: Campaign) -> bool:
    """The organiser (or administrator) proposes the results to the leader, in the same
    phases as publishing."""
    return can_publish(user, campaign)


def leads_organisation_of(user: Any, campaign: Campaign) -> bool:
    """The user is a leader of the body that runs the campaign: their unit lies above every
    unit assessed (the province for its districts, the town for its communes). A leader
    without a unit, or of an assessed unit itself, does not lead the organising body."""
    leader_unit = getattr(user, "unit_id", None) if _is_approver(user) else None
    if leader_unit is None:
        return False
    units = list(campaign.units.select_related("unit__parent__parent__parent"))
    if not units:
        return False
    for cu in units:
        ancestor, above = cu.unit.parent, False
        while ancestor is not None:
            if ancestor.pk == leader_unit:
                above = True
                break
            ancestor = ancestor.parent
        if not above:
            return False
    return True


def can_approve(user: Any, campaign: Campaign) -> bool:
    """A leader of the organising body approves or returns proposed results, in the phases
    from which they may be published."""
    return campaign.status in _CLOSING_PHASES and leads_organisation_of(user, campaign)


def can_view_results(user: Any, campaign: Campaign) -> bool:
    """Rankings: public once published; before that the office roles only (no unit sees
    the others' provisional results)."""
    return campaign.is_published or _role(user) in _OFFICE_ROLES


def can_view_unit_gaps(user: Any, campaign_unit: CampaignUnit) -> bool:
    """Where a unit's next points are: its own CCHC officer, the leader, the organiser and
    the administrator."""
    return _role(user) in _GAPS_ROLES or is_officer_of(user, campaign_unit)


_GAPS_ROLES = frozenset({Role.ADMINISTRATOR, Role.ORGANISER, Role.LEADER})
