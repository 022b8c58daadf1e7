"""The survey index of a long answers CSV, validated and counted column-wise.

A national SIPAS wave is about a million answers; one Python object per answer
(``read_answers`` + ``compute_index``) costs seconds and hundreds of MB. Here the file is
read once by the one table reader into dictionary-encoded Arrow columns (a few distinct
texts repeated a million times: the text of each cell is never held), turned into one
int32 code array per column, and every check of ``read_answers`` is made over the
distinct values and integer codes (cells stripped as there, answer values mapped by the
same ``Scale.value_of``, factors and questions against the questionnaire, one unit per
respondent, one answer per respondent and question, at least one row), and the
satisfied/valid/answer counts per unit, factor and question are counted by numpy.

When any check fails, or the file is not a CSV Arrow can read as it is, the answers are read
again row by row by ``read_answers``: that path alone names the bad rows (file, row, column),
so errors and their wording are exactly those of the row-by-row reader. A clean file gives
the same ``AnswerCounts`` either way, so the same index (``index_from_counts``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from cchc.surveys.answers import ANSWER_COLUMNS, DEFAULT_SCALE, read_answers
from cchc.surveys.index import AnswerCounts, QuestionCount, count_answers
from cchc.surveys.questionnaire import Questionnaire
from cchc.tables import DEFAULT_LIMITS, TableError, TableLimits, read_arrow, table_format

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa
    from numpy.typing import NDArray

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


def _codes(column: pa.ChunkedArray) -> tuple[NDArray[np.int32], list[str]]:
    """Integer codes of a dictionary-encoded text column and the stripped text of each code,
    numbered in order of first appearance in the file; cells that differ only by surrounding
    spaces share a code, as in ``read_answers``.

    Each chunk of the reader has its own small dictionary: it is mapped onto the file's
    codes in Python (a few thousand texts at most) and its indices, through that map, in
    numpy, into one int32 array: the column's only copy.
    """
    import numpy as np

    codes = np.empty(len(column), dtype=np.int32)
    stripped: dict[str, int] = {}
    start = 0
    for chunk in column.chunks:
        size = len(chunk)
        if size == 0:
            continue
        # The indices' own buffer (``to_numpy`` would import pandas: a second of start-up
        # that a one-shot CLI command must not pay). Cells are never null here.
        indices = chunk.indices
        local = np.frombuffer(
            indices.buffers()[1], dtype=np.int32, count=size, offset=indices.offset * 4
        )
        raw = chunk.dictionary.to_pylist()
        # New texts are numbered by their first row in the chunk, whatever the order of
        # the chunk's dictionary; texts of the dictionary no row uses get no code.
        first = np.full(len(raw), size, dtype=np.int64)
        np.minimum.at(first, local, np.arange(size))
        remap = np.zeros(len(raw), dtype=np.int32)
        for entry in np.argsort(first, kind="stable").tolist():
            if first[entry] == size:
                break
            remap[entry] = stripped.setdefault(raw[entry].strip(), len(stripped))
        codes[start : start + size] = remap[local]
        start += size
    return codes, list(stripped)


def _pairs(
    major: NDArray[np.signedinteger[Any]],
    minor: NDArray[np.signedinteger[Any]],
    minor_count: int,
    space: int,
) -> NDArray[np.signedinteger[Any]]:
    """``major * minor_count + minor`` in int32 while the key space fits (half the memory
    of int64 on a million rows), in int64 beyond."""
    import numpy as np

    if space < 2**31:
        return major * np.int32(minor_count) + minor
    return major.astype(np.int64) * minor_count + minor


def _count_columns(
    path: Path | str,
    questionnaire: Questionnaire | None,
    satisfied_min: int,
    limits: TableLimits,
) -> AnswerCounts:
    import numpy as np
    import pyarrow as pa

    with open(path, "rb") as stream:
        if table_format(stream, str(path)) != "csv":
            raise _RowByRow
    try:
        table, _ = read_arrow(path, limits=limits, dictionary=True)
    except pa.ArrowException:
        raise _RowByRow from None
    names = table.column_names
    # No rows, a missing or doubled column: the row-by-row reader says what is wrong.
    if table.num_rows == 0 or len(set(names)) != len(names) or set(ANSWER_COLUMNS) - set(names):
        raise _RowByRow
    pool = pa.default_memory_pool()
    pool.release_unused()
    columns = {}
    for name in ANSWER_COLUMNS:
        columns[name] = _codes(table.column(name))
        # each column's Arrow memory goes back once it has its codes
        table = table.drop_columns([name])
        pool.release_unused()
    del table
    # Blank cells of the four key columns are errors of the row-by-row reader.
    if any("" in columns[c][1] for c in ANSWER_COLUMNS[:4]):
        raise _RowByRow
    (respondent, people), (unit, units), (factor, factors), (question, questions) = (
        columns[c] for c in ANSWER_COLUMNS[:4]
    )
    answer, texts = columns["answer"]
    scale = questionnaire.scale if questionnaire else DEFAULT_SCALE
    try:
        values = [scale.value_of(text) for text in texts]
    except ValueError:
        raise _RowByRow from None
    valid = np.asarray([v is not None for v in values], dtype=np.bool_)[answer]
    satisfied = np.asarray([v is not None and v >= satisfied_min for v in values], dtype=np.bool_)[
        answer
    ]
    del answer
    # One unit per respondent: write each row's unit at its respondent, then every row must
    # read its own unit back (whichever row wrote last, a second unit shows as a mismatch).
    unit_of = np.empty(len(people), dtype=np.intp)
    unit_of[respondent] = unit
    if (unit_of[respondent] != unit).any():
        raise _RowByRow
    # One answer per respondent and question.
    pair = _pairs(respondent, question, len(questions), len(people) * len(questions))
    if _small(len(people) * len(questions), pair.size):
        repeated = bool((np.bincount(pair) > 1).any())
    else:
        ordered = np.sort(pair)
        repeated = bool((ordered[1:] == ordered[:-1]).any())
    if repeated:
        raise _RowByRow
    # Groups (unit, factor, question) in order of first appearance: the order of factors
    # and questions in the result.
    space = len(units) * len(factors) * len(questions)
    key = _pairs(
        _pairs(unit, factor, len(factors), space), question, len(questions), space
    )
    if _small(space, key.size):
        answers = np.bincount(key, minlength=space)
        keys = np.flatnonzero(answers)
        first_row = np.full(space, key.size, dtype=np.intp)
        np.minimum.at(first_row, key, np.arange(key.size))
        first = first_row[keys]
        answers = answers[keys]
        valid_sum = np.bincount(key[valid], minlength=space)[keys]
        satisfied_sum = np.bincount(key[satisfied], minlength=space)[keys]
    else:
        keys, first, group = np.unique(key, return_index=True, return_inverse=True)
        answers = np.bincount(group, minlength=keys.size)
        valid_sum = np.bincount(group[valid], minlength=keys.size)
        satisfied_sum = np.bincount(group[satisfied], minlength=keys.size)
    order = np.argsort(first, kind="stable")
    group_unit = keys // (len(factors) * len(questions))
    group_factor = keys // len(questions) % len(factors)
    group_question = keys % len(questions)
    if questionnaire is not None:
        for f, q in set(zip(group_factor.tolist(), group_question.tolist(), strict=True)):
            found = questionnaire.question(questions[q])
            if (
                questionnaire.factor(factors[f]) is None
                or found is None
                or found[0].key != factors[f]
            ):
                raise _RowByRow
    # Codes are numbered in order of first appearance, so factor code order is that order.
    factor_keys = tuple(factors)
    counts: dict[str, dict[str, dict[str, QuestionCount]]] = {}
    for g in order.tolist():
        counts.setdefault(units[int(group_unit[g])], {}).setdefault(
            factors[int(group_factor[g])], {}
        )[questions[int(group_question[g])]] = QuestionCount(
            int(answers[g]), int(valid_sum[g]), int(satisfied_sum[g])
        )
    # Each respondent is in one unit (checked above): count them per unit.
    per_unit = np.bincount(unit_of, minlength=len(units))
    respondents = {units[u]: int(per_unit[u]) for u in range(len(units)) if units[u] in counts}
    return AnswerCounts(counts, respondents, factor_keys)


def _small(space: int, rows: int) -> bool:
    """Whether a table of counts over a key space is cheap next to the rows themselves
    (then counting by index beats sorting the keys)."""
    return space <= 4 * rows + 1_000_000
