"""The workflow's demo step for ``cchc serve --demo``: one campaign open for self-assessment.

A copy of the district 2022 assessment (ILLUSTRATIVE, like every demo campaign), with the
survey components entered and ten units' self-assessments submitted from the seed's file;
Thị xã Hoài Nhơn has not scored yet, so its officer (``canbo.hoainhon``) can walk the whole
flow: self-assess, submit; the organiser (``noivu``) opens appraisal for ``thamdinh``, then
objections. Publishing needs every unit appraised and the leader's approval: the organiser
proposes the results, ``lanhdao`` (leader of the province) approves or returns them with a
reason; since district 2022 is already published (the seed, version 1) publishing is a
correction (version 2) with a reason; version 1 stays readable.
"""

from __future__ import annotations

import csv

from django.db import transaction
from django.utils import timezone

from cchc.demo import data_path
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, Framework
from cchc.web.demo import DemoContext
from cchc.web.units.lookup import find_unit, units_by_code
from cchc.web.workflow.campaigns import open_campaign

DEMO_NAME = "Đánh giá chỉ số CCHC cấp huyện năm 2022 (minh họa quy trình)"
DEMO_UNIT = "HNH"  # left unscored for the demo officer


@transaction.atomic
def load_open_campaign(ctx: DemoContext) -> None:
    """Idempotent: nothing happens when the campaign exists (or the framework is missing)."""
    framework = Framework.objects.filter(code="binh-dinh-huyen", year=2022).first()
    if framework is None or Campaign.objects.filter(name=DEMO_NAME).exists():
        return
    with data_path("district_2022.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    units = list({u.pk: u for u in units_by_code(r["unit_code"] for r in rows).values()}.values())
    campaign = open_campaign(framework, units, user=None, name=DEMO_NAME, survey=["DT", "HL"])
    campaign.illustrative = True
    campaign.source_name = "district_2022.csv"
    campaign.status = "self_assessment"
    campaign.save(update_fields=["illustrative", "source_name", "status"])
    survey = [{"unit_code": r["unit_code"], "DT": r["DT"], "HL": r["HL"]} for r in rows]
    services.import_scores(campaign, survey, field="appraised_score", source="district_2022.csv")
    others = [{"unit_code": r["unit_code"], "KQ": r["KQ"]} for r in rows if r["unit_code"] != DEMO_UNIT]
    services.import_scores(campaign, others, field="self_score", source="district_2022.csv")
    left = find_unit(DEMO_UNIT)
    campaign.units.exclude(unit=left).update(submitted_at=timezone.now())
    for cu in campaign.units.exclude(unit=left):
        cu.scores.update(self_locked=True)
    ctx.notes.append(f"{DEMO_NAME} (đang tự đánh giá, số liệu minh họa)")
