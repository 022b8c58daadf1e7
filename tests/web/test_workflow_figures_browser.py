"""Hoài Nhơn's officer in Chromium on a criterion scored by a formula: the figures the rule
is written in are typed, a numerator above its denominator is refused beside its field and
kept, "Tính điểm" shows the points without saving, and the saved figures stand beside the
points on the unit's page.

Screenshots: test-artifacts/web/workflow-figures/.
"""

from __future__ import annotations

from typing import Any

import pytest

FRAMEWORK = """\
code: so-lieu-huyen
name: Bộ chỉ số thử có công thức
year: 2026
level: district
components:
  - code: KQ
    name: Kết quả
    max: 3
    children:
      - code: KQ2
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 1
        rule:
          kind: bands
          item: hồ sơ giải quyết đúng hạn
          total: hồ sơ tiếp nhận
          bands:
            - {from: 100, points: 1}
            - {from: 80, to: 100, points: 0.5}
            - {from: 0, to: 80, points: 0}
      - {code: KQ3, name: Công tác tuyên truyền, max: 2}
"""

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "web/workflow-figures"


@pytest.fixture
def campaign(demo_units: None, cast: Any) -> Any:
    from cchc.web.campaigns.frameworks import store_framework
    from cchc.web.units.models import Unit
    from cchc.web.workflow.campaigns import open_campaign

    c = open_campaign(
        store_framework(FRAMEWORK, "so_lieu.yaml"),
        Unit.objects.filter(code__in=["HNH"]),
        user=cast.organiser,
        name="Số liệu thử trên trình duyệt",
    )
    c.status = "self_assessment"
    c.save(update_fields=["status"])
    return c


def test_the_officer_types_the_figures_and_sees_the_points(
    campaign, live_server, new_page, login, shot
):
    from cchc.web.campaigns.models import CriterionScore

    page = new_page()
    login(page, "canbo.a")
    page.goto(f"{live_server.url}/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ2/")
    assert page.locator("label[for=id_self_denominator]").inner_text() == "Tổng số hồ sơ tiếp nhận"

    page.fill("#id_self_numerator", "51")
    page.fill("#id_self_denominator", "50")
    page.click("#save-self")
    page.wait_for_selector("#id_self_numerator-error")
    assert "lớn hơn mẫu số" in page.locator("#id_self_numerator-error").inner_text()
    assert page.locator("#id_self_numerator").input_value() == "51"
    assert page.locator("#id_self_denominator").input_value() == "50"
    shot(page, "01-tu-so-lon-hon-mau-so")

    page.fill("#id_self_numerator", "45")
    page.click("#preview-self")
    page.wait_for_selector("#self-computed-note")
    assert page.locator("#self-computed").inner_text() == "0,50"
    score = CriterionScore.objects.get(campaign_unit__campaign=campaign, node_code="KQ2")
    assert score.self_score is None
    shot(page, "02-tinh-thu")

    page.click("#save-self")
    page.wait_for_selector("#self-saved")
    assert page.locator("#self-score").inner_text() == "0,50"
    score.refresh_from_db()
    assert score.self_figures == {"numerator": 45, "denominator": 50}

    page.goto(f"{live_server.url}/dot-danh-gia/{campaign.pk}/don-vi/HNH/")
    cell = page.locator("#criteria tr[data-node=KQ2] td.self")
    assert cell.inner_text() == "0,50 (số liệu: 45/50 = 90%)"
    shot(page, "03-trang-don-vi")
