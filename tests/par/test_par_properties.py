"""Properties of the arithmetic: competition ranking, bands, and "not applicable"."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cchc.fmt import round_half_up
from cchc.par.framework import framework_from_dict
from cchc.par.ranking import competition_rank
from cchc.par.results import compute_results
from cchc.par.rounding import round2
from cchc.par.scores import scores_from_rows

scores = st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda x: round(x, 3))
score_maps = st.dictionaries(
    st.text("ABCDEFGHXYZ", min_size=1, max_size=4), scores, min_size=1, max_size=30
)


@given(score_maps)
def test_rank_is_one_plus_the_number_strictly_better_at_2_decimals(values):
    ranks = competition_rank(values)
    shown = {k: round_half_up(v, 2) for k, v in values.items()}
    for key, rank in ranks.items():
        assert rank == 1 + sum(1 for other in shown.values() if other > shown[key])


@given(score_maps)
def test_competition_ranking_skips_after_ties(values):
    # 1-2-2-4: a rank r held by k units is followed by rank r + k.
    ranks = sorted(competition_rank(values).values())
    assert ranks[0] == 1
    for i, rank in enumerate(ranks):
        assert rank == 1 + ranks.index(rank)  # the first position holding this rank
        assert rank <= i + 1


@given(score_maps, st.randoms(use_true_random=False))
def test_ranking_does_not_depend_on_input_order(values, rnd):
    items = list(values.items())
    rnd.shuffle(items)
    assert competition_rank(dict(items)) == competition_rank(values)


@given(st.floats(min_value=0, max_value=99.98, allow_nan=False))
def test_values_equal_at_2_decimals_tie_and_a_hundredth_apart_do_not(x):
    base = round_half_up(x, 2)
    assume(base + 0.01 <= 100)
    assert competition_rank({"a": base, "b": base + 0.004})["b"] == 1
    ranks = competition_rank({"a": base, "b": base + 0.004, "c": base + 0.01})
    assert ranks == {"c": 1, "a": 2, "b": 2}


_BANDS = [{"label": "Xuất sắc", "min": 90}, {"label": "Tốt", "min": 80}, {"label": "Khá", "min": 0}]


def _framework(with_children: bool = True):
    a = {"code": "A", "name": "Thành phần A", "max": 60}
    if with_children:
        a["children"] = [
            {"code": "A1", "name": "A1", "max": 20},
            {"code": "A2", "name": "A2", "max": 40},
        ]
    return framework_from_dict(
        {
            "code": "p", "name": "Chỉ số", "year": 2023, "level": "commune", "bands": _BANDS,
            "components": [a, {"code": "B", "name": "Thành phần B", "max": 40}],
        },
        "p.yaml",
    )  # fmt: skip


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_band_is_the_highest_whose_minimum_the_shown_index_reaches(index):
    framework = _framework()
    label = framework.band_for(index)
    shown = round_half_up(index, 2)
    expected = next(b["label"] for b in _BANDS if shown >= b["min"])
    assert label == expected


def _explicit(data):
    """The rows as a sheet writes them: None (does not apply) is KAD."""
    return [{k: "KAD" if v is None else v for k, v in row.items()} for row in data]


unit_rows = st.lists(
    st.tuples(
        st.one_of(st.none(), st.floats(0, 20).map(lambda x: round(x, 2))),
        st.one_of(st.none(), st.floats(0, 40).map(lambda x: round(x, 2))),
        st.floats(0, 40).map(lambda x: round(x, 2)),
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60)
@given(unit_rows)
def test_not_applicable_criteria_leave_the_maximum(rows):
    framework = _framework()
    data = [
        {"unit_code": f"U{i:02d}", "unit_name": f"Đơn vị {i}", "A1": a1, "A2": a2, "B": b}
        for i, (a1, a2, b) in enumerate(rows)
    ]
    results = compute_results(framework, scores_from_rows(_explicit(data), framework, "p"))
    for row in data:
        unit = results.unit(str(row["unit_code"]))
        applicable = [(row[c], m) for c, m in (("A1", 20), ("A2", 40), ("B", 40)) if row[c] is not None]
        expected_max = sum(m for _, m in applicable)
        expected_score = sum(v for v, _ in applicable)
        assert abs(unit.max - expected_max) < 1e-9
        assert abs(unit.score - expected_score) < 1e-9
        assert abs(unit.index - expected_score / expected_max * 100) < 1e-9
        a = unit.components["A"]
        if row["A1"] is None and row["A2"] is None:
            assert a.score is None and a.max == 0 and a.index is None and a.rank is None
        else:
            assert a.max == (20 if row["A1"] is not None else 0) + (40 if row["A2"] is not None else 0)
    # Ranks are ranks of the index when maxima differ, of the score when they do not.
    ranks = {u.unit_code: u.rank for u in results.units}
    maxima = {round(u.max, 6) for u in results.units}
    key = {u.unit_code: (u.score if len(maxima) == 1 else u.index) for u in results.units}
    assert ranks == competition_rank(key)
    assert [u.rank for u in results.units] == sorted(u.rank for u in results.units)


@settings(max_examples=40)
@given(unit_rows)
def test_summary_counts_every_unit_once_and_averages_the_index(rows):
    framework = _framework()
    data = [
        {"unit_code": f"U{i:02d}", "unit_name": f"Đơn vị {i}", "A1": a1, "A2": a2, "B": b}
        for i, (a1, a2, b) in enumerate(rows)
    ]
    results = compute_results(framework, scores_from_rows(_explicit(data), framework, "p"))
    assert results.summary.units == len(rows)
    assert sum(results.summary.band_counts.values()) == len(rows)
    mean = sum(u.index for u in results.units) / len(rows)
    assert abs(results.summary.average_index - mean) < 1e-9


@given(
    st.one_of(
        st.floats(min_value=-1e9, max_value=1e9, allow_nan=False),
        st.integers(-10**7, 10**7).map(lambda k: k / 1000),  # decimal ties such as 2.675
        st.integers(-10**6, 10**6).map(lambda k: k / 200),
    )
)
def test_fast_rounding_equals_half_up_rounding(value):
    assert round2(value) == round_half_up(value, 2)
