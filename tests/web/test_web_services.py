"""Campaign services: every change is kept, stale forms are refused, imports are all-or-nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign, Framework, ScoreChange, Status
from cchc.web.campaigns.results import campaign_results
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    c = services.create_campaign(fw, Unit.objects.filter(code__in=["HNH", "ANH"]), user=cast.organiser)
    c.status = Status.SELF_ASSESSMENT
    c.save()
    return c


def score(campaign: Campaign, unit: str, node: str):
    return campaign.units.get(unit__code=unit).scores.get(node_code=node)


def test_a_campaign_has_one_score_row_per_unit_and_scored_node(campaign):
    assert sorted(campaign.units.values_list("unit__code", flat=True)) == ["ANH", "HNH"]
    assert sorted(score.node_code for cu in campaign.units.all() for score in cu.scores.all()) == [
        "DT", "DT", "HL", "HL", "KQ", "KQ",
    ]


def test_units_of_another_level_are_refused(cast):
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    with pytest.raises(services.CampaignError, match="BSO"):
        services.create_campaign(fw, Unit.objects.filter(code="BSO"), user=cast.organiser)


def test_every_self_score_change_is_kept_with_who_old_and_new(cast, campaign):
    kq = score(campaign, "HNH", "KQ")
    services.set_self_score(kq, "55,46", user=cast.officer_a, explanation="Có quyết định kèm theo")
    services.set_self_score(kq, "56", user=cast.officer_a)
    history = list(ScoreChange.objects.filter(criterion_score=kq).values_list("user__username", "field", "old", "new"))
    assert history == [
        ("canbo.a", "self_score", "", "55,46"),
        ("canbo.a", "explanation", "", "Có quyết định kèm theo"),
        ("canbo.a", "self_score", "55,46", "56,00"),
    ]
    kq.refresh_from_db()
    assert kq.self_score == Decimal("56.00") and kq.version == 3


def test_a_stale_form_does_not_overwrite_a_newer_change(cast, campaign):
    kq = score(campaign, "HNH", "KQ")
    opened_at = kq.version
    services.set_self_score(kq, "50", user=cast.officer_a, expected_version=opened_at)
    with pytest.raises(services.StaleScore):
        services.set_self_score(kq, "40", user=cast.officer_a, expected_version=opened_at)
    kq.refresh_from_db()
    assert kq.self_score == Decimal("50.00")
    assert ScoreChange.objects.filter(criterion_score=kq, new="40,00").count() == 0


def test_scores_outside_zero_to_max_are_refused(cast, campaign):
    with pytest.raises(services.CampaignError, match=r"0\.\.10"):
        services.set_self_score(score(campaign, "HNH", "DT"), "10,5", user=cast.officer_a)
    with pytest.raises(services.CampaignError, match="không phải là số"):
        services.set_self_score(score(campaign, "HNH", "DT"), "tám", user=cast.officer_a)


def test_submit_needs_every_criterion_then_locks(cast, campaign):
    unit = campaign.units.get(unit__code="HNH")
    services.set_self_score(score(campaign, "HNH", "KQ"), "55", user=cast.officer_a)
    with pytest.raises(services.CampaignError, match=r"DT, HL|HL, DT"):
        services.submit_unit(unit, user=cast.officer_a)
    for node in ("DT", "HL"):
        services.set_self_score(score(campaign, "HNH", node), "5", user=cast.officer_a)
    services.submit_unit(unit, user=cast.officer_a)
    with pytest.raises(services.NotAllowed):
        services.set_self_score(score(campaign, "HNH", "KQ"), "60", user=cast.officer_a)


def test_an_appraised_score_that_differs_needs_a_reason(cast, campaign):
    kq = score(campaign, "HNH", "KQ")
    services.set_self_score(kq, "57", user=cast.officer_a)
    services.set_self_score(score(campaign, "HNH", "HL"), "26,28", user=cast.officer_a)
    campaign.status = Status.APPRAISAL
    campaign.save()
    kq.refresh_from_db()
    with pytest.raises(services.CampaignError, match="lý do"):
        services.appraise(kq, "55,46", user=cast.appraiser)
    services.appraise(kq, "55,46", user=cast.appraiser, reason="Thiếu minh chứng tiêu chí 1.2")
    change = ScoreChange.objects.filter(criterion_score=kq, field="appraised_score").get()
    assert (change.old, change.new, change.reason) == ("", "55,46", "Thiếu minh chứng tiêu chí 1.2")
    # Confirming the unit's own score needs no reason.
    hl = services.appraise(score(campaign, "HNH", "HL"), "26,28", user=cast.appraiser)
    assert hl.appraised_score == Decimal("26.28") and hl.appraisal_reason == ""


def test_objection_and_answer_are_kept_in_the_criterion_history(cast, campaign):
    kq = score(campaign, "HNH", "KQ")
    campaign.status = Status.OBJECTIONS
    campaign.save()
    kq.refresh_from_db()
    objection = services.raise_objection(kq, "Đề nghị xem xét lại minh chứng", user=cast.officer_a)
    services.answer_objection(objection, "Giữ nguyên kết quả thẩm định", user=cast.appraiser)
    fields = list(ScoreChange.objects.filter(criterion_score=kq).values_list("field", flat=True))
    assert fields == ["objection", "objection_answer"]


def test_import_is_all_or_nothing_and_names_row_and_column(campaign):
    rows = [
        {"unit_code": "HNH", "KQ": "55,46", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "31"},
    ]
    with pytest.raises(services.CampaignError, match=r"diem\.csv, dòng 3, cột HL"):
        services.import_scores(campaign, rows, field="self_score", source="diem.csv")
    assert not ScoreChange.objects.filter(criterion_score__campaign_unit__campaign=campaign).exists()
    assert score(campaign, "HNH", "KQ").self_score is None


def test_results_come_from_the_engine_and_publication_locks(cast, campaign):
    rows = [
        {"unit_code": "HNH", "KQ": "55,46", "DT": "6,67", "HL": "26,28"},
        {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
    ]
    services.import_scores(campaign, rows, field="self_score", source="diem.csv")
    results = campaign_results(campaign)
    assert [(u.unit_code, u.rank, round(u.score, 2)) for u in results.units] == [
        ("HNH", 1, 88.41), ("ANH", 2, 86.22),
    ]
    campaign.status = Status.OBJECTIONS
    campaign.save()
    with pytest.raises(services.CampaignError, match="Còn 6 tiêu chí chưa có điểm thẩm định"):
        services.publish(campaign, user=cast.organiser)  # self scores only: not appraised
    services.import_scores(campaign, rows, field="appraised_score", source="diem.csv")
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    # District 2022 is already published (the demo): this one is a correction.
    with pytest.raises(services.CampaignError, match="phải ghi lý do đính chính"):
        services.publish(campaign, user=cast.organiser, reason="\u2060\u200b \ufeff")
    services.publish(campaign, user=cast.organiser, reason="Đính chính điểm KQ")
    campaign.refresh_from_db()
    assert campaign.is_published and campaign.published_at is not None
    assert not campaign.units.get(unit__code="HNH").scores.filter(self_locked=False).exists()
