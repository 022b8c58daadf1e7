"""Who may work on which dossiers: object-level checks every desk view calls on the server.

A one-stop officer acts for their own unit only; another unit's dossier answers 404 (its
existence is not revealed). The office roles read the 766 dashboard of any unit but never
open dossiers (they hold applicants' personal data).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.web.accounts.models import Role
from cchc.web.desk.models import Dossier
from cchc.web.units.models import Unit

DASHBOARD_ROLES = frozenset({Role.ADMINISTRATOR, Role.ORGANISER, Role.LEADER})


def _active(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def desk_unit(user: Any) -> Unit:
    """The unit whose desk the user works at; PermissionDenied for anyone else."""
    if _active(user) and user.role == Role.ONESTOP_OFFICER and user.unit_id is not None:
        unit: Unit = user.unit
        return unit
    raise PermissionDenied("Chỉ công chức bộ phận một cửa của đơn vị mới được làm việc này.")


def can_work_on(user: Any, dossier: Dossier) -> bool:
    """The dossier belongs to the unit of this one-stop officer."""
    return (
        _active(user)
        and user.role == Role.ONESTOP_OFFICER
        and user.unit_id is not None
        and user.unit_id == dossier.unit_id
    )


def dossier_for(user: Any, code: str) -> Dossier:
    """The officer's own unit's dossier with that code, or 404."""
    unit = desk_unit(user)
    found = Dossier.objects.select_related("unit", "procedure").filter(code=code, unit=unit).first()
    if found is None or not can_work_on(user, found):
        raise Http404("Không có hồ sơ này tại đơn vị của bạn.")
    return found


def dashboard_units(user: Any) -> list[Unit] | None:
    """Units whose index the user may read: the officer's own, or every unit (None)."""
    if not _active(user):
        raise PermissionDenied
    if user.role == Role.ONESTOP_OFFICER and user.unit_id is not None:
        return [user.unit]
    if user.role in DASHBOARD_ROLES:
        return None
    raise PermissionDenied("Vai trò của bạn không xem được chỉ số phục vụ.")
