"""What-if: the points a change brings, and the fewest dossiers to the next points."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.service import whatif
from cchc.service.portal766 import Count, indicator, points

# Sở Công Thương, Phú Thọ, quarter 3 of 2026, as the portal published it.
UNIT = "H44.07"
COUNTS = [
    Count(UNIT, "Sở Công Thương", "2.1", 998, 1271),
    Count(UNIT, "Sở Công Thương", "4.1", 937, 1271),
    Count(UNIT, "Sở Công Thương", "4.2", 449, 1271),
    Count(UNIT, "Sở Công Thương", "4.3", 0, 1271),
    Count(UNIT, "Sở Công Thương", "4.6", 100, 100),
    Count(UNIT, "Sở Công Thương", "5.4", 998, 1271),
    Count("H44.08", "Sở Giáo dục và Đào tạo", "2.1", 603, 847),
]


def test_a_given_change_brings_the_scorers_points() -> None:
    change = whatif.apply(COUNTS, UNIT, {"2.1": 100, "4.2": 10})
    assert change.gains["2.1"] == points(indicator("2.1"), 1098, 1271) - points(indicator("2.1"), 998, 1271)
    assert change.gains["2.1"] == Decimal("1.58")  # 17.28 - 15.70
    assert change.gain == change.after.total_points - change.before.total_points
    assert change.before.indicators["4.2"].points == Decimal("1.41")


def test_one_more_of_a_kind_cannot_exceed_the_denominator() -> None:
    with pytest.raises(whatif.WhatIfError, match="vượt mẫu số"):
        whatif.apply(COUNTS, UNIT, {"2.1": 274})
    with pytest.raises(whatif.WhatIfError, match=r"không có chỉ số '9\.9'"):
        whatif.apply(COUNTS, UNIT, {"9.9": 1})
    with pytest.raises(whatif.WhatIfError, match="không có số liệu của đơn vị X"):
        whatif.apply(COUNTS, "X", {"2.1": 1})


def test_options_are_ordered_by_points_per_dossier_and_are_the_fewest() -> None:
    found = whatif.options(COUNTS, UNIT, Decimal(1))
    ids = [o.indicator for o in found]
    assert ids[0] == "2.1"  # 20 points over 1271 dossiers: the most per dossier
    assert "4.6" not in ids  # published as provided or not: no dossiers to add
    ratios = [o.points_per_dossier for o in found]
    assert ratios == sorted(ratios, reverse=True)
    for option in found:
        assert option.gain >= 1
        fewer = whatif.apply(COUNTS, UNIT, {option.indicator: option.dossiers - 1})
        assert fewer.gains[option.indicator] < 1  # one fewer would not do


def test_a_target_beyond_an_indicators_reach_leaves_it_out() -> None:
    found = {o.indicator for o in whatif.options(COUNTS, UNIT, Decimal(4))}
    assert "2.1" in found  # 15.70 → up to 20 (4.30 more)
    assert "5.4" not in found  # 5.23 → at most 6 (0.77 more)


def test_the_cheapest_plan_mixes_kinds_when_none_suffices_alone() -> None:
    plan = whatif.cheapest(COUNTS, UNIT, Decimal("6"))
    assert sum((o.gain for o in plan), Decimal(0)) >= 6
    added = {o.indicator: o.dossiers for o in plan}
    assert whatif.apply(COUNTS, UNIT, added).gain >= 6
    assert whatif.cheapest(COUNTS, UNIT, Decimal(100)) == []  # out of reach


@given(
    st.lists(
        st.tuples(st.sampled_from(["2.1", "3.6", "4.1", "4.2", "4.3", "5.4", "1.1", "3.5a"]),
                  st.integers(0, 400), st.integers(1, 400)),
        min_size=1, max_size=6, unique_by=lambda t: t[0],
    ),
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(30), places=2),
)
@settings(max_examples=60, deadline=None)
def test_every_answer_is_what_the_scorer_gives(rows: list[tuple[str, int, int]], target: Decimal) -> None:
    counts = [Count("U", "U", key, min(n, d), d) for key, n, d in rows]
    for option in whatif.options(counts, "U", target):
        assert whatif.apply(counts, "U", {option.indicator: option.dossiers}).gains[option.indicator] >= target
        if option.dossiers > 1:
            fewer = whatif.apply(counts, "U", {option.indicator: option.dossiers - 1})
            assert fewer.gains[option.indicator] < target
    plan = whatif.cheapest(counts, "U", target)
    if plan:
        assert whatif.apply(counts, "U", {o.indicator: o.dossiers for o in plan}).gain >= target
    else:
        room = {c.indicator: int(c.denominator) - int(c.numerator) for c in counts}
        assert whatif.apply(counts, "U", room).gain < target  # out of reach indeed
