"""Whole arrays give the per-value results exactly: fsum, round2, competition ranking."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from cchc.par.exact import competition_rank_array, fsum_rows, round2_array
from cchc.par.ranking import competition_rank
from cchc.par.rounding import round2

cents = st.integers(0, 100_000).map(lambda k: k / 100)
# Any float a score or maximum can be (down to 1e-9: two limbs cover ~100 bits of span).
anything = st.floats(0, 1000, allow_nan=False).filter(lambda x: x == 0 or x > 1e-9)


@given(st.lists(st.lists(st.one_of(cents, anything), min_size=1, max_size=40), min_size=1, max_size=5))
def test_each_row_sums_to_exactly_what_fsum_gives(lists):
    width = max(len(r) for r in lists)
    table = np.array([r + [0.0] * (width - len(r)) for r in lists])
    sums = fsum_rows(table)
    assert sums is not None
    assert [s.hex() for s in sums.tolist()] == [math.fsum(r).hex() for r in lists]


def test_sums_that_plain_float_addition_gets_wrong_are_exact():
    values = np.array([[0.1] * 10, [1e16, 1.0, -0.0, 1.0] + [0.0] * 6])
    assert fsum_rows(values[:1]).tolist() == [math.fsum([0.1] * 10)] == [1.0]  # type: ignore[union-attr]
    assert sum([0.1] * 10) != 1.0


def test_what_two_limbs_cannot_hold_is_refused_not_guessed():
    assert fsum_rows(np.array([[1e-300, 1e300]])) is None
    assert fsum_rows(np.array([[-1.0, 2.0]])) is None
    assert fsum_rows(np.array([[math.inf]])) is None


@given(st.lists(st.one_of(cents, anything, st.floats(-1e12, 1e12, allow_nan=False),
                          st.integers(0, 10**6).map(lambda k: k / 1000)), min_size=1, max_size=50))
def test_rounding_an_array_is_round2_on_each_value(values):
    got = round2_array(np.array(values))
    assert [v.hex() for v in got.tolist()] == [round2(v).hex() for v in values]


def test_decimal_ties_round_half_up_like_round2():
    ties = np.array([1.005, 2.675, 0.125, 3.125, 1.115, -1.005])
    assert round2_array(ties).tolist() == [round2(v) for v in ties.tolist()]
    assert round2_array(np.array([2.675])).tolist() == [2.68]  # round() would give 2.67


@given(st.lists(st.one_of(cents, st.integers(0, 10**6).map(lambda k: k / 1000)), min_size=1, max_size=40))
def test_competition_ranks_match_the_dictionary_version(values):
    expected = competition_rank({str(i): v for i, v in enumerate(values)})
    got = competition_rank_array(np.array(values)).tolist()
    assert got == [expected[str(i)] for i in range(len(values))]
