"""Wilson intervals and sample sizes: hand-computed cases and properties."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.surveys import mean_interval, sample_size, wilson_interval


def test_wilson_eight_of_ten_by_hand():
    # p = 0,8; n = 10; z = 1,96 → z² = 3,8416, z²/n = 0,38416, denominator 1,38416.
    # centre = (0,8 + 3,8416/20) / 1,38416 = 0,99208 / 1,38416 = 0,716738
    # half   = 1,96 · √(0,8·0,2/10 + 3,8416/400) / 1,38416 = 1,96 · √0,025604 / 1,38416 = 0,226581
    # → (0,490157; 0,943319)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.490157, abs=1e-6)
    assert high == pytest.approx(0.943319, abs=1e-6)


def test_one_respondent_satisfied():
    # n = 1, p = 1: low = (1 + 1,9208 − 1,96·√0,9604) / (1 + 3,8416) = 1 / 4,8416 = 0,206543
    low, high = wilson_interval(1, 1)
    assert low == pytest.approx(1 / 4.8416, abs=1e-9)
    assert high == 1.0


def test_one_respondent_not_satisfied_mirrors_the_satisfied_case():
    low, high = wilson_interval(0, 1)
    assert low == 0.0
    assert high == pytest.approx(1 - 1 / 4.8416, abs=1e-9)


def test_all_satisfied_has_upper_bound_exactly_one():
    for n in (1, 7, 100, 12345):
        low, high = wilson_interval(n, n)
        assert high == 1.0
        assert low < 1.0


def test_no_valid_answers_has_no_interval():
    assert wilson_interval(0, 0) is None


def test_impossible_counts_are_refused():
    with pytest.raises(ValueError):
        wilson_interval(3, 2)
    with pytest.raises(ValueError):
        wilson_interval(-1, 2)


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(0, n), st.just(n))
    )
)
def test_wilson_bounds_bracket_the_share(case: tuple[int, int]):
    successes, n = case
    low, high = wilson_interval(successes, n)
    p = successes / n
    assert 0.0 <= low <= p <= high <= 1.0


@given(st.integers(min_value=2, max_value=5000), st.integers(min_value=0, max_value=5000))
def test_wilson_narrows_with_more_data(n: int, k: int):
    successes = min(k, n)
    low, high = wilson_interval(successes, n)
    low4, high4 = wilson_interval(4 * successes, 4 * n)
    assert high4 - low4 < high - low


def test_mean_interval_by_hand():
    # values 2, 4: mean 3, s² = ((−1)² + 1²)/1 = 2, half = 1,96·√(2/2) = 1,96
    assert mean_interval([2, 4]) == pytest.approx((3 - 1.96, 3 + 1.96))
    assert mean_interval([5]) is None


def test_sample_size_examples():
    # 1000 / (1 + 1000·0,0025) = 1000 / 3,5 = 285,71 → 286
    assert sample_size(1000) == 286
    # 400 / (1 + 400·0,0025) = 200 exactly: no phantom 201st person from float noise.
    assert sample_size(400) == 200
    # A tiny population is surveyed whole; nobody to ask gives 0.
    assert sample_size(1) == 1
    assert sample_size(0) == 0
    # e = 10 %: 1000 / (1 + 10) = 90,9 → 91
    assert sample_size(1000, 0.1) == 91


def test_sample_size_refuses_nonsense():
    with pytest.raises(ValueError):
        sample_size(-1)
    with pytest.raises(ValueError):
        sample_size(100, 0)


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([0.01, 0.03, 0.05, 0.1]))
def test_sample_size_is_monotone_and_bounded(population: int, margin: float):
    n = sample_size(population, margin)
    assert n <= population
    assert sample_size(population + 1, margin) >= n
    # Never above the infinite-population limit 1/e² (rounded up).
    assert n <= math.ceil(1 / (margin * margin))


@given(st.integers(min_value=1, max_value=10**6))
def test_a_smaller_margin_never_needs_fewer_people(population: int):
    assert sample_size(population, 0.03) >= sample_size(population, 0.05)
