"""The leader's approval in Debian's Chromium (issue 14, item 11): the organiser proposes
the results, the leader finds them on the landing page, returns them with a reason, the
organiser reads it and proposes again, the leader approves (on a phone), the organiser
publishes.

Screenshots of each step: test-artifacts/web/approval/.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/approval"

ROWS = [
    {"unit_code": "HNH", "KQ": "50", "DT": "6,67", "HL": "26,28"},
    {"unit_code": "ANH", "KQ": "53,2", "DT": "6,12", "HL": "26,9"},
]


def test_the_leader_returns_then_approves_and_the_organiser_publishes(
    live_server, new_page, login, shot, demo_data, cast
):
    from cchc.web.campaigns import services
    from cchc.web.campaigns.models import Campaign, Framework
    from cchc.web.units.models import Unit
    from cchc.web.workflow.campaigns import open_campaign

    fw = Framework.objects.get(code="binh-dinh-huyen", year=2022)
    campaign = open_campaign(
        fw, Unit.objects.filter(code__in=["HNH", "ANH"]), user=cast.organiser,
        name="Đánh giá thử phê duyệt", survey=["DT", "HL"],
    )
    services.import_scores(campaign, ROWS, field="self_score", source="diem.csv")
    services.import_scores(campaign, ROWS, field="appraised_score", source="diem.csv")
    campaign.status = "objections"
    campaign.save(update_fields=["status"])
    detail = f"{live_server.url}/dot-danh-gia/{campaign.pk}/"

    # The organiser proposes; no publish button until the leader approves.
    organiser = new_page()
    login(organiser, "noivu")
    organiser.goto(detail)
    assert organiser.locator("#publish").count() == 0
    organiser.click("#propose button")
    organiser.wait_for_selector("#approval[data-approval=proposed]")
    shot(organiser, "01-de-nghi-phe-duyet")

    # The leader lands on the campaign list, where the proposal waits, and returns it.
    leader = new_page()
    login(leader, "lanhdao")
    waiting = leader.locator(f"#awaiting-approval li[data-campaign='{campaign.pk}'] a")
    assert waiting.inner_text() == "Đánh giá thử phê duyệt"
    shot(leader, "02-lanh-dao-cho-phe-duyet")
    waiting.click()
    leader.wait_for_selector("#publish-changes")
    leader.fill("#return-reason", "Đề nghị rà soát lại điểm KQ của thị xã Hoài Nhơn.")
    leader.click("#return-form button")
    leader.wait_for_selector("#approval[data-approval=returned]")
    shot(leader, "03-tra-lai")

    # The organiser reads why and proposes again.
    organiser.goto(detail)
    reason = organiser.locator("#approval-returned-reason").inner_text()
    assert "rà soát lại điểm KQ" in reason
    shot(organiser, "04-doc-ly-do-tra-lai")
    organiser.click("#propose button")
    organiser.wait_for_selector("#approval[data-approval=proposed]")

    # The leader approves, on a phone this time.
    phone = new_page(phone=True)
    login(phone, "lanhdao")
    phone.click(f"#awaiting-approval li[data-campaign='{campaign.pk}'] a")
    phone.wait_for_selector("#approve-form")
    shot(phone, "05-phe-duyet-dien-thoai")
    phone.click("#approve-form button")
    phone.wait_for_selector("#approval[data-approval=approved]")
    history = phone.locator("#approval-history tbody tr")
    assert history.count() == 4  # propose, return, propose, approve

    # The organiser publishes (a correction of the demo's district 2022).
    organiser.goto(detail)
    organiser.click("#publish button")
    organiser.fill("#reason", "Đính chính theo kết quả thẩm định lại.")
    organiser.check("#publish-confirm input[name=confirm]")
    organiser.click("#publish-confirm button")
    organiser.wait_for_selector("#campaign-status[data-status=published]")
    shot(organiser, "06-cong-bo")
    campaign = Campaign.objects.get(pk=campaign.pk)
    assert campaign.is_published and campaign.version == 2
