"""The satisfaction index per question, factor and unit, and its JSON form."""

from __future__ import annotations

import pytest

from cchc.surveys import Answer, compute_index, index_json, wilson_interval


def answers(
    unit: str, factor: str, values: list[int | None], question: str = "q1", start: int = 0
) -> list[Answer]:
    return [Answer(f"{unit}-{start + i}", unit, factor, question, v) for i, v in enumerate(values)]


def test_factor_index_is_share_of_levels_four_and_five_among_valid_answers():
    # 5, 4, 3, 2, 1, no answer, no answer → satisfied 2 of 5 valid = 0,4
    result = compute_index(answers("U", "tiep_can", [5, 4, 3, 2, 1, None, None]))
    share = result.unit("U").factors["tiep_can"].share
    assert (share.satisfied, share.valid, share.answers) == (2, 5, 7)
    assert share.index == pytest.approx(0.4)
    assert share.interval == wilson_interval(2, 5)


def test_unit_index_is_the_unweighted_mean_of_factor_indices_not_of_answers():
    # f1: 9 of 10 satisfied (0,9); f2: 1 of 2 (0,5). Mean of factors 0,7; pooling answers
    # would give 10/12 = 0,833 — the contract asks for the mean of factors.
    data = answers("U", "f1", [5] * 9 + [2]) + answers("U", "f2", [4, 1], start=100)
    unit = compute_index(data).unit("U")
    assert unit.index == pytest.approx(0.7)
    assert unit.respondents == 12


def test_weights_are_configurable_and_normalised():
    data = answers("U", "f1", [5] * 9 + [2]) + answers("U", "f2", [4, 1], start=100)
    # (3 · 0,9 + 1 · 0,5) / 4 = 0,8
    unit = compute_index(data, weights={"f1": 3, "f2": 1}).unit("U")
    assert unit.index == pytest.approx(0.8)


def test_weights_must_cover_every_factor_and_not_be_negative():
    data = answers("U", "f1", [5]) + answers("U", "f2", [4], start=9)
    with pytest.raises(ValueError, match="f2"):
        compute_index(data, weights={"f1": 1})
    with pytest.raises(ValueError, match="âm"):
        compute_index(data, weights={"f1": 1, "f2": -1})


def test_question_indices_are_kept_under_their_factor():
    data = answers("U", "f1", [5, 1], question="a") + answers(
        "U", "f1", [4, 4, 4], question="b", start=10
    )
    factor = compute_index(data).unit("U").factors["f1"]
    assert factor.questions["a"].index == pytest.approx(0.5)
    assert factor.questions["b"].index == 1.0
    assert (factor.share.satisfied, factor.share.valid) == (4, 5)


def test_factor_without_valid_answers_has_null_index_and_is_left_out_of_the_mean():
    data = answers("U", "f1", [5, 4, 3, 3]) + answers("U", "f2", [None, None], start=10)
    unit = compute_index(data).unit("U")
    assert unit.factors["f2"].share.index is None
    assert unit.factors["f2"].share.interval is None
    assert unit.factors_without_data == ("f2",)
    assert unit.index == pytest.approx(0.5)


def test_unit_with_no_valid_answer_at_all_has_null_index():
    unit = compute_index(answers("U", "f1", [None, None])).unit("U")
    assert unit.index is None and unit.ci_low is None and unit.ci_high is None
    assert unit.respondents == 2


def test_all_satisfied_gives_index_one_and_upper_bound_one():
    unit = compute_index(answers("U", "f1", [4, 5, 5]) + answers("U", "f2", [5], start=9)).unit("U")
    assert unit.index == 1.0
    assert unit.factors["f1"].share.interval[1] == 1.0
    assert unit.ci_high == 1.0


def test_one_respondent():
    result = compute_index([Answer("only", "U", "f1", "q1", 4), Answer("only", "U", "f2", "q2", 2)])
    unit = result.unit("U")
    assert unit.respondents == 1
    assert unit.index == pytest.approx(0.5)
    assert unit.factors["f1"].share.interval == pytest.approx((1 / 4.8416, 1.0))


def test_unit_interval_is_the_mean_of_factor_bounds_and_brackets_the_index():
    data = answers("U", "f1", [5] * 9 + [2]) + answers("U", "f2", [4, 1], start=100)
    unit = compute_index(data).unit("U")
    b1, b2 = wilson_interval(9, 10), wilson_interval(1, 2)
    assert unit.ci_low == pytest.approx((b1[0] + b2[0]) / 2)
    assert unit.ci_high == pytest.approx((b1[1] + b2[1]) / 2)
    assert unit.ci_low <= unit.index <= unit.ci_high


def test_units_sorted_by_code_and_factor_keys_in_order_of_appearance():
    data = (
        answers("B", "thu_tuc", [5])
        + answers("A", "tiep_can", [5], start=5)
        + answers("A", "thu_tuc", [1], start=9)
    )
    result = compute_index(data)
    assert [u.unit_code for u in result.units] == ["A", "B"]
    assert result.factor_keys == ("thu_tuc", "tiep_can")
    assert list(result.unit("A").factors) == ["thu_tuc", "tiep_can"]


def test_json_rounds_half_up_to_four_decimals():
    # 1 of 32 = 0,03125 exactly in binary: Python's round() would give 0,0312 (half to
    # even); offices check against Excel, which gives 0,0313.
    data = answers("U", "f1", [5] + [1] * 31)
    factor = index_json(compute_index(data))["units"][0]["factors"]["f1"]
    assert factor["index"] == 0.0313
    assert factor["satisfied"] == 1 and factor["valid"] == 32


def test_json_unit_index_is_rounded_from_unrounded_factor_indices():
    # f1 = 0/1, f2 = 2/3 → exact mean 1/3 = 0,3333. Averaging the rounded factors instead,
    # (0 + 0,6667) / 2 = 0,33335, would round to 0,3334.
    data = answers("U", "f1", [1]) + answers("U", "f2", [5, 5, 1], start=10)
    unit = index_json(compute_index(data))["units"][0]
    assert unit["factors"]["f1"]["index"] == 0.0
    assert unit["factors"]["f2"]["index"] == 0.6667
    assert unit["index"] == 0.3333
