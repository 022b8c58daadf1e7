"""Stored results (``cchc.par.stored``): what ``unpack`` gives back is what was computed,
float for float, and last year's comparison made on stored results is ``compute_results``'."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.demo import data_path
from cchc.par import export, stored
from cchc.par.framework import framework_from_dict, load_framework
from cchc.par.results import Results, compare_results, compute_results, plain_results
from cchc.par.scores import ScoreSheet, UnitScores, load_scores, scores_from_rows
from cchc.par.values import NOT_APPLICABLE


def _hex(value: float | None) -> str | None:
    return None if value is None else float(value).hex()


def assert_same(got: Results, want: Results) -> None:
    """Equal as dataclasses, in the same order, every float bit for bit, same JSON."""
    assert got == want
    assert [u.unit_code for u in got.units] == [u.unit_code for u in want.units]
    for mine, theirs in zip(got.units, want.units, strict=True):
        assert (_hex(mine.score), _hex(mine.max), _hex(mine.index), mine.rank, mine.band) == (
            _hex(theirs.score), _hex(theirs.max), _hex(theirs.index), theirs.rank, theirs.band
        )
        assert set(mine.components) == set(theirs.components)
        for code, node in theirs.components.items():
            other = mine.components[code]
            assert (_hex(other.score), _hex(other.max), _hex(other.index), other.rank) == (
                _hex(node.score), _hex(node.max), _hex(node.index), node.rank
            ), code
            assert other.lost == node.lost
    assert export.results_json_text(got) == export.results_json_text(want)
    for node in got.framework.nodes():
        assert got.ranked(node.code) == want.ranked(node.code)


def roundtrip(results: Results) -> Results:
    return stored.unpack(results.framework, stored.pack(results))


@pytest.mark.parametrize(
    ("framework", "scores"),
    [
        ("framework_district_2022.yaml", "district_2022.csv"),
        ("framework_district_2021.yaml", "district_2021.csv"),
        ("framework_commune_2022.yaml", "commune_2022.csv"),
    ],
)
def test_the_seed_results_come_back_from_storage_unchanged(framework, scores):
    fw = load_framework(data_path(framework))
    computed = compute_results(fw, load_scores(data_path(scores), fw))
    assert_same(roundtrip(computed), computed)


def test_last_year_compared_on_stored_results_is_compute_results():
    fw = load_framework(data_path("framework_district_2022.yaml"))
    fw_2021 = load_framework(data_path("framework_district_2021.yaml"))
    sheet = load_scores(data_path("district_2022.csv"), fw)
    before = load_scores(data_path("district_2021.csv"), fw_2021)
    want = compute_results(fw, sheet, before, fw_2021)
    got = compare_results(
        roundtrip(plain_results(fw, sheet)),
        roundtrip(plain_results(fw_2021, before)),
        previous_year=fw_2021.year,
    )
    assert got.previous_year == 2021 and got.previous_units == want.previous_units
    assert_same(got, want)
    hoai_nhon = got.units[0]
    assert hoai_nhon.previous is not None and hoai_nhon.rank_change == want.units[0].rank_change


TRICKY = {
    "code": "kho",
    "name": "Bộ chỉ số thử nghiệm",
    "year": 2026,
    "level": "commune",
    "bands": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 50}, {"label": "Yếu", "min": 0}],
    "components": [
        {"code": "A", "name": "A", "max": 60, "children": [
            {"code": "A1", "name": "A1", "max": 20},
            {"code": "A2", "name": "A2", "max": 40},
        ]},
        {"code": "B", "name": "B", "max": 40, "children": [
            {"code": "B1", "name": "B1", "max": 30},
            {"code": "B2", "name": "B2", "max": 10},
        ]},
    ],
}


def test_ties_criteria_that_do_not_apply_and_a_component_given_whole():
    fw = framework_from_dict(TRICKY, "kho.yaml")
    rows = [
        # T1 and T2 tie in total and on every node; T3 ties them in total with B given whole.
        {"unit_code": "T2", "unit_name": "Xã Hai", "A1": 10, "A2": 30, "B1": 20, "B2": 5},
        {"unit_code": "T1", "unit_name": "Xã Một", "A1": 10, "A2": 30, "B1": 20, "B2": 5},
        {"unit_code": "T3", "unit_name": "Xã Ba", "A1": 10, "A2": 30, "B": 25},
        # B does not apply at all: ranked on A alone (index), B has no rank and no index.
        {"unit_code": "K", "unit_name": "Xã Không áp dụng", "A1": 15, "A2": 30, "B": "KAD"},
        # One criterion does not apply: its maximum leaves the unit's.
        {"unit_code": "H", "unit_name": "Xã Nửa", "A1": "KAD", "A2": 35, "B1": 30, "B2": 10},
        {"unit_code": "Z", "unit_name": "Xã Không điểm", "A1": 0, "A2": 0, "B1": 0, "B2": 0},
    ]
    computed = compute_results(fw, scores_from_rows(rows, fw, "kho.csv"))
    got = roundtrip(computed)
    assert_same(got, computed)
    ranks = {u.unit_code: u.rank for u in got.units}
    assert ranks["T1"] == ranks["T2"] == ranks["T3"] and got.tied(ranks["T1"]) == 3
    k = got.unit("K")
    assert k.components["B"].score is None and k.components["B"].rank is None
    assert k.components["B"].index is None and k.max == 60
    assert got.unit("H").components["A1"].score is None and got.unit("H").max == 80
    assert got.ranked("B") == 5


def test_results_of_the_per_unit_rule_are_stored_as_a_table_and_read_back_the_same():
    fw = framework_from_dict(TRICKY, "kho.yaml")
    tiny = {"A1": 5.0, "A2": 1e-300, "B1": 30.0, "B2": NOT_APPLICABLE}  # beyond the array rule
    sheet = ScoreSheet(
        "kho",
        (UnitScores("U1", "Xã Một", tiny), UnitScores("U2", "Xã Hai", {**tiny, "A2": 2.5})),
        "t",
    )
    computed = compute_results(fw, sheet)
    assert computed.table is None
    got = roundtrip(computed)
    assert got.table is not None
    assert_same(got, computed)
    assert got.unit("U1").score == math.fsum([5.0, 1e-300, 30.0])


def test_illustrative_results_stay_illustrative_and_only_one_year_is_stored():
    fw = load_framework(data_path("framework_district_2022.yaml"))
    sheet = load_scores(data_path("district_2022.csv"), fw)
    assert sheet.illustrative  # the seed says so
    assert roundtrip(plain_results(fw, sheet)).illustrative
    fw_2021 = load_framework(data_path("framework_district_2021.yaml"))
    compared = compute_results(fw, sheet, load_scores(data_path("district_2021.csv"), fw_2021), fw_2021)
    with pytest.raises(ValueError):
        stored.pack(compared)
    with pytest.raises(ValueError):
        compare_results(compared, plain_results(fw, sheet))


def test_bytes_of_another_framework_or_not_results_are_refused():
    fw = load_framework(data_path("framework_district_2022.yaml"))
    data = stored.pack(plain_results(fw, load_scores(data_path("district_2022.csv"), fw)))
    with pytest.raises(stored.StoredResultsError, match="không phải"):
        stored.unpack(framework_from_dict(TRICKY, "kho.yaml"), data)
    with pytest.raises(stored.StoredResultsError):
        stored.unpack(fw, b"not an archive")


@st.composite
def sheets(draw: Any) -> tuple[Any, ScoreSheet]:
    """The tricky framework with values, KAD or nothing at each criterion and sometimes a
    component given whole; scores from a few values so that ties are frequent."""
    fw = framework_from_dict(TRICKY, "kho.yaml")
    units = []
    for u in range(draw(st.integers(1, 10))):
        values: dict[str, Any] = {}
        for node in fw.nodes():
            kinds = ["value", "value", "kad"] if node.is_leaf else ["none", "none", "none", "value"]
            kind = draw(st.sampled_from(kinds))
            if kind == "value":
                values[node.code] = draw(st.sampled_from([0.0, 0.5, 1.0, 2.25, 3.33])) * node.max / 10
            elif kind == "kad":
                values[node.code] = NOT_APPLICABLE
        if all(v is NOT_APPLICABLE for v in values.values()):
            values["A1"] = 1.0
        units.append(UnitScores(f"U{u:02d}", f"Xã {u}", values))
    return fw, ScoreSheet("kho", tuple(units), "t")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets(), sheets())
def test_any_results_come_back_the_same_and_compare_the_same(now, before):
    (fw, sheet), (_, previous) = now, before
    try:
        computed = compute_results(fw, sheet)
    except (ValueError, ZeroDivisionError):
        return  # refused by the engine: nothing to store
    assert_same(roundtrip(computed), computed)
    try:
        want = compute_results(fw, sheet, previous, lineage=lambda code: [code, "U00"])
        last = plain_results(fw, previous)
    except (ValueError, ZeroDivisionError):
        return
    got = compare_results(
        roundtrip(computed), roundtrip(last), previous_year=fw.year - 1,
        lineage=lambda code: [code, "U00"],
    )
    assert_same(got, want)
