"""How sure a rank is: intervals, probabilities, pairs and weight sensitivity (docs/par.md)."""

from __future__ import annotations

import math
import random
from statistics import NormalDist

import numpy as np
import pytest

from cchc.demo import data_path
from cchc.par.framework import framework_from_dict
from cchc.par.insight_export import robustness_to_json
from cchc.par.ranking import competition_rank
from cchc.par.results import compute_results
from cchc.par.robustness import (
    competition_ranks,
    robustness,
    robustness_paragraph,
    round2_array,
)
from cchc.par.rounding import round2
from cchc.par.scores import scores_from_rows
from cchc.par.uncertainty import (
    UncertaintyError,
    load_uncertainty,
    uncertainty_from_rows,
    uncertainty_rows,
)

FLAT = {
    "code": "flat",
    "name": "Chỉ số thử nghiệm",
    "year": 2023,
    "level": "district",
    "bands": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 0}],
    "components": [
        {"code": "KQ", "name": "Kết quả", "max": 60},
        {"code": "HL", "name": "Hài lòng", "max": 40},
    ],
}


def _results(rows: list[tuple[str, float, float]]):
    fw = framework_from_dict(FLAT, "flat.yaml")
    sheet = scores_from_rows(
        [{"unit_code": c, "unit_name": f"Đơn vị {c}", "KQ": kq, "HL": hl} for c, kq, hl in rows],
        fw,
        "diem.csv",
    )
    return compute_results(fw, sheet), sheet


def _se(results, se: float, component: str = "HL"):
    rows = [{"unit_code": u.unit_code, "component": component, "se": se} for u in results.units]
    return uncertainty_from_rows(rows, results, "sai-so.csv")


# --- the vectorised rules equal the published ones ------------------------------------------


def test_round2_array_equals_round2_on_ties_and_random_values():
    tricky = [1.005, 2.675, 0.125, 0.135, 88.405, 79.995, -0.005, 1e-12, 12.344999999, 55.465]
    rnd = random.Random(3)
    values = tricky + [round(rnd.uniform(0, 100), rnd.choice([3, 4, 9])) for _ in range(2000)]
    got = round2_array(np.array(values))
    assert [float(g) for g in got] == [round2(v) for v in values]


def test_vectorised_competition_ranks_equal_the_engine_row_by_row():
    rnd = random.Random(5)
    rows = []
    for _ in range(300):
        # few distinct values and half-way decimals, so ties at 2 decimals are frequent
        rows.append([rnd.choice([80.004, 80.001, 80.005, 79.995, 81.0, 77.125]) for _ in range(7)])
    ranks = competition_ranks(np.array(rows))
    for row, got in zip(rows, ranks, strict=True):
        expected = competition_rank({str(i): v for i, v in enumerate(row)})
        assert [int(r) for r in got] == [expected[str(i)] for i in range(len(row))]


# --- zero uncertainty collapses to the published result -------------------------------------


def test_zero_uncertainty_collapses_every_interval_to_the_published_rank():
    results, _ = _results(
        [("A", 50, 30.004), ("B", 50, 30.001), ("C", 49, 30), ("D", 40, 20)]
    )  # A and B tie at 2 decimals: published ranks 1, 1, 3, 4
    report = robustness(results, _se(results, 0.0), draws=500, seed=1)
    assert [(u.unit_code, u.rank) for u in report.units] == [("A", 1), ("B", 1), ("C", 3), ("D", 4)]
    for u in report.units:
        assert u.rank_low == u.rank_high == u.rank
        assert u.score_low == u.score_high == u.score
        assert u.band_probabilities[u.band] == 1.0
        assert u.p_first == (1.0 if u.rank == 1 else 0.0)
    assert report.unsettled == []  # a certain tie is settled


