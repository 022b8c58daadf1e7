"""Who may see and change what, with the fixed cast: each rule reads as a sentence.

Officer A is Thị xã Hoài Nhơn's CCHC officer, officer B An Nhơn's.
"""

from __future__ import annotations

import pytest

from cchc.web import permissions as can
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, CampaignUnit, Framework, Status
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db

EVERYONE = ("organiser", "officer_a", "officer_b", "appraiser", "leader", "onestop", "public")


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    units = Unit.objects.filter(code__in=["HNH", "ANH"])
    return services.create_campaign(fw, units, user=cast.organiser, name="Đánh giá thử")


def unit_of(campaign: Campaign, code: str) -> CampaignUnit:
    return campaign.units.get(unit__code=code)


def who(cast, check, *args) -> set[str]:
    return {name for name in EVERYONE if check(getattr(cast, name), *args)}


def set_phase(campaign: Campaign, status: str) -> None:
    campaign.status = status
    campaign.save()


def test_only_the_office_and_taking_part_officers_see_an_unpublished_campaign(cast, campaign):
    assert who(cast, can.can_view_campaign, campaign) == {"organiser", "officer_a", "officer_b", "appraiser", "leader"}
    outsider_unit = services.create_campaign(
        campaign.framework, Unit.objects.filter(code="QNH"), user=cast.organiser
    )
    assert who(cast, can.can_view_campaign, outsider_unit) == {"organiser", "appraiser", "leader"}


def test_everyone_sees_a_published_campaign(cast):
    published = Campaign.objects.get(level="district", year=2022, status=Status.PUBLISHED)
    assert who(cast, can.can_view_campaign, published) == set(EVERYONE)
    assert who(cast, can.can_view_results, published) == set(EVERYONE)


def test_no_unit_sees_provisional_results(cast, campaign):
    assert who(cast, can.can_view_results, campaign) == {"organiser", "appraiser", "leader"}


def test_an_officer_scores_only_their_own_unit_during_self_assessment(cast, campaign):
    a, b = unit_of(campaign, "HNH"), unit_of(campaign, "ANH")
    assert who(cast, can.can_edit_unit_scores, a) == set()  # still a draft
    set_phase(campaign, Status.SELF_ASSESSMENT)
    a.refresh_from_db()
    assert who(cast, can.can_edit_unit_scores, a) == {"officer_a"}
    assert who(cast, can.can_edit_unit_scores, b) == {"officer_b"}
    set_phase(campaign, Status.APPRAISAL)
    a.campaign.refresh_from_db()
    assert who(cast, can.can_edit_unit_scores, a) == set()


def test_a_submitted_unit_can_no_longer_be_edited(cast, campaign):
    set_phase(campaign, Status.SELF_ASSESSMENT)
    a = unit_of(campaign, "HNH")
    for score in a.scores.all():
        services.set_self_score(score, "5", user=cast.officer_a)
    services.submit_unit(a, user=cast.officer_a)
    assert who(cast, can.can_edit_unit_scores, a) == set()


def test_only_appraisers_appraise_and_only_during_appraisal(cast, campaign):
    assert who(cast, can.can_appraise, campaign) == set()
    set_phase(campaign, Status.APPRAISAL)
    assert who(cast, can.can_appraise, campaign) == {"appraiser"}


def test_units_object_for_themselves_and_appraisers_answer_during_objections(cast, campaign):
    set_phase(campaign, Status.OBJECTIONS)
    assert who(cast, can.can_object, unit_of(campaign, "HNH")) == {"officer_a"}
    assert who(cast, can.can_answer_objection, campaign) == {"appraiser"}


def test_only_the_organiser_manages_and_publishes(cast, campaign):
    assert who(cast, lambda u: can.can_manage_campaigns(u)) == {"organiser"}
    assert who(cast, can.can_publish, campaign) == set()  # a draft cannot be published
    set_phase(campaign, Status.OBJECTIONS)
    assert who(cast, can.can_publish, campaign) == {"organiser"}


def test_evidence_is_never_public_and_never_seen_by_another_unit(cast, campaign):
    from django.core.files.uploadedfile import SimpleUploadedFile

    set_phase(campaign, Status.SELF_ASSESSMENT)
    score = unit_of(campaign, "HNH").scores.get(node_code="KQ")
    evidence = services.add_evidence(
        score, SimpleUploadedFile("qd.pdf", b"%PDF-1.7 test"), user=cast.officer_a
    )
    assert who(cast, can.can_view_evidence, evidence) == {"organiser", "officer_a", "appraiser", "leader"}


def test_services_refuse_what_permissions_refuse(cast, campaign):
    set_phase(campaign, Status.SELF_ASSESSMENT)
    score_b = unit_of(campaign, "ANH").scores.get(node_code="KQ")
    with pytest.raises(services.NotAllowed):
        services.set_self_score(score_b, "50", user=cast.officer_a)
    with pytest.raises(services.NotAllowed):
        services.appraise(score_b, "50", user=cast.appraiser, reason="x")
    with pytest.raises(services.NotAllowed):
        services.publish(campaign, user=cast.officer_b)
    with pytest.raises(services.NotAllowed):
        services.create_campaign(campaign.framework, [], user=cast.leader)
