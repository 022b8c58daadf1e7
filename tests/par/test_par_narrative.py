"""The narrative in general cases: ranks down, unchanged, ties, N/A, several bands."""

from __future__ import annotations

import pytest

from cchc.par.narrative import in_sentence, level_narrative, paragraphs, unit_narrative
from cchc.par.results import compute_results
from cchc.par.scores import scores_from_rows


def _results(tree, rows, previous=None):
    def sheet(rs):
        # None stands for "does not apply", which a sheet writes as KAD.
        data = [
            {"unit_code": c, "unit_name": f"Xã {c}", "A": "KAD" if a is None else a, "B": b}
            for c, a, b in rs
        ]
        return scores_from_rows(data, tree, "t")

    return compute_results(tree, sheet(rows), sheet(previous) if previous else None)


def test_rank_down_is_said_with_last_years_place(tree):
    results = _results(tree, [("A", 50, 30), ("B", 55, 30), ("C", 40, 35)], [("A", 40, 20), ("B", 50, 30), ("C", 45, 36)])
    text = unit_narrative(results, "C")
    assert text.startswith(
        "Chỉ số CCHC năm 2023 xếp vị trí thứ 3/3 cấp xã (đạt 75/100 điểm), giảm 02 bậc so với năm 2022 "
        "(năm 2022 đạt 81/100 điểm, xếp vị trí thứ nhất cấp xã);"
    )
    assert "thành phần B đạt 35/40 điểm, đứng vị trí thứ nhất, giữ nguyên vị trí so với năm 2022 (năm 2022 đạt 36/40 điểm)" in text
    assert text.endswith("Kết quả xếp loại: khá.")


def test_first_two_years_running_only_when_the_data_shows_it(tree):
    results = _results(tree, [("A", 58, 35), ("B", 50, 30)], [("A", 50, 30), ("B", 58, 35)])
    assert unit_narrative(results, "A").startswith("Chỉ số CCHC năm 2023 xếp vị trí thứ nhất cấp xã (đạt 93/100 điểm), tăng 01 bậc")
    results = _results(tree, [("A", 58, 35), ("B", 50, 30)], [("A", 58, 35), ("B", 50, 30)])
    assert unit_narrative(results, "A").startswith("Chỉ số CCHC 02 năm liên tục (2022-2023) xếp vị trí thứ nhất cấp xã")


def test_ties_and_not_applicable_components(tree):
    results = _results(tree, [("A", 50, 30), ("B", 50, 30), ("C", None, 35)])
    text = unit_narrative(results, "A")
    assert "xếp vị trí thứ 2/3 cấp xã (đồng hạng)" in text
    c = unit_narrative(results, "C")
    assert "thành phần A không áp dụng" in c
    # Out of 40 applicable points the index, not the points, is comparable.
    assert "(đạt 35/40 điểm, chỉ số 87,5%)" in c
    assert c.startswith("Chỉ số CCHC năm 2023 xếp vị trí thứ nhất cấp xã")


def test_level_words_can_be_overridden(tree):
    results = _results(tree, [("A", 50, 30), ("B", 55, 30)])
    assert "thứ 2/2 khối xã thí điểm" in unit_narrative(results, "A", level_label="khối xã thí điểm")


def test_level_summary_with_several_bands(tree):
    results = _results(tree, [("A", 58, 35), ("B", 50, 33), ("C", 40, 30), ("D", 55, 30)])
    text = level_narrative(results)
    assert text.startswith(
        "Chỉ số CCHC năm 2023 đối với cấp xã có giá trị trung bình đạt 82,75%, "
        "có 01 xã, phường xếp loại xuất sắc, 02 xếp loại tốt và 01 xếp loại khá."
    )
    assert "cao nhất là xã A (93%), thấp nhất là xã C (70%)." in text  # kind in lower case mid-sentence


def test_level_summary_with_one_band_and_previous_average(tree):
    results = _results(tree, [("A", 58, 35), ("B", 56, 36)], [("A", 50, 30), ("B", 52, 30)])
    text = level_narrative(results)
    assert text.startswith(
        "Chỉ số CCHC năm 2023 đối với cấp xã có giá trị trung bình đạt 92,5% (năm 2022 đạt 81%), "
        "cả 02 xã, phường đều xếp loại xuất sắc."
    )


def test_paragraphs_are_the_non_blank_lines_of_a_narrative_trimmed():
    assert paragraphs("Chỉ số tăng.\n\n  Thứ hạng giữ nguyên. \n") == ["Chỉ số tăng.", "Thứ hạng giữ nguyên."]
    assert paragraphs("") == []


@pytest.mark.parametrize(
    ("name", "written"),
    [
        ("Huyện An Lão", "huyện An Lão"),
        ("Thị xã Hoài Nhơn", "thị xã Hoài Nhơn"),
        ("Thành phố Quy Nhơn", "thành phố Quy Nhơn"),
        ("Phường Bồng Sơn", "phường Bồng Sơn"),
        ("Sở Nội vụ", "Sở Nội vụ"),  # a department's name is a proper name
    ],
)
def test_a_units_kind_is_lower_case_inside_a_sentence(name, written):
    assert in_sentence(name) == written


def test_the_district_narrative_names_an_lao_in_lower_case(district_results):
    text = level_narrative(district_results)
    assert "huyện An Lão" in text and "Huyện An Lão" not in text
