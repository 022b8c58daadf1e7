"""A ward formed on 01/07/2025 shows its predecessors' last published results on its page."""

from __future__ import annotations

import pytest
from django.test import Client

from cchc.demo import data_path
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.units.models import Unit

pytestmark = pytest.mark.django_db


def _publish_wards_2026() -> None:
    """An illustrative 2026 campaign of the seven wards on the 2022 commune framework."""
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    framework = store_framework(text.replace("year: 2022", "year: 2026", 1), "framework_commune_2026.yaml")
    wards = list(Unit.objects.filter(code__startswith="GLA-"))
    assert len(wards) == 7
    campaign = services.create_campaign(framework, wards, user=None, illustrative=True)
    rows = [{"unit_code": w.code, "KQ": str(60 + i), "HL": "27"} for i, w in enumerate(wards)]
    services.import_scores(campaign, rows, field="self_score", source="minh-hoa-2026")
    services.import_scores(campaign, rows, field="appraised_score", source="minh-hoa-2026")
    campaign.units.update(submitted_at=campaign.created_at)
    approval.propose(campaign, user=None)
    approval.approve(campaign, user=None)
    services.publish(campaign, user=None)


def test_a_ward_of_2026_shows_its_predecessors_2022_results(client: Client, html):
    _publish_wards_2026()
    doc = html(client.get("/ket-qua/commune/2026/don-vi/GLA-HNH/").content)
    assert doc.xpath("//h1")[0].text_content() == "Phường Hoài Nhơn"
    rows = doc.xpath("//table[contains(@class,'predecessors')]/tbody/tr/@data-unit")
    assert sorted(rows) == ["HTH", "HTT", "TQN"]  # Nghị quyết 1664/NQ-UBTVQH15
    header = doc.xpath("//table[contains(@class,'predecessors')]//th")[1].text_content()
    assert header == "Điểm năm 2022"
    note = doc.xpath("//p[@id='unit-merged-previous']")[0].text_content()
    assert note.startswith("Không có số liệu so sánh chung với năm 2022")
    narrative = " ".join(p.text_content() for p in doc.xpath("//p[@class='narrative']"))
    assert "Đơn vị được hình thành từ 03 đơn vị" in narrative
