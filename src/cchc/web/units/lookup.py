"""Find stored units by their code or by a code they had before (``UnitAlias``).

Every place that takes a unit code from outside (a URL, an uploaded file, an API call, the
demo's files) goes through here, so the made-up codes of before (``HNH``) and the official
ids (``543``) name the same unit.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect

from cchc.units.official import agency_code
from cchc.web.units.models import Unit, UnitAlias


def find_unit(code: str) -> Unit | None:
    """The unit with this code, else the unit this old code stands for; None when neither."""
    text = (code or "").strip()
    if not text:
        return None
    unit = Unit.objects.filter(code=text).first()
    if unit is not None:
        return unit
    alias = UnitAlias.objects.select_related("unit").filter(alias=text).first()
    return alias.unit if alias is not None else None


def units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    """Each given code that names a unit (its code or an old code) → that unit."""
    wanted = {c.strip() for c in codes if c and c.strip()}
    found: dict[str, Unit] = {u.code: u for u in Unit.objects.filter(code__in=wanted)}
    rest = wanted - set(found)
    if rest:
        for alias in UnitAlias.objects.select_related("unit").filter(alias__in=rest):
            found[alias.alias] = alias.unit
    return found


def current_code(code: str) -> str | None:
    """The stored code of the unit ``code`` names (itself, or the id an old code moved to)."""
    unit = find_unit(code)
    return unit.code if unit is not None else None


def old_codes(unit: Unit) -> list[str]:
    """The codes the unit had before its official id, oldest alias first."""
    return list(unit.aliases.order_by("pk").values_list("alias", flat=True))


def agency_ids(unit: Unit) -> list[str]:
    """Agency identifiers the unit's dossier codes may carry: the official code first (what
    new dossiers get), then its old codes (receipts printed before the move)."""
    ids = [agency_code(unit.code)]
    for alias in old_codes(unit):
        if alias not in ids:
            ids.append(alias)
    return ids


def moved(request: HttpRequest, code: str) -> HttpResponse | None:
    """A permanent redirect when a URL names a unit by an old code (``/don-vi/HNH/`` →
    ``/don-vi/543/``): links printed or bookmarked before the official ids keep working.
    None when the code is a stored unit's own, or names nothing (the page then answers 404)."""
    if Unit.objects.filter(code=code).exists():
        return None
    new = current_code(code)
    segment = f"/{code}/"
    if new is None or segment not in request.path:
        return None
    head, _, tail = request.path.rpartition(segment)
    target = f"{head}/{new}/{tail}"
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(target + (f"?{query}" if query else ""))
