"""Importing answers in the long format (CSV and XLSX): values, and every kind of bad row."""

from __future__ import annotations

import pytest

from cchc.surveys import SurveyInputError, load_questionnaire, read_answers

SIPAS = load_questionnaire("sipas", 2025)


def problems_of(exc: pytest.ExceptionInfo[SurveyInputError]) -> list[tuple[int | None, str | None]]:
    return [(p.row, p.column) for p in exc.value.problems]


@pytest.mark.parametrize("name", ["answers.csv", "answers.xlsx"])
def test_reads_answers_with_empty_and_zero_as_no_answer(write_table, name):
    path = write_table(
        name,
        [
            ["r1", "U1", "tiep_can", "tc1", 5],
            ["r1", "U1", "thu_tuc", "tt1", ""],
            ["r2", "U1", "tiep_can", "tc1", 0],
            ["r2", "U1", "thu_tuc", "tt1", 3],
        ],
    )
    got = read_answers(path)
    assert [a.value for a in got] == [5, None, None, 3]
    assert {a.respondent_id for a in got} == {"r1", "r2"}
    assert got[0].factor == "tiep_can" and got[0].question == "tc1" and got[0].unit_code == "U1"


def test_semicolon_csv_is_accepted(write_table):
    path = write_table("a.csv", [["r1", "U1", "f", "q", "4"]], delimiter=";")
    assert read_answers(path)[0].value == 4


def test_missing_column_names_file_row_and_column(write_table):
    path = write_table(
        "a.csv",
        [["r1", "U1", "f", "q"]],
        header=("respondent_id", "unit_code", "factor", "question"),
    )
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(1, "answer")]
    assert str(path) in str(exc.value) and "thiếu cột bắt buộc" in str(exc.value)


@pytest.mark.parametrize("bad", ["6", "-1", "3.5", "tốt", "4,5"])
def test_answer_outside_the_scale_is_an_error_with_row_and_column(write_table, bad):
    path = write_table("a.csv", [["r1", "U1", "f", "q", "4"], ["r2", "U1", "f", "q", bad]])
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(3, "answer")]
    assert f"'{bad}'" in str(exc.value)


def test_every_bad_row_is_reported_and_nothing_is_returned(write_table):
    path = write_table(
        "a.csv",
        [
            ["", "U1", "f", "q", "4"],  # row 2: no respondent
            ["r2", "", "f", "q", "4"],  # row 3: no unit
            ["r3", "U1", "", "q", "4"],  # row 4: no factor
            ["r4", "U1", "f", "", "4"],  # row 5: no question
            ["r5", "U1", "f", "q", "9"],  # row 6: off the scale
            ["r6", "U1", "f", "q", "5"],  # row 7: fine
        ],
    )
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [
        (2, "respondent_id"),
        (3, "unit_code"),
        (4, "factor"),
        (5, "question"),
        (6, "answer"),
    ]


def test_same_question_answered_twice_by_one_respondent(write_table):
    path = write_table("a.csv", [["r1", "U1", "f", "q", "4"], ["r1", "U1", "f", "q", "5"]])
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(3, "question")]
    assert "dòng 2" in exc.value.problems[0].reason


def test_respondent_in_two_units(write_table):
    path = write_table("a.csv", [["r1", "U1", "f", "q1", "4"], ["r1", "U2", "f", "q2", "5"]])
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(3, "unit_code")]


def test_header_only_file_is_refused(write_table):
    with pytest.raises(SurveyInputError, match="không có dòng dữ liệu"):
        read_answers(write_table("a.csv", []))


def test_unsupported_suffix_and_unreadable_workbook(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(SurveyInputError, match=r"\.csv hoặc \.xlsx"):
        read_answers(tmp_path / "a.txt")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(SurveyInputError, match=r"broken\.xlsx"):
        read_answers(tmp_path / "broken.xlsx")


def test_with_a_questionnaire_factor_and_question_are_checked(write_table):
    path = write_table(
        "a.csv",
        [
            ["r1", "U1", "tiep_can", "tc1", "5"],  # fine
            ["r1", "U1", "khac", "tc2", "5"],  # row 3: unknown factor
            ["r1", "U1", "tiep_can", "zz", "5"],  # row 4: unknown question
            ["r1", "U1", "thu_tuc", "tc3", "5"],  # row 5: tc3 belongs to tiep_can
        ],
    )
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path, SIPAS)
    assert problems_of(exc) == [(3, "factor"), (4, "question"), (5, "factor")]


def test_with_a_questionnaire_choice_names_are_accepted(write_table):
    path = write_table(
        "a.csv",
        [
            ["r1", "U1", "tiep_can", "tc1", "rat_hai_long"],
            ["r1", "U1", "tiep_can", "tc2", "khong_tra_loi"],
        ],
    )
    assert [a.value for a in read_answers(path, SIPAS)] == [5, None]


def test_row_numbers_skip_blank_lines_like_excel(write_table):
    path = write_table("a.xlsx", [["r1", "U1", "f", "q", 4], [None] * 5, ["r2", "U1", "f", "q", 8]])
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(4, "answer")]


def test_header_below_blank_rows_keeps_excel_row_numbers(tmp_path):
    import xlsxwriter

    path = tmp_path / "offset.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(2, 0, ["respondent_id", "unit_code", "factor", "question", "answer"])
    sheet.write_row(3, 0, ["r1", "U1", "f", "q", 4])
    sheet.write_row(4, 0, ["r2", "U1", "f", "q", 11])
    book.close()
    with pytest.raises(SurveyInputError) as exc:
        read_answers(path)
    assert problems_of(exc) == [(5, "answer")]


def test_csv_with_a_byte_order_mark_from_excel(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_text(
        "respondent_id,unit_code,factor,question,answer\r\nr1,U1,f,q,5\r\n", encoding="utf-8-sig"
    )
    assert read_answers(path)[0].value == 5


def test_csv_that_is_not_utf8(tmp_path):
    # "Hoài" saved by an old Windows tool in cp1258: 0xE0 is not valid UTF-8 here.
    path = tmp_path / "latin.csv"
    path.write_bytes(b"respondent_id,unit_code,factor,question,answer\nr1,Ho\xe0i,f,q,5\n")
    with pytest.raises(SurveyInputError, match="UTF-8"):
        read_answers(path)


def test_answers_saved_in_a_legacy_vietnamese_encoding_read_like_utf8(tmp_path):
    # Paper answers typed on an old office machine (TCVN3 .VnTime font) or saved as Excel's
    # "Unicode text" (UTF-16) are decoded by cchc.textio; the unit code here is Vietnamese.
    from cchc.surveys import read_answers
    from cchc.textio import encode_tcvn3

    text = "respondent_id,unit_code,factor,question,answer\nR1,Hoài Hảo,TIEP_CAN,TC1,5\nR2,Hoài Hảo,TIEP_CAN,TC1,2\n"
    plain = tmp_path / "plain.csv"
    plain.write_text(text, encoding="utf-8")
    expected = read_answers(plain)
    for name, data in (("tcvn3.csv", encode_tcvn3(text)), ("utf16.csv", text.encode("utf-16"))):
        legacy = tmp_path / name
        legacy.write_bytes(data)
        assert read_answers(legacy) == expected, name
