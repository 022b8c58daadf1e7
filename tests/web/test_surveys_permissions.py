"""Who may do what with surveys, with the fixed cast: only organisers manage surveys,
respondents reach only their own form through their link, the public sees nothing until the
results are published into the campaign."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from test_surveys_support import *  # noqa: F403
from test_surveys_support import full_answers

from cchc.surveys import load_questionnaire
from cchc.web.surveys import collection, results
from cchc.web.surveys.errors import SurveyError
from cchc.web.surveys.models import Respondent, Survey

pytestmark = pytest.mark.django_db

SIPAS = load_questionnaire("sipas", 2024)
NOT_MANAGERS = ["officer_a", "officer_b", "appraiser", "leader", "onestop"]


def manage_requests(survey: Survey, person: Respondent) -> list[tuple[str, str]]:
    """Every organiser-only page: (method, path)."""
    pk = survey.pk
    return [
        ("get", reverse("surveys:list")),
        ("get", reverse("surveys:create")),
        ("post", reverse("surveys:create")),
        ("get", reverse("surveys:detail", args=[pk])),
        ("post", reverse("surveys:draw", args=[pk])),
        ("post", reverse("surveys:issue", args=[pk, "BSO"])),
        ("get", reverse("surveys:paper_list", args=[pk])),
        ("post", reverse("surveys:paper", args=[pk, person.pk])),
        ("post", reverse("surveys:import", args=[pk])),
        ("post", reverse("surveys:close", args=[pk])),
        ("post", reverse("surveys:publish", args=[pk])),
    ]


@pytest.mark.parametrize("who", NOT_MANAGERS)
def test_only_organisers_manage_surveys(cast, new_survey, who):
    survey = new_survey()
    person = Respondent.objects.filter(survey=survey).first()
    client = cast.client(who)
    for method, path in manage_requests(survey, person):
        response = getattr(client, method)(path)
        assert response.status_code == 403, (who, method, path)
    survey.refresh_from_db()
    assert survey.status == "open" and not Respondent.objects.filter(issued_at__isnull=False).exists()


def test_the_public_is_sent_to_log_in_for_every_organiser_page(cast, new_survey):
    survey = new_survey()
    person = Respondent.objects.filter(survey=survey).first()
    for method, path in manage_requests(survey, person):
        response = getattr(Client(), method)(path)
        assert response.status_code == 302, (method, path)
        assert response["Location"].startswith(reverse("login")), (method, path)


def test_the_administrator_manages_surveys_like_the_organiser(cast, new_survey):
    from cchc.web.accounts.models import User

    admin = User.objects.create(
        username="quantri", role="administrator", is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("surveys:detail", args=[new_survey().pk])).status_code == 200
    for model in ("survey", "respondent", "answer"):  # the back-office reads what was collected
        assert client.get(reverse(f"admin:surveys_{model}_changelist")).status_code == 200


def test_services_check_the_role_again(cast, new_survey):
    """A view that forgot its check still could not change anything."""
    survey = new_survey()
    person = Respondent.objects.filter(survey=survey).first()
    for who in NOT_MANAGERS:
        user = getattr(cast, who)
        with pytest.raises(SurveyError):
            collection.enter_paper(person, full_answers(4, SIPAS), user=user)
        with pytest.raises(SurveyError):
            results.publish(survey, user=user)
        with pytest.raises(SurveyError):
            results.close(survey, user=user)


@pytest.mark.parametrize(
    ("who", "before"),
    [("organiser", 200), ("appraiser", 200), ("leader", 200), ("officer_a", 403), ("onestop", 403)],
)
def test_results_are_for_the_office_until_published_then_for_everyone(cast, new_survey, who, before, settings):
    settings.CCHC_SURVEY_MIN_RESPONDENTS = 1  # one answer publishes (the minimum has its own tests)
    survey = new_survey()
    collection.submit_by_link(
        Respondent.objects.filter(survey=survey, unit__code="BSO").first(), full_answers(5, SIPAS)
    )
    url = reverse("surveys:results", args=[survey.pk])
    xlsx = reverse("surveys:results_xlsx", args=[survey.pk])
    assert cast.client(who).get(url).status_code == before
    assert cast.client(who).get(xlsx).status_code == before
    public = Client().get(url)
    assert public.status_code == 302 and public["Location"].startswith(reverse("login"))
    results.publish(survey, user=cast.organiser)
    assert cast.client(who).get(url).status_code == 200
    assert Client().get(url).status_code == 200
    assert Client().get(xlsx).status_code == 200


def test_the_surveys_link_is_in_the_navigation_of_organisers_only(cast, html):
    home = reverse("portal:home")
    for who, shown in [("organiser", True), ("leader", False), ("officer_a", False), ("public", False)]:
        page = html(cast.client(who).get(home).content)
        links = [a.get("href") for a in page.cssselect("nav.site-nav a")]
        assert (reverse("surveys:list") in links) is shown, who


def test_a_respondent_reaches_only_their_own_form(cast, new_survey, html):
    """The token selects the respondent: nothing in the request can point at another one."""
    from cchc.web.surveys.models import Answer

    survey = new_survey()
    client = cast.client("organiser")
    response = client.post(reverse("surveys:issue", args=[survey.pk, "HHU"]))
    urls = [a.get("href") for a in html(response.content).cssselect("#links a.answer-link")]
    mine = urls[0].split("testserver", 1)[1]
    # Fields naming another respondent or unit are not read: the link decides who answers.
    forged = Client().post(mine, {**full_answers(4, SIPAS), "respondent_id": "x", "unit_code": "BSO"})
    assert forged.status_code == 200
    person = Respondent.objects.get(used_at__isnull=False)
    assert person.unit.code == "HHU"
    assert set(Answer.objects.values_list("unit_code", "respondent_key")) == {
        ("HHU", person.respondent_key)
    }
    # The other people's links are untouched and still work.
    assert Client().get(urls[1].split("testserver", 1)[1]).status_code == 200
