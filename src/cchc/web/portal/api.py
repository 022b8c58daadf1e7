"""``/api/v1/par/``: published CCHC results, the JSON twin of the portal pages.

``GET /api/v1/par/results?level=district&year=2022`` answers exactly what
``cchc par rank --format json`` prints for the same data (``results_to_json``, UTF-8,
indented; docs/web.md, JSON API).
"""

from __future__ import annotations

import datetime as dt
import json

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from cchc.par.export import results_json_text
from cchc.web.campaigns.models import Campaign, Status
from cchc.web.campaigns.publication import publication_version
from cchc.web.campaigns.results import published_campaign
from cchc.web.portal import pages

router = Router(tags=["Chỉ số CCHC"])


class Problem(Schema):
    detail: str


class CampaignOut(Schema):
    id: int
    name: str
    level: str
    year: int
    framework: str
    status: str
    published_at: dt.datetime | None
    illustrative: bool
    units: int
    version: int
    correction_reason: str
    current: bool
    results_url: str


@router.get(
    "/results",
    response={200: dict, 404: Problem},
    summary="Kết quả chỉ số CCHC đã công bố của một cấp, một năm",
)
def results(
    request: HttpRequest, level: str, year: int, version: int | None = None
) -> HttpResponse:
    """The JSON contract of the CCHC index engine (same as ``cchc par rank --format json``).

    Without ``version``, the publication in force; ``version=N`` reads an earlier one (each
    correction is a new version; ``/api/v1/par/campaigns`` lists them)."""
    if version is None:
        campaign = published_campaign(level, year)
    else:
        campaign = publication_version(level, year, version)
    if campaign is None:
        which = "" if version is None else f" (phiên bản {version})"
        body = {"detail": f"Chưa có kết quả được công bố cho cấp {level!r} năm {year}{which}."}
        return HttpResponse(
            json.dumps(body, ensure_ascii=False), status=404, content_type="application/json"
        )
    text = results_json_text(pages.results_for(campaign))
    return HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")


@router.get("/campaigns", response=list[CampaignOut], summary="Các đợt đánh giá đã công bố")
def campaigns(request: HttpRequest) -> list[CampaignOut]:
    """Every published version (corrections included, ``current`` marks the one in force)."""
    rows = (
        Campaign.objects.filter(status=Status.PUBLISHED)
        .select_related("framework")
        .order_by("-year", "level", F("version").desc(nulls_last=True), "-published_at")
    )
    in_force = {(c.level, c.year): c.pk for c in reversed(list(rows))}
    return [
        CampaignOut(
            id=c.pk,
            name=c.name,
            level=c.level,
            year=c.year,
            framework=c.framework.code,
            status=c.status,
            published_at=c.published_at,
            illustrative=c.illustrative,
            units=c.units.count(),
            version=c.version or 1,
            correction_reason=c.correction_reason,
            current=in_force[(c.level, c.year)] == c.pk,
            results_url=(
                f"/api/v1/par/results?level={c.level}&year={c.year}&version={c.version or 1}"
            ),
        )
        for c in rows
    ]


@router.get(
    "/robustness",
    response={200: dict, 404: Problem},
    summary="Độ tin cậy của xếp hạng đã công bố (khoảng thứ hạng theo sai số khảo sát)",
)
def robustness(request: HttpRequest, level: str, year: int) -> HttpResponse:
    """The JSON twin of the results pages' robustness section (same as ``cchc par
    robustness --format json`` for the campaign's scores and its published SIPAS surveys)."""
    from cchc.par.insight_export import robustness_to_json
    from cchc.web.portal.insight import campaign_robustness

    campaign = published_campaign(level, year)
    found = campaign_robustness(campaign) if campaign is not None else None
    if found is None:
        detail = (
            f"Chưa có kết quả được công bố cho cấp {level!r} năm {year}."
            if campaign is None
            else "Chưa có số liệu sai số khảo sát cho kết quả này."
        )
        return HttpResponse(
            json.dumps({"detail": detail}, ensure_ascii=False), status=404,
            content_type="application/json",
        )
    text = json.dumps(robustness_to_json(found[0]), ensure_ascii=False, indent=2)
    return HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")


def _detail(text: str, status: int) -> HttpResponse:
    body = json.dumps({"detail": text}, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type="application/json")


@router.get(
    "/whatif",
    response={200: dict, 400: dict, 404: Problem, 409: Problem},
    summary="Mô phỏng: đổi điểm một tiêu chí hoặc trọng số, xem tổng điểm, thứ hạng, xếp loại mới",
)
def whatif(
    request: HttpRequest, level: str, year: int, set: str = "", weight: str = ""
) -> HttpResponse:
    """The JSON twin of the what-if page (same as ``cchc par whatif --format json``) over
    the publication in force: ``set`` = "HNH:KQ=56,5" (a unit's score of a criterion or
    component) and ``weight`` = "HL=33" (a component's maximum), one a line or separated by
    ";". Nothing is stored."""
    from cchc.par.insight_export import whatif_to_json
    from cchc.par.scores import ScoresError
    from cchc.par.whatif import WhatIfError
    from cchc.web.portal.insight import campaign_whatif

    campaign = published_campaign(level, year)
    if campaign is None:
        return _detail(f"Chưa có kết quả được công bố cho cấp {level!r} năm {year}.", 404)
    if not (set.strip() or weight.strip()):
        return _detail("Chưa có thay đổi nào: cho 'set' (ĐƠN_VỊ:MỤC=ĐIỂM) hoặc 'weight' (MỤC=ĐIỂM_TỐI_ĐA).", 400)
    try:
        result = campaign_whatif(campaign, pages.results_for(campaign), set, weight)
    except ScoresError as exc:
        return _detail("; ".join(str(p) for p in exc.errors), 409)
    except WhatIfError as exc:
        body = {"detail": "Không mô phỏng được.", "problems": list(exc.problems)}
        return HttpResponse(json.dumps(body, ensure_ascii=False), status=400,
                            content_type="application/json")  # fmt: skip
    text = json.dumps(whatif_to_json(result), ensure_ascii=False, indent=2)
    return HttpResponse(text.encode("utf-8"), content_type="application/json; charset=utf-8")
