"""Who may open the workflow pages (on top of ``cchc.web.permissions``).

The workflow pages are working documents (explanations, evidence, history): only the people
taking part open them — the office roles, and a unit officer for their own unit. The public
reads published results on the portal instead, even though ``permissions`` lets everyone
see a published campaign's final scores.
"""

from __future__ import annotations

from typing import Any

from cchc.web import permissions
from cchc.web.accounts.models import Role
from cchc.web.accounts.roles import OFFICE_ROLES, is_office, role
from cchc.web.campaigns.models import Campaign, CampaignUnit

__all__ = ["OFFICE_ROLES", "can_open_campaign", "can_open_unit", "is_office", "role", "visible_units"]


def can_open_campaign(user: Any, campaign: Campaign) -> bool:
    """The office roles, and officers of a unit taking part."""
    if is_office(user):
        return True
    return (
        role(user) == Role.UNIT_OFFICER
        and user.unit_id is not None
        and campaign.units.filter(unit_id=user.unit_id).exists()
    )


def can_open_unit(user: Any, campaign_unit: CampaignUnit) -> bool:
    """A unit's score pages: the office roles and that unit's own officer."""
    return is_office(user) or permissions.is_officer_of(user, campaign_unit)


def visible_units(user: Any, campaign: Campaign) -> list[CampaignUnit]:
    """The campaign's units this user may open, in code order."""
    units = campaign.units.select_related("unit").order_by("unit__code")
    if is_office(user):
        return list(units)
    return [cu for cu in units if permissions.is_officer_of(user, cu)]
