"""The fingerprint of a campaign's final scores (``approval.current_digest``) read as plain
rows: it must give exactly what the model-instance version gave, or every proposal and
approval already stored in a database would turn "outdated" on upgrade."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.par.approval import results_digest
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db


def model_digest(campaign: Campaign) -> str:
    """The previous implementation, kept as the oracle: one model instance per score."""

    def value(v: object) -> str:
        return "" if v is None else str(v)

    scores = CriterionScore.objects.filter(campaign_unit__campaign=campaign).select_related(
        "campaign_unit__unit"
    )
    return results_digest(
        (s.campaign_unit.unit.code, s.node_code, f"{value(s.appraised_value)}|{value(s.self_value)}")
        for s in scores
    )


def test_the_demo_campaigns_keep_their_digest():
    campaigns = list(Campaign.objects.all())
    assert campaigns
    for campaign in campaigns:
        assert approval.current_digest(campaign) == model_digest(campaign), campaign.name
        if campaign.approval == "approved":  # stored by the demo loader at its proposal
            assert approval.current_digest(campaign) == campaign.approval_digest


@pytest.fixture
def tricky(cast) -> Campaign:
    """Two districts whose scores cover every kind of value a digest must tell apart."""
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(
        fw, Unit.objects.filter(code__in=["HNH", "ANH"]), user=cast.organiser,
        name="Đánh giá thử", survey=["DT", "HL"],
    )
    rows = [
        {"unit_code": "HNH", "KQ": "4,50", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "4,5", "DT": "0", "HL": "10"},
    ]
    services.import_scores(campaign, rows, field="self_score", source="diem.csv")
    services.import_scores(campaign, rows, field="appraised_score", source="diem.csv")
    return campaign


def score(campaign: Campaign, unit: str, node: str) -> CriterionScore:
    return CriterionScore.objects.get(
        campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node
    )


def set_score(campaign: Campaign, unit: str, node: str, **fields: object) -> None:
    CriterionScore.objects.filter(
        campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node
    ).update(**fields)


def test_tricky_values_give_the_old_digest(tricky):
    # Not applicable with a number left beside it (the flag wins), on either side.
    set_score(tricky, "HNH", "DT", appraised_not_applicable=True)
    set_score(tricky, "ANH", "HL", not_applicable=True, self_score=None)
    # Missing: not appraised yet, not self-assessed, neither.
    set_score(tricky, "ANH", "DT", appraised_score=None)
    set_score(tricky, "HNH", "HL", self_score=None, appraised_score=Decimal("99999.99"))
    CriterionScore.objects.create(campaign_unit=score(tricky, "HNH", "KQ").campaign_unit, node_code="ZZ")
    before = approval.current_digest(tricky)
    assert before == model_digest(tricky)
    # The same number typed 4,5 or 4,50 is one value; a cent more is another.
    set_score(tricky, "HNH", "KQ", appraised_score=Decimal("4.5"))
    assert approval.current_digest(tricky) == model_digest(tricky) == before
    set_score(tricky, "HNH", "KQ", appraised_score=Decimal("4.51"))
    assert approval.current_digest(tricky) == model_digest(tricky) != before


@pytest.mark.parametrize(
    "change",
    [
        {"appraised_not_applicable": True},  # KAD instead of the number
        {"appraised_score": None},  # missing instead of the number
        {"not_applicable": True},  # the unit's own side counts too
        {"self_score": Decimal("0")},
    ],
)
def test_each_kind_of_change_changes_the_digest_as_before(tricky, change):
    before = approval.current_digest(tricky)
    set_score(tricky, "ANH", "KQ", **change)
    after = approval.current_digest(tricky)
    assert after == model_digest(tricky) and after != before


def test_a_campaign_without_scores_has_the_old_digest(cast):
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(fw, Unit.objects.filter(code="HNH"), user=cast.organiser, name="Trống")
    CriterionScore.objects.filter(campaign_unit__campaign=campaign).delete()
    assert approval.current_digest(campaign) == model_digest(campaign) == results_digest([])
