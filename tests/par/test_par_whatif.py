"""What if: a unit's score or a framework weight changed, everything recomputed (docs/par.md)."""

from __future__ import annotations

import pytest

from cchc.demo import data_path
from cchc.par.framework import load_framework
from cchc.par.insight_export import whatif_to_json
from cchc.par.results import compute_results
from cchc.par.scores import ScoreSheet, UnitScores, load_scores
from cchc.par.whatif import (
    ScoreChange,
    WhatIfError,
    parse_score_change,
    parse_weight,
    reweigh,
    simulate,
)


@pytest.fixture(scope="module")
def district():
    fw = load_framework(data_path("framework_district_2022.yaml"))
    return fw, load_scores(data_path("district_2022.csv"), fw)


def test_no_change_reproduces_the_published_result(district):
    fw, sheet = district
    result = simulate(fw, sheet)
    assert not any(u.changed for u in result.units)
    assert [(u.unit_code, u.rank_after) for u in result.units] == [
        (u.unit_code, u.rank) for u in compute_results(fw, sheet).units
    ]


def test_a_lower_satisfaction_score_costs_hoai_nhon_first_place(district):
    fw, sheet = district
    result = simulate(fw, sheet, scores=[parse_score_change("HNH:HL=24")])
    hnh = next(u for u in result.units if u.unit_code == "HNH")
    assert hnh.score_before == pytest.approx(88.41) and hnh.score_after == pytest.approx(86.13)
    assert (hnh.rank_before, hnh.rank_after, hnh.rank_change) == (1, 3, -2)
    qnh = next(u for u in result.units if u.unit_code == "QNH")
    assert (qnh.rank_after, qnh.score_after) == (1, pytest.approx(87.48))
    data = whatif_to_json(result)
    assert data["changes"]["scores"] == [{"unit_code": "HNH", "node": "HL", "value": 24.0}]
    assert data["units"][0]["unit_code"] == "QNH" and data["units"][0]["rank_change"] == 1


def test_a_weight_scales_every_units_points_and_the_maximum(district):
    fw, sheet = district
    result = simulate(fw, sheet, weights={"HL": 33})
    assert result.simulated.framework.max == pytest.approx(103)
    hnh = result.simulated.unit("HNH")
    # 26,28 × 1,1 = 28,908, kept to 2 decimals half-up like every score
    assert hnh.components["HL"].score == 28.91
    assert hnh.index == pytest.approx((55.46 + 6.67 + 28.91) / 103 * 100)
    assert fw.max == 100 and fw.node("HL").max == 30  # the published framework is untouched


def test_a_score_is_set_on_the_framework_as_reweighed(district):
    fw, sheet = district
    result = simulate(fw, sheet, weights={"HL": 33}, scores=[ScoreChange("HNH", "HL", 33)])
    assert result.simulated.unit("HNH").components["HL"].score == 33


def test_bad_changes_are_refused_with_every_reason(district):
    fw, sheet = district
    with pytest.raises(WhatIfError) as info:
        simulate(
            fw,
            sheet,
            scores=[ScoreChange("XXX", "HL", 1), ScoreChange("HNH", "ZZ", 1), ScoreChange("HNH", "HL", 31)],
        )
    assert info.value.problems == [
        "Đổi điểm XXX:HL: đơn vị 'XXX' không có trong tệp điểm",
        "Đổi điểm HNH:ZZ: mã 'ZZ' không có trong bộ chỉ số binh-dinh-huyen",
        "Đổi điểm HNH:HL: điểm 31 nằm ngoài khoảng 0..30 của HL",
    ]
    with pytest.raises(WhatIfError, match="mã 'ZZ' không có"):
        simulate(fw, sheet, weights={"ZZ": 3})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("HNH-HL=3", "cần dạng ĐƠN_VỊ:MỤC=ĐIỂM"),
        ("HNH:HL=ba", "'ba' không phải là số"),
    ],
)
def test_malformed_set_options(text, message):
    with pytest.raises(WhatIfError, match=message):
        parse_score_change(text)


def test_weight_options():
    assert parse_weight("HL=33,5") == ("HL", 33.5)
    with pytest.raises(WhatIfError, match="lớn hơn 0"):
        parse_weight("HL=0")
    with pytest.raises(WhatIfError, match="cần dạng MỤC=ĐIỂM_TỐI_ĐA"):
        parse_weight("HL")


def test_a_criterion_weight_rescales_its_parent(tree):
    changed, factors = reweigh(tree, {"A1": 30})
    assert changed.node("A").max == 70 and changed.max == 110
    assert factors == {"A1": 1.5}
    with pytest.raises(WhatIfError, match="nằm trong A"):
        reweigh(tree, {"A": 70, "A1": 30})


def test_setting_a_criterion_recomputes_its_parent(tree):
    # Y is scored on A as a whole (its criteria are not given: long form, or the web)
    sheet = ScoreSheet(
        tree.code,
        (
            UnitScores("X", "Xã X", {"A": 45.0, "A1": 15.0, "A2": 30.0, "B": 30.0}),
            UnitScores("Y", "Xã Y", {"A": 50.0, "B": 30.0}),
        ),
        "d.csv",
    )
    result = simulate(tree, sheet, scores=[ScoreChange("X", "A1", 20)])
    assert result.simulated.unit("X").components["A"].score == 50
    assert result.simulated.unit("X").score == 80
    # Y is scored on A only: its points on A1 are unknown
    with pytest.raises(WhatIfError, match="đơn vị Y chỉ có điểm chung của A"):
        simulate(tree, sheet, scores=[ScoreChange("Y", "A1", 20)])
    with pytest.raises(WhatIfError, match="đơn vị Y chỉ có điểm chung của A"):
        simulate(tree, sheet, weights={"A1": 30})
    # setting the whole component drops the criteria below it
    whole = simulate(tree, sheet, scores=[ScoreChange("X", "A", 60)])
    assert whole.simulated.unit("X").components["A1"].score is None
    assert whole.simulated.unit("X").score == 90
