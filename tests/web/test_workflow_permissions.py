"""Every workflow page and action with the fixed cast: who gets in, who is refused, and that
a refused request changes nothing.

Officer A is Thị xã Hoài Nhơn's (HNH) CCHC officer, officer B An Nhơn's (ANH); both units
take part. Refusals: a unit officer gets 404 for another unit (its existence is not shown),
other signed-in roles 403, the public is sent to the log-in page.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cchc.web.campaigns import approval, services
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework, ScoreChange
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db

CAST = ("organiser", "officer_a", "officer_b", "appraiser", "leader", "onestop", "public")
OFFICE = {"organiser", "appraiser", "leader"}


@pytest.fixture
def campaign(cast) -> Campaign:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    units = Unit.objects.filter(code__in=["HNH", "ANH"])
    return open_campaign(fw, units, user=cast.organiser, name="Đánh giá thử", survey=["DT", "HL"])


def phase(campaign: Campaign, status: str) -> None:
    campaign.status = status
    campaign.save(update_fields=["status"])


def score(campaign: Campaign, unit: str = "HNH", node: str = "KQ") -> CriterionScore:
    return CriterionScore.objects.get(campaign_unit__campaign=campaign, campaign_unit__unit__code=unit, node_code=node)


def refused(response, who: str) -> bool:
    if who == "public":
        return response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]
    return response.status_code in (403, 404)


# --- pages ------------------------------------------------------------------------------

PAGES = {
    # page → who opens it (everyone else is refused)
    "campaigns": OFFICE | {"officer_a", "officer_b"},
    "campaign": OFFICE | {"officer_a", "officer_b"},
    "unit HNH": OFFICE | {"officer_a"},
    "unit ANH": OFFICE | {"officer_b"},
    "criterion HNH": OFFICE | {"officer_a"},
    "survey": {"organiser"},
    "create": {"organiser"},
}


def page_url(campaign: Campaign, page: str) -> str:
    base = f"/dot-danh-gia/{campaign.pk}/"
    return {
        "campaigns": "/dot-danh-gia/",
        "campaign": base,
        "unit HNH": base + "don-vi/HNH/",
        "unit ANH": base + "don-vi/ANH/",
        "criterion HNH": base + "don-vi/HNH/tieu-chi/KQ/",
        "survey": base + "dieu-tra/",
        "create": "/dot-danh-gia/tao-moi/",
    }[page]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_opens_for_exactly_the_people_it_is_for(cast, campaign, page):
    phase(campaign, "self_assessment")
    opened = set()
    for who in CAST:
        response = cast.client(who).get(page_url(campaign, page))
        if response.status_code == 200:
            opened.add(who)
        else:
            assert refused(response, who), (who, response.status_code)
    assert opened == PAGES[page]


def test_another_units_officer_gets_not_found_not_forbidden(cast, campaign):
    response = cast.client("officer_b").get(page_url(campaign, "criterion HNH"))
    assert response.status_code == 404


def test_evidence_file_is_for_the_office_and_the_units_own_officer_only(cast, campaign):
    phase(campaign, "self_assessment")
    evidence = services.add_evidence(
        score(campaign), SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung"), user=cast.officer_a
    )
    url = f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/minh-chung/{evidence.pk}/"
    got = set()
    for who in CAST:
        response = cast.client(who).get(url)
        if response.status_code == 200:
            assert b"".join(response.streaming_content) == b"%PDF-1.4 minh chung"
            got.add(who)
        else:
            assert refused(response, who)
    assert got == OFFICE | {"officer_a"}


# --- actions ----------------------------------------------------------------------------


@dataclass
class Action:
    phase: str
    path: str  # after /dot-danh-gia/<pk>/
    allowed: str  # the one member of the cast who may do it

    def data(self, campaign: Campaign) -> dict[str, object]:
        s = score(campaign)
        answer = {"answer": "Giữ nguyên điểm", "score": "49", "version": s.version}
        return {
            "don-vi/HNH/tieu-chi/KQ/kien-nghi/<id>/tra-loi/": answer,
            "don-vi/HNH/tieu-chi/KQ/tu-danh-gia/": {"score": "50,5", "explanation": "Có văn bản", "version": s.version},
            "don-vi/HNH/tieu-chi/KQ/minh-chung/": {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")},
            "don-vi/HNH/nop/": {"confirm": "yes"},
            "don-vi/HNH/tieu-chi/KQ/tham-dinh/": {"score": "50", "reason": "Thiếu minh chứng", "version": s.version},
            "don-vi/HNH/tieu-chi/KQ/kien-nghi/": {"text": "Đề nghị xem xét lại"},
            "giai-doan/": {"status": "appraisal", "confirm": "yes"},
            "de-nghi-phe-duyet/": {},
            "phe-duyet/": {"decision": "approve"},
            "thoi-gian/": {"self_assessment_start": "2023-01-05", "self_assessment_end": "20/02/2023"},
            "dieu-tra/": {"HNH:DT": "6,67", "HNH:HL": "26.28"},
            "cong-bo/": {"confirm": "yes", "reason": "Đính chính theo kết luận thẩm định"},
        }[re.sub(r"kien-nghi/\d+/", "kien-nghi/<id>/", self.path)]


ACTIONS = {
    "score own criterion": Action("self_assessment", "don-vi/HNH/tieu-chi/KQ/tu-danh-gia/", "officer_a"),
    "upload evidence": Action("self_assessment", "don-vi/HNH/tieu-chi/KQ/minh-chung/", "officer_a"),
    "submit": Action("self_assessment", "don-vi/HNH/nop/", "officer_a"),
    "appraise": Action("appraisal", "don-vi/HNH/tieu-chi/KQ/tham-dinh/", "appraiser"),
    "object": Action("objections", "don-vi/HNH/tieu-chi/KQ/kien-nghi/", "officer_a"),
    "move phase": Action("self_assessment", "giai-doan/", "organiser"),
    "set dates": Action("draft", "thoi-gian/", "organiser"),
    "enter survey": Action("appraisal", "dieu-tra/", "organiser"),
    "answer an objection": Action("objections", "don-vi/HNH/tieu-chi/KQ/kien-nghi/<id>/tra-loi/", "appraiser"),
    "propose for approval": Action("objections", "de-nghi-phe-duyet/", "organiser"),
    "approve": Action("objections", "phe-duyet/", "leader"),
    "publish": Action("objections", "cong-bo/", "organiser"),
}


def fingerprint(campaign: Campaign) -> tuple[object, ...]:
    """Everything an action could change."""
    campaign.refresh_from_db()
    rows = CriterionScore.objects.filter(campaign_unit__campaign=campaign).order_by("pk")
    return (
        campaign.status,
        campaign.approval,
        campaign.self_assessment_start,
        tuple(rows.values_list("self_score", "appraised_score", "version", "explanation")),
        ScoreChange.objects.filter(criterion_score__campaign_unit__campaign=campaign).count(),
        tuple(campaign.units.values_list("submitted_at", flat=True)),
    )


def prepare(campaign: Campaign, action: Action, cast) -> None:
    phase(campaign, action.phase)
    if action.path == "don-vi/HNH/nop/":
        services.set_self_score(score(campaign), "50", user=cast.officer_a)
    if action.phase in ("appraisal", "objections"):
        services.import_scores(
            campaign,
            [{"unit_code": c, "KQ": "50", "DT": "6", "HL": "26"} for c in ("HNH", "ANH")],
            field="self_score",
        )
    if action.path in ("cong-bo/", "de-nghi-phe-duyet/", "phe-duyet/"):
        # Proposing and publishing need every criterion appraised.
        services.import_scores(
            campaign,
            [{"unit_code": c, "KQ": "50", "DT": "6", "HL": "26"} for c in ("HNH", "ANH")],
            field="appraised_score",
        )
    if action.path in ("cong-bo/", "phe-duyet/"):
        approval.propose(campaign, user=cast.organiser)
    if action.path == "cong-bo/":  # publishing needs the leader's approval
        approval.approve(campaign, user=cast.leader)
    if "<id>" in action.path:
        objection = services.raise_objection(score(campaign), "Đề nghị xem xét lại", user=cast.officer_a)
        action.path = action.path.replace("<id>", str(objection.pk))


@pytest.mark.parametrize("name", ACTIONS)
def test_each_action_is_done_only_by_its_role_and_a_refusal_changes_nothing(cast, campaign, name):
    action = dataclasses.replace(ACTIONS[name])
    prepare(campaign, action, cast)
    url = f"/dot-danh-gia/{campaign.pk}/{action.path}"
    for who in CAST:
        if who == action.allowed:
            continue
        before = fingerprint(campaign)
        response = cast.client(who).post(url, action.data(campaign))
        assert refused(response, who), (who, response.status_code)
        assert fingerprint(campaign) == before, who
    before = fingerprint(campaign)
    response = cast.client(action.allowed).post(url, action.data(campaign))
    assert response.status_code == 302
    assert fingerprint(campaign) != before


def test_forms_without_a_csrf_token_are_refused(cast, campaign):
    from django.test import Client

    phase(campaign, "self_assessment")
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_a)
    s = score(campaign)
    response = client.post(
        f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/tu-danh-gia/",
        {"score": "40", "version": s.version},
    )
    assert response.status_code == 403
    assert score(campaign).self_score is None


def test_an_officer_cannot_score_a_survey_component(cast, campaign):
    phase(campaign, "self_assessment")
    s = score(campaign, node="DT")
    response = cast.client("officer_a").post(
        f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/DT/tu-danh-gia/", {"score": "10", "version": s.version}
    )
    assert response.status_code == 403
    assert score(campaign, node="DT").self_score is None


def test_an_appraiser_cannot_appraise_a_survey_component(cast, campaign):
    phase(campaign, "appraisal")
    s = score(campaign, node="DT")
    response = cast.client("appraiser").post(
        f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/DT/tham-dinh/",
        {"score": "5", "reason": "Điểm khảo sát thấp hơn", "version": s.version},
    )
    assert response.status_code == 403
    assert score(campaign, node="DT").appraised_score is None


def test_a_submitted_unit_can_no_longer_change_its_score(cast, campaign):
    phase(campaign, "self_assessment")
    services.set_self_score(score(campaign), "50", user=cast.officer_a)
    cast.client("officer_a").post(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/nop/", {"confirm": "yes"})
    s = score(campaign)
    response = cast.client("officer_a").post(
        f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/tu-danh-gia/", {"score": "60", "version": s.version}
    )
    assert response.status_code == 403
    assert score(campaign).self_score == Decimal("50.00")
