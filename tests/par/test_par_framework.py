"""Framework files: the tree, the bands, and errors naming the file and the key path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from cchc.par.framework import FrameworkError, framework_from_dict, load_framework


def test_the_tree_is_walked_depth_first_with_parents(tree):
    assert [n.code for n in tree.nodes()] == ["A", "A1", "A2", "B"]
    assert tree.node("A2").parent == "A"
    assert tree.node("A").parent is None
    assert tree.max == 100  # defaults to the sum of the components
    assert tree.level_label == "cấp xã"


def test_bands_are_inclusive_lower_bounds_compared_as_shown(tree):
    assert tree.band_for(90) == "Xuất sắc"
    assert tree.band_for(89.995) == "Xuất sắc"  # shown as 90,00
    assert tree.band_for(89.994) == "Tốt"
    assert tree.band_for(80) == "Tốt"
    assert tree.band_for(0) == "Khá"
    assert tree.band_for(None) is None


def _errors(write: Callable[[str, str], Path], text: str) -> list[str]:
    """The problems reported for a framework file with this text."""
    with pytest.raises(FrameworkError) as info:
        load_framework(write("framework_x.yaml", text))
    return info.value.problems


def test_children_maxima_must_sum_to_the_parent(write, tree_yaml):
    problems = _errors(write, tree_yaml.replace("max: 40}", "max: 30}"))
    assert problems == [
        "framework_x.yaml: components[0].max: 60 khác tổng điểm tối đa các mục con (50)"
    ]


def test_unknown_keys_are_named_with_their_path(write, tree_yaml):
    text = tree_yaml.replace("{code: A1, name: Tiêu chí A1, max: 20}", "{code: A1, name: x, max: 20, weight: 2}")
    text += "colour: red\n"
    problems = _errors(write, text)
    assert "framework_x.yaml: components[0].children[0].weight: khóa không được hỗ trợ" in problems
    assert "framework_x.yaml: colour: khóa không được hỗ trợ" in problems


def test_duplicate_codes_name_both_places(write, tree_yaml):
    problems = _errors(write, tree_yaml.replace("code: B\n", "code: A1\n"))
    assert problems == [
        "framework_x.yaml: components[1].code: mã 'A1' bị trùng với components[0].children[0]"
    ]


def test_bands_must_descend(write, tree_yaml):
    problems = _errors(write, tree_yaml.replace("min: 80}", "min: 95}"))
    assert len(problems) == 1
    assert problems[0].startswith("framework_x.yaml: bands[1].min: các mức xếp loại phải giảm dần")


def test_missing_required_keys_and_wrong_types(write, tree_yaml):
    text = tree_yaml.replace("year: 2023\n", "").replace("max: 20}", "max: hai mươi}")
    problems = _errors(write, text)
    assert "framework_x.yaml: year: thiếu khóa bắt buộc" in problems
    assert any(p.startswith("framework_x.yaml: components[0].children[0].max: phải là số") for p in problems)


def test_every_problem_is_reported_at_once(write, tree_yaml):
    text = tree_yaml.replace("level: commune", "level: village").replace("min: 80}", "min: 120}")
    problems = _errors(write, text)
    assert any(p.startswith("framework_x.yaml: level:") for p in problems)
    assert any(p.startswith("framework_x.yaml: bands[1].min:") for p in problems)


def test_a_top_max_other_than_the_sum_is_an_error(write, tree_yaml):
    problems = _errors(write, tree_yaml.replace("level: commune\n", "level: commune\nmax: 90\n"))
    assert problems == ["framework_x.yaml: max: 90 khác tổng điểm tối đa các thành phần (100)"]


def test_duplicate_yaml_keys_are_refused(write, tree_yaml):
    problems = _errors(write, tree_yaml.replace("year: 2023\n", "year: 2023\nyear: 2024\n"))
    assert len(problems) == 1
    assert "framework_x.yaml: YAML không hợp lệ" in problems[0]
    assert "'year' bị lặp" in problems[0]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FrameworkError, match=r"khong-co\.yaml: không tìm thấy tệp"):
        load_framework(tmp_path / "khong-co.yaml")


def test_codes_that_would_clash_with_score_columns_are_refused():
    data = {
        "code": "x", "name": "X", "year": 2023, "level": "district",
        "components": [{"code": "unit_name", "name": "Tên", "max": 10}],
    }  # fmt: skip
    with pytest.raises(FrameworkError, match=r"web: components\[0\]\.code: mã 'unit_name' không hợp lệ"):
        framework_from_dict(data, "web")


def test_numeric_codes_are_read_as_text():
    data = {
        "code": "x", "name": "X", "year": 2023, "level": "province",
        "components": [{"code": 1, "name": "Một", "max": 10, "children": [{"code": 1.1, "name": "a", "max": 10}]}],
    }  # fmt: skip
    fw = framework_from_dict(data, "web")
    assert [n.code for n in fw.nodes()] == ["1", "1.1"]


def test_a_framework_that_is_not_a_mapping_is_refused(write):
    with pytest.raises(FrameworkError, match=r"^web: phải là một bảng khóa–giá trị"):
        framework_from_dict(["code", "x"], "web")  # type: ignore[arg-type]
    with pytest.raises(FrameworkError, match=r"^f\.yaml: tệp phải là một bảng"):
        load_framework(write("f.yaml", "- a\n- b\n"))


def test_invalid_yaml_names_the_line(write):
    with pytest.raises(FrameworkError, match=r"^f\.yaml: YAML không hợp lệ \(dòng 2"):
        load_framework(write("f.yaml", "code: x\n  name: [\n"))


def _with_survey_marks(mark: object) -> dict[str, object]:
    return {
        "code": "x", "name": "X", "year": 2024, "level": "commune",
        "components": [
            {"code": "KQ", "name": "Kết quả", "max": 60},
            {"code": "KS", "name": "Các cuộc điều tra", "max": 40, "survey": mark, "children": [
                {"code": "DT", "name": "Ý kiến công chức", "max": 10},
                {"code": "HL", "name": "Hài lòng", "max": 30},
            ]},
        ],
    }


def test_survey_components_are_marked_in_the_framework_not_guessed_from_names():
    fw = framework_from_dict(_with_survey_marks(True), "x.yaml")
    # A marked node marks what is below it; the scored leaves are the survey components.
    assert fw.survey_codes() == ["DT", "HL"]
    assert not fw.node("KQ").survey
    # Names that speak of surveys do not make a survey component without the mark.
    assert framework_from_dict(_with_survey_marks(False), "x.yaml").survey_codes() == []
    with pytest.raises(FrameworkError, match=r"x.yaml: components\[1\].survey: phải là true hoặc false"):
        framework_from_dict(_with_survey_marks("có"), "x.yaml")


def test_the_shipped_frameworks_mark_their_survey_components():
    from cchc.demo import data_path

    marked = {
        name: load_framework(data_path(name)).survey_codes()
        for name in ("framework_district_2021.yaml", "framework_district_2022.yaml", "framework_commune_2022.yaml")
    }
    assert marked == {
        "framework_district_2021.yaml": ["DT", "HL"],
        "framework_district_2022.yaml": ["DT", "HL"],
        "framework_commune_2022.yaml": ["HL"],
    }
