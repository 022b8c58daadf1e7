"""Public portal and results pages: parse the request, ask the engine, render.

Public URLs name a published (level, year); office roles reach unpublished campaigns by
id, checked with ``permissions.can_view_results``.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET

from cchc.fmt import rank_change_phrase
from cchc.par.narrative import merged_reason
from cchc.par.results import Results, UnitResult
from cchc.par.scores import ScoresError
from cchc.tables import more_text
from cchc.textio import fold
from cchc.web import permissions
from cchc.web.campaigns.models import Campaign
from cchc.web.campaigns.publication import current_publication, publications
from cchc.web.portal import insight, pages
from cchc.web.templatetags import vn
from cchc.web.units.lookup import moved


def _address(campaign: Campaign) -> dict[str, object]:
    """URL kwargs of a campaign's result pages: public (level, year) for the version in
    force; by id before publication and for earlier (corrected) versions, which stay
    readable by everyone there."""
    if campaign.is_published:
        current = current_publication(campaign.level, campaign.year)
        if current is None or current.pk == campaign.pk:
            return {"level": campaign.level, "year": campaign.year}
    return {"pk": campaign.pk}


def publication_context(campaign: Campaign) -> dict[str, object]:
    """The version banner: which version is shown, the one in force, every version."""
    if not campaign.is_published:
        return {}
    versions = publications(campaign.level, campaign.year)
    return {
        "publication": {
            "shown": campaign,
            "current": versions[0] if versions else campaign,
            "superseded": bool(versions) and versions[0].pk != campaign.pk,
            "versions": [
                {"campaign": v, "url": reverse("portal:ranking", kwargs=_address(v))
                 if "level" in _address(v) else reverse("portal:campaign_ranking", kwargs={"pk": v.pk})}
                for v in versions
            ],
        }
    }


def links(campaign: Campaign, code: str | None = None) -> dict[str, str]:
    """Every download and chart URL of a ranking page, or of one unit's page."""
    at = tuple(sorted(_address(campaign).items()))
    if code is None:
        return dict(_ranking_links(at, get_script_prefix()))
    if _PLAIN_CODE.fullmatch(code):  # reversed once per address, the code put in its place
        return {
            key: url.replace(_CODE_SLOT, code)
            for key, url in _unit_links(at, get_script_prefix(), _CODE_SLOT)
        }
    return dict(_unit_links(at, get_script_prefix(), code))


# A unit code that reverse() writes as it is (no quoting): official ids, the made-up codes.
_PLAIN_CODE = re.compile(r"[A-Za-z0-9_.~-]+")
_CODE_SLOT = "0MA0DON0VI0"


@lru_cache(maxsize=64)
def _ranking_links(at: tuple[tuple[str, object], ...], prefix: str) -> tuple[tuple[str, str], ...]:
    kwargs = dict(at)
    out: dict[str, str] = {}
    out["ranking"] = reverse("portal:ranking" if "level" in kwargs else "portal:campaign_ranking", kwargs=kwargs)
    for fmt in ("xlsx", "csv", "json"):
        out[fmt] = reverse("portal:download", kwargs={**kwargs, "fmt": fmt})
    for fmt in ("docx", "pdf"):
        out[fmt] = reverse("portal:report", kwargs={**kwargs, "fmt": fmt})
    for name in ("xep-hang", "thanh-phan"):
        key = name.replace("-", "_")
        out[key] = reverse("portal:chart", kwargs={**kwargs, "name": name, "ext": "svg"})
        out[key + "_png"] = reverse("portal:chart", kwargs={**kwargs, "name": name, "ext": "png"})
    return tuple(out.items())


