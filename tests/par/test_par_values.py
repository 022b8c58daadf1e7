"""One reader for a person's score: numbers, "does not apply", blanks; half-up rounding."""

from __future__ import annotations

import pytest

from cchc.par.framework import Node
from cchc.par.results import compute_results
from cchc.par.scores import ScoresError, ScoreSheet, UnitScores
from cchc.par.values import NOT_APPLICABLE, ScoreValueError, is_not_applicable_text, parse_score

NODE = Node("KQ", "Kết quả", 60.0)


@pytest.mark.parametrize(
    ("typed", "score"),
    [
        ("55,46", 55.46),
        ("55.46", 55.46),
        (" 55,46 ", 55.46),
        ("1,005", 1.01),  # half-up, as Excel and people do (half-to-even gave 1,00)
        ("2,675", 2.68),
        ("0,125", 0.13),
        ("60", 60.0),
        ("60,004", 60.0),  # rounds into the range
        (55, 55.0),
        (55.46, 55.46),
    ],
)
def test_numbers_are_read_and_rounded_half_up_to_2_decimals(typed, score):
    assert parse_score(typed, NODE) == score


def test_thousands_grouping_is_read():
    assert parse_score("1.234,5", Node("T", "Tổng", 2000.0)) == 1234.5
    assert parse_score("1,234.5", Node("T", "Tổng", 2000.0)) == 1234.5


@pytest.mark.parametrize(
    "typed",
    ["KAD", "kad", "Kad", "không áp dụng", "Không Áp Dụng", "KHONG AP DUNG", "khong  ap dung",
     "N/A", "n/a", "NA", "-", "–", "—", " - "],
)  # fmt: skip
def test_not_applicable_is_explicit_and_forgiving(typed):
    assert is_not_applicable_text(typed)
    assert parse_score(typed, NODE) is NOT_APPLICABLE


@pytest.mark.parametrize("typed", [None, "", "   ", "\t"])
def test_a_blank_is_not_scored_never_not_applicable(typed):
    assert parse_score(typed, NODE) is None


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("60,01", "điểm 60,01 nằm ngoài khoảng 0..60 của KQ"),
        ("60,005", "điểm 60,01 nằm ngoài khoảng 0..60 của KQ"),
        ("-1", "điểm -1 nằm ngoài khoảng 0..60 của KQ"),
        ("-0,001", "điểm -0,001 nằm ngoài khoảng 0..60 của KQ"),
        ("năm mươi", "'năm mươi' không phải là số"),
        ("5-", "'5-' không phải là số"),
        (True, "'True' không phải là số"),
        (float("nan"), "'nan' không phải là số"),
    ],
)
def test_refusals_say_why(typed, message):
    with pytest.raises(ScoreValueError) as info:
        parse_score(typed, NODE)
    assert str(info.value) == message


def test_a_unit_with_one_component_scored_is_not_ranked_on_it_alone(tree):
    # Before: B absent read as "not applicable", so X ranked on A alone (index 100 %),
    # above Y, fully scored.
    sheet = ScoreSheet(
        "tree",
        (
            UnitScores("X", "Xã X", {"A": 60.0}, row=2),
            UnitScores("Y", "Xã Y", {"A": 55.0, "B": 38.0}, row=3),
        ),
        "diem.csv",
    )
    with pytest.raises(ScoresError) as info:
        compute_results(tree, sheet)
    assert [str(e) for e in info.value.errors] == [
        "diem.csv, dòng 2, cột B: đơn vị 'X' chưa có điểm B (ghi KAD nếu không áp dụng)"
    ]


def test_kad_leaves_the_applicable_maximum(tree):
    sheet = ScoreSheet(
        "tree",
        (
            UnitScores("X", "Xã X", {"A": 60.0, "B": NOT_APPLICABLE}),
            UnitScores("Y", "Xã Y", {"A": 55.0, "B": 38.0}),
        ),
        "diem.csv",
    )
    results = compute_results(tree, sheet)
    x = results.unit("X")
    assert (x.score, x.max, x.index, x.rank) == (60.0, 60.0, 100.0, 1)
    assert x.components["B"].score is None and x.components["B"].max == 0


def test_a_criterion_missing_beside_scored_ones_is_named(tree):
    # A1 scored, A2 neither scored nor KAD: A is incomplete, A2 is named.
    sheet = ScoreSheet(
        "tree", (UnitScores("X", "Xã X", {"A1": 20.0, "B": 30.0}, row=2),), "diem.csv"
    )
    with pytest.raises(ScoresError) as info:
        compute_results(tree, sheet)
    assert [e.column for e in info.value.errors] == ["A2"]
    ok = ScoreSheet(
        "tree", (UnitScores("X", "Xã X", {"A1": 20.0, "A2": NOT_APPLICABLE, "B": 30.0}),), "d"
    )
    assert compute_results(tree, ok).unit("X").max == 60.0
