"""Issue 14 in Debian's Chromium: a code pasted into the work-list search finds the dossier
(no key pressed), the name search on a phone does not widen the page, and an empty survey
form is refused while its link stays usable.

Screenshots: test-artifacts/web/worklist/.
"""

from __future__ import annotations

from typing import Any

import pytest
from desk.desk_fixtures import *  # noqa: F403
from django.urls import reverse

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_units"),
]

SCREENSHOTS = "web/worklist"

# What the browser does when text is pasted or filled in by autofill: the value changes
# and an "input" event fires; no key is pressed (so no "keyup").
PASTE = """([selector, text]) => {
  const box = document.querySelector(selector);
  box.focus();
  box.value = text;
  box.dispatchEvent(new InputEvent('input', {bubbles: true, inputType: 'insertFromPaste', data: text}));
}"""


def test_a_pasted_code_finds_a_returned_dossier_and_a_name_finds_it_on_a_phone(
    live_server: Any, new_page: Any, browser: Any, login: Any, shot: Any, desk: Any, clock: Any
) -> None:
    from cchc.web.desk.models import Procedure
    from cchc.web.desk.services import act, receive

    catalogue = {p.code: p for p in Procedure.objects.all()}
    done = receive(desk.unit_a, catalogue["HT-HN"], user=desk.officer_a, applicant_name="Nguyễn Văn Bình")
    act(done, "returned", user=desk.officer_a)
    receive(desk.unit_a, catalogue["HT-KS"], user=desk.officer_a, applicant_name="Đặng Thị Thu")

    officer = new_page()
    login(officer, "motcua.a", next="/mot-cua/")
    assert officer.locator(f"#dossiers tr[data-code='{done.code}']").count() == 0  # not open
    officer.evaluate(PASTE, ["#id-ma", done.code.lower()])
    officer.wait_for_selector(f"#dossiers tr[data-code='{done.code}']")
    assert officer.locator("#dossiers tbody tr[data-code]").count() == 1
    assert officer.locator(f"#dossiers tr[data-code='{done.code}'] td.applicant").inner_text() == "Nguyễn Văn Bình"
    assert "ma=" in officer.url  # the search is in the address, to share or reload
    shot(officer, "01-dan-ma-ho-so")

    # A name without marks, on a phone: found, and the page does not scroll sideways.
    phone = new_page(phone=True)
    login(phone, "motcua.a", next="/mot-cua/")
    phone.evaluate(PASTE, ["#id-ma", "dang thi"])
    phone.wait_for_selector("#dossiers td.applicant >> text=Đặng Thị Thu")
    width, screen = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= screen, f"work list {width} px wide on a {screen} px phone"
    shot(phone, "02-tim-theo-ten-dien-thoai")

    # Without JavaScript the same form works as a plain GET form.
    context = browser.new_context(java_script_enabled=False, locale="vi-VN")
    try:
        plain = context.new_page()
        login(plain, "motcua.a", next="/mot-cua/")
        plain.fill("#id-ma", "BINH")
        plain.click("#worklist-filter button[type=submit]")
        plain.wait_for_url("**/mot-cua/?*ma=BINH*")
        assert plain.locator("#dossiers tbody tr[data-code]").count() == 1
    finally:
        context.close()


@pytest.fixture
def survey_link(cast: Any, live_server: Any) -> str:
    from test_surveys_support import make_campaign, make_dossiers

    from cchc.web.surveys import links, planning, sampling
    from cchc.web.units.models import Unit

    make_dossiers()
    survey = planning.create_survey(
        planning.SurveyPlan(make_campaign(), "HL", seed=2024), user=cast.organiser
    )
    sampling.draw(survey, user=cast.organiser)
    survey.refresh_from_db()
    issued = links.issue_links(survey, Unit.objects.get(code="BSO"), user=cast.organiser)
    return live_server.url + reverse("surveys:answer", args=[issued[0].token])


def test_an_empty_survey_form_is_refused_and_the_link_still_answers(
    new_page: Any, shot: Any, survey_link: str
) -> None:
    from cchc.web.surveys.models import Answer, Respondent

    citizen = new_page(phone=True)
    citizen.goto(survey_link)
    citizen.click("#answer-form button[type=submit]")  # nothing chosen
    citizen.wait_for_selector("#survey-errors")
    assert "chưa trả lời câu hỏi nào" in citizen.locator("#survey-errors").inner_text()
    shot(citizen, "03-phieu-trong-bi-tu-choi")
    assert not Answer.objects.exists()
    assert not Respondent.objects.filter(used_at__isnull=False).exists()

    # The same link, opened again, still takes the answers.
    citizen.goto(survey_link)
    citizen.locator("#answer-form .question").first.locator("input[value='4']").check()
    citizen.click("#answer-form button[type=submit]")
    citizen.wait_for_selector("#thanks")
    assert Respondent.objects.filter(used_at__isnull=False).count() == 1