def test_no_uncertainty_file_rows_means_the_published_result_exactly(district_results):
    report = robustness(district_results, [], draws=50)
    for u, published in zip(report.units, district_results.units, strict=True):
        assert (u.rank_low, u.rank_high, u.score_low, u.score_high) == (
            published.rank, published.rank, published.score, published.score
        )
    assert "thứ hạng công bố (1) là chắc chắn" in robustness_paragraph(report, "HNH")


# --- reproducible ---------------------------------------------------------------------------


def test_same_seed_same_output_and_another_seed_differs(district_results):
    items = load_uncertainty(data_path("district_2022_uncertainty.csv"), district_results)
    first = robustness_to_json(robustness(district_results, items, draws=2000, seed=7))
    again = robustness_to_json(robustness(district_results, items, draws=2000, seed=7))
    other = robustness_to_json(robustness(district_results, items, draws=2000, seed=8))
    assert first == again
    assert first != other


# --- exact where it can be ------------------------------------------------------------------


def test_a_normal_total_is_exact_and_agrees_with_the_draws():
    results, _ = _results([("A", 50, 30), ("B", 45, 20)])
    items = uncertainty_from_rows(
        [{"unit_code": "A", "component": "HL", "se": 1.5}], results, "sai-so.csv"
    )
    report = robustness(results, items, draws=40_000, seed=2)
    a = report.unit("A")
    z = NormalDist().inv_cdf(0.95)
    assert a.exact
    assert a.score_low == pytest.approx(80 - z * 1.5)
    assert a.score_high == pytest.approx(80 + z * 1.5)
    # the index as shown reaches 80 when the total reaches 79,995
    assert a.band_probabilities["Tốt"] == pytest.approx(1 - NormalDist(80, 1.5).cdf(79.995))
    assert a.band_probabilities["Khá"] == pytest.approx(NormalDist(80, 1.5).cdf(79.995))
    # B does not vary at all
    b = report.unit("B")
    assert not b.exact and b.score_low == b.score_high == 65


def test_a_component_near_its_maximum_is_not_normal_any_more():
    results, _ = _results([("A", 50, 39.5), ("B", 45, 20)])
    items = uncertainty_from_rows(
        [{"unit_code": "A", "component": "HL", "se": 1.0}], results, "sai-so.csv"
    )
    a = robustness(results, items, draws=5000, seed=2).unit("A")
    assert not a.exact
    assert a.score_high <= 90.0  # clipped at the component's maximum of 40


def test_counts_are_centred_on_the_published_score_and_shrink_with_more_respondents():
    results, _ = _results([("A", 50, 34.8), ("B", 45, 20)])

    def interval(n: int) -> tuple[float, float]:
        items = uncertainty_from_rows(
            [{"unit_code": "A", "component": "HL", "factor": "f1", "respondents": n,
              "satisfied": round(0.87 * n)}],
            results,
            "sai-so.csv",
        )
        a = robustness(results, items, draws=20_000, seed=4).unit("A")
        return a.score_low, a.score_high

    low, high = interval(400)
    assert low < 84.8 < high
    assert (low + high) / 2 == pytest.approx(84.8, abs=0.05)
    # ±1,645 × 40 × √(0,87 × 0,13 / 400) ≈ ±1,11 points
    assert high - low == pytest.approx(2 * 1.645 * 40 * math.sqrt(0.87 * 0.13 / 400), rel=0.05)
    low2, high2 = interval(40_000)
    assert high2 - low2 < (high - low) / 5


# --- ranks, first place, unsettled pairs ----------------------------------------------------


def test_close_units_are_unsettled_and_distant_ones_are_not():
    results, _ = _results([("A", 50, 30.2), ("B", 50, 30.0), ("C", 40, 20)])
    report = robustness(results, _se(results, 1.0), draws=10_000, seed=3)
    pairs = {(p.higher, p.lower) for p in report.unsettled}
    assert pairs == {("A", "B")}
    a, b, c = (report.unit(x) for x in "ABC")
    assert (a.rank_low, a.rank_high) == (1, 2) and (b.rank_low, b.rank_high) == (1, 2)
    assert (c.rank_low, c.rank_high) == (3, 3)
    assert 0.5 < a.p_first < 0.7 and a.p_first + b.p_first == pytest.approx(1.0, abs=0.01)
    text = robustness_paragraph(report, "A")
    assert "không khác biệt có ý nghĩa thống kê" in text and "Đơn vị B" in text
    assert "thứ hạng từ 1 đến 2 cấp huyện (độ tin cậy 90%)" in text


