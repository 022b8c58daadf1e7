"""Answer values must be exactly the listed ones: "1e0", " 1", "1.0" are not the listed "1"."""

from __future__ import annotations

import pytest

from cchc.surveys import SurveyInputError, form_answers, load_questionnaire, read_answers
from cchc.surveys.answers import DEFAULT_SCALE

SIPAS = load_questionnaire("sipas", 2024)


@pytest.mark.parametrize("text", ["1e0", " 1", "1 ", "1.0", "1,0", "+1", "01", "0.0", "5.00", "１"])
def test_other_spellings_of_a_listed_number_are_refused(text):
    for scale in (SIPAS.scale, DEFAULT_SCALE):
        with pytest.raises(ValueError):
            scale.value_of(text)


def test_the_listed_values_and_no_answer_are_read():
    scale = SIPAS.scale
    assert [scale.value_of(str(level.value)) for level in scale.levels] == [lv.value for lv in scale.levels]
    assert [scale.value_of(level.name) for level in scale.levels] == [lv.value for lv in scale.levels]
    assert scale.value_of("") is None and scale.value_of("0") is None


def test_a_file_with_1e0_names_the_row_and_column(tmp_path):
    path = tmp_path / "tra-loi.csv"
    path.write_text(
        "respondent_id,unit_code,factor,question,answer\n"
        "p1,BSO,tiep_can,tc1,5\np2,BSO,tiep_can,tc1,1e0\np3,BSO,tiep_can,tc1,4.0\n",
        encoding="utf-8",
    )
    with pytest.raises(SurveyInputError) as caught:
        read_answers(path, SIPAS)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "answer"), (4, "answer")]


def test_a_typed_form_with_a_padded_number_names_the_question():
    question = SIPAS.factors[0].questions[0].id
    with pytest.raises(SurveyInputError) as caught:
        form_answers(SIPAS, "p1", "BSO", {question: " 1"})
    assert [p.column for p in caught.value.problems] == [question]
