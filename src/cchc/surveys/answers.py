"""Survey answers and their import from the long CSV/XLSX interchange format.

Format (docs/surveys.md, Answers): columns ``respondent_id,unit_code,factor,question,answer``, one
row per answer; answer 1–5 exactly as listed (not "1.0" or "1e0"), and empty or 0 means
"không trả lời" (no answer). Imports are
all-or-nothing: every problem is collected with its file, row and column, and nothing is
returned unless the whole file is clean.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from cchc.surveys.errors import ProblemList
from cchc.surveys.questionnaire import Level, Questionnaire, Scale
from cchc.tables import DEFAULT_LIMITS, TableLimits, read_text_table

__all__ = ["ANSWER_COLUMNS", "DEFAULT_SCALE", "Answer", "check_respondent_unit", "read_answers"]

ANSWER_COLUMNS = ("respondent_id", "unit_code", "factor", "question", "answer")

# The 5-level scale of the contract, used when no questionnaire is given.
DEFAULT_SCALE = Scale(
    levels=tuple(Level(v, str(v), str(v)) for v in range(1, 6)),
    satisfied_min=4,
    no_answer=Level(0, "0", "Không trả lời"),
)


@dataclass(frozen=True, slots=True)  # slots: a province-wide import holds millions
class Answer:
    """One respondent's answer to one question; ``value`` None means no answer."""

    respondent_id: str
    unit_code: str
    factor: str
    question: str
    value: int | None


def check_respondent_unit(
    seen: dict[str, tuple[str, int]], respondent: str, unit: str, row: int, problems: ProblemList
) -> None:
    """A respondent belongs to one unit; flag a second unit with the row of the first."""
    first = seen.setdefault(respondent, (unit, row))
    if first[0] != unit:
        problems.add(
            f"người trả lời '{respondent}' đã thuộc đơn vị '{first[0]}' ở dòng {first[1]}",
            row,
            "unit_code",
        )


def read_answers(
    source: Path | str | IO[bytes],
    questionnaire: Questionnaire | None = None,
    *,
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
) -> list[Answer]:
    """Read a long-format answers file (a path, or a binary stream and its ``name``); with a
    questionnaire, factors and questions are checked.

    Raises ``SurveyInputError`` listing every bad row (file, row, column, reason).
    """
    table = read_text_table(source, name, limits=limits)
    problems = ProblemList(table.file)
    index = {name: i for i, name in enumerate(table.header)}
    for column in ANSWER_COLUMNS:
        if column not in index:
            problems.add("thiếu cột bắt buộc", table.header_row, column)
    problems.raise_if_any()
    scale = questionnaire.scale if questionnaire else DEFAULT_SCALE
    levels = f"{scale.levels[0].value}–{scale.max}"
    answers: list[Answer] = []
    parsed: dict[str, int | None] = {}
    units: dict[str, tuple[str, int]] = {}
    first_row: dict[tuple[str, str], int] = {}
    names: dict[str, str] = {}  # one string object per unit/factor/question code
    for row, cells in table.rows:
        values = {c: cells[index[c]].strip() for c in ANSWER_COLUMNS[:4]}
        # The answer exactly as written: only the listed values are answers (Scale.value_of).
        values["answer"] = cells[index["answer"]]
        missing = [c for c in ANSWER_COLUMNS[:4] if not values[c]]
        for column in missing:
            problems.add("không được để trống", row, column)
        if missing:
            continue
        respondent = values["respondent_id"]
        unit, factor, question = (
            names.setdefault(values[c], values[c]) for c in ANSWER_COLUMNS[1:4]
        )
        if questionnaire is not None:
            found = questionnaire.question(question)
            if questionnaire.factor(factor) is None:
                problems.add(
                    f"yếu tố '{factor}' không có trong phiếu {questionnaire.kind}-{questionnaire.version}",
                    row,
                    "factor",
                )
            elif found is None:
                problems.add(
                    f"câu hỏi '{question}' không có trong phiếu {questionnaire.kind}-{questionnaire.version}",
                    row,
                    "question",
                )
            elif found[0].key != factor:
                problems.add(
                    f"câu hỏi '{question}' thuộc yếu tố '{found[0].key}', không phải '{factor}'",
                    row,
                    "factor",
                )
        text = values["answer"]
        try:
            # Few distinct cells ("1".."5", ""), millions of rows: parse each text once.
            value = (
                parsed[text] if text in parsed else parsed.setdefault(text, scale.value_of(text))
            )
        except ValueError:
            problems.add(
                f"giá trị '{values['answer']}' không hợp lệ: cần {levels}, 0 hoặc để trống (không trả lời)",
                row,
                "answer",
            )
            continue
        check_respondent_unit(units, respondent, unit, row, problems)
        previous = first_row.setdefault((respondent, question), row)
        if previous != row:
            problems.add(
                f"người trả lời '{respondent}' đã trả lời câu '{question}' ở dòng {previous}",
                row,
                "question",
            )
        answers.append(Answer(respondent, unit, factor, question, value))
    if not answers and not problems.items:
        problems.add("tệp không có dòng dữ liệu nào", table.header_row + 1)
    problems.raise_if_any()
    return answers