def test_the_seed_demo_states_which_neighbours_are_not_different(district_results):
    items = load_uncertainty(data_path("district_2022_uncertainty.csv"), district_results)
    report = robustness(district_results, items, draws=5000, seed=0)
    assert report.unit("HNH").rank_low == 1
    assert ("ANH", "PCA") in {(p.higher, p.lower) for p in report.unsettled}
    # every unit that varies keeps its published rank inside its interval
    for u in report.units:
        assert u.rank_low <= u.rank <= u.rank_high
        assert u.score_low <= u.score <= u.score_high


# --- weights --------------------------------------------------------------------------------


def test_weight_sensitivity_names_the_ranks_that_change():
    results, sheet = _results([("A", 50, 30), ("B", 55, 24.9)])  # 80 against 79,9
    report = robustness(results, [], sheet=sheet, draws=10, weight_step=0.1)
    shifts = {(w.component, round(w.step, 2)): w for w in report.weights}
    # KQ 54: A 45 + 30 = 75 of 94 = 79,79 % — same rank, but below the 80 % of "Tốt"
    assert [(c.unit_code, c.rank_before, c.rank_after, c.band_before, c.band_after)
            for c in shifts[("KQ", -0.1)].changes] == [("A", 1, 1, "Tốt", "Khá")]
    moved = shifts[("KQ", 0.1)]  # KQ 66: A 55 + 30 = 85, B 60,5 + 24,9 = 85,4
    assert moved.max_after == pytest.approx(66)
    assert {(c.unit_code, c.rank_before, c.rank_after) for c in moved.changes} == {
        ("A", 1, 2), ("B", 2, 1)
    }
    # HL 44: A 83 of 104 = 79,81 %, B 82,39 of 104: the order stays, A leaves "Tốt"
    assert [(c.unit_code, c.rank_after, c.band_after) for c in shifts[("HL", 0.1)].changes] == [
        ("A", 1, "Khá")
    ]


# --- the uncertainty file -------------------------------------------------------------------


def test_uncertainty_file_errors_name_row_and_column(district_results, write):
    path = write(
        "sai-so.csv",
        """\
        unit_code,component,factor,respondents,satisfied,se
        XXX,HL,f1,10,5,
        HNH,ZZ,f1,10,5,
        HNH,HL,f1,10,11,
        HNH,HL,f1,10,5,
        HNH,HL,,,,0.5
        QNH,HL,f1,mười,5,
        ANH,DT,,,,-1
        PCA,HL,f1,0,0,
        """,
    )
    with pytest.raises(UncertaintyError) as info:
        load_uncertainty(path, district_results)
    messages = [str(e) for e in info.value.errors]
    assert messages == [
        "sai-so.csv, dòng 2, cột unit_code: đơn vị 'XXX' không có trong tệp điểm",
        "sai-so.csv, dòng 3, cột component: mã 'ZZ' không có trong bộ chỉ số binh-dinh-huyen",
        "sai-so.csv, dòng 4, cột satisfied: số hài lòng 11 lớn hơn số người trả lời 10",
        "sai-so.csv, dòng 5, cột factor: HNH/HL/f1 bị lặp (đã có ở dòng 4)",
        "sai-so.csv, dòng 6, cột se: HNH/HL: không dùng cả se và số người trả lời cho cùng "
        "một thành phần (dòng 4)",
        "sai-so.csv, dòng 7, cột respondents: 'mười' không phải là số",
        "sai-so.csv, dòng 8, cột se: sai số chuẩn -1 âm",
        "sai-so.csv, dòng 9, cột respondents: số người trả lời phải lớn hơn 0",
    ]


