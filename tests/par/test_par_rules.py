"""Scoring rules that are formulas: written in the framework, validated, computed by the core."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cchc.par.framework import FrameworkError, framework_from_dict, load_framework
from cchc.par.results import compute_results
from cchc.par.rules import (
    FigureError,
    Figures,
    InputError,
    Rule,
    RuleBand,
    describe_rule,
    figure_fields,
    parse_figures,
    parse_input,
    parse_rule,
    read_figures,
    rule_points,
)
from cchc.par.scores import ScoresError, load_scores, scores_from_rows
from cchc.par.values import NOT_APPLICABLE

FORMULA_YAML = """\
code: cong-thuc
name: Bộ chỉ số có công thức
year: 2026
level: commune
components:
  - code: "1"
    name: Lĩnh vực 1
    max: 6
    children:
      - code: "1.1"
        name: Sáng kiến cải cách hành chính được công nhận
        max: 2
        rule: {kind: per_item, points: 0.5, item: sáng kiến}
      - code: "1.2"
        name: Tỷ lệ hồ sơ giải quyết đúng hạn
        max: 1
        rule:
          kind: bands
          item: hồ sơ giải quyết đúng hạn
          bands:
            - {from: 100, points: 1}
            - {from: 80, to: 100, points: 0.5}
            - {from: 0, to: 80, points: 0}
      - code: "1.3"
        name: Tỷ lệ thủ tục cung cấp dịch vụ công trực tuyến toàn trình
        max: 2
        rule: {kind: proportional, item: thủ tục trực tuyến toàn trình}
      - code: "1.4"
        name: Văn bản báo cáo chậm
        max: 1
        rule: {kind: deduct_per_item, points: 0.25, item: báo cáo chậm}
  - code: "2"
    name: Lĩnh vực 2 (chấm tay)
    max: 4
"""


@pytest.fixture
def formulas(write: Callable[[str, str], Path]):
    return load_framework(write("cong_thuc.yaml", FORMULA_YAML))


def _problems(write: Callable[[str, str], Path], text: str) -> list[str]:
    with pytest.raises(FrameworkError) as info:
        load_framework(write("fw.yaml", text))
    return info.value.problems


def _with_rule(rule: str, max_: str = "1") -> str:
    """A one-criterion framework whose criterion C (maximum ``max_``) has this rule."""
    return f"""\
code: r
name: r
year: 2026
level: commune
components:
  - code: A
    name: A
    max: {max_}
    children:
      - code: C
        name: C
        max: {max_}
        rule:
{rule}
"""


# --- reading the framework -------------------------------------------------------------


def test_each_kind_of_formula_is_read_and_said_as_the_framework_says_it(formulas):
    per_item = formulas.node("1.1").rule
    assert per_item == Rule(kind="per_item", input="count", points=0.5, item="sáng kiến")
    assert describe_rule(per_item, 2) == "0,5 điểm cho mỗi sáng kiến, tối đa 2 điểm"
    bands = formulas.node("1.2").rule
    assert bands is not None and bands.input == "rate"
    assert bands.bands == (
        RuleBand(0, 80, 0),
        RuleBand(80, 100, 0.5),
        RuleBand(100, None, 1),
    )
    assert describe_rule(bands, 1) == (
        "Tỷ lệ hồ sơ giải quyết đúng hạn: đạt 100%: 1 điểm; "
        "từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: 0 điểm"
    )
    assert describe_rule(formulas.node("1.3").rule, 2) == (
        "số điểm = tỷ lệ thủ tục trực tuyến toàn trình × 2 điểm"
    )
    assert describe_rule(formulas.node("1.4").rule, 1) == (
        "trừ 0,25 điểm cho mỗi báo cáo chậm, từ 1 điểm, thấp nhất 0"
    )
    assert formulas.node("2").rule is None


def test_overlapping_bands_are_refused_naming_both(write):
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 80, points: 0}
            - {from: 70, points: 1}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[1].from: 70 chồng lấn với "
        "components[0].children[0].rule.bands[0] (từ 0 đến dưới 80)"
    ]


def test_a_gap_between_bands_is_refused(write):
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 50, points: 0}
            - {from: 80, points: 1}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[1].from: bỏ trống khoảng từ 50 đến "
        "dưới 80: mọi số liệu phải thuộc đúng một mức"
    ]


def test_bands_must_start_at_zero_and_reach_the_end(write):
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 10, to: 100, points: 1}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[0].from: bỏ trống khoảng từ 0 đến "
        "dưới 10: mọi số liệu phải thuộc đúng một mức",
    ]
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 100, points: 1}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[0].to: các mức phải phủ đến 100: bỏ "
        "mục 'to' của mức cao nhất (hiện dừng trước 100)"
    ]


def test_the_best_band_must_give_the_criterion_its_maximum(write):
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 80, points: 0}
            - {from: 80, points: 0.75}
""",
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands: điểm cao nhất của các mức (0,75) "
        "khác điểm tối đa của tiêu chí (1)"
    ]


