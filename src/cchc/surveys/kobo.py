"""Import a KoboToolbox / ODK "wide" export: one row per submission, one column per question.

Export settings expected: XML values and headers (choice names or numbers, not labels).
Question columns may carry group paths (``tiep_can/tc1`` or ``grp/sub/tc1``): the last path
segment is matched to the questionnaire's question ids, and the questionnaire gives the
factor. ``_uuid`` identifies the respondent; ``_submission_time`` and Kobo's other metadata
columns (``_id``, ``start``, ``deviceid`` …) are ignored, as is any column that is not a
question.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from cchc.surveys.answers import Answer, check_respondent_unit
from cchc.surveys.errors import ProblemList
from cchc.surveys.questionnaire import Questionnaire
from cchc.tables import DEFAULT_LIMITS, TableLimits, read_text_table

__all__ = ["read_kobo"]


def _last_segment(column: str) -> str:
    return column.rsplit("/", 1)[-1].strip()


def read_kobo(
    source: Path | str | IO[bytes],
    questionnaire: Questionnaire,
    *,
    unit_column: str = "unit_code",
    name: str | None = None,
    limits: TableLimits = DEFAULT_LIMITS,
) -> list[Answer]:
    """Read a Kobo/ODK wide export into answers, mapped through ``questionnaire``.

    ``source`` is a path, or a binary stream named by ``name``. ``unit_column`` names the form field holding the assessed unit's code (matched on the
    last path segment, so ``thong_tin/unit_code`` works). All-or-nothing, like ``read_answers``.
    """
    table = read_text_table(source, name, limits=limits)
    problems = ProblemList(table.file)
    uuid_col = next((i for i, h in enumerate(table.header) if h == "_uuid"), None)
    unit_col = next(
        (i for i, h in enumerate(table.header) if _last_segment(h) == unit_column), None
    )
    question_cols: list[tuple[int, str, str]] = []  # (column index, factor key, question id)
    seen_questions: dict[str, str] = {}
    for i, header in enumerate(table.header):
        found = questionnaire.question(_last_segment(header))
        if found is None:
            continue
        factor, question = found
        if question.id in seen_questions:
            problems.add(
                f"câu hỏi '{question.id}' xuất hiện hai lần (cả cột '{seen_questions[question.id]}')",
                table.header_row,
                header,
            )
        seen_questions[question.id] = header
        question_cols.append((i, factor.key, question.id))
    if uuid_col is None:
        problems.add("thiếu cột bắt buộc", table.header_row, "_uuid")
    if unit_col is None:
        problems.add("thiếu cột mã đơn vị", table.header_row, unit_column)
    if not question_cols:
        problems.add(
            f"không có cột nào khớp câu hỏi của phiếu {questionnaire.kind}-{questionnaire.version}",
            table.header_row,
        )
    problems.raise_if_any()
    assert uuid_col is not None and unit_col is not None  # for mypy: checked just above
    scale = questionnaire.scale
    answers: list[Answer] = []
    units: dict[str, tuple[str, int]] = {}
    for row, cells in table.rows:
        respondent = cells[uuid_col].strip()
        unit = cells[unit_col].strip()
        if not respondent:
            problems.add("không được để trống", row, "_uuid")
        if not unit:
            problems.add("không được để trống", row, table.header[unit_col])
        if not respondent or not unit:
            continue
        if respondent in units:
            problems.add(
                f"bản ghi '{respondent}' trùng với dòng {units[respondent][1]}", row, "_uuid"
            )
            continue
        check_respondent_unit(units, respondent, unit, row, problems)
        for col, factor_key, question_id in question_cols:
            text = cells[col]
            try:
                value = scale.value_of(text)
            except ValueError:
                names = ", ".join(level.name for level in scale.levels)
                problems.add(
                    f"giá trị '{text}' không hợp lệ: cần {scale.levels[0].value}–{scale.max}, "
                    f"một trong {names}, hoặc để trống",
                    row,
                    table.header[col],
                )
                continue
            answers.append(Answer(respondent, unit, factor_key, question_id, value))
    if not answers and not problems.items:
        problems.add("tệp không có dòng dữ liệu nào", table.header_row + 1)
    problems.raise_if_any()
    return answers