@lru_cache(maxsize=64)
def _unit_links(
    at: tuple[tuple[str, object], ...], prefix: str, code: str
) -> tuple[tuple[str, str], ...]:
    kwargs = dict(at)
    out: dict[str, str] = {}
    for fmt in ("docx", "pdf"):
        out[fmt] = reverse("portal:unit_report", kwargs={**kwargs, "fmt": fmt, "code": code})
    for name in ("xep-hang", "thanh-phan", "xu-huong"):
        kw = {**kwargs, "name": name, "code": code}
        key = name.replace("-", "_")
        out[key] = reverse("portal:unit_chart", kwargs={**kw, "ext": "svg"})
        out[key + "_png"] = reverse("portal:unit_chart", kwargs={**kw, "ext": "png"})
    return tuple(out.items())


def unit_url(campaign: Campaign, code: str) -> str:
    at = _address(campaign)
    name = "portal:unit" if "level" in at else "portal:campaign_unit"
    return reverse(name, kwargs={**at, "code": code})


# The rendered ranking fragment (portal/_ranking.html) of a PUBLISHED campaign, kept in
# Django's cache under the campaign's stamp: the stamp changes on publish, unpublish and
# when last year's published edition changes, so a stale fragment is never looked up again
# (no explicit delete is needed, and several server processes with their own LocMemCache
# stay correct; a shared cache only saves each process rendering it once). Measured on the
# load test's ranking page: most of its Python time is building and rendering this table.
RANKING_FRAGMENT_SECONDS = 24 * 3600


#: Rows of the ranking per page: a country's 3 321 communes are 34 pages, not one page of
#: 1,5 MB; a search (``?q=``) finds a unit by name or code without diacritics.
RANKING_PAGE_SIZE = 100


def _ranking_fragment_key(stamp: str, page: int = 1) -> str:
    suffix = "" if page == 1 else f":trang={page}"
    return "portal:ranking:" + hashlib.sha256((stamp + suffix).encode()).hexdigest()


def _wanted(request: HttpRequest | None) -> tuple[str, int]:
    """The search text (at most 100 characters) and the page asked for (1 when unreadable)."""
    if request is None:
        return "", 1
    query = " ".join(request.GET.get("q", "").split())[:100]
    try:
        page = max(1, int(request.GET.get("trang", "1")))
    except ValueError:
        page = 1
    return query, page


def _ranking_context(campaign: Campaign, request: HttpRequest | None = None) -> dict[str, object]:
    query, page = _wanted(request)
    if not campaign.is_published:
        return _full_ranking_context(campaign, pages.results_for(campaign), query, page)
    stamp = pages.campaign_stamp(campaign)
    results = pages.results_for(campaign, stamp=stamp)
    if query:  # searches are not cached (any text); a page of matches renders quickly
        context = _full_ranking_context(campaign, results, query, page, stamp=stamp)
        fragment = render_to_string("portal/_ranking.html", context)
    else:
        page = min(page, _page_count(len(results.units)))
        key = _ranking_fragment_key(stamp, page)
        fragment = cache.get(key)
        if fragment is None:
            context = _full_ranking_context(campaign, results, "", page, stamp=stamp)
            fragment = render_to_string("portal/_ranking.html", context)
            cache.set(key, fragment, RANKING_FRAGMENT_SECONDS)
    # Our own template's output, escaped when it was rendered. The version banner is not in
    # the fragment: a later correction changes it without changing this campaign's stamp.
    return {
        "campaign": campaign,
        "results": results,
        "ranking_html": mark_safe(fragment),
        **publication_context(campaign),
    }