def test_duplicate_factor_and_missing_columns_are_refused(district_results, write):
    dup = write(
        "dup.csv",
        "unit_code,component,factor,respondents,satisfied\nHNH,HL,f1,10,5\nHNH,HL,f1,10,6\n",
    )
    with pytest.raises(UncertaintyError, match="dòng 3, cột factor: HNH/HL/f1 bị lặp"):
        load_uncertainty(dup, district_results)
    bare = write("bare.csv", "unit_code,component\nHNH,HL\n")
    with pytest.raises(UncertaintyError, match="cần cột se, hoặc các cột factor"):
        load_uncertainty(bare, district_results)


def test_a_node_and_its_descendant_cannot_both_carry_an_error(tree, write):
    sheet = scores_from_rows(
        [{"unit_code": "X", "unit_name": "Xã X", "A1": 10, "A2": 30, "B": 30}], tree, "d.csv"
    )
    results = compute_results(tree, sheet)
    with pytest.raises(UncertaintyError, match="A1 nằm trong A, đã có sai số riêng"):
        uncertainty_from_rows(
            [{"unit_code": "X", "component": "A", "se": 1}, {"unit_code": "X", "component": "A1", "se": 1}],
            results,
            "u.csv",
        )


def test_different_maxima_are_ranked_on_the_index_in_every_draw(tree):
    # Y's A1 does not apply: maxima 100 and 80, so the published ranking compares indices
    sheet = scores_from_rows(
        [
            {"unit_code": "X", "unit_name": "Xã X", "A1": 18, "A2": 30, "B": 30},  # 78/100
            {"unit_code": "Y", "unit_name": "Xã Y", "A1": "KAD", "A2": 32, "B": 32},  # 64/80 = 80 %
        ],
        tree,
        "d.csv",
    )
    results = compute_results(tree, sheet)
    assert [(u.unit_code, u.rank) for u in results.units] == [("Y", 1), ("X", 2)]
    still = robustness(results, uncertainty_from_rows(
        [{"unit_code": c, "component": "B", "se": 0} for c in "XY"], results, "u.csv"), draws=100)
    assert [(u.rank_low, u.rank_high) for u in still.units] == [(1, 1), (2, 2)]
    moving = robustness(results, uncertainty_from_rows(
        [{"unit_code": c, "component": "B", "se": 2} for c in "XY"], results, "u.csv"),
        draws=5000, seed=1)
    y = moving.unit("Y")
    assert (y.rank_low, y.rank_high) == (1, 2) and 0.5 < y.p_first < 0.95


# --- the file read from a stream, and written back -----------------------------------------


def test_a_stream_reads_as_the_file_and_its_rows_read_back_to_the_same(district_results):
    """The web reads an upload's stream (named by the upload); what it keeps, the rows of
    ``uncertainty_rows``, reads back to the same uncertainty."""
    path = data_path("district_2022_uncertainty.csv")
    from_path = load_uncertainty(path, district_results)
    with path.open("rb") as stream:
        from_stream = load_uncertainty(stream, district_results, name="tai-len.csv")
    assert from_stream == from_path
    rows = uncertainty_rows(from_path)
    assert len(rows) == 66 and rows[0].keys() == {"unit_code", "component", "se"}
    assert uncertainty_from_rows(rows, district_results, "luu.csv") == from_path
    with path.open("rb") as stream:
        bad = stream.read().replace(b"QNH,HL,thu_tuc,389,334", b"QNH,HL,thu_tuc,389,x")
    with pytest.raises(UncertaintyError) as raised:
        load_uncertainty(bad, district_results, name="tai-len.csv")
    assert str(raised.value) == "tai-len.csv, dòng 3, cột satisfied: 'x' không phải là số"
