"""Downloads of a campaign's results: XLSX, CSV, JSON, the Word and PDF reports, charts.

Every file is produced by the core (``cchc.par.export``, ``cchc.reports``); these views only
find the campaign, check who may see it, and set the response headers.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from cchc.par.export import results_json_text, write_csv, write_xlsx
from cchc.par.results import Results
from cchc.par.scores import ScoresError
from cchc.reports import report_bytes
from cchc.reports.charts import Chart, ChartError, component_chart, ranking_chart, trend_chart
from cchc.web import permissions
from cchc.web.campaigns.models import Campaign
from cchc.web.campaigns.results import previous_published
from cchc.web.portal import pages

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "svg": "image/svg+xml",
    "png": "image/png",
}


def resolve_campaign(request: HttpRequest, kwargs: dict[str, Any]) -> Campaign:
    """The campaign named by (level, year) — published only — or by pk, permission-checked."""
    if "pk" in kwargs:
        campaign = get_object_or_404(Campaign.objects.select_related("framework"), pk=kwargs["pk"])
        if not permissions.can_view_results(request.user, campaign):
            raise PermissionDenied
        return campaign
    return pages.edition(kwargs["level"], kwargs["year"]).campaign


def _needs_scores(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Provisional results with missing scores: 409 and the reason instead of a crash."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except ScoresError as exc:
            detail = "Chưa tính được kết quả vì dữ liệu điểm chưa đầy đủ."
            if kwargs.get("fmt") == "json":  # the JSON twin answers in JSON: what is missing
                body = {
                    "detail": detail,
                    "missing": [
                        {"row": p.row, "column": p.column, "message": p.reason}
                        for p in exc.errors
                    ],
                }
                return HttpResponse(
                    json.dumps(body, ensure_ascii=False),
                    status=409,
                    content_type="application/json; charset=utf-8",
                )
            text = detail[:-1] + ":\n" + str(exc)
            return HttpResponse(text, status=409, content_type="text/plain; charset=utf-8")

    return wrapper


def _filename(campaign: Campaign, suffix: str, unit_code: str | None = None) -> str:
    unit = f"-{unit_code}" if unit_code else ""
    return f"chi-so-cchc-{campaign.level}-{campaign.year}{unit}.{suffix}"


def _file(data: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _xlsx_bytes(results: Results) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ket-qua.xlsx"
        write_xlsx(results, path)
        return path.read_bytes()


@require_GET
@_needs_scores
def table_download(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
    """The ranking as XLSX, CSV or JSON (the same JSON as the API and the CLI), compared
    with last year's published campaign of the level when there is one."""
    campaign = resolve_campaign(request, kwargs)
    results = pages.results_for(campaign)
    if fmt == "xlsx":
        data = _xlsx_bytes(results)
    elif fmt == "csv":
        buffer = io.StringIO()
        write_csv(results, buffer)
        data = buffer.getvalue().encode("utf-8")
    elif fmt == "json":
        data = results_json_text(results).encode("utf-8")
    else:
        raise Http404
    return _file(data, CONTENT_TYPES[fmt], _filename(campaign, fmt))


@require_GET
@_needs_scores
def report_download(
    request: HttpRequest, fmt: str, code: str | None = None, **kwargs: Any
) -> HttpResponse:
    """The Word or PDF report (Decree 30/2020 layout) for the level, or about one unit."""
    campaign = resolve_campaign(request, kwargs)
    results = pages.results_for(campaign)
    if code is not None:
        pages.find_unit(results, code)
    previous = previous_published(campaign)
    options: dict[str, Any] = {
        "unit_code": code,
        "organisation": campaign.organisation or "Cơ quan tổ chức đánh giá",
        "parent_organisation": campaign.parent_organisation or None,
        "place": campaign.place or "",
        "date": timezone.localdate(campaign.published_at) if campaign.published_at else timezone.localdate(),
        "previous": pages.results_for(previous, with_previous=False) if previous else None,
        "illustrative": campaign.illustrative,
    }
    if fmt not in ("docx", "pdf"):
        raise Http404
    data = report_bytes(results, "docx" if fmt == "docx" else "pdf", **options)
    return _file(data, CONTENT_TYPES[fmt], _filename(campaign, fmt, code))


def _chart(results: Results, name: str, code: str | None, history: list[Results]) -> Chart:
    try:
        if name == "xep-hang":
            return ranking_chart(results, unit_code=code)
        if name == "thanh-phan":
            return component_chart(results, unit_code=code)
        if name == "xu-huong" and code is not None:
            return trend_chart(history, code)
    except ChartError as exc:
        raise Http404(str(exc)) from None
    raise Http404("Không có biểu đồ này.")


@lru_cache(maxsize=128)
def _rendered(stamp: str, name: str, code: str | None, ext: str, campaign_pk: int) -> bytes:
    campaign = Campaign.objects.select_related("framework").get(pk=campaign_pk)
    results = pages.results_for(campaign)
    chart = _chart(results, name, code, [results])
    return chart.svg().encode("utf-8") if ext == "svg" else chart.png()


@require_GET
@_needs_scores
def chart_download(
    request: HttpRequest, name: str, ext: str, code: str | None = None, **kwargs: Any
) -> HttpResponse:
    """A chart as SVG (embedded on the pages) or PNG (for people's own documents)."""
    campaign = resolve_campaign(request, kwargs)
    if ext not in ("svg", "png"):
        raise Http404
    if campaign.is_published:
        # Published results never change: render once per process.
        data = _rendered(pages.campaign_stamp(campaign), name, code, ext, campaign.pk)
    else:
        results = pages.results_for(campaign)
        chart = _chart(results, name, code, [results])
        data = chart.svg().encode("utf-8") if ext == "svg" else chart.png()
    suffix = f"{name}.{ext}"
    response = _file(data, CONTENT_TYPES[ext], _filename(campaign, suffix, code), inline=True)
    response["Cache-Control"] = "public, max-age=300" if campaign.is_published else "private, no-store"
    return response
