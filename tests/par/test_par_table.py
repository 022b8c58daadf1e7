"""All units at once gives what one unit at a time gives, bit for bit.

``table.roll_up_units`` and ``results._plain`` compute a year for every unit at once with
arrays; ``tree.roll_up`` and ``results._plain_per_unit`` state the rule one unit at a time.
On random frameworks and score sheets (numbers, "does not apply", values left out, values
given at any level, agreeing with the sum below or not) the two must give the same floats,
ranks, bands and JSON bytes — also on the packaged seed and demo files.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.demo import data_path
from cchc.par import export
from cchc.par.framework import Framework, framework_from_dict, load_framework
from cchc.par.results import NodeResults, _plain_per_unit, compute_results
from cchc.par.scores import ScoresError, ScoreSheet, UnitScores, load_scores
from cchc.par.table import roll_up_units
from cchc.par.tree import roll_up
from cchc.par.values import NOT_APPLICABLE, ScoreValue

# Maxima as frameworks write them: whole points, halves, and thirds typed as 3,33.
MAXIMA = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.33, 0.25, 6.0, 0.01, 12.5, 0.32, 8.0])


@st.composite
def frameworks(draw: Any) -> Framework:
    counter = iter(range(10_000))

    def node(depth: int) -> dict[str, Any]:
        code = f"N{next(counter)}"
        if depth < 3 and draw(st.booleans()):
            children = [node(depth + 1) for _ in range(draw(st.integers(1, 4)))]
            return {
                "code": code, "name": code, "max": math.fsum(c["max"] for c in children),
                "children": children,
            }
        return {"code": code, "name": code, "max": draw(MAXIMA)}

    components = [node(0) for _ in range(draw(st.integers(1, 3)))]
    bands = [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": draw(st.sampled_from([50, 62.5, 70]))},
             {"label": "Yếu", "min": 0}]
    return framework_from_dict(
        {"code": "fw", "name": "fw", "year": 2026, "level": "commune",
         "components": components, "bands": bands},
        "test",
    )


@st.composite
def sheets(draw: Any, framework: Framework, complete: bool) -> ScoreSheet:
    """Units with a value, KAD or nothing at each leaf, sometimes a value above."""
    units = []
    for u in range(draw(st.integers(1, 12))):
        values: dict[str, ScoreValue] = {}
        for node in framework.nodes():
            if node.is_leaf:
                kind = draw(st.sampled_from(["cents", "cents", "float", "kad"] + ([] if complete else ["none"])))
            else:
                kind = draw(st.sampled_from(["none", "none", "none", "cents", "kad"]))
            if kind == "cents":
                values[node.code] = draw(st.integers(0, round(node.max * 100))) / 100
            elif kind == "float":
                # Any float (not only hundredths), down to 1e-9: below, the per-unit rule
                # is used (test_a_value_outside_the_exact_range_is_left_to_the_per_unit_rule).
                values[node.code] = draw(
                    st.floats(0, node.max, allow_nan=False).filter(lambda x: x == 0 or x > 1e-9)
                )
            elif kind == "kad":
                values[node.code] = NOT_APPLICABLE
        units.append(UnitScores(f"U{u:02d}", f"Đơn vị {u}", values))
    return ScoreSheet("fw", tuple(units), "test")


def same_float(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.hex() == b.hex()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_rolling_up_every_unit_at_once_matches_the_rule_per_unit(data):
    framework = data.draw(frameworks())
    sheet = data.draw(sheets(framework, complete=False))
    rolling = roll_up_units(framework, [u.values for u in sheet.rows])
    assert rolling is not None
    for i, unit in enumerate(sheet.rows):
        rolled, disagreements = roll_up(framework, unit.values)
        flagged = {rolling.codes[j] for j in np.flatnonzero(rolling.disagrees[i])}
        assert flagged == {d.code for d in disagreements}
        for code, expected in rolled.items():
            j = rolling.column[code]
            score = rolling.score[i, j]
            assert same_float(None if np.isnan(score) else float(score), expected.score), code
            assert same_float(float(rolling.max[i, j]), expected.max), code
            assert bool(rolling.missing[i, j]) == bool(expected.missing), code


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_results_of_every_unit_at_once_equal_the_per_unit_results_bit_for_bit(data):
    framework = data.draw(frameworks())
    sheet = data.draw(sheets(framework, complete=True))
    try:
        expected = _plain_per_unit(framework, sheet)
    except (ScoresError, ZeroDivisionError) as exc:
        with pytest.raises(type(exc)):
            compute_results(framework, sheet)
        return
    results = compute_results(framework, sheet)
    assert results.table is not None
    by_code = {u.unit_code: u for u in results.units}
    for want in expected:
        got = by_code[want.unit_code]
        assert isinstance(got.components, NodeResults)
        assert (got.score.hex(), got.max.hex(), got.index.hex(), got.rank, got.band) == (
            want.score.hex(), want.max.hex(), want.index.hex(), want.rank, want.band
        )
        assert list(got.components) == list(want.components)
        for code, node in want.components.items():
            mine = got.components[code]
            assert same_float(mine.score, node.score), code
            assert same_float(mine.max, node.max), code
            assert same_float(mine.index, node.index), code
            assert mine.rank == node.rank, code
    slow = export.results_json_text(_without_table(results))
    assert export.results_json_text(results) == slow


def _without_table(results: Any) -> Any:
    import dataclasses

    units = [dataclasses.replace(u, components=dict(u.components)) for u in results.units]
    return dataclasses.replace(results, units=units, table=None)


@pytest.mark.parametrize(
    ("framework", "scores", "previous", "previous_framework"),
    [
        ("framework_district_2022.yaml", "district_2022.csv", "district_2021.csv", "framework_district_2021.yaml"),
        ("framework_district_2022.yaml", "district_2022.csv", None, None),
        ("framework_commune_2022.yaml", "commune_2022.csv", None, None),
    ],
)
def test_the_seed_files_give_the_same_results_and_bytes_either_way(
    framework, scores, previous, previous_framework
):
    fw = load_framework(data_path(framework))
    prev_fw = load_framework(data_path(previous_framework)) if previous_framework else None
    sheet = load_scores(data_path(scores), fw)
    prev = load_scores(data_path(previous), prev_fw or fw) if previous else None
    results = compute_results(fw, sheet, prev, prev_fw)
    assert results.table is not None
    plain = _plain_per_unit(fw, sheet)
    assert sorted(plain, key=lambda u: u.unit_code) == sorted(
        (u for u in _without_table(compute_results(fw, sheet)).units), key=lambda u: u.unit_code
    )
    assert export.results_json_text(results) == export.results_json_text(_without_table(results))
    for unit in results.units:
        assert dict(unit.components) == {
            code: unit.components[code] for code in (n.code for n in fw.nodes())
        }


def test_a_value_that_is_not_a_float_is_left_to_the_per_unit_rule():
    fw = framework_from_dict(
        {"code": "fw", "name": "fw", "year": 2026, "level": "commune",
         "components": [{"code": "A", "name": "A", "max": 10}]},
        "test",
    )
    assert roll_up_units(fw, [{"A": 3}]) is None  # an int keeps its type in roll_up
    results = compute_results(fw, ScoreSheet("fw", (UnitScores("U", "U", {"A": 3}),), "t"))  # type: ignore[dict-item]
    assert results.table is None and results.units[0].score == 3


def test_a_value_outside_the_exact_range_is_left_to_the_per_unit_rule():
    fw = framework_from_dict(
        {"code": "fw", "name": "fw", "year": 2026, "level": "commune",
         "components": [{"code": "A", "name": "A", "max": 10, "children": [
             {"code": "A1", "name": "A1", "max": 5}, {"code": "A2", "name": "A2", "max": 5}]}]},
        "test",
    )
    tiny = {"A1": 5.0, "A2": 1e-300}  # 2**1000 apart: beyond the two-limb sum
    assert roll_up_units(fw, [tiny]) is None
    results = compute_results(fw, ScoreSheet("fw", (UnitScores("U", "U", tiny),), "t"))
    assert results.table is None and results.units[0].score == math.fsum([5.0, 1e-300])
