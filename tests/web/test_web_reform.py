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


def _publish_departments(year: int, units: list[Unit], scores: list[str]) -> None:
    """An illustrative campaign of Hà Tĩnh's departments on the commune framework's structure."""
    text = data_path("framework_commune_2022.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2022", f"year: {year}", 1).replace("level: commune", "level: agency", 1)
    framework = store_framework(text, f"framework_agency_{year}.yaml")
    campaign = services.create_campaign(framework, units, user=None, illustrative=True)
    rows = [{"unit_code": u.code, "KQ": kq, "HL": "27"} for u, kq in zip(units, scores, strict=True)]
    services.import_scores(campaign, rows, field="self_score", source=f"minh-hoa-{year}")
    services.import_scores(campaign, rows, field="appraised_score", source=f"minh-hoa-{year}")
    campaign.units.update(submitted_at=campaign.created_at)
    approval.propose(campaign, user=None)
    approval.approve(campaign, user=None)
    services.publish(campaign, user=None)


def test_a_department_merged_in_2025_shows_its_predecessors_results(client: Client, html):
    province = Unit.objects.create(code="42", name="Tỉnh Hà Tĩnh", level="province")

    def department(code: str, name: str) -> Unit:
        return Unit.objects.create(code=code, name=name, level="agency", parent=province)

    old_finance = department("42.STC@2025-02-28", "Sở Tài chính tỉnh Hà Tĩnh (trước hợp nhất)")
    planning = department("42.SKHDT", "Sở Kế hoạch và Đầu tư tỉnh Hà Tĩnh")
    justice = department("42.STP", "Sở Tư pháp tỉnh Hà Tĩnh")
    finance = department("42.STC", "Sở Tài chính tỉnh Hà Tĩnh")
    _publish_departments(2024, [old_finance, planning, justice], ["62", "55", "60"])
    _publish_departments(2026, [finance, justice], ["61", "63"])
    doc = html(client.get("/ket-qua/agency/2026/don-vi/42.STC/").content)
    assert doc.xpath("//h1")[0].text_content() == "Sở Tài chính tỉnh Hà Tĩnh"
    rows = doc.xpath("//table[contains(@class,'predecessors')]/tbody/tr/@data-unit")
    assert sorted(rows) == ["42.SKHDT", "42.STC@2025-02-28"]  # merged on 01/03/2025
    note = doc.xpath("//p[@id='unit-merged-previous']")[0].text_content()
    assert note.startswith("Không có số liệu so sánh chung với năm 2024: cơ quan mới hình thành từ nhiều cơ quan")
    narrative = " ".join(p.text_content() for p in doc.xpath("//p[@class='narrative']"))
    assert "Cơ quan được hình thành từ 02 cơ quan" in narrative
    unchanged = html(client.get("/ket-qua/agency/2026/don-vi/42.STP/").content)
    assert not unchanged.xpath("//table[contains(@class,'predecessors')]")
