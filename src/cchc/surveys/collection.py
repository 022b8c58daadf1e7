"""Answers collected one respondent at a time (web form by one-time link, paper entry by staff).

The web app calls ``form_answers`` with the posted fields and stores the result; the same
function checks paper forms typed in by staff. ``write_answers_csv`` writes answers in the
long interchange format, so collected answers feed ``cchc survey index`` like an import.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

from cchc.surveys.answers import ANSWER_COLUMNS, Answer
from cchc.surveys.errors import ProblemList
from cchc.surveys.questionnaire import Questionnaire

__all__ = ["EMPTY_FORM", "form_answers", "write_answers_csv"]

#: Why a form with no answer is refused. Every question may be skipped ("không trả lời"),
#: but one respondent must answer at least one: an empty form carries nothing into any
#: rate and would only raise the count of respondents (and use up a one-time link).
EMPTY_FORM = (
    "chưa trả lời câu hỏi nào; xin chọn mức độ hài lòng cho ít nhất một câu hỏi "
    "(các câu khác có thể để “Không trả lời”)"
)


def form_answers(
    questionnaire: Questionnaire,
    respondent_id: str,
    unit_code: str,
    values: Mapping[str, str | int | None],
    *,
    source: str = "phiếu",
) -> list[Answer]:
    """One answer per question of ``questionnaire`` from ``values`` (question id → level).

    A missing or empty field is "không trả lời"; an unknown field or a value off the scale
    raises ``SurveyInputError`` naming the field (``column``), so a form can show it in place.
    A form with no question answered on the scale (every field empty or "không trả lời") is
    refused with ``EMPTY_FORM``: it would count a respondent who said nothing (docs/survey_web.md).
    ``source`` labels the messages (e.g. the paper form's number).
    """
    problems = ProblemList(source)
    if not respondent_id.strip():
        problems.add("không được để trống", column="respondent_id")
    if not unit_code.strip():
        problems.add("không được để trống", column="unit_code")
    known = {q.id for f in questionnaire.factors for q in f.questions}
    for field in values:
        if field not in known:
            problems.add(
                f"câu hỏi '{field}' không có trong phiếu {questionnaire.kind}-{questionnaire.version}",
                column=field,
            )
    answers: list[Answer] = []
    scale = questionnaire.scale
    for factor in questionnaire.factors:
        for question in factor.questions:
            raw = values.get(question.id)
            text = "" if raw is None else str(raw)
            try:
                value = scale.value_of(text)
            except ValueError:
                problems.add(
                    f"giá trị '{text}' không hợp lệ: cần {scale.levels[0].value}–{scale.max} hoặc để trống",
                    column=question.id,
                )
                continue
            answers.append(
                Answer(respondent_id.strip(), unit_code.strip(), factor.key, question.id, value)
            )
    if not problems and all(a.value is None for a in answers):
        problems.add(EMPTY_FORM)
    problems.raise_if_any()
    return answers


def write_answers_csv(answers: Iterable[Answer], path: Path | str) -> Path:
    """Write answers in the long format (no answer = empty cell)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(ANSWER_COLUMNS)
        for a in answers:
            writer.writerow(
                [
                    a.respondent_id,
                    a.unit_code,
                    a.factor,
                    a.question,
                    "" if a.value is None else a.value,
                ]
            )
    return path
