"""The survey pages in plain Vietnamese: the creation form without jargon, and the call list
that shows whom to call (the applicant's name and phone beside each dossier code)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from test_surveys_support import *  # noqa: F403

from cchc.service.period import choices_for_year, spoken
from cchc.web.desk.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("2026", "Năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-Q3", "Quý III/2026"),
        ("2026-05", "Tháng 05/2026"),
    ],
)
def test_a_period_is_said_as_an_office_says_it(code: str, said: str) -> None:
    assert spoken(code) == said


def test_a_year_offers_itself_its_halves_quarters_and_months() -> None:
    choices = choices_for_year(2026)
    assert len(choices) == 1 + 2 + 4 + 12
    assert choices[1] == ("2026-H1", "6 tháng đầu năm 2026")


def test_the_creation_form_names_the_survey_first_and_speaks_plainly(cast: Any, survey_campaign: Any, html: Any) -> None:
    page = html(cast.client("organiser").get(reverse("surveys:create")).content)
    form = page.get_element_by_id("survey-form")
    names = [el.get("name") for el in form.xpath(".//input|.//select|.//textarea") if el.get("type") != "hidden"]
    assert names[0] == "name"
    text = form.text_content()
    for jargon in ("Hạt giống", "YYYY", "Hn", "Qn"):
        assert jargon not in text
    assert "Số khởi tạo để rút mẫu" in text
    assert "rút lại đúng mẫu cũ" in text
    # The period is a list of periods said in words; the value stays the period's code.
    period = page.get_element_by_id("id_period")
    assert period.tag == "select"
    options = {o.get("value"): o.text_content() for o in period.xpath(".//option")}
    assert options[""] == "Cả năm của đợt đánh giá"
    year = survey_campaign.year
    assert options[f"{year}-H1"] == f"6 tháng đầu năm {year}"
    assert options[f"{year}-Q4"] == f"Quý IV/{year}"
    assert f"{year - 1}-H2" in options  # the year before: dossiers already finished


def test_a_survey_created_for_a_half_year_keeps_its_period(cast: Any, survey_campaign: Any) -> None:
    from cchc.web.surveys.models import Survey

    response = cast.client("organiser").post(
        reverse("surveys:create"),
        {"name": "Khảo sát 6 tháng đầu năm", "campaign": survey_campaign.pk, "component_code": "HL",
         "kind": "sipas", "max_points": "", "period": f"{survey_campaign.year}-H1",
         "margin": "0,05", "reserve_ratio": "0,5", "seed": "7"},
    )
    assert response.status_code == 302
    survey = Survey.objects.get()
    assert (survey.name, survey.period) == ("Khảo sát 6 tháng đầu năm", f"{survey_campaign.year}-H1")


def test_the_call_list_shows_each_applicants_name_and_phone(cast: Any, new_survey: Any, html: Any) -> None:
    survey = new_survey()
    for i, dossier in enumerate(Dossier.objects.filter(unit__code="BSO").order_by("code")):
        dossier.applicant_name = f"Nguyễn Văn {i}"
        dossier.applicant_phone = f"0905{i:06d}"
        dossier.save(update_fields=["applicant_name", "applicant_phone"])
    # One drawn dossier is no longer in the desk's ledger (a sample from an uploaded file).
    drawn = survey.respondents.filter(unit__code="BSO", reserve=False).order_by("order")
    missing = drawn[0].dossier_code
    Dossier.objects.filter(code=missing).delete()

    response = cast.client("organiser").post(reverse("surveys:issue", args=[survey.pk, "BSO"]))
    cards = html(response.content).cssselect("#links .link-card")
    assert len(cards) == drawn.count()
    people = {d.code: (d.applicant_name, d.applicant_phone) for d in Dossier.objects.filter(unit__code="BSO")}
    for card in cards:
        code = card.get("data-dossier")
        name = card.cssselect(".contact .applicant")[0].text_content()
        phone = card.cssselect(".contact .phone")[0]
        if code == missing:
            assert name == "Họ tên: chưa có thông tin"
            assert phone.text_content() == "Điện thoại: chưa có thông tin"
        else:
            assert (name, phone.text_content()) == people[code]
            assert phone.get("href") == f"tel:{people[code][1]}"


@pytest.mark.parametrize("who", ["officer_a", "appraiser", "leader", "onestop", "public"])
def test_only_the_organising_office_sees_the_call_list(cast: Any, new_survey: Any, who: str) -> None:
    survey = new_survey()
    Dossier.objects.filter(unit__code="BSO").update(applicant_phone="0905000000")
    response = cast.client(who).post(reverse("surveys:issue", args=[survey.pk, "BSO"]))
    assert response.status_code in (302, 403)
    assert b"0905000000" not in response.content
