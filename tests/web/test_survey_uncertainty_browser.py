"""In Debian's Chromium (Playwright): an organiser whose SIPAS survey was run outside cchc
uploads its sampling error, is first told which row and column of a bad file are wrong,
then sees how sure each rank is on the public ranking (issue 13, item 1 on the web).

Screenshots: test-artifacts/web/survey-uncertainty/.
"""

from __future__ import annotations

import pytest

from cchc.demo import data_path

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/survey-uncertainty"


def test_the_organiser_uploads_the_survey_error_and_the_ranking_shows_it(
    live_server, new_page, login, shot, demo_data, cast, tmp_path
):
    from django.core.cache import cache

    from cchc.web.campaigns.models import Campaign, Status
    from cchc.web.portal import insight, pages

    insight._published_report.cache_clear()
    pages._results.cache_clear()
    cache.clear()
    campaign = Campaign.objects.get(status=Status.PUBLISHED, level="district", year=2022)
    good = data_path("district_2022_uncertainty.csv").read_text(encoding="utf-8")
    lines = good.splitlines(keepends=True)
    bad = tmp_path / "sai-so-loi.csv"
    bad.write_text(lines[0] + lines[1] + "QNH,HL,thu_tuc,389,400,\n", encoding="utf-8")
    fixed = tmp_path / "sai-so-khao-sat.csv"
    fixed.write_text(good, encoding="utf-8")

    page = new_page()
    login(page, "noivu")
    page.goto(f"{live_server.url}/dot-danh-gia/{campaign.pk}/")
    page.click("#uncertainty-link")
    page.wait_for_selector("#uncertainty-upload")
    assert page.locator("#uncertainty-none").is_visible()

    page.set_input_files("#uncertainty-upload input[type=file]", str(bad))
    page.click("#uncertainty-upload button")
    page.wait_for_selector("#uncertainty-errors")
    assert page.locator("#uncertainty-errors li").all_inner_texts() == [
        "sai-so-loi.csv, dòng 3, cột satisfied: số hài lòng 400 lớn hơn số người trả lời 389"
    ]
    assert page.locator("#uncertainty-none").is_visible()  # nothing was kept
    shot(page, "01-tep-loi")

    page.set_input_files("#uncertainty-upload input[type=file]", str(fixed))
    page.click("#uncertainty-upload button")
    page.wait_for_selector("#uncertainty-file")
    assert page.locator("#uncertainty-file").inner_text() == "sai-so-khao-sat.csv"
    assert "Đã lưu sai số khảo sát: 11 đơn vị" in page.locator("ul.messages").inner_text()
    shot(page, "02-da-luu")

    page.click("#uncertainty-current a")
    section = page.locator("section#robustness")
    section.wait_for()
    assert section.locator("#robustness-source").inner_text().startswith(
        "Sai số khảo sát theo tệp sai-so-khao-sat.csv"
    )
    assert section.locator("table.robustness tbody tr").count() == 11
    assert section.locator("figure.robustness-chart svg").count() == 1
    tso = section.locator("tr[data-unit='TSO'] td").all_inner_texts()
    assert tso[7] == "không khác biệt có ý nghĩa thống kê với đơn vị liền kề"
    shot(page, "03-do-tin-cay-thu-hang")
