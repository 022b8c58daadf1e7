"""The one role helper of every app: which role a user acts in, and the groups of roles.

Each app keeps its rules about objects in one module (``cchc.web.permissions`` for
campaigns, ``desk.access``, ``surveys.access``, ``workflow.access``); all of them ask this
module who the user is, so "signed in, active, with this role" is decided once.
"""

from __future__ import annotations

from typing import Any, Final

from cchc.web.accounts.models import Role

#: The office: read every campaign of their office before publication.
OFFICE_ROLES: Final = frozenset({Role.ADMINISTRATOR, Role.ORGANISER, Role.APPRAISER, Role.LEADER})
#: Those who manage: create campaigns and surveys, move phases, publish.
MANAGER_ROLES: Final = frozenset({Role.ADMINISTRATOR, Role.ORGANISER})
#: Those who approve a campaign's results before publication (bound to their body's unit).
APPROVER_ROLES: Final = frozenset({Role.LEADER})


def role(user: Any) -> str | None:
    """The role the user acts in: None for the public, an inactive or a role-less account."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return str(getattr(user, "role", "")) or None


def is_office(user: Any) -> bool:
    return role(user) in OFFICE_ROLES


def is_manager(user: Any) -> bool:
    return role(user) in MANAGER_ROLES


def is_approver(user: Any) -> bool:
    return role(user) in APPROVER_ROLES


def unit_id(user: Any, acting_as: object) -> int | None:
    """The unit a unit-bound role acts for (a unit officer, a one-stop officer), when the user
    acts in that role and has one; None otherwise."""
    if role(user) != acting_as:
        return None
    value = getattr(user, "unit_id", None)
    return int(value) if value is not None else None
