"""The demo's open campaign: ready for Hoài Nhơn's officer to self-assess, loaded once."""

from __future__ import annotations

import pytest

from cchc.web import demo
from cchc.web.campaigns.models import Campaign
from cchc.web.workflow.demo import DEMO_NAME, load_open_campaign
from cchc.web.workflow.submission import missing_self_scores

pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_campaign_waiting_for_hoai_nhon_only():
    assert load_open_campaign in demo.STEPS
    ctx = demo.DemoContext()
    load_open_campaign(ctx)
    load_open_campaign(ctx)
    campaign = Campaign.objects.get(name=DEMO_NAME)
    assert campaign.status == "self_assessment" and campaign.illustrative
    waiting = [cu.unit.code for cu in campaign.units.select_related("unit") if not cu.submitted]
    assert waiting == ["HNH"]
    hnh = campaign.units.get(unit__code="HNH")
    assert missing_self_scores(hnh) == ["KQ"]  # the survey components are already entered
    assert len(ctx.notes) == 1
