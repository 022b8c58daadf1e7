"""The results pages' robustness section, the points-within-reach page and the what-if page.

Everything is computed by the core (``cchc.par.robustness``, ``gaps``, ``whatif``); this
module finds the inputs (the campaign's scores, and the sampling error of the components
scored by a survey published from cchc) and renders them.

- Robustness is shown when an uncertainty is derivable: a SIPAS survey run in cchc and
  published into the campaign gives each unit's respondents and satisfied counts per
  factor (``cchc.reports.survey_uncertainty``); for surveys run elsewhere, the organiser
  uploads the uncertainty file of ``cchc par robustness`` (``cchc.web.workflow.
  uncertainty``), which stands for the components it names. 10.000 draws, seed 0, so a
  page always shows the same figures; published campaigns are computed once per process.
- Points within reach: published campaigns only; the unit's own CCHC officer, the
  leader, the organiser and the administrator (``permissions.can_view_unit_gaps``); an
  officer of another unit gets 404, as for the unit's other objects.
- What if: whoever may see the campaign's results; at most ``MAX_CHANGES`` changes.
"""

from __future__ import annotations

import dataclasses
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from cchc.fmt import format_number, format_percent
from cchc.par.gaps import gaps_paragraph, unit_gaps
from cchc.par.insight_export import write_gaps_xlsx
from cchc.par.results import Results
from cchc.par.robustness import Robustness, robustness, robustness_paragraph
from cchc.par.scores import ScoresError
from cchc.par.uncertainty import ComponentUncertainty
from cchc.par.whatif import WhatIf, WhatIfError, parse_score_change, parse_weight, simulate
from cchc.web import permissions
from cchc.web.campaigns.models import Campaign, CampaignUnit
from cchc.web.campaigns.results import score_sheet
from cchc.web.portal import pages
from cchc.web.units.lookup import find_unit

DRAWS = 10_000
SEED = 0
MAX_CHANGES = 50


# --- robustness ---------------------------------------------------------------------------


def _survey_stamp(campaign: Campaign) -> str:
    """The campaign's published surveys and uploaded survey error (``uncertainty_stamp``):
    what its robustness is computed from. One query (a union): every results page asks."""
    from cchc.web.surveys.models import Survey, SurveyStatus
    from cchc.web.workflow.models import SurveyUncertainty

    surveys = (
        Survey.objects.filter(campaign=campaign, status=SurveyStatus.PUBLISHED)
        .annotate(stamp_part=Value(0))
        .values_list("stamp_part", "pk", "published_at")
        .order_by()
    )
    uploads = (
        SurveyUncertainty.objects.filter(campaign=campaign)
        .annotate(stamp_part=Value(1))
        .values_list("stamp_part", "pk", "uploaded_at")
        .order_by()
    )
    rows = sorted(surveys.union(uploads, all=True))
    published = ";".join(f"{pk}:{at}" for kind, pk, at in rows if kind == 0)
    uploaded = ";".join(f"{pk}:{at}" for kind, pk, at in rows if kind == 1)
    return f"{published}|{uploaded}"


def _related(framework: Any, code: str, others: set[str]) -> bool:
    """``code`` is one of ``others``, inside one, or holds one (its error would count twice)."""
    if code in others:
        return True
    for other in others:
        for inner, outer in ((code, other), (other, code)):
            parent = framework.node(inner).parent
            while parent is not None:
                if parent == outer:
                    return True
                parent = framework.node(parent).parent
    return False


def campaign_uncertainty(campaign: Campaign, results: Results) -> list[ComponentUncertainty]:
    """The sampling error of the campaign's survey components: the organiser's uploaded
    file for the components it names, and SIPAS surveys published into the campaign for
    the others (the latest survey of a component wins)."""
    from cchc.web.workflow.uncertainty import uploaded_uncertainty

    uploaded = uploaded_uncertainty(campaign, results)
    named = {i.component for i in uploaded}
    items = [
        i for i in _surveyed_uncertainty(campaign, results)
        if not _related(results.framework, i.component, named)
    ]
    return sorted(items + uploaded, key=lambda x: (x.unit_code, x.component))


def _surveyed_uncertainty(campaign: Campaign, results: Results) -> list[ComponentUncertainty]:
    from cchc.reports.survey_uncertainty import uncertainty_from_survey
    from cchc.web.surveys.models import Survey, SurveyStatus
    from cchc.web.surveys.results import survey_result

    latest: dict[str, Any] = {}
    for survey in Survey.objects.filter(
        campaign=campaign, status=SurveyStatus.PUBLISHED, kind="sipas"
    ).order_by("published_at", "pk"):
        latest[survey.component_code] = survey
    items: list[ComponentUncertainty] = []
    for component, survey in sorted(latest.items()):
        if results.framework.has_node(component):
            items += uncertainty_from_survey(results, component, survey_result(survey))
    return sorted(items, key=lambda x: (x.unit_code, x.component))


