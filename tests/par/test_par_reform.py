"""Year over year across the 2025 reform: a ward formed from several communes is compared
with each predecessor's last result, and with an aggregate only when a weight is stated."""

from __future__ import annotations

import dataclasses

from cchc.demo import data_path
from cchc.par.framework import load_framework
from cchc.par.narrative import unit_narrative
from cchc.par.results import compute_results
from cchc.par.scores import load_scores, scores_from_rows
from cchc.units import default_registry, national_registry


def _sheet(tree, rows):
    data = [{"unit_code": c, "unit_name": f"Xã {c}", "A": a, "B": b} for c, a, b in rows]
    return scores_from_rows(data, tree, "t")


def test_a_merger_carries_each_predecessors_result_and_no_made_up_average(tree):
    now = _sheet(tree, [("M", 50, 30)])
    before = _sheet(tree, [("P1", 58, 35), ("P2", 50, 30)])
    unit = compute_results(tree, now, before, lineage=lambda code: ["P1", "P2"]).unit("M")
    assert unit.previous is None and unit.merged_previous is None
    assert [(p.unit_code, p.rank, p.unit_name) for p in unit.predecessors] == [("P1", 1, "Xã P1"), ("P2", 2, "Xã P2")]


def test_a_stated_weight_gives_a_labelled_weighted_index(tree):
    now = _sheet(tree, [("M", 50, 30)])
    before = _sheet(tree, [("P1", 60, 40), ("P2", 30, 20)])  # indices 100 % and 50 %
    results = compute_results(
        tree, now, before, lineage=lambda code: ["P1", "P2"],
        predecessor_weights={"P1": 3, "P2": 1}, weight_label="dân số",
    )
    merged = results.unit("M").merged_previous
    assert merged is not None and abs(merged.index - 87.5) < 1e-9 and merged.weight_label == "dân số"


def test_a_weight_missing_for_one_predecessor_gives_no_aggregate(tree):
    now = _sheet(tree, [("M", 50, 30)])
    before = _sheet(tree, [("P1", 60, 40), ("P2", 30, 20)])
    results = compute_results(tree, now, before, lineage=lambda code: ["P1", "P2"], predecessor_weights={"P1": 3})
    assert results.unit("M").merged_previous is None


def _hoai_nhon_wards_2026(registry):
    """The seven wards of 2026 scored on the 2022 commune framework (illustrative figures)."""
    fw_2022 = load_framework(data_path("framework_commune_2022.yaml"))
    fw_2026 = dataclasses.replace(fw_2022, year=2026)
    wards = registry.units(level="commune", parent="GLA")
    rows = [{"unit_code": w.code, "unit_name": w.name, "KQ": 60 + i, "HL": 27} for i, w in enumerate(wards)]
    now = scores_from_rows(rows, fw_2026, "minh-hoa-2026")
    before = load_scores(data_path("commune_2022.csv"), fw_2022)
    return fw_2026, fw_2022, now, before


def test_a_ward_of_2026_shows_its_predecessors_2022_results():
    registry = default_registry()
    fw_2026, fw_2022, now, before = _hoai_nhon_wards_2026(registry)
    results = compute_results(fw_2026, now, before, fw_2022, lineage=registry.lineage_codes)
    ward = results.unit("GLA-HNH")  # Phường Hoài Nhơn ← Hoài Thanh, Hoài Thanh Tây, Tam Quan Nam
    assert sorted(p.unit_code for p in ward.predecessors) == ["HTH", "HTT", "TQN"]
    assert ward.previous is None
    text = unit_narrative(results, "GLA-HNH")
    assert "Đơn vị được hình thành từ 03 đơn vị" in text
    assert "phường Hoài Thanh Tây năm 2022 đạt" in text
    assert "Không có số liệu so sánh với năm 2022" in text


def test_the_national_registry_links_official_codes_to_the_demos_2022_codes():
    registry = national_registry()
    assert {"HTH", "HTT", "TQN"} <= set(registry.lineage_codes("21664"))


# Provincial departments merged in 2025 (Hà Tĩnh: src/cchc/units/data/agency_lineage.csv).

def _department_framework(tree, year):
    return dataclasses.replace(tree, year=year, level="agency")


def _departments(fw, rows):
    data = [{"unit_code": c, "unit_name": n, "A": a, "B": b} for c, n, a, b in rows]
    return scores_from_rows(data, fw, "t")


def test_a_merged_department_carries_each_predecessors_result_and_no_made_up_average(tree):
    from cchc.units.official import earlier_codes

    fw_2026, fw_2024 = _department_framework(tree, 2026), _department_framework(tree, 2024)
    now = _departments(fw_2026, [("42.STC", "Sở Tài chính tỉnh Hà Tĩnh", 50, 30), ("42.STP", "Sở Tư pháp", 55, 31)])
    before = _departments(fw_2024, [
        ("42.STC@2025-02-28", "Sở Tài chính tỉnh Hà Tĩnh (trước hợp nhất)", 58, 35),
        ("42.SKHDT", "Sở Kế hoạch và Đầu tư tỉnh Hà Tĩnh", 50, 30),
        ("42.STP", "Sở Tư pháp", 52, 33),
    ])
    results = compute_results(fw_2026, now, before, fw_2024, lineage=earlier_codes)
    finance = results.unit("42.STC")
    assert finance.previous is None and finance.merged_previous is None
    assert sorted(p.unit_code for p in finance.predecessors) == ["42.SKHDT", "42.STC@2025-02-28"]
    assert results.unit("42.STP").previous.unit_code == "42.STP"  # not merged: compared as itself
    text = unit_narrative(results, "42.STC")
    assert "Cơ quan được hình thành từ 02 cơ quan" in text
    assert "Hội đồng nhân dân tỉnh về sắp xếp các cơ quan chuyên môn năm 2025" in text
    assert "Không có số liệu so sánh với năm 2024: cơ quan mới hình thành từ nhiều cơ quan" in text


def test_a_stated_weight_gives_a_merged_department_a_labelled_aggregate(tree):
    from cchc.units.official import earlier_codes

    fw_2026, fw_2024 = _department_framework(tree, 2026), _department_framework(tree, 2024)
    now = _departments(fw_2026, [("42.SNNMT", "Sở Nông nghiệp và Môi trường", 50, 30)])
    before = _departments(fw_2024, [("42.SNNPTNT", "Sở NN và PTNT", 60, 40), ("42.STNMT", "Sở TN và MT", 30, 20)])
    results = compute_results(
        fw_2026, now, before, fw_2024, lineage=earlier_codes,
        predecessor_weights={"42.SNNPTNT": 3, "42.STNMT": 1}, weight_label="số hồ sơ",
    )
    merged = results.unit("42.SNNMT").merged_previous
    assert merged is not None and abs(merged.index - 87.5) < 1e-9 and merged.weight_label == "số hồ sơ"
    assert "bình quân gia quyền theo số hồ sơ" in unit_narrative(results, "42.SNNMT")
