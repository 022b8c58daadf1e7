"""The 766 scorer: the portal's arithmetic on counts (rules as data, one pure function)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.service.portal766 import (
    GROUPS,
    RULES,
    Count,
    Indicator,
    UnknownIndicator,
    indicator,
    points,
    rate,
    score_units,
)


def test_the_table_adds_up_to_100_in_six_groups() -> None:
    assert [(g.number, g.max) for g in GROUPS] == [
        (1, 18),
        (2, 20),
        (3, 12),
        (4, 10),
        (5, 22),
        (6, 18),
    ]
    assert sum(i.max for i in RULES) == 100
    assert len({i.id for i in RULES}) == len(RULES)


def test_an_indicator_is_found_by_id_or_portal_metric_code() -> None:
    assert indicator("4.2").code == "SO_HOA_GIAY_TO_GIAI_QUYET"
    assert indicator("so_hoa_giay_to_giai_quyet").id == "4.2"
    assert indicator(" DOSSIER_RECEIVING_SATISFACTION ").id == "5.4"
    assert indicator("4.5B").id == "4.5b"
    with pytest.raises(UnknownIndicator, match=r"9\.9"):
        indicator("9.9")


def test_points_come_from_the_exact_rate_not_the_rounded_one() -> None:
    assert points(indicator("2.1"), 1, 8) == Decimal("2.50")
    assert points(indicator("2.1"), 2, 3) == Decimal("13.33")
    # 6 × 834/1 000 000 = 0.005004 → 0.01; the shown rate (0,08 %) would give 0.0048 → 0.00
    assert rate(834, 1_000_000) == Decimal("0.0008")
    assert points(indicator("1.1"), 834, 1_000_000) == Decimal("0.01")


def test_half_up_at_the_boundary() -> None:
    # 2 × 1/8 = 0.25; 4 × 1/16 = 0.25; 20 × 1/800 = 0.025 → 0.03 (half-up, not banker's 0.02)
    assert points(indicator("2.1"), 1, 800) == Decimal("0.03")
    assert points(indicator("1.3"), 5, 8) == Decimal("1.25")


def test_thresholds_and_linear_4_2() -> None:
    assert points(indicator("4.2"), 70, 100) == Decimal("2.80")  # linear, not full at 80 %
    assert points(indicator("4.3"), 70, 100) == Decimal("1.75")  # 2 × 0.7 ÷ 0.8
    assert points(indicator("4.3"), 90, 100) == Decimal("2.00")
    assert points(indicator("5.4"), 85, 100) == Decimal("5.67")  # 6 × 0.85 ÷ 0.9 = 5.666…
    assert points(indicator("3.5b"), 1, 2) == Decimal("1.25")


def test_zero_denominator_is_zero_points_except_feedback() -> None:
    for key in ("1.1", "2.1", "4.2", "5.4", "3.6"):
        assert points(indicator(key), 0, 0) == 0
        assert rate(0, 0) is None
    assert points(indicator("5.2"), 0, 0) == Decimal("6.00")
    assert points(indicator("PETITION_HANDLING_SATISFACTION"), 0, 0) == Decimal("6.00")


def test_points_stay_between_zero_and_the_maximum() -> None:
    assert points(indicator("5.4"), -3, 10) == 0
    assert points(indicator("2.1"), 11, 10) == 20


def test_units_groups_totals_and_ranks() -> None:
    counts = [
        Count("A", "Sở A", "2.1", 9, 10),
        Count("A", "Sở A", "SO_HOA_GIAY_TO_GIAI_QUYET", 1, 3),
        Count("A", "Sở A", "4.1", 1, 3),
        Count("B", "Sở B", "2.1", 10, 10),
        Count("B", "Sở B", "4.2", 0, 0),
        Count("B", "Sở B", "4.1", 0, 6),
        Count("C", "Xã C", "2.1", 1, 1),
        Count("C", "Xã C", "4.2", 0, 5),
        Count("C", "Xã C", "4.1", 0, 0),
    ]
    units = score_units(counts)
    assert [(u.unit_code, u.rank) for u in units] == [("A", 1), ("B", 2), ("C", 2)]
    a = units[0]
    assert a.unit_name == "Sở A"
    assert list(a.indicators) == ["2.1", "4.1", "4.2"]
    assert a.indicators["4.2"].points == Decimal("1.33")
    assert a.indicators["4.1"].points == Decimal("2.00")
    # group 5 = 1.33 + 2.00 (sum of rounded points), max = 6 + 4 of the present indicators
    assert a.groups == {2: (Decimal("18.00"), Decimal(20)), 5: (Decimal("3.33"), Decimal(10))}
    assert a.total_points == Decimal("21.33") and a.total_max == 30
    assert 1 not in a.groups  # absent indicators are absent, not zero


def test_ranks_use_the_share_when_maxima_differ() -> None:
    units = score_units(
        [
            Count("A", "", "2.1", 1, 2),  # 10 of 20
            Count("B", "", "2.1", 1, 2),
            Count("B", "", "5.2", 0, 0),  # 10 + 6 of 26 = 61.54 %
        ]
    )
    assert [(u.unit_code, u.rank) for u in units] == [("B", 1), ("A", 2)]


def test_a_unit_and_indicator_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"2\.1"):
        score_units([Count("A", "", "2.1", 1, 2), Count("A", "", "2.1", 1, 2)])


def _oracle_points(ind: Indicator, num: Decimal, den: Decimal) -> Decimal:
    """The rules of the module's docstring in plain ``Fraction`` arithmetic."""

    def half_up(value: Fraction, places: int) -> Decimal:
        scaled = abs(value) * 10**places
        whole = Decimal(int(scaled + Fraction(1, 2))).scaleb(-places)
        return -whole if value < 0 else whole

    if den == 0:
        return ind.max.quantize(Decimal("0.01")) if ind.when_zero == "full" else Decimal("0.00")
    share = Fraction(num) / Fraction(den)
    if ind.rate_places is not None:
        share = Fraction(half_up(share, ind.rate_places))
    if ind.full_at is not None:
        share /= Fraction(ind.full_at)
    return half_up(Fraction(ind.max) * min(Fraction(1), max(Fraction(0), share)), 2)


@given(
    ind=st.sampled_from(RULES),
    num=st.one_of(st.integers(-50, 10**7), st.decimals(-5, 10**6, places=2)),
    den=st.one_of(st.integers(0, 10**7), st.decimals(0, 10**6, places=2)),
)
def test_points_and_rates_are_exact_whatever_the_numbers(ind: Indicator, num: Any, den: Any) -> None:
    num, den = Decimal(num), Decimal(den)
    assert points(ind, num, den) == _oracle_points(ind, num, den)
    expected_rate = None if den == 0 else Decimal(int(abs(Fraction(num) / Fraction(den)) * 10**4 + Fraction(1, 2))).scaleb(-4)
    if expected_rate is not None and num < 0:
        expected_rate = -expected_rate
    assert rate(num, den) == expected_rate
