"""Surveys against an outside attack: survey components are the framework's, a unit's figures
need a minimum sample, and answers are exactly the listed values.

Found on a running installation: HL could still be scored by hand in the demo's survey
campaign (nobody had ticked it; the ticks were guessed from component names); a survey
published with 2 of 139 planned respondents showed per-unit counts; answer ``1e0`` was read
as 1.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403
from test_surveys_support import full_answers

from cchc.surveys import load_questionnaire
from cchc.web.campaigns.models import Campaign, CriterionScore, Framework, ScoreChange
from cchc.web.config import ConfigError, Settings
from cchc.web.surveys.models import Answer, Respondent, Survey
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign
from cchc.web.workflow.surveys import survey_codes

pytestmark = pytest.mark.django_db
SIPAS = load_questionnaire("sipas", 2024)


# --- survey components are the framework's ---------------------------------------------------


@pytest.fixture
def unticked(cast: Any) -> Campaign:
    """A district campaign whose organiser ticked no survey component."""
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(fw, Unit.objects.filter(code__in=["HNH", "ANH"]), user=cast.organiser, survey=[])
    campaign.status = "self_assessment"
    campaign.save(update_fields=["status"])
    return campaign


def _score(campaign: Campaign, node: str) -> CriterionScore:
    return CriterionScore.objects.get(campaign_unit__campaign=campaign, campaign_unit__unit__code="HNH", node_code=node)


def test_a_component_the_framework_marks_cannot_be_scored_by_hand_though_not_ticked(cast: Any, unticked: Campaign) -> None:
    assert survey_codes(unticked) == ["DT", "HL"]
    officer = cast.client("officer_a")
    base = f"/dot-danh-gia/{unticked.pk}/don-vi/HNH/tieu-chi/"
    for node in ("HL", "DT"):
        response = officer.post(base + f"{node}/tu-danh-gia/", {"score": "30", "version": _score(unticked, node).version})
        assert response.status_code == 403
        assert _score(unticked, node).self_score is None
    kq = officer.post(base + "KQ/tu-danh-gia/", {"score": "50", "version": _score(unticked, "KQ").version})
    assert kq.status_code == 302 and _score(unticked, "KQ").self_score == Decimal("50")
    unticked.status = "appraisal"
    unticked.save(update_fields=["status"])
    appraised = cast.client("appraiser").post(base + "HL/tham-dinh/", {"score": "1", "reason": "thử", "version": _score(unticked, "HL").version})
    assert appraised.status_code == 403 and _score(unticked, "HL").appraised_score is None


def test_the_survey_file_import_takes_the_frameworks_components(cast: Any, unticked: Campaign) -> None:
    csv = b"unit_code,unit_name,DT,HL\nHNH,Th\xe1\xbb\x8b x\xc3\xa3 Ho\xc3\xa0i Nh\xc6\xa1n,6.67,26.28\n"
    response = cast.client("organiser").post(
        f"/dot-danh-gia/{unticked.pk}/dieu-tra/", {"file": SimpleUploadedFile("dieu-tra.csv", csv, "text/csv")}
    )
    assert response.status_code == 302
    assert (_score(unticked, "DT").appraised_score, _score(unticked, "HL").appraised_score) == (Decimal("6.67"), Decimal("26.28"))


def test_the_creation_form_fixes_the_frameworks_survey_components(cast: Any, html: Any) -> None:
    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    client = cast.client("organiser")
    page = html(client.get("/dot-danh-gia/tao-moi/", {"framework": fw.pk}).content)
    boxes = {i.get("value"): i for i in page.cssselect("#survey-choice input")}
    assert {c for c, i in boxes.items() if i.get("disabled") is not None} == {"DT", "HL"}
    response = client.post("/dot-danh-gia/tao-moi/", {"framework": fw.pk, "units": ["HNH"], "name": "Không tick"})
    assert response.status_code == 302
    assert survey_codes(Campaign.objects.get(name="Không tick")) == ["DT", "HL"]


def test_the_survey_demo_campaigns_hl_is_a_survey_component(survey_campaign: Campaign) -> None:
    # Created without ticks (as the demo does): the framework marks HL.
    assert survey_codes(survey_campaign) == ["HL"]


# --- a minimum sample per unit ---------------------------------------------------------------


def _answer(survey: Survey, unit: str, count: int) -> None:
    from cchc.web.surveys import collection

    for person in Respondent.objects.filter(survey=survey, unit__code=unit, reserve=False)[:count]:
        collection.submit_by_link(person, full_answers(4, SIPAS))


def test_the_minimum_is_a_setting_with_a_default() -> None:
    assert Settings.from_env({"CCHC_ENV": "test"}).survey_min_respondents == 10
    assert Settings.from_env({"CCHC_ENV": "test", "CCHC_SURVEY_MIN_RESPONDENTS": "30"}).survey_min_respondents == 30
    for bad in ("0", "-1", "mười"):
        with pytest.raises(ConfigError, match="CCHC_SURVEY_MIN_RESPONDENTS"):
            Settings.from_env({"CCHC_ENV": "test", "CCHC_SURVEY_MIN_RESPONDENTS": bad})


def test_publishing_two_respondents_is_refused_under_the_default_minimum(cast: Any, new_survey: Any) -> None:
    survey = new_survey()
    _answer(survey, "BSO", 2)
    response = cast.client("organiser").post(reverse("surveys:publish", args=[survey.pk]), follow=True)
    assert "Chưa đơn vị nào có đủ 10 người trả lời" in response.content.decode("utf-8")
    survey.refresh_from_db()
    assert survey.status == "open"
    assert not ScoreChange.objects.filter(reason="kết quả khảo sát").exists()


def test_units_below_the_minimum_get_no_points_and_no_published_figures(cast: Any, new_survey: Any, html: Any, settings: Any) -> None:
    settings.CCHC_SURVEY_MIN_RESPONDENTS = 3
    survey = new_survey()
    _answer(survey, "BSO", 3)
    _answer(survey, "HDU", 2)
    organiser = cast.client("organiser")
    response = organiser.post(reverse("surveys:publish", args=[survey.pk]), follow=True)
    assert "Chưa đủ 3 người trả lời, không ghi điểm và không công bố số liệu: HDU." in response.content.decode("utf-8")
    points = dict(
        CriterionScore.objects.filter(campaign_unit__campaign=survey.campaign, node_code="HL").values_list(
            "campaign_unit__unit__code", "appraised_score"
        )
    )
    assert points["BSO"] is not None and points["HDU"] is None
    # The public reads the published results: HDU is named, none of its figures are shown.
    page = html(Client().get(reverse("surveys:results", args=[survey.pk])).content)
    assert [r.get("data-unit") for r in page.cssselect("#unit-results tbody tr")] == ["BSO"]
    assert not page.cssselect("#factor-results tr[data-unit=HDU]")
    assert [s.get("data-unit") for s in page.cssselect("#withheld span")] == ["HDU"]
    body = Client().get(reverse("surveys:results_json", args=[survey.pk])).json()
    assert [u["unit_code"] for u in body["units"]] == ["BSO"] and body["withheld"] == ["HDU"]
    assert [u["unit_code"] for u in body["points"]["units"]] == ["BSO"]
    book = openpyxl.load_workbook(io.BytesIO(Client().get(reverse("surveys:results_xlsx", args=[survey.pk])).content))
    assert "HDU" not in {row[0] for row in book["Đơn vị"].iter_rows(values_only=True)}
    # The organiser, who runs the survey, still sees HDU, marked.
    mine = html(organiser.get(reverse("surveys:results", args=[survey.pk])).content)
    assert mine.cssselect("#unit-results tr[data-unit=HDU] .withheld")


# --- answers are exactly the listed values ---------------------------------------------------


def test_an_answers_file_with_1e0_or_1_0_is_refused_with_row_and_column(cast: Any, new_survey: Any, html: Any) -> None:
    survey = new_survey()
    text = "respondent_id,unit_code,factor,question,answer\np1,BSO,tiep_can,tc1,1e0\np2,BSO,tiep_can,tc1,1.0\np3,BSO,tiep_can,tc1,1\n"
    response = cast.client("organiser").post(
        reverse("surveys:import", args=[survey.pk]),
        {"kind": "long", "file": SimpleUploadedFile("tra-loi.csv", text.encode("utf-8"), "text/csv")},
    )
    assert response.status_code == 422
    errors = [li.text_content() for li in html(response.content).cssselect("#survey-errors li")]
    assert [e.split(":")[0] for e in errors] == ["tra-loi.csv, dòng 2, cột answer", "tra-loi.csv, dòng 3, cột answer"]
    assert not Answer.objects.exists()


def test_a_link_form_with_a_padded_number_is_refused_in_place(cast: Any, new_survey: Any) -> None:
    from cchc.web.surveys import links

    survey = new_survey()
    link = links.issue_links(survey, Unit.objects.get(code="HDU"), user=cast.organiser)[0]
    values = full_answers(4, SIPAS)
    first = SIPAS.factors[0].questions[0].id
    values[first] = " 1"
    response = Client().post(f"/khao-sat/phieu/{link.token}/", values)
    assert response.status_code == 400
    assert "giá trị &#x27; 1&#x27; không hợp lệ" in response.content.decode("utf-8")
    assert not Answer.objects.exists()
