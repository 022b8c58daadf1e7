"""A survey in Debian's Chromium (Playwright), issue 5 "Done when": the organiser creates the
survey of the campaign's HL component and draws the sample from the desk's ledger, issues
links; three citizens answer on their phones through their links (a reused link is
refused); answers of the other wards come from an imported file; the organiser reads the
indices with their intervals and publishes the points into the campaign, whose results then
show them.

Screenshots of each step: test-artifacts/web/surveys/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_surveys_support import make_campaign, make_dossiers

from cchc import fmt

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/surveys"
# Levels each of Hoài Hương's three respondents gives every question.
HHU_LEVELS = (5, 4, 2)


@pytest.fixture
def campaign(demo_units: None) -> Any:
    # Transactional tests flush the database afterwards: load what this one needs.
    make_dossiers()
    return make_campaign()


def answers_file(tmp_path: Path) -> Path:
    """Answers of two people of each other ward, in the long interchange format."""
    from cchc.surveys import load_questionnaire

    form = load_questionnaire("sipas", 2024)
    lines = ["respondent_id,unit_code,factor,question,answer"]
    for unit, levels in {"BSO": (5, 3), "HDU": (4, 4)}.items():
        for i, level in enumerate(levels, start=1):
            for f in form.factors:
                lines += [f"{unit}-p{i},{unit},{f.key},{q.id},{level}" for q in f.questions]
    path = tmp_path / "phieu-giay-da-nhap.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_survey_from_sampling_to_published_points_in_the_campaign(
    live_server, new_page, login, shot, campaign, cast, tmp_path, settings
):
    from cchc.web.surveys.models import Survey
    from cchc.web.surveys.results import survey_result

    # A handful of phones answer: every unit with an answer publishes (the minimum sample
    # per unit, CCHC_SURVEY_MIN_RESPONDENTS, has its own tests).
    settings.CCHC_SURVEY_MIN_RESPONDENTS = 1

    page = new_page()
    login(page, cast.organiser.username)

    # 1. The organiser creates the survey of HL (30 points) for the campaign.
    page.click("nav.site-nav >> text=Khảo sát")
    page.click("#new-survey")
    page.select_option("#id_campaign", str(campaign.pk))
    page.fill("#id_component_code", "HL")
    page.fill("#id_seed", "2024")
    shot(page, "01-tao-khao-sat")
    page.click("#survey-form button[type=submit]")
    page.wait_for_selector("#draw")
    assert page.locator("#component").inner_text().startswith("HL (K = 30 điểm)")

    # 2. The sample is drawn from the desk's ledger; n per unit is shown.
    page.click("#draw")
    page.wait_for_selector("#sample-plan tr[data-unit=HHU] button.issue")
    assert page.locator("#survey-status").inner_text() == "Đang thu phiếu"
    assert page.locator("#sample-plan tr[data-unit=HHU] td.n").inner_text() == "3"
    assert page.locator("#sample-plan tr[data-unit=BSO] td.n").inner_text() == "37"
    shot(page, "02-chon-mau")

    # 3. Links and QR codes for Hoài Hương, on a printable sheet.
    page.click("#sample-plan tr[data-unit=HHU] button.issue")
    page.wait_for_selector("#links")
    assert page.locator("#links .link-card svg").count() == 3
    links = [a.get_attribute("href") for a in page.locator("#links a.answer-link").all()]
    shot(page, "03-lien-ket-ma-qr")

    # 4. Three citizens answer on their phones; each link works once.
    citizen = new_page(phone=True)
    for n, (link, level) in enumerate(zip(links, HHU_LEVELS, strict=True), start=1):
        citizen.goto(link)
        assert citizen.locator("#unit-name").inner_text() == "Phường Hoài Hương"
        questions = citizen.locator("#answer-form .question")
        for i in range(questions.count()):
            questions.nth(i).locator(f"input[value='{level}']").check()
        if n == 1:
            shot(citizen, "04-phieu-tren-dien-thoai")
        citizen.click("#answer-form button[type=submit]")
        citizen.wait_for_selector("#thanks")
    shot(citizen, "05-cam-on")
    citizen.goto(links[0])
    assert "đã được trả lời" in citizen.locator("#link-refused").inner_text()
    shot(citizen, "06-lien-ket-da-dung")

    # 5. The other wards' answers come from a file (paper forms typed in elsewhere).
    page.goto(live_server.url + f"/khao-sat/{Survey.objects.get().pk}/")
    page.click("#import-link")
    page.select_option("#id_kind", "long")
    page.set_input_files("#id_file", str(answers_file(tmp_path)))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#survey-status")
    assert page.locator("#sample-plan tr[data-unit=HHU] td.answered").inner_text() == "3"

    # 6. Indices with their intervals and n; then the points go into the campaign.
    page.click("#results-link")
    page.wait_for_selector("#unit-results")
    result = survey_result(Survey.objects.get())
    hhu = result.unit("HHU")
    row = page.locator("#unit-results tr[data-unit=HHU]")
    assert row.locator("td.n").inner_text() == "3"
    assert row.locator("td.index").inner_text() == fmt.format_percent(hhu.index)
    assert page.locator("#survey-chart svg").count() == 1
    shot(page, "07-ket-qua-khao-sat")
    page.click("#publish")
    page.wait_for_selector("ul.messages li.success")
    assert "Đã công bố" in page.locator("#publication").inner_text()
    shot(page, "08-da-cong-bo")

    # 7. The campaign's (provisional) results now carry the survey's points.
    page.click("#campaign-results")
    page.wait_for_selector("table.ranking")
    headers = [h.strip() for h in page.locator("table.ranking thead th").all_inner_texts()]
    column = next(i for i, h in enumerate(headers) if "HL" in h or "hài lòng" in h.lower())
    for unit in ("HHU", "BSO", "HDU"):
        expected = fmt.format_number(fmt.round_half_up(30 * result.unit(unit).index, 2))
        cells = page.locator(f"table.ranking tr[data-unit={unit}] td")
        assert cells.nth(column).inner_text().strip() == expected, unit
    shot(page, "09-ket-qua-dot-danh-gia")