def _page_count(rows: int) -> int:
    return max(1, -(-rows // RANKING_PAGE_SIZE))


def _full_ranking_context(
    campaign: Campaign,
    results: Results,
    query: str = "",
    page: int = 1,
    *,
    stamp: str | None = None,
) -> dict[str, object]:
    table, names = pages.ranking_rows(campaign, results, stamp)
    positions = list(range(len(results.units)))
    if query:
        wanted = fold(query)
        positions = [i for i in positions if wanted in names[i]]
    count = _page_count(len(positions))
    page = min(page, count)
    shown = positions[(page - 1) * RANKING_PAGE_SIZE : page * RANKING_PAGE_SIZE]
    rows = [
        {
            "cells": table.rows[i],
            "code": results.units[i].unit_code,
            "url": unit_url(campaign, results.units[i].unit_code),
        }
        for i in shown
    ]
    return {
        "campaign": campaign,
        "results": results,
        "table": table,
        "rows": rows,
        "pager": _pager(campaign, query, page, count, len(positions)),
        "narrative": pages.level_paragraphs(campaign, results, stamp),
        "links": links(campaign),
        **publication_context(campaign),
    }


def _pager(campaign: Campaign, query: str, page: int, count: int, matches: int) -> dict[str, object]:
    """Search and page links; ``show`` is False for a ranking that fits on one page."""
    at = _address(campaign)
    name = "portal:ranking" if "level" in at else "portal:campaign_ranking"
    base = reverse(name, kwargs=at)

    def url(number: int) -> str:
        params = {"q": query} if query else {}
        if number > 1:
            params["trang"] = str(number)
        return base + ("?" + urlencode(params) if params else "")

    return {
        "show": bool(query) or count > 1,
        "action": base,
        "query": query,
        "page": page,
        "pages": count,
        "matches": matches,
        "previous": url(page - 1) if page > 1 else "",
        "next": url(page + 1) if page < count else "",
    }


# Templates other modules add below the ranking on the home page (e.g. the desk's
# dossier look-up form): append "desk/_portal_lookup.html".
PORTAL_SECTIONS: list[str] = []


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The public portal: the newest published ranking, with every other edition linked."""
    editions = pages.published_editions()
    context: dict[str, object] = {
        "editions": editions,
        "current": None,
        "portal_sections": PORTAL_SECTIONS,
    }
    if editions:
        current = editions[0]
        context["current"] = current
        context.update(_ranking_context(current.campaign, request))
    return render(request, "portal/home.html", context)


@require_GET
def ranking(request: HttpRequest, level: str, year: int) -> HttpResponse:
    current = pages.edition(level, year)
    context: dict[str, object] = {"editions": pages.published_editions(), "current": current}
    context.update(_ranking_context(current.campaign, request))
    context.update(insight.robustness_context(current.campaign))
    # An HTMX click on an edition tab swaps only the results section (the URL is pushed,
    # so the full page at that URL is the same content without JavaScript).
    template = "portal/_results_section.html" if request.htmx else "portal/ranking.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_GET
def campaign_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    """Results of any campaign (provisional before publication) for the office roles."""
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    if not permissions.can_view_results(request.user, campaign):
        raise PermissionDenied
    try:
        context: dict[str, object] = {"editions": [], "current": None}
        context.update(_ranking_context(campaign, request))
        context.update(insight.robustness_context(campaign))
    except ScoresError as exc:
        return _incomplete(request, campaign, exc)
    return render(request, "portal/ranking.html", context)


def _incomplete(request: HttpRequest, campaign: Campaign, exc: ScoresError) -> HttpResponse:
    """Provisional results cannot be computed yet (scores missing): say which, plainly."""
    problems = [str(p) for p in exc.errors]
    if exc.total > len(exc.errors):  # the list is capped: say how many more
        problems.append(more_text(exc.total - len(exc.errors)))
    return render(
        request, "portal/incomplete.html", {"campaign": campaign, "problems": problems}, status=409
    )


def _unit_tables(campaign: Campaign, results: Results, unit: UnitResult) -> dict[str, object]:
    """The unit's three tables (components, fields and criteria, points lost); for a
    published campaign rendered once per stamp and unit and kept in the cache, like the
    ranking's pages: with 100+ criteria they are most of the page's rendering time."""
    key = ""
    if campaign.is_published:
        stamp = pages.campaign_stamp(campaign)
        key = "portal:unit-tables:" + hashlib.sha256(f"{stamp}|{unit.unit_code}".encode()).hexdigest()
        fragment = cache.get(key)
        if fragment is not None:
            return {"tables_html": mark_safe(fragment)}  # our own template's escaped output
    rows = pages.node_rows(pages.framework_of(campaign), unit)
    details = [r for r in rows if r.depth > 0]
    lost = [r for r in rows if r.node.is_leaf and r.lost]
    tables = {
        "results": results,
        "unit": unit,
        "components": [r for r in rows if r.depth == 0],
        "details": details,
        "details_rows": _details_rows(details),
        "lost": lost,
        "lost_rows": _lost_rows(lost),
    }
    if not key:
        return tables
    fragment = render_to_string("portal/_unit_tables.html", tables)
    cache.set(key, fragment, RANKING_FRAGMENT_SECONDS)
    return {"tables_html": mark_safe(fragment)}


def _details_rows(details: list[pages.NodeRow]) -> SafeString:
    """The rows of the fields-and-criteria table (100+ for a real framework); the template's
    loop took most of the unit page's time. Codes and names are escaped (once per text);
    the figures are our own formatted numbers."""
    rows = []
    for r in details:
        code = _escaped(r.node.code)
        rows.append(
            f'<tr data-node="{code}" class="depth-{r.depth}"><td>{code}</td>'
            f"<td>{_escaped(r.node.name)}</td>"
            f'<td class="num">{vn.num(r.score) or "không áp dụng"}</td>'
            f'<td class="num">{vn.numt(r.max)}</td><td class="num">{vn.num(r.index)}</td>'
            f'<td class="num">{"" if r.rank is None else r.rank}</td></tr>'
        )
    return mark_safe("\n".join(rows))


def _lost_rows(lost: list[pages.NodeRow]) -> SafeString:
    """The rows of the points-lost table (one per criterion where points were lost: up to
    every criterion), built as ``_details_rows`` is."""
    rows = []
    for r in lost:
        code = _escaped(r.node.code)
        rows.append(
            f'<tr data-node="{code}"><td>{code}</td><td>{_escaped(r.node.name)}</td>'
            f'<td class="num">{vn.num(r.score)}</td><td class="num">{vn.numt(r.max)}</td>'
            f'<td class="num">{vn.num(r.lost)}</td></tr>'
        )
    return mark_safe("".join(rows))


@lru_cache(maxsize=8192)
def _escaped(text: str) -> str:
    return str(escape(text))


def _unit_page(request: HttpRequest, campaign: Campaign, code: str) -> HttpResponse:
    results = pages.results_for(campaign)
    unit = pages.find_unit(results, code)
    context = {
        "campaign": campaign,
        "results": results,
        "unit": unit,
        **_unit_tables(campaign, results, unit),
        "narrative": pages.narrative(results, code),
        "merged_reason": merged_reason(results.framework.level),
        "rank_phrase": rank_change_phrase(unit.rank_change) if unit.rank_change is not None else "",
        "editions": pages.published_editions(),
        "links": links(campaign, code),
        "ranking_links": links(campaign),
        **publication_context(campaign),
        **insight.robustness_context(campaign, code),
        **insight.unit_links(request, campaign, code),
    }
    return render(request, "portal/unit.html", context)


@require_GET
def unit_page(request: HttpRequest, level: str, year: int, code: str) -> HttpResponse:
    campaign = pages.edition(level, year).campaign
    # A code of the published results is a unit's own: only others may be old codes.
    if not pages.has_unit(pages.results_for(campaign), code) and (
        redirect := moved(request, code)
    ) is not None:
        return redirect
    return _unit_page(request, campaign, code)


@require_GET
def campaign_unit_page(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    if (redirect := moved(request, code)) is not None:
        return redirect
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    if not permissions.can_view_results(request.user, campaign):
        raise PermissionDenied
    try:
        return _unit_page(request, campaign, code)
    except ScoresError as exc:
        return _incomplete(request, campaign, exc)
