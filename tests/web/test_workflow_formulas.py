"""A criterion whose framework writes a formula shows it on the criterion page."""

from __future__ import annotations

import pytest

from cchc.web.campaigns.frameworks import store_framework
from cchc.web.units.models import Unit
from cchc.web.workflow.campaigns import open_campaign

pytestmark = pytest.mark.django_db

FRAMEWORK = """\
code: cong-thuc-huyen
name: Bộ chỉ số có công thức
year: 2026
level: district
components:
  - code: KQ
    name: Kết quả
    max: 3
    children:
      - code: KQ1
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 1
        rule:
          kind: bands
          item: hồ sơ giải quyết đúng hạn
          bands:
            - {from: 100, points: 1}
            - {from: 80, to: 100, points: 0.5}
            - {from: 0, to: 80, points: 0}
      - {code: KQ2, name: Công tác tuyên truyền, max: 2}
"""


def test_the_criterion_page_says_how_a_formula_criterion_is_scored(cast, html):
    fw = store_framework(FRAMEWORK, "cong_thuc.yaml")
    campaign = open_campaign(
        fw, Unit.objects.filter(code__in=["HNH"]), user=cast.organiser, name="Thử công thức"
    )
    client = cast.client("organiser")
    doc = html(client.get(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ1/").content)
    assert doc.cssselect("#node-rule")[0].text_content() == (
        "Cách tính điểm: Tỷ lệ hồ sơ giải quyết đúng hạn: đạt 100%: 1 điểm; "
        "từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm"
    )
    doc = html(client.get(f"/dot-danh-gia/{campaign.pk}/don-vi/HNH/tieu-chi/KQ2/").content)
    assert doc.cssselect("#node-rule") == []
