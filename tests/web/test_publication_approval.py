"""The leader's approval before publication (issue 14, item 11), and the one phase control.

The organiser proposes the appraised results; a leader of the organising body (the cast's
leader leads Tỉnh Bình Định, above Hoài Nhơn and An Nhơn) approves them or returns them
with a reason; only approved, unchanged results are published. Every step is in the audit
chain.
"""

from __future__ import annotations

import pytest

from cchc.web.accounts.models import User
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework
from cchc.web.ops.models import AuditEntry
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db

ROWS = [
    {"unit_code": "HNH", "KQ": "50", "DT": "6,67", "HL": "26,28"},
    {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
]


@pytest.fixture
def campaign(cast) -> Campaign:
    """Hoài Nhơn and An Nhơn, appraised, in the objections phase: ready to propose."""
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(
        fw, Unit.objects.filter(code__in=["HNH", "ANH"]), user=cast.organiser,
        name="Đánh giá thử", survey=["DT", "HL"],
    )
    services.import_scores(campaign, ROWS, field="self_score", source="diem.csv")
    services.import_scores(campaign, ROWS, field="appraised_score", source="diem.csv")
    campaign.status = "objections"
    campaign.save(update_fields=["status"])
    return campaign


def url(campaign: Campaign, rest: str = "") -> str:
    return f"/dot-danh-gia/{campaign.pk}/{rest}"


def leader_of(code: str | None, username: str) -> User:
    return User.objects.create(
        username=username, role="leader", unit=Unit.objects.get(code=code) if code else None
    )


def steps(campaign: Campaign) -> list[tuple[str, str | None, str | None, str]]:
    return list(
        AuditEntry.objects.filter(action="campaign.approval", object_id=str(campaign.pk))
        .order_by("seq")
        .values_list("actor", "old", "new", "reason")
    )


# --- the steps -----------------------------------------------------------------------------


def test_propose_then_approve_then_publish_each_step_audited(cast, campaign):
    client = cast.client("organiser")
    client.post(url(campaign, "de-nghi-phe-duyet/"))
    campaign.refresh_from_db()
    assert campaign.approval == "proposed" and campaign.approval_by == cast.organiser
    cast.client("leader").post(url(campaign, "phe-duyet/"), {"decision": "approve"})
    campaign.refresh_from_db()
    assert campaign.approval == "approved" and campaign.approval_by == cast.leader
    assert campaign.approval_at is not None
    client.post(url(campaign, "cong-bo/"), {"confirm": "yes", "reason": "Đính chính điểm KQ"})
    campaign.refresh_from_db()
    assert campaign.is_published and campaign.version == 2  # district 2022 v1 is the demo's
    assert steps(campaign) == [
        ("noivu", "none", "proposed", ""),
        ("lanhdao", "proposed", "approved", ""),
    ]


def test_publishing_without_approval_is_refused(cast, campaign, html):
    client = cast.client("organiser")
    page = client.get(url(campaign, "cong-bo/"))
    assert page.status_code == 409
    doc = html(page.content)
    assert "chưa được lãnh đạo phê duyệt" in doc.cssselect("#publish-unapproved")[0].text_content()
    assert not doc.cssselect("#publish-confirm")
    client.post(url(campaign, "cong-bo/"), {"confirm": "yes", "reason": "Đính chính"})
    campaign.refresh_from_db()
    assert not campaign.is_published
    # Proposed but not yet approved: still refused, by the service too.
    approval.propose(campaign, user=cast.organiser)
    with pytest.raises(services.CampaignError, match="chờ lãnh đạo phê duyệt"):
        services.publish(campaign, user=cast.organiser, reason="Đính chính")
    campaign.refresh_from_db()
    assert not campaign.is_published


@pytest.mark.parametrize("who", ["organiser", "appraiser", "officer_a", "onestop"])
def test_only_a_leader_may_approve(cast, campaign, who):
    approval.propose(campaign, user=cast.organiser)
    response = cast.client(who).post(url(campaign, "phe-duyet/"), {"decision": "approve"})
    assert response.status_code == 403
    assert cast.client(who).get(url(campaign, "phe-duyet/")).status_code == 403
    campaign.refresh_from_db()
    assert campaign.approval == "proposed"


@pytest.mark.parametrize(
    ("unit", "why"),
    [
        ("HNH", "a leader of an assessed unit does not approve its own results"),
        ("GLA", "a leader of another province"),
        (None, "a leader bound to no organising body"),
    ],
)
def test_a_leader_of_another_body_is_refused_with_403(cast, campaign, unit, why):
    from django.test import Client

    approval.propose(campaign, user=cast.organiser)
    client = Client()
    client.force_login(leader_of(unit, "lanhdao.khac"))
    assert client.post(url(campaign, "phe-duyet/"), {"decision": "approve"}).status_code == 403, why
    with pytest.raises(services.NotAllowed):
        approval.approve(campaign, user=User.objects.get(username="lanhdao.khac"))
    campaign.refresh_from_db()
    assert campaign.approval == "proposed"


def test_a_return_needs_a_reason_which_the_organiser_reads(cast, campaign, html):
    approval.propose(campaign, user=cast.organiser)
    leader = cast.client("leader")
    refused = leader.post(url(campaign, "phe-duyet/"), {"decision": "return", "reason": "\u200b "}, follow=True)
    assert "phải ghi lý do" in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.approval == "proposed"
    leader.post(url(campaign, "phe-duyet/"), {"decision": "return", "reason": "Xem lại điểm KQ của Hoài Nhơn"})
    doc = html(cast.client("organiser").get(url(campaign)).content)
    assert doc.cssselect("#approval")[0].get("data-approval") == "returned"
    assert "Xem lại điểm KQ của Hoài Nhơn" in doc.cssselect("#approval-returned-reason")[0].text_content()
    assert doc.cssselect("#propose button")  # it may be proposed again
    assert not doc.cssselect("#publish")
    assert steps(campaign)[-1] == ("lanhdao", "proposed", "returned", "Xem lại điểm KQ của Hoài Nhơn")


def test_proposing_is_refused_while_a_criterion_is_unappraised(cast, campaign):
    CriterionScore.objects.filter(campaign_unit__campaign=campaign, node_code="KQ").update(appraised_score=None)
    response = cast.client("organiser").post(url(campaign, "de-nghi-phe-duyet/"), follow=True)
    assert "Còn 2 tiêu chí chưa có điểm thẩm định" in response.content.decode()
    campaign.refresh_from_db()
    assert campaign.approval == "none"


# --- scores that change after approval -------------------------------------------------------


def test_a_score_changed_after_approval_outdates_it_until_proposed_and_approved_again(cast, campaign, html):
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    kq = CriterionScore.objects.get(campaign_unit__campaign=campaign, campaign_unit__unit__code="HNH", node_code="KQ")
    services.set_appraised(kq, "48", user=cast.appraiser, reason="Sau kiến nghị", expected_version=kq.version)
    assert approval.state(campaign) == "outdated"
    with pytest.raises(services.CampaignError, match="Điểm đã thay đổi sau khi đề nghị"):
        services.publish(campaign, user=cast.organiser, reason="Đính chính")
    doc = html(cast.client("organiser").get(url(campaign)).content)
    assert doc.cssselect("#approval")[0].get("data-approval") == "outdated"
    assert not doc.cssselect("#publish") and doc.cssselect("#propose")
    # The leader cannot approve what changed under the proposal either.
    assert approval.awaiting(cast.leader) == []
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    services.publish(campaign, user=cast.organiser, reason="Đính chính điểm KQ")
    campaign.refresh_from_db()
    assert campaign.is_published


def test_a_phase_change_withdraws_the_approval_and_is_audited(cast, campaign):
    approval.propose(campaign, user=cast.organiser)
    approval.approve(campaign, user=cast.leader)
    services.change_phase(campaign, "appraisal", user=cast.organiser)
    campaign.refresh_from_db()
    assert campaign.approval == "none"
    assert steps(campaign)[-1][1:3] == ("approved", "none")
    phase = AuditEntry.objects.filter(action="campaign.phase", object_id=str(campaign.pk)).last()
    assert phase is not None and (phase.actor, phase.old, phase.new) == ("noivu", "objections", "appraisal")


# --- pages ---------------------------------------------------------------------------------


def test_the_leaders_landing_page_lists_what_awaits_approval(cast, campaign, html):
    approval.propose(campaign, user=cast.organiser)
    page = cast.client("leader").get("/dot-danh-gia/")
    items = html(page.content).cssselect("#awaiting-approval li[data-campaign]")
    assert [li.get("data-campaign") for li in items] == [str(campaign.pk)]
    assert items[0].cssselect("a")[0].get("href") == url(campaign, "phe-duyet/")
    # The approval page shows what publishing would change, and both decisions.
    doc = html(cast.client("leader").get(url(campaign, "phe-duyet/")).content)
    assert doc.cssselect("#publish-changes tr[data-unit=HNH]")
    assert doc.cssselect("#approve-form") and doc.cssselect("#return-form textarea[required]")
    # A leader of an assessed unit is not asked; the organiser has no such list.
    from django.test import Client

    other = Client()
    other.force_login(leader_of("HNH", "lanhdao.hnh"))
    assert not html(other.get("/dot-danh-gia/").content).cssselect("#awaiting-approval li[data-campaign]")
    assert not html(cast.client("organiser").get("/dot-danh-gia/").content).cssselect("#awaiting-approval")


def test_the_campaign_page_has_exactly_one_phase_control(cast, campaign, html):
    campaign.status = "appraisal"
    campaign.save(update_fields=["status"])
    doc = html(cast.client("organiser").get(url(campaign)).content)
    forms = doc.xpath(f"//form[@action='{url(campaign, 'giai-doan/')}']")
    assert len(forms) == 1
    assert len(forms[0].cssselect("select[name=status]")) == 1
    assert forms[0].cssselect("select option[selected]")[0].get("value") == "objections"
    assert forms[0].cssselect("input[name=confirm][type=checkbox]")
    # Nobody else gets it.
    for who in ("appraiser", "leader", "officer_a"):
        other = html(cast.client(who).get(url(campaign)).content)
        assert not other.xpath(f"//form[@action='{url(campaign, 'giai-doan/')}']"), who


def test_moving_forward_needs_the_confirmation_moving_back_does_not(cast, campaign):
    campaign.status = "self_assessment"
    campaign.save(update_fields=["status"])
    client = cast.client("organiser")
    refused = client.post(url(campaign, "giai-doan/"), {"status": "appraisal"}, follow=True)
    assert "hãy đánh dấu xác nhận" in refused.content.decode()
    campaign.refresh_from_db()
    assert campaign.status == "self_assessment"
    client.post(url(campaign, "giai-doan/"), {"status": "appraisal", "confirm": "yes"})
    campaign.refresh_from_db()
    assert campaign.status == "appraisal"
    client.post(url(campaign, "giai-doan/"), {"status": "self_assessment"})  # reopen
    campaign.refresh_from_db()
    assert campaign.status == "self_assessment"
    moves = AuditEntry.objects.filter(action="campaign.phase", object_id=str(campaign.pk)).order_by("seq")
    assert [(m.old, m.new) for m in moves] == [("self_assessment", "appraisal"), ("appraisal", "self_assessment")]


# --- the demo ------------------------------------------------------------------------------


def test_the_demo_publishes_only_approved_results_and_its_leader_leads_the_province():
    from cchc.web import demo

    published = Campaign.objects.filter(status="published", illustrative=True)
    assert published.exists()
    for campaign in published:
        assert campaign.approval == "approved"
        assert [(old, new) for _, old, new, _ in steps(campaign)] == [("none", "proposed"), ("proposed", "approved")]
    assert demo.DEMO_USERS["lanhdao"] == ("leader", "BDI")
