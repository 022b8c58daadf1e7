"""One respondent's form (web link or paper entry) turned into answers, and written back out."""

from __future__ import annotations

import pytest

from cchc.surveys import (
    SurveyInputError,
    compute_index,
    form_answers,
    load_questionnaire,
    read_answers,
    write_answers_csv,
)

SIPAS = load_questionnaire("sipas", 2025)


def test_every_question_gets_an_answer_missing_fields_are_no_answer():
    got = form_answers(
        SIPAS, "tok-1", "U1", {"tc1": "5", "tt1": 2, "cc1": "rat_hai_long", "gy1": ""}
    )
    assert len(got) == sum(len(f.questions) for f in SIPAS.factors)
    by_question = {a.question: a for a in got}
    assert (by_question["tc1"].factor, by_question["tc1"].value) == ("tiep_can", 5)
    assert by_question["tt1"].value == 2 and by_question["cc1"].value == 5
    assert by_question["gy1"].value is None and by_question["kq1"].value is None


def test_bad_fields_are_named_so_the_form_can_show_them():
    with pytest.raises(SurveyInputError) as exc:
        form_answers(SIPAS, "", "U1", {"tc1": "6", "zz": "4"}, source="phiếu giấy số 17")
    assert {p.column for p in exc.value.problems} == {"respondent_id", "zz", "tc1"}
    assert str(exc.value).startswith("phiếu giấy số 17")


def test_collected_answers_round_trip_through_the_long_format(tmp_path):
    answers = form_answers(SIPAS, "a", "U1", {"tc1": 5, "tc2": 3}) + form_answers(
        SIPAS, "b", "U1", {"tc1": 4}
    )
    path = write_answers_csv(answers, tmp_path / "collected.csv")
    again = read_answers(path, SIPAS)
    assert again == answers
    # tiep_can: 5, 3, 4 valid (tc3 and b's tc2, tc3 unanswered) → 2 of 3
    share = compute_index(again).unit("U1").factors["tiep_can"].share
    assert (share.satisfied, share.valid) == (2, 3)
