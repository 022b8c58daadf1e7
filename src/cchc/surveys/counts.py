"""The survey index of a long answers CSV, validated and counted column-wise.

A national SIPAS wave is about a million answers; one Python object per answer
(``read_answers`` + ``compute_index``) costs seconds and hundreds of MB. Here the file is
read once into Arrow text columns, every check of ``read_answers`` is made over the
distinct values and integer codes (cells stripped as there, answer values mapped by the
same ``Scale.value_of``, factors and questions against the questionnaire, one unit per
respondent, one answer per respondent and question, at least one row), and the
satisfied/valid/answer counts per unit, factor and question are grouped by Arrow.

When any check fails, or the file is not a CSV Arrow can read as it is, the answers are read
again row by row by ``read_answers``: that path alone names the bad rows (file, row, column),
so errors and their wording are exactly those of the row-by-row reader. A clean file gives
the same ``AnswerCounts`` either way, so the same index (``index_from_counts``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from cchc.surveys.answers import ANSWER_COLUMNS, DEFAULT_SCALE, read_answers
from cchc.surveys.index import AnswerCounts, QuestionCount, count_answers
from cchc.surveys.questionnaire import Questionnaire
from cchc.tables import DEFAULT_LIMITS, TableError, TableLimits, read_arrow, table_format

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["count_answers_file"]


class _RowByRow(Exception):
    """The column-wise path cannot vouch for the file: read it row by row."""


def count_answers_file(
    path: Path | str,
    questionnaire: Questionnaire | None = None,
    *,
    satisfied_min: int = 4,
    limits: TableLimits = DEFAULT_LIMITS,
) -> AnswerCounts:
    """``count_answers(read_answers(path, questionnaire))``, column-wise when the file is a
    clean CSV; raises ``SurveyInputError`` naming file, row and column like ``read_answers``.
    """
    try:
        return _count_columns(path, questionnaire, satisfied_min, limits)
    except (_RowByRow, TableError):
        return count_answers(read_answers(path, questionnaire, limits=limits), satisfied_min)


def _codes(column: pa.ChunkedArray) -> tuple[pa.Array, list[str]]:
    """Integer codes of a text column and the stripped text of each code (first appearance
    order); cells that differ only by surrounding spaces share a code, as in ``read_answers``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(column.combine_chunks())
    raw = encoded.dictionary.to_pylist()
    stripped: dict[str, int] = {}
    remap = [stripped.setdefault(text.strip(), len(stripped)) for text in raw]
    indices = encoded.indices
    if len(stripped) != len(raw):
        indices = pc.take(pa.array(remap, pa.int32()), indices)
    return indices, list(stripped)


def _count_columns(
    path: Path | str,
    questionnaire: Questionnaire | None,
    satisfied_min: int,
    limits: TableLimits,
) -> AnswerCounts:
    import pyarrow as pa
    import pyarrow.compute as pc

    with open(path, "rb") as stream:
        if table_format(stream, str(path)) != "csv":
            raise _RowByRow
    try:
        table, _ = read_arrow(path, limits=limits)
    except pa.ArrowException:
        raise _RowByRow from None
    names = table.column_names
    # No rows, a missing or doubled column: the row-by-row reader says what is wrong.
    if table.num_rows == 0 or len(set(names)) != len(names) or set(ANSWER_COLUMNS) - set(names):
        raise _RowByRow
    columns = {c: _codes(table.column(c)) for c in ANSWER_COLUMNS}
    # Blank cells of the four key columns are errors of the row-by-row reader.
    if any("" in columns[c][1] for c in ANSWER_COLUMNS[:4]):
        raise _RowByRow
    (respondent, _), (unit, units), (factor, factors), (question, questions) = (
        columns[c] for c in ANSWER_COLUMNS[:4]
    )
    answer, texts = columns["answer"]
    scale = questionnaire.scale if questionnaire else DEFAULT_SCALE
    try:
        values = [scale.value_of(text) for text in texts]
    except ValueError:
        raise _RowByRow from None
    n_questions = len(questions)
    rows = pa.table(
        {
            "respondent": respondent,
            "unit": unit,
            "factor": factor,
            "question": question,
            "valid": pc.take(pa.array([v is not None for v in values]), answer),
            "satisfied": pc.take(
                pa.array([v is not None and v >= satisfied_min for v in values]), answer
            ),
            "row": pa.array(range(table.num_rows), pa.int64()),
            "pair": pc.add(
                pc.multiply(respondent.cast(pa.int64()), n_questions), question.cast(pa.int64())
            ),
        }
    )
    # One unit per respondent, one answer per respondent and question.
    per_respondent = rows.group_by("respondent").aggregate([("unit", "count_distinct")])
    if pc.max(per_respondent.column("unit_count_distinct")).as_py() != 1:
        raise _RowByRow
    if len(pc.unique(rows.column("pair"))) != rows.num_rows:
        raise _RowByRow
    groups = rows.group_by(["unit", "factor", "question"]).aggregate(
        [("row", "min"), ("row", "count"), ("valid", "sum"), ("satisfied", "sum")]
    )
    groups = groups.sort_by("row_min")
    if questionnaire is not None:
        for f, q in set(
            zip(
                groups.column("factor").to_pylist(),
                groups.column("question").to_pylist(),
                strict=True,
            )
        ):
            found = questionnaire.question(questions[q])
            if (
                questionnaire.factor(factors[f]) is None
                or found is None
                or found[0].key != factors[f]
            ):
                raise _RowByRow
    first_factor = rows.group_by("factor").aggregate([("row", "min")]).sort_by("row_min")
    factor_keys = tuple(factors[f] for f in first_factor.column("factor").to_pylist())
    counts: dict[str, dict[str, dict[str, QuestionCount]]] = {}
    for u, f, q, n, valid, satisfied in zip(
        *(
            groups.column(c).to_pylist()
            for c in ("unit", "factor", "question", "row_count", "valid_sum", "satisfied_sum")
        ),
        strict=True,
    ):
        counts.setdefault(units[u], {}).setdefault(factors[f], {})[questions[q]] = QuestionCount(
            n, valid, satisfied
        )
    people = rows.group_by("unit").aggregate([("respondent", "count_distinct")])
    respondents = dict(
        zip(
            (units[u] for u in people.column("unit").to_pylist()),
            people.column("respondent_count_distinct").to_pylist(),
            strict=True,
        )
    )
    return AnswerCounts(counts, respondents, factor_keys)
