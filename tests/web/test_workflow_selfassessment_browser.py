"""Hoài Nhơn's officer in Chromium (issue 14, item 11): a refused score stays in the field
with its reason, an uploaded evidence file is removed and uploaded again, and "Nộp" asks for
confirmation before anything is locked; afterwards no file can be removed.

Screenshots: test-artifacts/web/workflow-self/.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/workflow-self"


@pytest.fixture
def campaign(demo_data: None, cast: Any) -> Any:
    from cchc.web.campaigns.models import Framework
    from cchc.web.units.models import Unit
    from cchc.web.workflow.campaigns import open_campaign

    c = open_campaign(
        Framework.objects.get(code="binh-dinh-huyen", year=2022),
        Unit.objects.filter(code__in=["HNH", "ANH"]),
        user=cast.organiser,
        name="Tự đánh giá thử trên trình duyệt",
        survey=["DT", "HL"],
        dates={"appraisal_start": dt.date(2023, 3, 1)},
    )
    c.status = "self_assessment"
    c.save(update_fields=["status"])
    return c


def test_the_officer_removes_a_file_and_submits_only_after_confirming(
    campaign, live_server, new_page, login, shot, tmp_path
):
    from cchc.web.campaigns.models import CampaignUnit, Evidence, ScoreChange

    page = new_page()
    login(page, "canbo.a")
    criterion = f"{live_server.url}/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ/"
    page.goto(criterion)

    # A value out of range is refused and stays in the field, with the reason beside it.
    page.fill("#id_self_score", "70")
    page.fill("#id_explanation", "Hoàn thành kế hoạch CCHC năm 2022.")
    page.click("#save-self")
    page.wait_for_selector("#self-error")
    assert page.locator("#id_self_score").input_value() == "70"
    assert page.locator("#id_explanation").input_value() == "Hoàn thành kế hoạch CCHC năm 2022."
    assert "0..60" in page.locator("#self-error").inner_text()
    shot(page, "01-gia-tri-bi-tu-choi")
    page.fill("#id_self_score", "55,46")
    page.click("#save-self")
    page.wait_for_selector("#self-saved")

    # A wrong file is uploaded, then removed, then the right one uploaded.
    wrong = tmp_path / "Nhầm tệp.pdf"
    wrong.write_bytes(b"%PDF-1.4\n% nham\n")
    page.set_input_files("#id_file", str(wrong))
    page.click("#upload")
    page.wait_for_selector("#evidence li a")
    assert page.locator("#evidence li a").inner_text() == "Nhầm tệp.pdf"
    shot(page, "02-da-tai-len")
    page.click("#evidence form.evidence-delete button")
    page.wait_for_selector("#evidence li.muted")
    assert "Đã gỡ tài liệu kiểm chứng “Nhầm tệp.pdf”" in page.locator("ul.messages").inner_text()
    assert "Nhầm tệp.pdf" in page.locator("#history tr[data-field=evidence_removed]").inner_text()
    assert not Evidence.objects.exists()
    right = tmp_path / "Báo cáo CCHC 2022.pdf"
    right.write_bytes(b"%PDF-1.4\n% dung\n")
    page.set_input_files("#id_file", str(right))
    page.click("#upload")
    page.wait_for_selector("#evidence li a")
    shot(page, "03-da-go-va-tai-lai")

    # "Nộp" opens a confirmation that says what submitting means; nothing happens without the tick.
    page.goto(f"{live_server.url}/dot-danh-gia/{campaign.pk}/don-vi/HNH/")
    assert page.locator("#field-totals tr[data-field=KQ] td.own").inner_text() == "55,46/60"
    page.click("#submit-button")
    page.wait_for_selector("#submit-confirm")
    assert "không sửa được nữa" in page.locator("#submit-meaning").inner_text()
    shot(page, "04-xac-nhan-nop")
    page.click("#confirm-submit")  # the browser holds the form back: the box is required
    assert page.locator("#submit-confirm").is_visible()
    assert not CampaignUnit.objects.get(campaign=campaign, unit__code="HNH").submitted
    page.check("#id_confirm")
    page.click("#confirm-submit")
    page.wait_for_selector("#submission .badge")
    assert CampaignUnit.objects.get(campaign=campaign, unit__code="HNH").submitted
    shot(page, "05-da-nop")

    # Submitted: the file stays, and the page offers no way to remove it.
    page.goto(criterion)
    assert page.locator("#evidence li a").inner_text() == "Báo cáo CCHC 2022.pdf"
    assert page.locator("form.evidence-delete").count() == 0
    assert page.locator("#evidence-form").count() == 0
    assert ScoreChange.objects.filter(field="evidence_removed").count() == 1

    # The printable report, now stamped as submitted.
    page.goto(f"{live_server.url}/dot-danh-gia/{campaign.pk}/don-vi/HNH/bao-cao/")
    assert "đã nộp lúc" in page.locator("#self-report").inner_text()
    shot(page, "06-bao-cao-tu-danh-gia")