@lru_cache(maxsize=16)
def _published_report(pk: int, stamp: str, surveys: str) -> tuple[Robustness, str] | None:
    campaign = Campaign.objects.select_related("framework").get(pk=pk)
    return _report(campaign, pages.results_for(campaign, stamp=stamp))


def _report(campaign: Campaign, results: Results) -> tuple[Robustness, str] | None:
    items = campaign_uncertainty(campaign, results)
    if not items:
        return None
    from cchc.reports.robustness_chart import rank_interval_chart

    report = robustness(results, items, draws=DRAWS, seed=SEED)
    return report, rank_interval_chart(report).svg()


def campaign_robustness(campaign: Campaign) -> tuple[Robustness, str] | None:
    """The robustness report and its chart (SVG), or None when no uncertainty is derivable."""
    if campaign.is_published:
        return _published_report(campaign.pk, pages.campaign_stamp(campaign), _survey_stamp(campaign))
    return _report(campaign, pages.results_for(campaign))


def _pct(p: float) -> str:
    return format_percent(p, 1, trim=True)


def _robustness_row(u: Any, unsettled: set[str]) -> dict[str, Any]:
    """One unit's line of the robustness table (and of its unit page)."""
    return {
        "unit": u,
        "rank_span": str(u.rank_low) if u.rank_low == u.rank_high else f"{u.rank_low}–{u.rank_high}",
        "score_span": f"{format_number(u.score_low)}–{format_number(u.score_high)}",
        "p_first": _pct(u.p_first),
        "p_band": _pct(u.band_probabilities.get(u.band, 0.0)) if u.band else "",
        "unsettled": u.unit_code in unsettled,
    }


def robustness_context(campaign: Campaign, code: str | None = None) -> dict[str, Any]:
    """What the ranking page (every unit) or the unit page of ``code`` (its own line and
    paragraph, the chart) shows of the robustness; nothing without uncertainty."""
    found = campaign_robustness(campaign)
    if found is None:
        return {"robustness": None}
    report, svg = found
    unsettled = {c for p in report.unsettled for c in (p.higher, p.lower)}
    context: dict[str, Any] = {
        "robustness": report,
        "robustness_share": format_number(report.level * 100, 0, trim=True),
        # Rendered by vl-convert from our own data (names are escaped as SVG text).
        "robustness_chart": mark_safe(svg),
    }
    if code is not None:
        # A unit page shows only its own line: with a whole country's communes, building
        # every unit's line (and the table's source note) on each unit page is waste.
        unit = next((u for u in report.units if u.unit_code == code), None)
        if unit is None:
            raise Http404("Không có đơn vị này trong kết quả.")
        context["robustness_unit"] = _robustness_row(unit, unsettled)
        context["robustness_paragraph"] = robustness_paragraph(report, code)
        return context
    from cchc.web.workflow.uncertainty import checked_uncertainty, stored_uncertainty

    # Said on the page when the organiser's uploaded file is (part of) the source.
    upload = stored_uncertainty(campaign)
    if upload is not None and checked_uncertainty(upload, pages.results_for(campaign))[1]:
        upload = None
    names = {u.unit_code: u.unit_name for u in report.units}
    context.update(
        robustness_upload=upload,
        robustness_rows=[_robustness_row(u, unsettled) for u in report.units],
        robustness_pairs=[
            {"higher": names[p.higher], "lower": names[p.lower], "p_above": _pct(p.p_above)}
            for p in report.unsettled
        ],
    )
    return context


def unit_links(request: HttpRequest, campaign: Campaign, code: str) -> dict[str, str]:
    """The unit page's links to its points within reach (for those who may see them) and
    to the simulation."""
    out = {"whatif_url": reverse("portal:whatif", kwargs={"pk": campaign.pk})}
    # Anonymous visitors never see a unit's gaps: no need to read its campaign unit.
    if campaign.is_published and request.user.is_authenticated:
        cu = CampaignUnit.objects.filter(campaign=campaign, unit__code=code).first()
        if cu is not None and permissions.can_view_unit_gaps(request.user, cu):
            out["gaps_url"] = reverse("portal:gaps", kwargs={"pk": campaign.pk, "code": code})
    return out


# --- points within reach ------------------------------------------------------------------


