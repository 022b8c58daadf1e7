"""Who may work on which dossiers: object-level checks every desk view calls on the server.

A one-stop officer acts for their own unit only; another unit's dossier answers 404 (its
existence is not revealed). The office roles read the 766 dashboard of any unit but never
open dossiers (they hold applicants' personal data). A ledger file is imported by a one-stop
officer for the own unit, or by the organiser or the administrator for any unit. A page and
its JSON twin ask the same function: ``import_scope`` (the import page and
``POST /api/v1/dossiers/import``), ``dashboard_units`` (the dashboard and
``GET /api/v1/service/index``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cchc.web.accounts.models import Role
from cchc.web.accounts.roles import is_manager, role, unit_id
from cchc.web.desk.models import Dossier
from cchc.web.units.models import Unit

DASHBOARD_ROLES = frozenset({Role.ADMINISTRATOR, Role.ORGANISER, Role.LEADER})


def desk_unit(user: Any) -> Unit:
    """The unit whose desk the user works at; PermissionDenied for anyone else."""
    if unit_id(user, Role.ONESTOP_OFFICER) is not None:
        unit: Unit = user.unit
        return unit
    raise PermissionDenied("Chỉ công chức bộ phận một cửa của đơn vị mới được làm việc này.")


def can_work_on(user: Any, dossier: Dossier) -> bool:
    """The dossier belongs to the unit of this one-stop officer."""
    own = unit_id(user, Role.ONESTOP_OFFICER)
    return own is not None and own == dossier.unit_id


def import_scope(user: Any) -> Unit | None:
    """Whose dossiers the user may import: the one-stop officer's own unit, any unit (None)
    for the organiser and the administrator; PermissionDenied for anyone else."""
    if unit_id(user, Role.ONESTOP_OFFICER) is not None:
        unit: Unit = user.unit
        return unit
    if is_manager(user):
        return None
    raise PermissionDenied(
        "Chỉ bộ phận một cửa của đơn vị hoặc cơ quan tổ chức đánh giá được nhập sổ hồ sơ."
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
    acting = role(user)
    if acting is None:
        raise PermissionDenied
    if unit_id(user, Role.ONESTOP_OFFICER) is not None:
        return [user.unit]
    if acting in DASHBOARD_ROLES:
        return None
    raise PermissionDenied("Vai trò của bạn không xem được chỉ số phục vụ.")
