"""An empty survey form is refused (issue 14 item 5): the link stays usable and nobody is
counted. "Empty" = no question answered on the scale; every question may be skipped, but
not all of them (docs/survey_web.md, "Phiếu trống")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403
from test_surveys_support import full_answers

from cchc.surveys import EMPTY_FORM, SurveyInputError, form_answers, load_questionnaire
from cchc.web.surveys.models import Answer, Respondent

pytestmark = pytest.mark.django_db

SIPAS = load_questionnaire("sipas", 2024)
NO_ANSWER = str(SIPAS.scale.no_answer.value)


def _link(cast: Any, survey: Any, html: Any) -> str:
    response = cast.client("organiser").post(reverse("surveys:issue", args=[survey.pk, "BSO"]))
    href = html(response.content).cssselect("#links a.answer-link")[0].get("href")
    return href.split("testserver", 1)[1]


def test_the_core_refuses_a_form_with_no_answer_and_accepts_one_answer_among_skips():
    with pytest.raises(SurveyInputError) as exc:
        form_answers(SIPAS, "p1", "BSO", {q: NO_ANSWER for q in full_answers(1, SIPAS)})
    assert [p.reason for p in exc.value.problems] == [EMPTY_FORM]
    with pytest.raises(SurveyInputError):
        form_answers(SIPAS, "p1", "BSO", {})
    one = form_answers(SIPAS, "p1", "BSO", {"tc1": "4"})
    assert [a.value for a in one if a.value is not None] == [4]


@pytest.mark.parametrize(
    "posted", [{}, {q: NO_ANSWER for q in full_answers(1, SIPAS)}], ids=["blank", "all-skipped"]
)
def test_an_empty_form_is_refused_the_link_stays_usable_and_nobody_is_counted(
    cast: Any, new_survey: Any, html: Any, posted: dict[str, str]
) -> None:
    survey = new_survey()
    url = _link(cast, survey, html)
    refused = Client().post(url, posted)
    assert refused.status_code == 400
    page = html(refused.content)
    message = page.cssselect("#survey-errors li")[0].text_content()
    assert "chưa trả lời câu hỏi nào" in message
    assert page.cssselect("#answer-form")  # the form is shown again to be filled in
    assert not Answer.objects.exists()
    assert not Respondent.objects.filter(used_at__isnull=False).exists()
    # The same link still opens the form and takes a real answer.
    assert Client().get(url).status_code == 200
    good = Client().post(url, {"tc1": "5"})
    assert good.status_code == 200 and html(good.content).cssselect("#thanks")
    assert Respondent.objects.filter(used_at__isnull=False).count() == 1


def test_an_empty_paper_form_is_refused_too(cast: Any, new_survey: Any, html: Any) -> None:
    survey = new_survey()
    _link(cast, survey, html)
    person = Respondent.objects.filter(survey=survey).first()
    client = cast.client("organiser")
    response = client.post(reverse("surveys:paper", args=[survey.pk, person.pk]), {})
    assert response.status_code == 400
    assert "chưa trả lời câu hỏi nào" in html(response.content).cssselect("#survey-errors")[0].text_content()
    person.refresh_from_db()
    assert person.used_at is None and not Answer.objects.exists()
