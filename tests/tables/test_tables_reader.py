"""One reader for every table: format from name and content, delimiter, encodings, header."""

from __future__ import annotations

import datetime as dt
import io

import pytest

import hostile_tables as hostile
from cchc.tables import (
    MAX_PROBLEMS,
    Problem,
    ProblemList,
    TableError,
    TableLimits,
    cell_text,
    read_arrow,
    read_rows,
    read_table,
    read_text_table,
)
from cchc.textio import encode_tcvn3


def error_of(source: object, name: str, **kwargs: object) -> TableError:
    with pytest.raises(TableError) as info:
        list(read_rows(source, name, **kwargs))  # type: ignore[arg-type]
    return info.value


@pytest.mark.parametrize(
    ("text", "rows"),
    [
        ("a,b\n1,2\n", [["a", "b"], ["1", "2"]]),
        ("a;b\n1,5;2\n", [["a", "b"], ["1,5", "2"]]),  # Excel in a Vietnamese locale
        ("a\tb\n1\t2\n", [["a", "b"], ["1", "2"]]),
    ],
)
def test_delimiter_is_the_most_frequent_on_the_first_line(text, rows):
    assert list(read_rows(text.encode(), "t.csv")) == rows


def test_legacy_encodings_go_through_textio():
    data = encode_tcvn3("unit_code,unit_name\nX,Hoài Nhơn\n")
    assert list(read_rows(io.BytesIO(data), "t.csv"))[1] == ["X", "Hoài Nhơn"]
    utf16 = "unit_code,unit_name\nX,Hoài Nhơn\n".encode("utf-16")
    assert list(read_rows(utf16, "t.csv"))[1] == ["X", "Hoài Nhơn"]


def test_header_is_the_first_non_empty_row_or_the_row_holding_the_key():
    text = "\nBảng điểm 2025,,\nunit_code,unit_name,\nX,Xã X,\n\nY,Y,\n".encode()
    plain = read_table(text, "t.csv")
    assert (plain.header_row, plain.header) == (2, ["Bảng điểm 2025"])
    keyed = read_table(text, "t.csv", header_key="unit_code")
    assert (keyed.header_row, keyed.header) == (3, ["unit_code", "unit_name"])
    assert [n for n, _ in keyed.rows] == [4, 6]


def test_missing_header_key_and_empty_file():
    with pytest.raises(TableError, match="không tìm thấy dòng tiêu đề có cột unit_code"):
        read_table(b"a,b\n", "t.csv", header_key="unit_code")
    with pytest.raises(TableError, match="tệp trống"):
        read_table(b"\n\n", "t.csv")


def test_text_table_pads_rows_and_writes_booleans_as_1_0():
    data = hostile.workbook([["a", "b", "c"], [True, 2.0], [" x ", None, "z"]])
    table = read_text_table(io.BytesIO(data), "t.xlsx")
    assert list(table.rows) == [(2, ["1", "2", ""]), (3, ["x", "", "z"])]


def test_cell_text():
    assert [cell_text(v) for v in (None, True, False, 3.0, 3.5, "x")] == ["", "1", "0", "3", "3.5", "x"]
    assert cell_text(dt.datetime(2025, 1, 2, 8, 30)) == "2025-01-02 08:30:00"


def test_format_comes_from_the_extension_and_the_content_must_agree():
    assert "không phải Excel" in str(error_of(b"a,b\n", "t.xlsx"))
    assert "không phải CSV" in str(error_of(hostile.minimal(), "t.csv"))
    assert "dùng .csv hoặc .xlsx" in str(error_of(b"a,b\n", "t.pdf"))
    for suffix in (".xls", ".ods", ".xlsb"):
        assert "lưu lại dưới dạng .xlsx" in str(error_of(b"x", "t" + suffix))


def test_a_missing_file_names_itself(tmp_path):
    error = error_of(tmp_path / "khong-co.csv", str(tmp_path / "khong-co.csv"))
    assert error.problems[0].reason == "không tìm thấy tệp"


def test_csv_columns_and_rows_are_limited_as_they_are_read():
    wide = (",".join(f"c{i}" for i in range(50)) + "\n").encode()
    error = error_of(wide, "w.csv", limits=TableLimits(max_columns=20))
    assert str(error) == "w.csv, dòng 1: dòng có 50 cột, vượt giới hạn 20 cột"
    long = b"a\n" + b"1\n" * 30
    assert "hơn 10 dòng" in str(error_of(long, "l.csv", limits=TableLimits(max_file_rows=10)))
    # Without a file-row limit (the command line), a CSV's rows are not limited: memory
    # grows with the file itself.
    assert len(list(read_rows(long, "l.csv", limits=TableLimits(max_rows=10)))) == 31


