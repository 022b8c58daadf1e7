"""Vietnamese formatting: how every figure reads to a user (DOMAIN.md §9)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cchc.fmt import (
    ParseNumberError,
    count2,
    format_date,
    format_int,
    format_number,
    format_percent,
    ordinal,
    parse_number,
    rank_change_phrase,
    round_half_up,
)


def test_decimal_comma_and_dot_grouping():
    assert format_number(88.41) == "88,41"
    assert format_number(1234567.5) == "1.234.567,50"
    assert format_int(1234567) == "1.234.567"
    assert format_number(-3.5, 1) == "-3,5"
    assert format_number(None) == ""


def test_trimmed_numbers_read_as_the_seed_writes_them():
    assert format_number(8.0, trim=True) == "8"
    assert format_percent(0.914, 2, trim=True) == "91,4%"


def test_rounding_is_half_up_like_excel():
    assert round_half_up(2.345, 2) == 2.35
    assert round_half_up(0.125, 2) == 0.13
    assert format_number(2.675) == "2,68"


def test_dates_are_day_month_year():
    assert format_date(dt.date(2025, 7, 1)) == "01/07/2025"


def test_counts_ordinals_and_rank_phrases():
    assert count2(2) == "02"
    assert count2(15) == "15"
    assert ordinal(1) == "thứ nhất"
    assert ordinal(2) == "thứ 2"
    assert ordinal(4) == "thứ tư"
    assert rank_change_phrase(1) == "tăng 01 bậc"
    assert rank_change_phrase(-2) == "giảm 02 bậc"
    assert rank_change_phrase(0) == "giữ nguyên vị trí"


@pytest.mark.parametrize(
    ("text", "value"),
    [("55,46", 55.46), ("55.46", 55.46), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
     ("1.234.567", 1234567.0), (" 8 ", 8.0), ("-0,5", -0.5), (3, 3.0)],
)
def test_parse_number_accepts_both_decimal_marks(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "1,2,3.4.5", "NaN", "inf", "5 điểm", True])
def test_parse_number_rejects_what_is_not_a_number(text):
    with pytest.raises(ParseNumberError):
        parse_number(text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_format_then_parse_round_trips(value):
    assert parse_number(format_number(float(value))) == pytest.approx(float(value))


def test_huge_numbers_round_and_format_without_error():
    assert round_half_up(1e30) == 1e30
    assert format_number(1e26).startswith("100.000.000.000.000.004")


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_rounding_never_fails_on_any_finite_float(value):
    assert isinstance(round_half_up(value), float)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\u2060", "\u200b", "\ufeff", "\u200b\u2060\ufeff \u00a0\t\n", "\u3164", "\u0301"],
)
def test_a_reason_of_invisible_characters_is_no_reason(text):
    from cchc.fmt import has_visible_text, visible_text

    assert not has_visible_text(text)
    assert visible_text(text) == ""


def test_visible_text_keeps_the_reason_and_trims_what_cannot_be_seen():
    from cchc.fmt import visible_text

    assert visible_text("\u200b  Thiếu minh chứng\u2060 ") == "Thiếu minh chứng"
    assert visible_text("a\u200bb") == "a\u200bb"
    assert visible_text(None) == ""


def _format_number_by_decimal(value: float, decimals: int, trim: bool) -> str:
    """``format_number`` as first written: every figure through the Decimal rounding."""
    from cchc.fmt import _group, round_half_up

    rounded = round_half_up(float(value), decimals)
    whole, _, frac = f"{abs(rounded):.{decimals}f}".partition(".")
    if trim:
        frac = frac.rstrip("0")
    return ("-" if rounded < 0 else "") + _group(whole) + (f",{frac}" if frac else "")


@given(
    st.one_of(
        st.floats(allow_nan=False, allow_infinity=False, min_value=-1e20, max_value=1e20),
        st.integers(-10**6, 10**6).map(lambda n: n / 100),
        st.integers(-10**5, 10**5).map(lambda n: n / 8),
        st.sampled_from([0.0, -0.0, 2.675, 1.005, -1.005, 0.125, 1e-7, 5e-3, -5e-3, 99.995]),
    ),
    st.integers(0, 3),
    st.booleans(),
)
def test_figures_already_short_enough_print_as_the_decimal_rounding_prints_them(value, decimals, trim):
    assert format_number(value, decimals, trim=trim) == _format_number_by_decimal(value, decimals, trim)
