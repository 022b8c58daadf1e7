"""Where a unit's next points are: lost against the maximum and the best unit (docs/par.md)."""

from __future__ import annotations

import pytest

from cchc.par.gaps import gaps_paragraph, unit_gaps
from cchc.par.insight_export import gaps_to_json
from cchc.par.results import compute_results
from cchc.par.scores import ScoreSheet, UnitScores, scores_from_rows
from cchc.par.values import NOT_APPLICABLE


def test_hoai_nhon_loses_most_within_reach_on_satisfaction(district_results):
    gaps = unit_gaps(district_results, "HNH")
    assert gaps.lost == pytest.approx(11.59)
    by_code = {c.code: c for c in gaps.criteria}
    assert [c.code for c in gaps.criteria] == ["KQ", "DT", "HL"]
    kq, dt, hl = by_code["KQ"], by_code["DT"], by_code["HL"]
    assert (kq.lost, kq.to_best, kq.best_units) == (4.54, 0.0, ("HNH",))
    assert (dt.lost, dt.to_best, dt.best_units) == (3.33, 0.66, ("QNH",))
    assert (hl.lost, hl.to_best, hl.best_units, hl.best_score) == (3.72, 0.82, ("PCA",), 27.10)
    assert [c.code for c in gaps.within_reach] == ["HL", "DT"]  # KQ is already the best
    # 2021: KQ 53,46/60 (lost 6,54), DT 8/10 (lost 2), HL 23,82/30 (lost 6,18)
    assert (kq.previous_lost, kq.lost_change) == (6.54, -2.0)
    assert (dt.previous_lost, dt.lost_change) == (2.0, 1.33)
    assert hl.lost_change == -2.46


def test_the_paragraph_says_it_in_vietnamese(district_results):
    text = gaps_paragraph(district_results, unit_gaps(district_results, "HNH"))
    assert text.startswith("Năm 2022, Thị xã Hoài Nhơn còn thiếu 11,59/100 điểm so với điểm tối đa.")
    assert "HL: đạt 26,28/30 điểm, kém 0,82 điểm so với Huyện Phù Cát" in text
    assert "So với năm 2021, đơn vị thu hẹp khoảng cách ở KQ (2 điểm), HL (2,46 điểm); mất thêm điểm ở DT (1,33 điểm)." in text


def test_the_top_unit_everywhere_has_nothing_within_reach(tree):
    sheet = scores_from_rows(
        [
            {"unit_code": "X", "unit_name": "Xã X", "A1": 18, "A2": 35, "B": 38},
            {"unit_code": "Y", "unit_name": "Xã Y", "A1": 10, "A2": 30, "B": 30},
        ],
        tree,
        "d.csv",
    )
    results = compute_results(tree, sheet)
    gaps = unit_gaps(results, "X")
    assert gaps.within_reach == []
    assert "đã đạt mức cao nhất trong cấp xã" in gaps_paragraph(results, gaps)
    y = unit_gaps(results, "Y", top=2)
    assert [(c.code, c.to_best) for c in y.within_reach] == [("A1", 8.0), ("B", 8.0)]  # equal: by code
    assert y.previous_year is None and all(c.lost_change is None for c in y.criteria)


def test_the_finest_level_scored_is_used_per_unit(tree):
    sheet = ScoreSheet(
        tree.code,
        (
            UnitScores("X", "Xã X", {"A1": 18.0, "A2": 35.0, "B": 38.0}),
            UnitScores("Y", "Xã Y", {"A": 50.0, "B": 30.0}),  # A as a whole
            UnitScores("Z", "Xã Z", {"A1": 20.0, "A2": NOT_APPLICABLE, "B": 20.0}),
        ),
        "d.csv",
    )
    results = compute_results(tree, sheet)
    assert [c.code for c in unit_gaps(results, "Y").criteria] == ["A", "B"]
    z = unit_gaps(results, "Z")
    assert [c.code for c in z.criteria] == ["A1", "B"]
    # A is compared on its index: Z 20 of the 20 that apply (100 %), X 53/60, Y 50/60
    a = unit_gaps(results, "Y").criteria[0]
    assert a.best_units == ("Z",) and a.to_best == 10.0
    data = gaps_to_json([z])
    assert data["units"][0]["criteria"][0]["best_units"] == ["Z"]
