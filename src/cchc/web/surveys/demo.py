"""The surveys' demo step for ``cchc serve --demo``: a satisfaction survey ready for links.

ILLUSTRATIVE, like every demo campaign: a commune-level assessment of Hoài Nhơn's wards and
communes for the year of the desk's generated ledger (the seed's 2022 commune framework
re-dated to that year; KQ from the seed's commune file), with HL (30 points) left to a
SIPAS survey whose sample is already drawn from the desk's ledger. The organiser
(``noivu``) issues links for a ward, answers on a phone, and publishes the points.
"""

from __future__ import annotations

import csv
from typing import Any

from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear

from cchc.demo import data_path
from cchc.web.campaigns import services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.campaigns.models import Campaign, Status
from cchc.web.desk.clock import local_now
from cchc.web.desk.models import Dossier
from cchc.web.surveys import planning, sampling
from cchc.web.surveys.models import Survey
from cchc.web.units.lookup import units_by_code

DEMO_SEED = 2024


def _campaign(year: int) -> Campaign:
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(
        text.replace("year: 2022", f"year: {year}", 1), f"framework_commune_{year}.yaml"
    )
    with data_path("commune_2022.csv").open(encoding="utf-8", newline="") as fh:
        rows = [{"unit_code": r["unit_code"], "KQ": r["KQ"]} for r in csv.DictReader(fh)]
    units = list({u.pk: u for u in units_by_code(r["unit_code"] for r in rows).values()}.values())
    campaign = services.create_campaign(
        framework,
        units,
        user=None,
        name=f"Đánh giá chỉ số CCHC cấp xã năm {year} (minh họa khảo sát)",
        illustrative=True,
    )
    services.import_scores(campaign, rows, field="self_score", source="commune_2022.csv")
    services.import_scores(campaign, rows, field="appraised_score", source="commune_2022.csv")
    campaign.status = Status.APPRAISAL
    campaign.source_name = "commune_2022.csv"
    campaign.save(update_fields=["status", "source_name"])
    return campaign


@transaction.atomic
def load_survey(ctx: Any) -> None:
    """Idempotent: nothing happens when the demo survey exists or the desk has no ledger."""
    if Survey.objects.filter(campaign__name__contains="minh họa khảo sát").exists():
        return
    # The year in which the desk's generated ledger finished most dossiers.
    busiest = (
        Dossier.objects.filter(status__in=sampling.FINISHED_STATUSES, finished_at__isnull=False)
        .annotate(year=ExtractYear("finished_at", tzinfo=local_now().tzinfo))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-n", "-year")
        .first()
    )
    if busiest is None:
        return
    campaign = _campaign(int(busiest["year"]))
    survey = planning.create_survey(planning.SurveyPlan(campaign, "HL", seed=DEMO_SEED), user=None)
    sample = sampling.draw(survey, user=None)
    drawn = sum(1 for r in sample.respondents if r.role == "sample")
    ctx.notes.append(f"{survey.name}: đã chọn mẫu {drawn} người (số liệu minh họa)")
