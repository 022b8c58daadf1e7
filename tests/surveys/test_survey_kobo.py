"""Importing a KoboToolbox/ODK wide export mapped through the questionnaire."""

from __future__ import annotations

import pytest

from cchc.surveys import SurveyInputError, compute_index, load_questionnaire, read_kobo

SIPAS = load_questionnaire("sipas", 2025)
HEADER = (
    "start",
    "thong_tin/unit_code",
    "tiep_can/tc1",
    "tiep_can/tc2",
    "nhom/thu_tuc/tt1",
    "ghi_chu",
    "_id",
    "_uuid",
    "_submission_time",
)


def test_wide_rows_become_answers_with_factors_from_the_questionnaire(write_table):
    path = write_table(
        "kobo.csv",
        [
            ["2025-03-01", "U1", "5", "4", "2", "tốt", "1", "uuid-a", "2025-03-01T09:00:00"],
            ["2025-03-02", "U1", "rat_hai_long", "", "0", "", "2", "uuid-b", "2025-03-02T10:00:00"],
            [
                "2025-03-02",
                "U2",
                "3",
                "khong_tra_loi",
                "4",
                "",
                "3",
                "uuid-c",
                "2025-03-02T11:00:00",
            ],
        ],
        header=HEADER,
        delimiter=";",
    )
    answers = read_kobo(path, SIPAS)
    assert len(answers) == 9  # 3 submissions × 3 question columns; other columns ignored
    first = [a for a in answers if a.respondent_id == "uuid-a"]
    assert {(a.factor, a.question, a.value) for a in first} == {
        ("tiep_can", "tc1", 5),
        ("tiep_can", "tc2", 4),
        ("thu_tuc", "tt1", 2),
    }
    result = compute_index(answers)
    u1 = result.unit("U1")
    assert u1.respondents == 2
    # tiep_can in U1: 5, 4, 5 (rat_hai_long), no answer → 3 of 3
    assert (u1.factors["tiep_can"].share.satisfied, u1.factors["tiep_can"].share.valid) == (3, 3)
    assert u1.factors["thu_tuc"].share.valid == 1


def test_kobo_xlsx_export(write_table):
    path = write_table(
        "kobo.xlsx", [["2025-03-01", "U1", 5, 4, 2, "", 1, "uuid-a", "2025-03-01"]], header=HEADER
    )
    assert sorted(a.value for a in read_kobo(path, SIPAS)) == [2, 4, 5]


def test_missing_uuid_unit_and_question_columns(write_table):
    path = write_table("kobo.csv", [["x", "y"]], header=("start", "comment"))
    with pytest.raises(SurveyInputError) as exc:
        read_kobo(path, SIPAS)
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (1, "_uuid"),
        (1, "unit_code"),
        (1, None),
    ]


def test_bad_cell_names_the_full_column_path(write_table):
    path = write_table(
        "kobo.csv", [["", "U1", "5", "7", "4", "", "1", "uuid-a", ""]], header=HEADER
    )
    with pytest.raises(SurveyInputError) as exc:
        read_kobo(path, SIPAS)
    assert [(p.row, p.column) for p in exc.value.problems] == [(2, "tiep_can/tc2")]


def test_duplicate_submission_and_empty_ids(write_table):
    path = write_table(
        "kobo.csv",
        [
            ["", "U1", "5", "", "", "", "1", "uuid-a", ""],
            ["", "U1", "5", "", "", "", "2", "uuid-a", ""],  # row 3: same _uuid
            ["", "", "5", "", "", "", "3", "uuid-c", ""],  # row 4: no unit
            ["", "U1", "5", "", "", "", "4", "", ""],  # row 5: no _uuid
        ],
        header=HEADER,
    )
    with pytest.raises(SurveyInputError) as exc:
        read_kobo(path, SIPAS)
    assert [(p.row, p.column) for p in exc.value.problems] == [
        (3, "_uuid"),
        (4, "thong_tin/unit_code"),
        (5, "_uuid"),
    ]


def test_the_same_question_in_two_groups_is_refused(write_table):
    header = ("unit_code", "a/tc1", "b/tc1", "_uuid")
    path = write_table("kobo.csv", [["U1", "5", "5", "u"]], header=header)
    with pytest.raises(SurveyInputError) as exc:
        read_kobo(path, SIPAS)
    assert [(p.row, p.column) for p in exc.value.problems] == [(1, "b/tc1")]


def test_header_only_export_is_refused(write_table):
    with pytest.raises(SurveyInputError) as exc:
        read_kobo(write_table("kobo.csv", [], header=HEADER), SIPAS)
    assert [(p.row, p.reason) for p in exc.value.problems] == [(2, "tệp không có dòng dữ liệu nào")]
