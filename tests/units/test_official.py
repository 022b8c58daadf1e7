"""The one rule from the demo's made-up codes to official ids, and the departments merged in
2025 (provincial specialised agencies, sở) as lineage with their source."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from cchc.cli import app
from cchc.units import Level, national_registry
from cchc.units.official import (
    agency_code,
    demo_registry,
    earlier_codes,
    home_made_codes,
    official_id,
)

runner = CliRunner()


def test_each_made_up_code_moves_to_one_official_id():
    table = home_made_codes()
    assert len(table) == 37 and len(set(table.values())) == 37
    assert table["HNH"] == "543" and table["BSO"] == "21640@2025-06-30" and table["GLA-BSO"] == "21640"
    assert official_id("HNH") == "543" and official_id("543") == "543" and official_id("KHONG-CO") is None


def test_a_dossier_code_carries_the_official_code_never_the_id_mark():
    assert agency_code("21640@2025-06-30") == "21640" and agency_code("543") == "543"


def test_the_demo_registry_is_the_demos_units_under_official_ids_with_their_lineage():
    registry = demo_registry()
    assert len(registry) == 37
    ward = registry.get("GLA-HNH")
    assert ward.key == "21664" and ward.name == "Phường Hoài Nhơn" and ward.parent == "52"
    assert sorted(u.key for u in registry.predecessors("21664")) == ["21658", "21664@2025-06-30", "21667"]
    assert registry.aliases("21664") == ["GLA-HNH"]


def test_earlier_codes_follow_made_up_codes_official_ids_and_departments():
    assert {"HTH", "HTT", "TQN"} <= set(earlier_codes("GLA-HNH"))
    assert {"21667", "21664@2025-06-30", "21658"} <= set(earlier_codes("21664"))
    assert set(earlier_codes("42.STC")) == {"42.SKHDT", "42.STC@2025-02-28"}
    assert earlier_codes("KHONG-CO") == []


def test_hatinh_departments_merged_on_1_march_2025_with_their_source():
    registry = national_registry()
    merged = {
        "42.STC": {"42.STC@2025-02-28", "42.SKHDT"},
        "42.SXD": {"42.SXD@2025-02-28", "42.SGTVT"},
        "42.SKHCN": {"42.SKHCN@2025-02-28", "42.STTTT"},
        "42.SNNMT": {"42.SNNPTNT", "42.STNMT"},
        "42.SNV": {"42.SNV@2025-02-28", "42.SLDTBXH"},
    }
    for successor, predecessors in merged.items():
        events = registry.events_to(successor)
        assert {e.from_code for e in events} == predecessors
        assert all(e.date == dt.date(2025, 3, 1) for e in events)
        assert all("laodong.vn" in e.source and "riêng tỉnh Hà Tĩnh" in e.note for e in events)
        assert registry.get(successor).level is Level.AGENCY and registry.get(successor).parent == "42"
    on_2026 = {u.key for u in registry.units(level="agency", province="42", on=dt.date(2026, 1, 1))}
    assert on_2026 == set(merged)
    on_2024 = {u.key for u in registry.units(level="agency", province="42", on=dt.date(2024, 12, 31))}
    assert on_2024 == set().union(*merged.values())


def test_units_lineage_shows_a_departments_merger_both_ways():
    result = runner.invoke(app, ["units", "lineage", "42.SLDTBXH"])
    assert result.exit_code == 0, result.output
    assert "Sở Lao động - Thương binh và Xã hội tỉnh Hà Tĩnh" in result.output
    assert "Kế thừa:" in result.output and "42.SNV Sở Nội vụ tỉnh Hà Tĩnh" in result.output
    assert "01/03/2025" in result.output and "bảo trợ xã hội, trẻ em" in result.output
    after = runner.invoke(app, ["units", "lineage", "42.SNV"])
    assert "Tiền thân:" in after.output and "42.SLDTBXH" in after.output
