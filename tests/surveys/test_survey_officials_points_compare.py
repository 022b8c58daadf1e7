"""The officials' mean scores, points conversion, and the comparison of units."""

from __future__ import annotations

import pytest

from cchc.surveys import (
    Answer,
    compare_units,
    compute_index,
    compute_means,
    officials_points,
    sipas_points,
)
from cchc.surveys.compare import NOT_SIGNIFICANT, SIGNIFICANT


def officials(unit: str, factor: str, values: list[int | None]) -> list[Answer]:
    return [Answer(f"{unit}{i}", unit, factor, "q", v) for i, v in enumerate(values)]


def test_officials_mean_per_factor_and_unit():
    data = officials("U", "chi_dao", [4, 4, 2, None]) + officials("U", "cong_vu", [5, 3])
    unit = compute_means(data).units[0]
    # chi_dao: (4 + 4 + 2) / 3 = 3,3333; cong_vu: 4; unit = (3,3333 + 4) / 2 = 3,6667
    assert unit.factors["chi_dao"].mean == pytest.approx(10 / 3)
    assert unit.factors["chi_dao"].valid == 3
    assert unit.mean == pytest.approx((10 / 3 + 4) / 2)
    # cong_vu: s² = 2, half = 1,96 · √(2/2) = 1,96
    assert (unit.factors["cong_vu"].ci_low, unit.factors["cong_vu"].ci_high) == pytest.approx(
        (2.04, 5.96)
    )


def test_officials_points_are_k_times_mean_over_scale_max():
    # The seed's 6,67 / 10 would be a mean of 3,335 on a 5-point scale: 10 × 3,335 / 5.
    data = officials("U", "chi_dao", [3, 4, 3, 4, 3, 4, 3, 4])
    points = officials_points(compute_means(data, scale_max=5), 10)[0]
    assert points.points == pytest.approx(7.0)
    assert points.points_low < 7.0 < points.points_high


def test_one_official_has_a_score_but_no_interval():
    unit = compute_means(officials("U", "chi_dao", [4])).units[0]
    assert unit.mean == 4 and unit.ci_low is None and unit.ci_high is None


def test_officials_answer_above_the_scale_is_refused():
    with pytest.raises(ValueError, match="thang"):
        compute_means(officials("U", "chi_dao", [7]), scale_max=5)


def test_sipas_points_carry_the_interval():
    data = [Answer(f"r{i}", "U", "f", "q", 5 if i < 9 else 1) for i in range(10)]
    points = sipas_points(compute_index(data), 30)[0]
    assert points.points == pytest.approx(27.0)
    unit = compute_index(data).units[0]
    assert (points.points_low, points.points_high) == pytest.approx(
        (30 * unit.ci_low, 30 * unit.ci_high)
    )
    with pytest.raises(ValueError):
        sipas_points(compute_index(data), 0)


def test_unit_without_data_gets_no_points():
    data = [Answer("r", "U", "f", "q", None)]
    assert sipas_points(compute_index(data), 30)[0].points is None


def shares(unit: str, satisfied: int, total: int, factor: str = "f") -> list[Answer]:
    return [
        Answer(f"{unit}{factor}{i}", unit, factor, "q", 5 if i < satisfied else 1)
        for i in range(total)
    ]


def test_compare_pairs_are_ordered_by_index_and_flag_overlap():
    result = compute_index(shares("A", 45, 50) + shares("B", 40, 50) + shares("C", 10, 50))
    pairs = {(c.higher, c.lower): c for c in compare_units(result)}
    assert set(pairs) == {("A", "B"), ("A", "C"), ("B", "C")}
    # A 0,90 (0,786–0,957) and B 0,80 (0,670–0,888) overlap; C 0,20 (0,112–0,330) does not.
    assert pairs[("A", "B")].overlap and pairs[("A", "B")].phrase == NOT_SIGNIFICANT
    assert not pairs[("B", "C")].overlap and pairs[("B", "C")].phrase == SIGNIFICANT


def test_compare_by_factor_uses_that_factors_intervals():
    data = (
        shares("A", 50, 50, "x")
        + shares("A", 0, 50, "y")
        + shares("B", 0, 50, "x")
        + shares("B", 50, 50, "y")
    )
    result = compute_index(data)
    # Same overall index (0,5), opposite factors.
    assert compare_units(result)[0].overlap
    by_x = compare_units(result, "x")
    assert (by_x[0].higher, by_x[0].overlap) == ("A", False)


def test_units_without_data_are_left_out_of_comparisons():
    result = compute_index([*shares("A", 5, 10), Answer("z", "Z", "f", "q", None)])
    assert compare_units(result) == []