def test_band_and_item_points_cannot_exceed_the_maximum(write):
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 80, points: 0}
            - {from: 80, points: 1.5}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[1].points: 1,5 lớn hơn điểm tối đa "
        "của tiêu chí (1)"
    ]
    problems = _problems(write, _with_rule("          {kind: per_item, points: 2}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.points: 2 điểm cho mỗi đơn vị lớn hơn điểm "
        "tối đa của tiêu chí (1)"
    ]


def test_malformed_rules_name_their_key(write):
    problems = _problems(write, _with_rule("          {kind: weighted, points: 1}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.kind: phải là một trong per_item, "
        "deduct_per_item, bands, proportional, không phải 'weighted'"
    ]
    problems = _problems(write, _with_rule("          {kind: per_item, points: 0.5, cap: 2}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.cap: khóa không được hỗ trợ trong công thức "
        "per_item"
    ]
    problems = _problems(write, _with_rule("          {kind: per_item}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.points: thiếu khóa bắt buộc (số điểm cho "
        "mỗi đơn vị)"
    ]
    problems = _problems(write, _with_rule("          {kind: proportional, input: count}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.input: công thức proportional tính theo tỷ "
        "lệ (rate)"
    ]
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          bands:
            - {from: 0, to: 120, points: 1}
            - {from: 50, to: 40, points: 0}
"""
        ),
    )
    assert problems == [
        "fw.yaml: components[0].children[0].rule.bands[0].to: tỷ lệ phải trong 0..100, "
        "không phải 120",
        "fw.yaml: components[0].children[0].rule.bands[1].to: phải lớn hơn from (50), "
        "không phải 40",
    ]


def test_count_bands_take_whole_numbers_and_run_open_ended(write):
    fw = load_framework(
        write(
            "fw.yaml",
            _with_rule(
                """\
          kind: bands
          input: count
          bands:
            - {from: 0, to: 1, points: 0}
            - {from: 1, to: 3, points: 0.5}
            - {from: 3, points: 1}
"""
            ),
        )
    )
    rule = fw.node("C").rule
    assert [rule_points(rule, 1, n) for n in (0, 1, 2, 3, 40)] == [0, 0.5, 0.5, 1, 1]
    problems = _problems(
        write,
        _with_rule(
            """\
          kind: bands
          input: count
          bands:
            - {from: 0, to: 1.5, points: 0}
            - {from: 1.5, points: 1}
"""
        ),
    )
    assert "số lượng phải là số nguyên, không phải 1,5" in problems[0]


def test_a_formula_belongs_to_a_criterion_not_to_a_parent_or_a_survey(write):
    text = """\
code: r
name: r
year: 2026
level: commune
components:
  - code: A
    name: A
    max: 1
    rule: {kind: proportional}
    children:
      - {code: C, name: C, max: 1}
  - code: HL
    name: Hài lòng
    max: 1
    survey: true
    rule: {kind: proportional}
"""
    assert _problems(write, text) == [
        "fw.yaml: components[0].rule: công thức chỉ đặt ở tiêu chí không có mục con",
        "fw.yaml: components[1].rule: mục đo bằng điều tra xã hội học không tính theo công thức",
    ]


# --- computing points --------------------------------------------------------------------


def test_per_item_points_stop_at_the_maximum(formulas):
    rule = formulas.node("1.1").rule
    assert [rule_points(rule, 2, n) for n in (0, 1, 3, 4, 9)] == [0, 0.5, 1.5, 2, 2]


def test_deductions_stop_at_zero(formulas):
    rule = formulas.node("1.4").rule
    assert [rule_points(rule, 1, n) for n in (0, 1, 3, 4, 10)] == [1, 0.75, 0.25, 0, 0]


def test_bands_are_from_inclusive_to_exclusive(formulas):
    rule = formulas.node("1.2").rule
    figures = (100, 99.99, 80, 79.99, 0)
    assert [rule_points(rule, 1, f) for f in figures] == [1, 0.5, 0.5, 0, 0]


def test_proportional_points_are_rounded_half_up(formulas):
    rule = formulas.node("1.3").rule
    assert rule_points(rule, 2, 100) == 2
    assert rule_points(rule, 2, 50) == 1
    assert rule_points(rule, 2, 100 * 2 / 3) == 1.33
    assert rule_points(rule, 2, 43.25) == 0.87  # 0.865 → 0,87 (half up)


def test_raw_figures_are_read_as_people_write_them(formulas):
    rate = formulas.node("1.2").rule
    count = formulas.node("1.1").rule
    assert parse_input("87,5", rate) == 87.5
    assert parse_input("87,5 %", rate) == 87.5
    assert parse_input("45/50", rate) == 90
    assert parse_input(100, rate) == 100
    assert parse_input("  ", rate) is None
    assert parse_input("3", count) == 3
    # A count is whole: "1.234" groups thousands, as Vietnamese (and English, "1,234") write.
    assert parse_input("1.234", count) == 1234
    assert parse_input("1,234", count) == 1234
    assert parse_input("950/1.200", rate) == 950 * 100 / 1200  # multiplied first
    for bad, rule in (("101", rate), ("51/50", rate), ("5/0", rate), ("2,5", count), (-1, count)):
        with pytest.raises(InputError):
            parse_input(bad, rule)


# --- figures typed in a form ---------------------------------------------------------------


def test_a_form_asks_for_the_figures_in_the_rules_words(formulas):
    count = formulas.node("1.1").rule
    assert [(f.name, f.label) for f in figure_fields(count)] == [("count", "Số sáng kiến")]
    rate = formulas.node("1.2").rule
    assert [(f.name, f.label) for f in figure_fields(rate)] == [
        ("numerator", "Số hồ sơ giải quyết đúng hạn"),
        ("denominator", "Tổng số (mẫu số)"),
        ("rate", "hoặc: tỷ lệ hồ sơ giải quyết đúng hạn (%), khi chỉ có tỷ lệ"),
    ]
    named = parse_rule(
        {"kind": "proportional", "item": "thủ tục trực tuyến", "total": "thủ tục"}, 2, "r",
        _no_problem,
    )
    assert named is not None
    assert figure_fields(named)[1].label == "Tổng số thủ tục"
    assert [(f.name, f.label) for f in figure_fields(Rule("proportional", "rate"))][:2] == [
        ("numerator", "Tử số"),
        ("denominator", "Tổng số (mẫu số)"),
    ]


def _no_problem(key: str, message: str) -> None:
    raise AssertionError(f"{key}: {message}")


def test_a_total_names_a_rates_denominator_only(write):
    problems = _problems(write, _with_rule("          {kind: per_item, points: 0.5, total: x}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.total: khóa không được hỗ trợ trong công thức "
        "per_item"
    ]
    problems = _problems(write, _with_rule("          {kind: bands, input: count, total: hồ sơ, "
                                           "bands: [{from: 0, points: 1}]}\n"))
    assert problems == [
        "fw.yaml: components[0].children[0].rule.total: mẫu số (total) chỉ dùng cho công thức "
        "tính theo tỷ lệ (rate)"
    ]


def test_figures_typed_in_a_form_give_the_formulas_points(formulas):
    count, rate = formulas.node("1.1").rule, formulas.node("1.2").rule
    three = read_figures(count, {"count": " 3 "})
    assert three == Figures(count=3)
    assert rule_points(count, 2, three.figure) == 1.5
    assert read_figures(count, {"count": "1.234"}) == Figures(count=1234)
    on_time = read_figures(rate, {"numerator": "45", "denominator": "50", "rate": ""})
    assert on_time == Figures(numerator=45, denominator=50)
    assert (on_time.figure, rule_points(rate, 1, on_time.figure)) == (90, 0.5)
    # 4 of 5 is exactly 80 %: the band "từ 80%" holds it.
    assert rule_points(rate, 1, read_figures(rate, {"numerator": "4", "denominator": "5"}).figure) == 0.5
    assert read_figures(rate, {"rate": "87,5%"}) == Figures(rate=87.5)
    assert read_figures(rate, {"numerator": "", "denominator": " ", "rate": ""}) is None
    assert read_figures(count, {}) is None


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"numerator": "51", "denominator": "50"}, "numerator"),
        ({"numerator": "-1", "denominator": "50"}, "numerator"),
        ({"numerator": "1,5", "denominator": "50"}, "numerator"),
        ({"numerator": "0", "denominator": "0"}, "denominator"),
        ({"numerator": "3"}, "denominator"),
        ({"denominator": "3"}, "numerator"),
        ({"rate": "100,1"}, "rate"),
        ({"rate": "-5"}, "rate"),
        ({"rate": "abc"}, "rate"),
        ({"numerator": "3", "denominator": "4", "rate": "75"}, "rate"),
    ],
)
def test_a_figure_outside_the_rules_domain_names_its_field(formulas, typed, field):
    with pytest.raises(FigureError) as info:
        read_figures(formulas.node("1.2").rule, typed)
    assert info.value.field == field


@pytest.mark.parametrize("typed", ["-1", "2,5", "ba", "3/4"])
def test_a_count_is_a_whole_number_not_below_zero(formulas, typed):
    with pytest.raises(FigureError) as info:
        read_figures(formulas.node("1.1").rule, {"count": typed})
    assert info.value.field == "count"


def test_figures_are_kept_and_said_as_people_write_them():
    for figures, text in [
        (Figures(count=5), "5"),
        (Figures(numerator=45, denominator=50), "45/50 = 90%"),
        (Figures(numerator=2, denominator=3), "2/3 = 66,67%"),
        (Figures(rate=87.5), "87,5%"),
    ]:
        assert figures.text() == text
        assert Figures.from_dict(figures.as_dict()) == figures
    assert Figures.from_dict(None) is None and Figures.from_dict({}) is None


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_rate_typed_in_two_fields_is_the_rate_of_the_cell_a_slash_b(part, whole):
    rule = Rule("proportional", "rate")
    if part > whole:
        with pytest.raises(FigureError):
            read_figures(rule, {"numerator": str(part), "denominator": str(whole)})
        with pytest.raises(InputError):
            parse_figures(f"{part}/{whole}", rule)
        return
    typed = read_figures(rule, {"numerator": str(part), "denominator": str(whole)})
    assert typed == parse_figures(f"{part}/{whole}", rule)
    assert 0 <= typed.figure <= 100
    assert 0 <= rule_points(rule, 2, typed.figure) <= 2


# --- scores files ------------------------------------------------------------------------


def test_wide_files_give_figures_and_the_core_computes_the_points(write, formulas):
    path = write(
        "s.csv",
        """\
        unit_code,unit_name,1.1#input,1.2#input,1.3#input,1.4#input,2
        X,Xã X,3,45/50,"62,5",1,"3,5"
        Y,Phường Y,7,100,KAD,0,4
        """,
    )
    sheet = load_scores(path, formulas)
    assert sheet.unit("X").values == {"1.1": 1.5, "1.2": 0.5, "1.3": 1.25, "1.4": 0.75, "2": 3.5}
    assert sheet.unit("X").figures == {"1.1": 3, "1.2": 90, "1.3": 62.5, "1.4": 1}
    assert sheet.unit("Y").values["1.3"] is NOT_APPLICABLE
    results = compute_results(formulas, sheet)
    x = results.unit("X")
    assert (x.score, x.max) == (7.5, 10)
    assert x.components["1"].score == 4.0
    y = results.unit("Y")
    assert y.components["1"].max == 4  # the KAD criterion leaves the maximum
    assert (y.score, y.max) == (8, 8)


def test_points_written_beside_a_figure_must_be_the_formulas(write, formulas):
    path = write(
        "s.csv",
        """\
        unit_code,unit_name,1.1,1.1#input,1.2,1.2#input,1.3,1.4,2
        X,Xã X,2,4,1,"92,5",1,1,4
        Y,Xã Y,,4,,100,1,1,4
        """,
    )
    with pytest.raises(ScoresError) as info:
        load_scores(path, formulas)
    assert [str(e) for e in info.value.errors] == [
        "s.csv, dòng 2, cột 1.2: điểm 1.2 (1) khác điểm tính theo công thức (0,5) từ số liệu 92,5",
    ]
    ok = write(
        "ok.csv", "unit_code,unit_name,1.1,1.1#input,1.2#input,1.3,1.4,2\nY,Y,,4,100,1,1,4\n"
    )
    assert load_scores(ok, formulas).unit("Y").values["1.1"] == 2


def test_figure_columns_are_checked_like_every_cell(write, formulas):
    path = write(
        "s.csv",
        """\
        unit_code,unit_name,1.1#input,1.2#input,1.3,1.4,2#input,2
        X,Xã X,"2,5",,1,1,,4
        """,
    )
    with pytest.raises(ScoresError) as info:
        load_scores(path, formulas)
    assert [str(e) for e in info.value.errors] == [
        "s.csv, dòng 1, cột 2#input: tiêu chí 2 không có công thức tính điểm",
    ]
    path = write(
        "s2.csv",
        """\
        unit_code,unit_name,1.1#input,1.2#input,1.3,1.4,2
        X,Xã X,"2,5",,1,1,4
        """,
    )
    with pytest.raises(ScoresError) as info:
        load_scores(path, formulas)
    assert [str(e) for e in info.value.errors] == [
        "s2.csv, dòng 2, cột 1.1#input: số lượng phải là số nguyên không âm, không phải 2,5 "
        "(số liệu của 1.1)",
        "s2.csv, dòng 2, cột 1.2#input: ô trống: ghi số liệu (số lượng hoặc tỷ lệ), hoặc KAD "
        "nếu tiêu chí không áp dụng",
    ]


def test_long_form_input_gives_the_appraised_points(formulas):
    base = {"unit_code": "X", "unit_name": "Xã X", "self_score": "", "note": ""}
    rows = [
        {**base, "criterion": "1.1", "input": "5", "final_score": ""},
        {**base, "criterion": "1.2", "input": "80/100", "final_score": "0,5"},
        {**base, "criterion": "1.3", "input": "", "final_score": "2"},
        {**base, "criterion": "1.4", "input": "2", "final_score": ""},
        {**base, "criterion": "2", "input": "", "final_score": "4"},
    ]
    sheet = scores_from_rows(rows, formulas, "form")
    unit = sheet.unit("X")
    assert unit.values == {"1.1": 2, "1.2": 0.5, "1.3": 2, "1.4": 0.5, "2": 4}
    assert unit.details["1.1"].figure == 5
    assert unit.figures == {"1.1": 5, "1.2": 80, "1.4": 2}
    rows[1] = {**rows[1], "final_score": "1"}
    rows[4] = {**rows[4], "input": "3"}
    with pytest.raises(ScoresError) as info:
        scores_from_rows(rows, formulas, "form")
    assert [str(e) for e in info.value.errors] == [
        "form, dòng 3, cột final_score: điểm 1.2 (1) khác điểm tính theo công thức (0,5) "
        "từ số liệu 80",
        "form, dòng 6, cột input: tiêu chí 2 không có công thức tính điểm",
    ]


# --- properties ----------------------------------------------------------------------------


@st.composite
def band_sets(draw: st.DrawFn) -> tuple[list[dict[str, float]], float]:
    """Contiguous rate bands covering 0..100 (shuffled), and the criterion maximum."""
    cuts = sorted(draw(st.sets(st.integers(1, 100), max_size=5)))
    node_max = draw(st.sampled_from([0.5, 1, 1.5, 2, 3]))
    lows = [0, *cuts]
    points = draw(
        st.lists(
            st.sampled_from([0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3]).filter(lambda p: p <= node_max),
            min_size=len(lows),
            max_size=len(lows),
        )
    )
    points[draw(st.integers(0, len(lows) - 1))] = node_max  # the best band gives the maximum
    bands = []
    for i, low in enumerate(lows):
        band: dict[str, float] = {"from": low, "points": points[i]}
        if i + 1 < len(lows):
            band["to"] = lows[i + 1]
        bands.append(band)
    return draw(st.permutations(bands)), node_max


def _rule(raw: dict[str, object], node_max: float) -> tuple[Rule | None, list[str]]:
    problems: list[str] = []
    rule = parse_rule(raw, node_max, "rule", lambda key, msg: problems.append(f"{key}: {msg}"))
    return rule, problems


@settings(max_examples=200)
@given(band_sets(), st.decimals(min_value=0, max_value=100, places=4).map(float))
def test_contiguous_bands_are_accepted_and_every_rate_falls_in_exactly_one(case, figure):
    bands, node_max = case
    rule, problems = _rule({"kind": "bands", "bands": bands}, node_max)
    assert problems == [] and rule is not None
    # [from, to): only the top band (without 'to') holds 100 itself.
    holding = [b for b in bands if b["from"] <= figure and ("to" not in b or figure < b["to"])]
    assert len(holding) == 1
    assert rule_points(rule, node_max, figure) == holding[0]["points"]
    assert 0 <= rule_points(rule, node_max, figure) <= node_max


def test_a_rate_a_float_error_below_a_bound_reaches_it():
    # 0,29 × 100 is 28.999999999999996 in binary floating point: a computed rate within a
    # millionth of a point of a bound counts as reaching it (the rule's tolerance).
    rule, problems = _rule({"kind": "bands", "bands": [{"from": 0, "to": 29, "points": 0},
                                                       {"from": 29, "points": 1}]}, 1)
    assert problems == [] and rule is not None
    assert rule_points(rule, 1, 0.29 * 100) == 1
    assert rule_points(rule, 1, 28.99) == 0


@settings(max_examples=200)
@given(band_sets(), st.data())
def test_moving_one_boundary_opens_a_gap_or_an_overlap_and_is_refused(case, data):
    bands, node_max = case
    bounded = [b for b in bands if "to" in b]
    if not bounded:
        return
    band = data.draw(st.sampled_from(bounded))
    shift = data.draw(st.sampled_from([-0.5, 0.5]))
    if band["to"] + shift > 100:  # a rate bound above 100 is refused for that reason
        shift = -0.5  # cuts are whole numbers: to − 0,5 stays above from
    moved = [dict(b, to=b["to"] + shift) if b is band else b for b in bands]
    rule, problems = _rule({"kind": "bands", "bands": moved}, node_max)
    assert rule is None
    assert any("chồng lấn" in p or "bỏ trống" in p for p in problems)


@given(
    st.sampled_from([0.25, 0.5, 1]),
    st.sampled_from([1, 2, 3]),
    st.integers(0, 50),
    st.integers(0, 50),
)
def test_counting_more_items_never_lowers_award_nor_raises_deduction(per, node_max, a, b):
    low, high = sorted((a, b))
    award = Rule(kind="per_item", input="count", points=min(per, node_max))
    deduct = Rule(kind="deduct_per_item", input="count", points=min(per, node_max))
    assert 0 <= rule_points(award, node_max, low) <= rule_points(award, node_max, high) <= node_max
    assert node_max >= rule_points(deduct, node_max, low) >= rule_points(deduct, node_max, high)
    assert rule_points(deduct, node_max, high) >= 0


@given(st.floats(min_value=0, max_value=100, allow_nan=False), st.sampled_from([0.5, 1, 2, 5]))
def test_proportional_points_stay_within_the_maximum(rate, node_max):
    rule = Rule(kind="proportional", input="rate")
    points = rule_points(rule, node_max, rate)
    assert 0 <= points <= node_max
    assert abs(points - rate / 100 * node_max) <= 0.005 + 1e-9


def test_a_framework_built_from_a_web_form_dict_carries_its_rules():
    fw = framework_from_dict(
        {
            "code": "f",
            "name": "f",
            "year": 2026,
            "level": "commune",
            "components": [
                {"code": "A", "name": "A", "max": 2, "rule": {"kind": "per_item", "points": 1}}
            ],
        },
        "form",
    )
    assert fw.node("A").rule == Rule(kind="per_item", input="count", points=1)


# --- the command line --------------------------------------------------------------------


def test_cli_shows_a_framework_with_its_formulas_in_words(write):
    from typer.testing import CliRunner

    from cchc.cli import app

    path = write("cong_thuc.yaml", FORMULA_YAML)
    result = CliRunner().invoke(app, ["par", "framework", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Bộ chỉ số có công thức (cong-thuc), năm 2026, cấp xã: tối đa 10 điểm"
    assert "  1.1  Sáng kiến cải cách hành chính được công nhận: 2 điểm" in lines
    assert "    → 0,5 điểm cho mỗi sáng kiến, tối đa 2 điểm" in lines
    assert lines[-1] == "5 mục chấm điểm, 4 mục tính theo công thức; 0 mức xếp loại"


def test_cli_refuses_a_framework_with_every_problem_named(write):
    from typer.testing import CliRunner

    from cchc.cli import app

    path = write("fw.yaml", FORMULA_YAML.replace("{from: 80, to: 100", "{from: 85, to: 100"))
    result = CliRunner().invoke(app, ["par", "framework", str(path)])
    assert result.exit_code == 2
    assert (
        "fw.yaml: components[0].children[1].rule.bands[1].from: bỏ trống khoảng từ 80 đến "
        "dưới 85: mọi số liệu phải thuộc đúng một mức"
    ) in result.stderr