def test_arrow_reading_checks_the_same_limits():
    wide = (",".join(f"c{i}" for i in range(50)) + "\n1" + ",1" * 49 + "\n").encode()
    with pytest.raises(TableError, match="50 cột, vượt giới hạn 20 cột"):
        read_arrow(wide, "w.csv", limits=TableLimits(max_columns=20))
    with pytest.raises(TableError, match="tệp có 31 dòng, vượt giới hạn 10 dòng"):
        read_arrow(b"a\n" + b"1\n" * 30, "l.csv", limits=TableLimits(max_file_rows=10))
    with pytest.raises(TableError, match="A1:XFD1048576"):
        read_arrow(hostile.dimension_bomb(), "bomb.xlsx")
    table, first = read_arrow(hostile.workbook([["a", "b"], [1.0, True], [None, "x"], []]), "t.xlsx")
    assert first == 2 and table.to_pylist() == [{"a": "1", "b": "1"}, {"a": None, "b": "x"}]


def test_dictionary_columns_hold_the_same_cells_and_the_same_limits():
    """``dictionary=True`` (a survey wave: few texts, a million rows) reads the same cells,
    encoded, from UTF-8 CSV, a legacy encoding and a workbook, with the same checks."""
    text = "unit;answer\nHoài Nhơn; 5\nAn Nhơn;\nHoài Nhơn;4\n"
    sheet = hostile.workbook([["unit", "answer"], ["Hoài Nhơn", 5.0], ["An Nhơn", None]])
    for source, name in (
        (text.encode(), "a.csv"),
        (encode_tcvn3(text), "a.csv"),
        (sheet, "a.xlsx"),
    ):
        plain, _ = read_arrow(source, name)
        encoded, first = read_arrow(source, name, dictionary=True)
        assert first == 2
        assert all(str(c.type) == "dictionary<values=string, indices=int32, ordered=0>"
                   for c in encoded.columns)
        assert encoded.to_pylist() == plain.to_pylist()
    with pytest.raises(TableError, match="tệp có 31 dòng, vượt giới hạn 10 dòng"):
        read_arrow(
            b"a\n" + b"1\n" * 30, "l.csv", limits=TableLimits(max_file_rows=10), dictionary=True
        )


def test_problem_lists_are_capped_with_the_count_of_the_rest():
    problems = ProblemList("t.csv")
    for row in range(1_000_000, 0, -1):
        problems.add("sai", row, "c")
    error = problems.error()
    assert len(error.problems) == MAX_PROBLEMS and error.total == 1_000_000
    lines = str(error).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1
    assert lines[-1] == "… và 999.800 lỗi khác"


def test_one_problem_type_names_file_row_and_column():
    problem = Problem("t.csv", 3, "answer", "giá trị không hợp lệ")
    assert problem.message == str(problem) == "t.csv, dòng 3, cột answer: giá trị không hợp lệ"
    assert str(TableError([problem] * 5, 12)).endswith("… và 7 lỗi khác")
    # Without a total, the list given is the whole list: it is cut, and the rest counted.
    error = TableError([problem] * (MAX_PROBLEMS + 3))
    assert (len(error.problems), error.total) == (MAX_PROBLEMS, MAX_PROBLEMS + 3)
    assert str(error).endswith("… và 3 lỗi khác")


def test_the_procedure_catalogue_is_read_by_the_one_reader_and_its_problems_capped(tmp_path):
    from cchc.service.procedure import CatalogueError, load_catalogue

    path = tmp_path / "thu-tuc.csv"
    path.write_bytes(encode_tcvn3("code;name;time_limit\nHT-KS;Khai sinh;3\n"))
    assert load_catalogue(path)["HT-KS"].name == "Khai sinh"
    path.write_text("code,name,time_limit\n" + "".join(f"P{i},Tên,x\n" for i in range(1000)), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path)
    lines = str(info.value).splitlines()
    assert len(lines) == MAX_PROBLEMS + 1 and lines[-1] == "… và 800 lỗi khác"
    assert lines[0].endswith("dòng 2: thời hạn hoặc lệ phí không phải số")