def _gaps_campaign_unit(request: HttpRequest, pk: int, code: str) -> tuple[Campaign, CampaignUnit]:
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    campaign_unit = (
        CampaignUnit.objects.select_related("unit", "campaign")
        .filter(campaign=campaign, unit__code=code)
        .first()
    )
    if campaign_unit is None:
        raise Http404("Không có đơn vị này trong đợt đánh giá.")
    if not permissions.can_view_unit_gaps(request.user, campaign_unit):
        if getattr(request.user, "role", None) == "unit_officer":
            raise Http404("Không có đơn vị này trong đợt đánh giá.")  # another unit's page
        raise PermissionDenied
    if not campaign.is_published:
        raise Http404("Đợt đánh giá chưa công bố kết quả.")
    return campaign, campaign_unit


@require_GET
@login_required
def gaps_page(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign, _ = _gaps_campaign_unit(request, pk, code)
    results = pages.results_for(campaign)
    gaps = unit_gaps(results, code, top=3)
    reach = {c.code for c in gaps.within_reach}
    names = {u.unit_code: u.unit_name for u in results.units}
    rows: list[dict[str, Any]] = [
        {"c": c, "reach": c.code in reach, "best": ", ".join(names.get(b, b) for b in c.best_units)}
        for c in gaps.criteria
    ]
    context = {
        "campaign": campaign,
        "results": results,
        "gaps": gaps,
        "rows": rows,
        "paragraph": gaps_paragraph(results, gaps),
        "xlsx": reverse("portal:gaps_xlsx", kwargs={"pk": pk, "code": code}),
        "unit_url": reverse("portal:campaign_unit", kwargs={"pk": pk, "code": code}),
    }
    return render(request, "portal/gaps.html", context)


@require_GET
@login_required
def gaps_xlsx(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    campaign, _ = _gaps_campaign_unit(request, pk, code)
    results = pages.results_for(campaign)
    from cchc.par.export import title

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "diem-con-thieu.xlsx"
        write_gaps_xlsx(
            [unit_gaps(results, code, top=3)], path,
            title="Điểm còn thiếu — " + title(results), illustrative=results.illustrative,
        )
        data = path.read_bytes()
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"diem-con-thieu-{campaign.level}-{campaign.year}-{code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- what if ------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace(";", "\n").splitlines() if line.strip()]


def campaign_whatif(campaign: Campaign, results: Results, set_text: str, weight_text: str) -> WhatIf:
    """The what-if of the page and of ``GET /api/v1/par/whatif``: score changes
    ("HNH:KQ=56,5") and maxima ("HL=33"), one a line or separated by ";", over the
    campaign's own scores; ``WhatIfError`` lists what cannot be read."""
    sets, weights = _lines(set_text), _lines(weight_text)
    if len(sets) + len(weights) > MAX_CHANGES:
        raise WhatIfError([f"Tối đa {MAX_CHANGES} thay đổi một lần."])
    changes = [parse_score_change(s) for s in sets]
    # A unit may be named by its official id or by an old code it is stored under as alias.
    for i, change in enumerate(changes):
        unit = find_unit(change.unit_code)
        if unit is not None and unit.code != change.unit_code:
            changes[i] = dataclasses.replace(change, unit_code=unit.code)
    parsed = [parse_weight(w) for w in weights]
    if len(dict(parsed)) != len(parsed):
        raise WhatIfError(["Một mục được đổi trọng số hai lần."])
    return simulate(
        results.framework, score_sheet(campaign), scores=changes, weights=dict(parsed),
        published=results,
    )


@require_GET
def whatif_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A form (GET, no state changed) and, once filled, every unit's new result."""
    campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=pk)
    if not permissions.can_view_results(request.user, campaign):
        raise PermissionDenied
    set_text = request.GET.get("set", "")
    weight_text = request.GET.get("weight", "")
    context: dict[str, Any] = {
        "campaign": campaign,
        "set_text": set_text,
        "weight_text": weight_text,
        "problems": [],
        "result": None,
        "ranking_url": reverse("portal:campaign_ranking", kwargs={"pk": pk}),
    }
    try:
        results = pages.results_for(campaign)
    except ScoresError as exc:
        context["problems"] = [str(p) for p in exc.errors]
        return render(request, "portal/whatif.html", context, status=409)
    context["results"] = results
    if not _lines(set_text) and not _lines(weight_text):
        return render(request, "portal/whatif.html", context)
    try:
        result = campaign_whatif(campaign, results, set_text, weight_text)
    except WhatIfError as exc:
        context["problems"] = exc.problems
        return render(request, "portal/whatif.html", context, status=400)
    context["result"] = result
    return render(request, "portal/whatif.html", context)
