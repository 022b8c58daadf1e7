"""The public procedure catalogue: search by name or code, grouped by field (lĩnh vực).

A citizen types as on a phone, often without diacritics: "chung thuc" finds "Chứng thực
bản sao", "ht-hn" finds HT-HN. The catalogue is small (a commune publishes a few hundred
procedures), so matching happens in Python on folded text (``cchc.textio.fold``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from cchc.textio import fold
from cchc.web.desk.models import Procedure

# The group of procedures whose field the catalogue does not give.
NO_FIELD = "Lĩnh vực chưa có thông tin"


@dataclass
class FieldGroup:
    name: str
    procedures: list[Procedure] = field(default_factory=list)


def matches(procedure: Procedure, query: str) -> bool:
    """The query, as one phrase, is in the procedure's code, name or field (marks ignored).

    A phrase rather than separate words: "chung thuc" must find "Chứng thực…", not "Cấp Giấy
    chứng nhận … an toàn thực phẩm", which holds both words apart."""
    phrase = fold(query)
    return any(phrase in fold(text) for text in (procedure.code, procedure.name, procedure.field))


def search(procedures: Iterable[Procedure], query: str) -> list[Procedure]:
    return [p for p in procedures if matches(p, query)] if query.strip() else list(procedures)


def by_field(procedures: Iterable[Procedure]) -> list[FieldGroup]:
    """Groups in the order of the fields' names; the procedures without a field last."""
    groups: dict[str, FieldGroup] = {}
    for p in procedures:
        name = p.field.strip() or NO_FIELD
        groups.setdefault(name, FieldGroup(name)).procedures.append(p)
    return sorted(groups.values(), key=lambda g: (g.name == NO_FIELD, fold(g.name)))


# --- Pages (public: the catalogue is published for everyone) -----------------------------


@require_GET
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """``/thu-tuc-hanh-chinh/?q=…``: a GET form (works without JavaScript), grouped by field."""
    query = request.GET.get("q", "").strip()[:200]
    procedures = list(Procedure.objects.all())
    found = search(procedures, query)
    return render(
        request,
        "desk/catalogue.html",
        {
            "query": query,
            "groups": by_field(found),
            "found": len(found),
            "total": len(procedures),
            "illustrative": any(p.illustrative for p in procedures),
        },
    )


@require_GET
def procedure_page(request: HttpRequest, procedure: str) -> HttpResponse:
    """One procedure: what the catalogue holds about it, "chưa có thông tin" for the rest."""
    found = get_object_or_404(Procedure, code=procedure)
    return render(request, "desk/procedure.html", {"p": found})
