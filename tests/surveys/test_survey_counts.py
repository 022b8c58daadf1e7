"""Counting a long answers CSV column-wise: the same counts as the row-by-row reader on
every clean file, and, on every bad file, the row-by-row reader's own errors (file, row,
column), because the column-wise path hands a file it cannot vouch for back to it."""

from __future__ import annotations

import json
import random

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from cchc.cli import app
from cchc.surveys import Answer, SurveyInputError, index_json, load_questionnaire, read_answers
from cchc.surveys import counts as counts_module
from cchc.surveys.counts import count_answers_file
from cchc.surveys.index import count_answers, index_from_counts

SIPAS = load_questionnaire("sipas", 2024)
QUESTIONS = [(f.key, q.id) for f in SIPAS.factors for q in f.questions]


def _row_by_row(path, questionnaire=None, satisfied_min=4):
    return count_answers(read_answers(path, questionnaire), satisfied_min)


@pytest.fixture
def columns_only(monkeypatch):
    """Fail the test if the column-wise path hands the file to the row-by-row reader."""

    def refuse(*args, **kwargs):
        raise AssertionError("the column-wise path fell back to the row-by-row reader")

    monkeypatch.setattr(counts_module, "read_answers", refuse)


def _wave(seed: int, people: int = 120) -> list[list[str]]:
    """Respondents in shuffled order over 7 units, spaces around some cells, every way of
    not answering (empty, 0, spaces), a unit that no one answers satisfied, and a factor
    first seen after others so that first-appearance order matters."""
    rng = random.Random(seed)
    rows = []
    for r in range(people):
        unit = f"U{rng.randrange(7)}"
        for factor, question in rng.sample(QUESTIONS, k=len(QUESTIONS) - rng.randrange(3)):
            answer = rng.choice(["1", "2", "3", "4", "5", " 5 ", "", "0", "  "])
            if unit == "U6" and answer.strip() in ("4", "5"):
                answer = "3"
            respondent = f"r{r}" if rng.random() < 0.9 else f" r{r}"
            rows.append(
                [respondent, f" {unit}" if rng.random() < 0.1 else unit, factor, question, answer]
            )
    return rows


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_clean_file_gives_the_row_by_row_counts_without_reading_rows(
    write_table, seed, columns_only
):
    rows = _wave(seed)
    path = write_table("answers.csv", rows)
    expected = count_answers(_rows(rows), 4)
    assert count_answers_file(path) == expected
    assert count_answers_file(path, SIPAS, satisfied_min=4) == expected


def _rows(rows):
    """The answers as the reader defines them: cells stripped, empty and 0 = no answer."""
    scale = {"": None, "0": None, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}
    return [Answer(r.strip(), u.strip(), f, q, scale[a.strip()]) for r, u, f, q, a in rows]


def test_the_index_is_the_same_object_either_way(write_table):
    path = write_table("answers.csv", _wave(3))
    column_wise = index_from_counts(count_answers_file(path), weights=None)
    row_by_row = index_from_counts(_row_by_row(path))
    assert column_wise == row_by_row


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (["r1", "U1", "tiep_can", "tc2", "6"], "dòng 3, cột answer"),
        (["r1", "U1", "tiep_can", "tc2", "4 5"], "dòng 3, cột answer"),
        (["r1", "", "tiep_can", "tc2", "4"], "dòng 3, cột unit_code"),
        (["  ", "U1", "tiep_can", "tc2", "4"], "dòng 3, cột respondent_id"),
        (["r1", "U2", "tiep_can", "tc2", "4"], "dòng 3, cột unit_code"),
        (["r1", "U1", "tiep_can", "tc1", "4"], "dòng 3, cột question"),
    ],
)
def test_a_bad_row_is_named_by_the_row_by_row_reader(write_table, bad, where):
    path = write_table("answers.csv", [["r1", "U1", "tiep_can", "tc1", "5"], bad])
    with pytest.raises(SurveyInputError) as raised:
        count_answers_file(path)
    with pytest.raises(SurveyInputError) as expected:
        read_answers(path)
    assert str(raised.value) == str(expected.value)
    assert f"{path}, {where}" in str(raised.value)


