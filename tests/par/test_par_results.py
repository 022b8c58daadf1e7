"""Results: ranks, previous year matched by code and by lineage, and the JSON/CSV contracts."""

from __future__ import annotations

import csv
import io
import json

from cchc.par.export import render_table, results_to_json, write_csv, write_json
from cchc.par.results import NodeResult, compute_results
from cchc.par.scores import scores_from_rows


def _kad(value):
    """None in these tables stands for "does not apply", which a sheet writes as KAD."""
    return "KAD" if value is None else value


def _sheet(tree, rows):
    data = [{"unit_code": c, "unit_name": f"Xã {c}", "A": _kad(a), "B": _kad(b)} for c, a, b in rows]
    return scores_from_rows(data, tree, "t")


def test_ties_share_a_rank_and_are_listed_by_code(tree):
    results = compute_results(tree, _sheet(tree, [("C", 50, 30), ("A", 50, 30), ("B", 55, 30), ("D", 40, 30)]))
    assert [(u.unit_code, u.rank) for u in results.units] == [("B", 1), ("A", 2), ("C", 2), ("D", 4)]
    assert results.tied(2) == 2


def test_previous_year_gives_deltas_and_rank_changes(tree):
    now = _sheet(tree, [("A", 50, 30), ("B", 55, 30), ("C", 40, 35)])
    before = _sheet(tree, [("A", 40, 20), ("B", 50, 30), ("C", 45, 36)])
    results = compute_results(tree, now, before)
    assert results.previous_year == 2022  # the same framework: the year before
    c = results.unit("C")
    assert (c.rank, c.previous.rank, c.rank_change) == (3, 1, -2)
    assert c.components["B"].previous_score == 36
    assert c.components["B"].rank_change == 0
    assert abs(c.components["A"].delta - (-5)) < 1e-9
    assert abs(results.unit("A").delta - 20) < 1e-9


def test_units_without_last_year_have_no_previous(tree):
    results = compute_results(tree, _sheet(tree, [("A", 50, 30), ("NEW", 55, 30)]), _sheet(tree, [("A", 40, 20)]))
    assert results.unit("NEW").previous is None
    assert results.unit("NEW").rank_change is None
    assert results_to_json(results)["units"][0]["previous"] is None


def test_renamed_units_are_matched_through_lineage(tree):
    now = _sheet(tree, [("NEW", 50, 30), ("B", 55, 30)])
    before = _sheet(tree, [("OLD", 58, 35), ("B", 50, 30)])
    results = compute_results(tree, now, before, lineage=lambda code: ["OLD"] if code == "NEW" else [])
    assert results.unit("NEW").previous.unit_code == "OLD"
    assert results.unit("NEW").rank_change == -1


def test_a_merger_has_no_single_previous_rank(tree):
    now = _sheet(tree, [("M", 50, 30)])
    before = _sheet(tree, [("P1", 58, 35), ("P2", 50, 30)])
    results = compute_results(tree, now, before, lineage=lambda code: ["P1", "P2"])
    assert results.unit("M").previous is None


def test_json_has_exactly_the_contract_keys(district_results):
    data = results_to_json(district_results)
    assert set(data) == {"framework", "year", "units", "summary"}
    assert set(data["summary"]) == {"units", "average_index", "band_counts"}
    unit = data["units"][0]
    assert set(unit) == {
        "unit_code", "unit_name", "score", "max", "index", "rank", "band",
        "components", "previous", "rank_change",
    }  # fmt: skip
    assert set(unit["components"]["KQ"]) == {"score", "max", "index", "rank"}
    assert set(unit["previous"]) == {"score", "rank", "components"}
    ranks = [(u["rank"], u["unit_code"]) for u in data["units"]]
    assert ranks == sorted(ranks)
    buffer = io.StringIO()
    write_json(district_results, buffer)
    assert json.loads(buffer.getvalue()) == data


def test_json_numbers_are_rounded_to_2_decimals(tree):
    # Scores are read at 2 decimals, half-up (50,125 → 50,13; 30,004 → 30); figures
    # computed from them are rounded only at output.
    results = compute_results(tree, _sheet(tree, [("A", 50.125, 30.004)]))
    unit = results_to_json(results)["units"][0]
    assert unit["score"] == 80.13
    assert unit["components"]["A"]["index"] == 83.55  # 50,13 / 60 = 83,55 (83,5499… shown)


def test_json_nodes_not_applicable_are_null_with_zero_maximum(tree):
    results = compute_results(tree, _sheet(tree, [("A", None, 30), ("B", 40, 30)]))
    unit = results_to_json(results)["units"]
    a = next(u for u in unit if u["unit_code"] == "A")
    assert a["components"]["A"] == {"score": None, "max": 0, "index": None, "rank": None}
    assert a["components"]["A1"] == {"score": None, "max": 0, "index": None, "rank": None}
    assert a["max"] == 40 and a["index"] == 75


def test_csv_has_one_row_per_unit_with_every_node(district_results, tmp_path):
    path = tmp_path / "kq.csv"
    write_csv(district_results, path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == 11
    hnh = rows[0]
    assert hnh["unit_code"] == "HNH" and hnh["score"] == "88.41" and hnh["rank"] == "1"
    assert hnh["DT_rank"] == "2" and hnh["HL_rank"] == "5"
    assert hnh["previous_rank"] == "1" and hnh["rank_change"] == "0"


def test_terminal_table_shows_vietnamese_numbers_and_the_demo_note(district_results):
    from rich.console import Console

    console = Console(width=160, record=True)
    console.print(render_table(district_results))
    text = console.export_text()
    assert "88,41" in text and "Thị xã Hoài Nhơn" in text
    assert "Số liệu minh họa" in text


def test_points_lost_are_the_applicable_maximum_minus_the_score_at_2_decimals(tree):
    results = compute_results(tree, _sheet(tree, [("A", 50.125, 30.004), ("B", None, 40), ("C", 60, 40)]))
    a, b, c = (results.unit(code).components for code in "ABC")
    assert a["A"].lost == 9.87  # 60 − 50,13 (50,125 read half-up)
    assert a["B"].lost == 10.0  # 40 − 30 (30,004 read as 30)
    assert b["A"].lost is None and b["A1"].lost is None  # A does not apply to unit B
    assert b["B"].lost == 0
    assert c["A"].lost == 0 and c["B"].lost == 0


def test_a_full_score_summed_in_floating_point_loses_no_points():
    # 0,1 + 0,2 is a hair above 0,3 in binary: a full score must read 0, not "-0,00" lost.
    full = NodeResult(score=0.1 + 0.2, max=0.3, index=100.0, rank=1)
    assert full.max - full.score < 0
    assert full.lost == 0 and str(full.lost) == "0.0"
    assert NodeResult(score=None, max=0, index=None, rank=None).lost is None
