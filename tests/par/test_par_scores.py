"""Scores files: wide and long forms, CSV and XLSX, every error named by file, row, column."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from typer.testing import CliRunner

from cchc.cli import app
from cchc.par.scores import ScoresError, load_scores, scores_from_rows
from cchc.par.values import NOT_APPLICABLE

runner = CliRunner()


def _problems(path: Path, framework) -> list[str]:
    with pytest.raises(ScoresError) as info:
        load_scores(path, framework)
    return [str(e) for e in info.value.errors]


def test_decimal_comma_and_point_are_both_read(write, tree):
    path = write(
        "s.csv",
        """\
        unit_code,unit_name,A1,A2,B
        X,Xã X,"15,5",30.25,35
        """,
    )
    sheet = load_scores(path, tree)
    assert sheet.form == "wide"
    assert sheet.unit("X").values == {"A1": 15.5, "A2": 30.25, "B": 35.0}
    assert not sheet.illustrative


def test_semicolon_csv_from_a_vietnamese_excel_is_read(write, tree):
    path = write("s.csv", "unit_code;unit_name;A;B\nX;Xã X;50,5;35\n")
    assert load_scores(path, tree).unit("X").values == {"A": 50.5, "B": 35.0}


def test_out_of_range_is_named_by_file_row_and_column(write, tree):
    path = write(
        "diem.csv",
        """\
        unit_code,unit_name,A1,A2,B
        X,Xã X,15,30,35
        Y,Xã Y,21,30,-1
        """,
    )
    assert _problems(path, tree) == [
        "diem.csv, dòng 3, cột A1: điểm 21 nằm ngoài khoảng 0..20 của A1",
        "diem.csv, dòng 3, cột B: điểm -1 nằm ngoài khoảng 0..40 của B",
    ]


def test_unknown_code_is_named(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,C9\nX,Xã X,50,1\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 1, cột C9: mã 'C9' không có trong bộ chỉ số tree"
    ]


def test_duplicate_unit_is_named_with_the_first_row(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,50,30\nY,Xã Y,40,30\nX,Xã X,45,30\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 4, cột unit_code: đơn vị 'X' bị lặp (đã có ở dòng 2)"
    ]


def test_non_number_is_named(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,năm mươi,30\n")
    assert _problems(path, tree) == ["diem.csv, dòng 2, cột A: 'năm mươi' không phải là số"]


def test_all_problems_are_collected_not_just_the_first(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,B\n,Xã X,abc,30\nY,,61,50\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 2, cột unit_code: thiếu mã đơn vị",
        "diem.csv, dòng 2, cột A: 'abc' không phải là số",
        "diem.csv, dòng 3, cột unit_name: thiếu tên đơn vị",
        "diem.csv, dòng 3, cột A: điểm 61 nằm ngoài khoảng 0..60 của A",
        "diem.csv, dòng 3, cột B: điểm 50 nằm ngoài khoảng 0..40 của B",
    ]


def test_a_parent_given_with_its_children_must_agree(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,A1,A2,B\nX,Xã X,50,15,30,35\nY,Xã Y,45,15,30,35\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 2, cột A: điểm A (50) khác tổng điểm các mục con (45)"
    ]


def test_a_blank_cell_is_an_error_named_by_file_row_and_column(write, tree):
    # A forgotten cell used to mean "not applicable" and silently changed a rank.
    path = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,50,\nY,Xã Y, ,30\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 2, cột B: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng",
        "diem.csv, dòng 3, cột A: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng",
    ]


@pytest.mark.parametrize(
    "written", ["KAD", "kad", "Không áp dụng", "KHÔNG ÁP DỤNG", "khong ap dung", "N/A", "n/a", "-"]
)
def test_not_applicable_is_written_explicitly(write, tree, written):
    path = write("diem.csv", f'unit_code,unit_name,A,B\nX,Xã X,50,"{written}"\n')
    assert load_scores(path, tree).unit("X").values == {"A": 50.0, "B": NOT_APPLICABLE}


def test_a_unit_to_which_nothing_applies_is_an_error(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,KAD,KAD\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 2: đơn vị 'X' không có thành phần nào được áp dụng"
    ]


def test_kad_on_a_parent_with_scored_children_is_an_error(write, tree):
    path = write("diem.csv", "unit_code,unit_name,A,A1,A2,B\nX,Xã X,KAD,15,30,35\n")
    assert _problems(path, tree) == [
        "diem.csv, dòng 2, cột A: A ghi không áp dụng nhưng các mục con có điểm (45)"
    ]


def test_scores_are_read_half_up_to_2_decimals(write, tree):
    path = write("diem.csv", 'unit_code,unit_name,A1,A2,B\nX,Xã X,"1,005",2.675,"30,004"\n')
    assert load_scores(path, tree).unit("X").values == {"A1": 1.01, "A2": 2.68, "B": 30.0}


def test_long_form_final_score_counts_and_details_are_kept(write, tree):
    path = write(
        "dai.csv",
        """\
        unit_code,unit_name,criterion,self_score,final_score,note
        X,Xã X,A1,18,16,Thiếu minh chứng mục 2
        X,Xã X,A2,35,35,
        X,Xã X,B,,KAD,
        """,
    )
    sheet = load_scores(path, tree)
    assert sheet.form == "long"
    unit = sheet.unit("X")
    assert unit.values == {"A1": 16.0, "A2": 35.0, "B": NOT_APPLICABLE}
    assert unit.details["A1"].self_score == 18
    assert unit.details["A1"].note == "Thiếu minh chứng mục 2"


def test_long_form_errors_are_named(write, tree):
    path = write(
        "dai.csv",
        """\
        unit_code,unit_name,criterion,self_score,final_score,note
        X,Xã X,A1,18,16,
        X,Xã X,A9,1,1,
        X,Xã Khác,A2,35,35,
        X,Xã X,A2,30,30,
        Y,Xã Y,B,30,,
        Y,Xã Y,A1,x,25,
        """,
    )
    assert _problems(path, tree) == [
        "dai.csv, dòng 2, cột note: điểm thẩm định khác điểm tự đánh giá nhưng không ghi lý do",
        "dai.csv, dòng 3, cột criterion: mã 'A9' không có trong bộ chỉ số tree",
        "dai.csv, dòng 4, cột unit_name: tên 'Xã Khác' khác tên 'Xã X' ở dòng 2",
        "dai.csv, dòng 5, cột criterion: tiêu chí 'A2' của đơn vị 'X' bị lặp (dòng 4)",
        "dai.csv, dòng 6, cột final_score: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng",
        "dai.csv, dòng 7, cột self_score: 'x' không phải là số",
        "dai.csv, dòng 7, cột final_score: điểm 25 nằm ngoài khoảng 0..20 của A1",
    ]


def test_long_form_header_must_be_complete(write, tree):
    path = write("dai.csv", "unit_code,unit_name,criterion,final_score\nX,Xã X,A1,16\n")
    problems = _problems(path, tree)
    assert "dai.csv, dòng 1, cột self_score: thiếu cột bắt buộc của dạng dọc" in problems
    assert "dai.csv, dòng 1, cột note: thiếu cột bắt buộc của dạng dọc" in problems


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    workbook.close()
    return path


def test_xlsx_with_a_title_row_keeps_spreadsheet_row_numbers(tmp_path, tree):
    path = _xlsx(
        tmp_path / "diem.xlsx",
        [
            ["Bảng điểm năm 2023"],
            ["unit_code", "unit_name", "A", "B"],
            ["X", "Xã X", 50.5, 35],
            ["Y", "Xã Y", "44,25", "KAD"],
            ["Z", "Xã Z", 70, 30],
        ],
    )
    assert _problems(path, tree) == ["diem.xlsx, dòng 5, cột A: điểm 70 nằm ngoài khoảng 0..60 của A"]


def test_xlsx_values_are_read_as_numbers(tmp_path, tree):
    path = _xlsx(
        tmp_path / "diem.xlsx",
        [["unit_code", "unit_name", "A", "B"], ["X", "Xã X", 50.5, 35], ["Y", "Xã Y", "44,25", "N/A"]],
    )
    sheet = load_scores(path, tree)
    assert sheet.unit("Y").values == {"A": 44.25, "B": NOT_APPLICABLE}
    assert sheet.unit("X").values == {"A": 50.5, "B": 35.0}


def test_rows_from_a_web_form_get_the_same_validation(tree):
    rows = [{"unit_code": "X", "unit_name": "Xã X", "A": "50", "B": "41"}]
    with pytest.raises(ScoresError) as info:
        scores_from_rows(rows, tree, "biểu mẫu")
    assert [str(e) for e in info.value.errors] == [
        "biểu mẫu, dòng 2, cột B: điểm 41 nằm ngoài khoảng 0..40 của B"
    ]
    ok = scores_from_rows([{"unit_code": "X", "unit_name": "Xã X", "A": 50, "B": "KAD"}], tree, "web")
    assert ok.unit("X").values == {"A": 50.0, "B": NOT_APPLICABLE}
    with pytest.raises(ScoresError) as info:
        scores_from_rows([{"unit_code": "X", "unit_name": "Xã X", "A": 50, "B": None}], tree, "web")
    assert [str(e) for e in info.value.errors] == [
        "web, dòng 2, cột B: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"
    ]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "table"])
def test_cli_exits_2_names_the_place_and_writes_nothing(write, tmp_path, tree_yaml, fmt):
    framework = write("fw.yaml", tree_yaml)
    scores = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,50,30\nX,Xã X,61,30\n")
    out = tmp_path / f"ket-qua.{fmt}"
    result = runner.invoke(
        app,
        ["par", "rank", "--framework", str(framework), "--scores", str(scores), "--format", fmt, "--output", str(out)],
    )
    assert result.exit_code == 2
    assert "diem.csv, dòng 3, cột A: điểm 61 nằm ngoài khoảng 0..60 của A" in result.stderr
    assert "diem.csv, dòng 3, cột unit_code: đơn vị 'X' bị lặp (đã có ở dòng 2)" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_cli_framework_error_exits_2(write, tmp_path, tree_yaml):
    framework = write("fw.yaml", tree_yaml.replace("max: 40}", "max: 41}"))
    scores = write("diem.csv", "unit_code,unit_name,A,B\nX,Xã X,50,30\n")
    result = runner.invoke(app, ["par", "narrative", "--framework", str(framework), "--scores", str(scores)])
    assert result.exit_code == 2
    assert "fw.yaml: components[0].max: 60 khác tổng điểm tối đa các mục con (61)" in result.stderr


def test_cli_xlsx_needs_an_output_file():
    result = runner.invoke(app, ["par", "rank", "--demo", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_cli_unknown_unit_exits_2():
    result = runner.invoke(app, ["par", "narrative", "--demo", "--unit", "ZZZ"])
    assert result.exit_code == 2
    assert "'ZZZ'" in result.stderr


def test_cli_missing_scores_file_exits_2(tmp_path, write, tree_yaml):
    framework = write("fw.yaml", tree_yaml)
    result = runner.invoke(
        app, ["par", "rank", "--framework", str(framework), "--scores", str(tmp_path / "khong-co.csv")]
    )
    assert result.exit_code == 2
    assert "khong-co.csv: không tìm thấy tệp" in result.stderr


def test_long_form_from_xlsx(tmp_path, tree):
    path = _xlsx(
        tmp_path / "dai.xlsx",
        [
            ["unit_code", "unit_name", "criterion", "self_score", "final_score", "note"],
            ["X", "Xã X", "A", 55, 52.5, "Trừ điểm mục 3"],
            ["X", "Xã X", "B", 30, 30, None],
        ],
    )
    sheet = load_scores(path, tree)
    assert sheet.form == "long"
    assert sheet.unit("X").values == {"A": 52.5, "B": 30.0}


@pytest.mark.parametrize(("fmt", "marker"), [("csv", "unit_code,unit_name,score"), ("table", "88,41"), ("json", '"framework"')])
def test_cli_writes_each_format_to_a_file(tmp_path, fmt, marker):
    out = tmp_path / f"kq.{fmt}"
    result = runner.invoke(app, ["par", "rank", "--demo", "--format", fmt, "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert marker in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("csv_text", "message"),
    [
        ("unit_code,unit_name,A,B\nX,Xã X,61,30\n", "diem.csv, dòng 2, cột A: điểm 61 nằm ngoài khoảng 0..60 của A"),
        ("unit_code,unit_name,A,Z\nX,Xã X,50,30\n", "diem.csv, dòng 1, cột Z: mã 'Z' không có trong bộ chỉ số tree"),
        ("unit_code,unit_name,A,B\nX,Xã X,50,30\nX,Xã X,50,30\n", "diem.csv, dòng 3, cột unit_code: đơn vị 'X' bị lặp (đã có ở dòng 2)"),
        ("unit_code,unit_name,A,B\nX,Xã X,5O,30\n", "diem.csv, dòng 2, cột A: '5O' không phải là số"),
        (
            "unit_code,unit_name,criterion,self_score,final_score,note\nX,Xã X,B,30,28,\n",
            "diem.csv, dòng 2, cột note: điểm thẩm định khác điểm tự đánh giá nhưng không ghi lý do",
        ),
        (
            # A reason made only of invisible characters (zero width space, word joiner).
            "unit_code,unit_name,criterion,self_score,final_score,note\nX,Xã X,B,30,28,\u200b\u2060\ufeff \n",
            "diem.csv, dòng 2, cột note: điểm thẩm định khác điểm tự đánh giá nhưng không ghi lý do",
        ),
        ("unit_code,unit_name,A,B\nX,Xã X,50,\n", "diem.csv, dòng 2, cột B: ô trống: ghi điểm, hoặc KAD nếu tiêu chí không áp dụng"),
        (
            # Only A given: B is missing for the unit, not "not applicable".
            "unit_code,unit_name,A\nX,Xã X,50\n",
            "diem.csv, dòng 2, cột B: đơn vị 'X' chưa có điểm B (ghi KAD nếu không áp dụng)",
        ),
    ],
)
def test_cli_each_scores_error_exits_2_and_writes_nothing(write, tmp_path, tree_yaml, csv_text, message):
    framework = write("fw.yaml", tree_yaml)
    scores = write("diem.csv", csv_text)
    out = tmp_path / "kq.xlsx"
    args = ["--framework", str(framework), "--scores", str(scores)]
    result = runner.invoke(app, ["par", "rank", *args, "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip() == message
    assert not out.exists()
    narrative = runner.invoke(app, ["par", "narrative", *args])
    assert narrative.exit_code == 2 and narrative.stdout == ""


def test_demo_scores_typed_in_legacy_vietnamese_fonts_read_the_same(tmp_path):
    # A score sheet saved from a .VnTime (TCVN3) or VNI-Times spreadsheet, or as Excel's
    # "Unicode text" (UTF-16), gives the same units and names as the UTF-8 original.
    from cchc.demo import data_path
    from cchc.par.framework import load_framework
    from cchc.textio import encode_tcvn3, encode_vni

    framework = load_framework(data_path("framework_commune_2022.yaml"))
    original = data_path("commune_2022.csv")
    text = original.read_text(encoding="utf-8")
    expected = load_scores(original, framework)
    for name, data in (("tcvn3.csv", encode_tcvn3(text)), ("vni.csv", encode_vni(text)),
                       ("utf16.csv", text.encode("utf-16"))):
        path = tmp_path / name
        path.write_bytes(data)
        sheet = load_scores(path, framework)
        assert [(u.unit_code, u.unit_name, u.values) for u in sheet.rows] == [
            (u.unit_code, u.unit_name, u.values) for u in expected.rows
        ], name