@pytest.mark.parametrize(
    ("factor", "question"),
    [("tiep_can", "khong_co"), ("khong_co", "tc1"), ("thu_tuc", "tc1")],
)
def test_factors_and_questions_are_checked_against_the_questionnaire(write_table, factor, question):
    path = write_table(
        "answers.csv", [["r1", "U1", "tiep_can", "tc2", "5"], ["r1", "U1", factor, question, "4"]]
    )
    with pytest.raises(SurveyInputError) as raised:
        count_answers_file(path, SIPAS)
    with pytest.raises(SurveyInputError) as expected:
        read_answers(path, SIPAS)
    assert str(raised.value) == str(expected.value)
    assert "dòng 3" in str(raised.value)


def test_a_missing_column_or_an_empty_file_is_reported_as_before(write_table):
    missing = write_table(
        "missing.csv",
        [["r1", "U1", "f", "q"]],
        header=("respondent_id", "unit_code", "factor", "question"),
    )
    empty = write_table("empty.csv", [])
    for path in (missing, empty):
        with pytest.raises(SurveyInputError) as raised:
            count_answers_file(path)
        with pytest.raises(SurveyInputError) as expected:
            read_answers(path)
        assert str(raised.value) == str(expected.value)


def test_semicolons_and_a_spreadsheet_are_read_as_before(write_table):
    rows = _wave(4, people=30)
    semicolon = write_table("answers.csv", rows, delimiter=";")
    assert count_answers_file(semicolon) == _row_by_row(semicolon)
    sheet = write_table("answers.xlsx", [[r, u, f, q, a.strip()] for r, u, f, q, a in rows])
    assert count_answers_file(sheet) == _row_by_row(sheet)


def test_cli_index_json_is_byte_identical_to_the_row_by_row_path(write_table):
    path = write_table("answers.csv", _wave(5))
    result = CliRunner().invoke(app, ["survey", "index", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    expected = index_json(index_from_counts(_row_by_row(path)))
    assert result.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_codes_follow_the_file_order_across_chunks_whatever_each_dictionary_says():
    """The reader gives each chunk its own dictionary; codes are numbered by first row in
    the file (the order of factors and questions in the index), texts differing by spaces
    share a code, and a dictionary entry no row uses gets none."""
    first = pa.DictionaryArray.from_arrays(
        pa.array([1, 0, 1], pa.int32()), pa.array(["b", "a", "unused"])
    )
    second = pa.DictionaryArray.from_arrays(pa.array([1, 0], pa.int32()), pa.array([" a", "c"]))
    codes, texts = counts_module._codes(pa.chunked_array([first, second]))
    assert texts == ["a", "b", "c"]
    assert codes.tolist() == [0, 1, 0, 2, 0]
    assert codes.dtype.itemsize == 4  # int32: a million rows, 4 MB a column


def test_a_file_of_many_reader_chunks_gives_the_row_by_row_counts(write_table, columns_only):
    """Tens of thousands of rows: Arrow reads them in several chunks, each with its own
    dictionary, and the counts are still those of the row-by-row reader."""
    rows = _wave(6, people=6500)
    path = write_table("answers.csv", rows)
    assert path.stat().st_size > 2 * 1024 * 1024  # more than Arrow's 1 MiB block, twice
    assert count_answers_file(path, SIPAS) == count_answers(_rows(rows), 4)


def test_the_command_imports_no_heavy_module_it_does_not_use(write_table):
    """Start-up is part of the command's memory and time (a one-row file used to peak at
    87 MB, 9 of them pyarrow.compute imported by the sampling module): counting a wave
    needs Arrow's CSV reader and numpy, not Arrow's compute kernels, Acero or pandas."""
    import subprocess
    import sys

    path = write_table("answers.csv", _wave(7, people=5))
    code = (
        "import sys; from typer.testing import CliRunner; from cchc.cli import app; "
        "r = CliRunner().invoke(app, ['survey', 'index', sys.argv[1], '--format', 'json']); "
        "heavy = {'pandas', 'pyarrow.compute', 'pyarrow.acero'} & set(sys.modules); "
        "print(r.exit_code, sorted(heavy))"
    )
    # -X faulthandler: the one failure seen (a SIGABRT once in a whole-suite run, not
    # reproduced in 40 runs alone) left no trace; the next one prints where it stopped.
    out = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", code, str(path)],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, f"exit {out.returncode}: {out.stderr}"
    assert out.stdout.strip() == "0 []", out.stdout + out.stderr
