"""Every importer, fed random or mutated files, either succeeds or raises its own error.

The documented error classes carry file/row/column messages meant for people; any other
exception (IndexError, UnicodeDecodeError, ArrowInvalid, zipfile.BadZipFile, …) would reach
the user as a traceback, which is the bug these tests look for.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cchc.par.framework import load_framework
from cchc.par.scores import ScoresError, load_scores
from cchc.service.importer import LedgerImportError, read_ledger
from cchc.surveys.answers import read_answers
from cchc.surveys.errors import SurveyInputError

SEED = Path(__file__).resolve().parents[2] / "src" / "cchc" / "demo" / "data"
FRAMEWORK = load_framework(SEED / "framework_district_2022.yaml")
SCORES_CSV = (SEED / "district_2022.csv").read_text(encoding="utf-8")
LEDGER_CSV = (
    "dossier_code,unit_code,procedure_code,received_at,due_at,finished_at,status,channel,"
    "has_fee,paid_online,supplement_count,rating\n"
    "H12-250102-0001,U1,P1,2025-01-02 08:00,2025-01-10 17:00:00,2025-01-05T09:30:00,finished,"
    "online,true,1,,like\n"
    "H12-250102-0002,U1,P1,02/01/2025 09:15,,,processing,counter,0,false,2,\n"
)
ANSWERS_CSV = (
    "respondent_id,unit_code,factor,question,answer\n"
    "R1,HNH,TIEP_CAN,TC1,5\nR1,HNH,TIEP_CAN,TC2,4\nR2,ANH,TIEP_CAN,TC1,3\nR2,ANH,TIEP_CAN,TC2,\n"
)

Importer = Callable[[Path], object]
IMPORTERS: dict[str, tuple[Importer, type[Exception], str]] = {
    "par.load_scores": (lambda p: load_scores(p, FRAMEWORK), ScoresError, SCORES_CSV),
    "service.read_ledger": (read_ledger, LedgerImportError, LEDGER_CSV),
    "surveys.read_answers": (read_answers, SurveyInputError, ANSWERS_CSV),
}
CSV_NAMES = sorted(IMPORTERS)
SHEET_NAMES = sorted(IMPORTERS)
FUZZ = settings(
    max_examples=40,
    report_multiple_bugs=False,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _feed(name: str, data: bytes, suffix: str) -> None:
    importer, error, _ = IMPORTERS[name]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"tep{suffix}"
        path.write_bytes(data)
        try:
            importer(path)
        except error as exc:
            assert str(exc).strip(), "an import error must say what is wrong"


@st.composite
def mutated(draw: st.DrawFn, text: str) -> bytes:
    """A valid file with a few edits of the kinds real files suffer."""
    data = text.encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["cut", "insert", "replace", "truncate", "dup", "bom", "nul"]))
        at = draw(st.integers(0, len(data)))
        if kind == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 30)) :]
        elif kind == "insert":
            chunk = draw(
                st.sampled_from(
                    [b",", b";", b'"', b"\n", b"\r\n", b"=1+1", b"-", b"1e309", b"NaN", b"\xff\xfe",
                     "Hoài Nhơn".encode(), "Ho\xb5i".encode("latin-1"), b"9" * 40]
                )
                | st.binary(max_size=12)
            )  # fmt: skip
            data = data[:at] + chunk + data[at:]
        elif kind == "replace":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 8 :]
        elif kind == "truncate":
            data = data[:at]
        elif kind == "dup":
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            data = b"\n".join(lines[: i + 1] + lines[i:])
        elif kind == "bom":
            data = b"\xef\xbb\xbf" + data
        else:
            data = data[:at] + b"\x00" + data[at:]
    return data


@pytest.mark.parametrize("name", CSV_NAMES)
@FUZZ
@given(data=st.binary(max_size=2000))
@example(data=b"\x80not utf-8")
def test_random_bytes_as_csv(name, data):
    _feed(name, data, ".csv")


@pytest.mark.parametrize("name", CSV_NAMES)
@FUZZ
@given(data=st.data())
def test_mutated_valid_csv(name, data):
    _feed(name, data.draw(mutated(IMPORTERS[name][2])), ".csv")


@pytest.mark.parametrize("name", sorted(IMPORTERS))
@FUZZ
@given(
    data=st.binary(max_size=3000), prefix=st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0"])
)
def test_random_bytes_as_xlsx(name, data, prefix):
    _feed(name, prefix + data, ".xlsx")


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
)


@pytest.mark.parametrize("name", SHEET_NAMES)
@FUZZ
@given(rows=st.lists(st.lists(cells, max_size=14), max_size=8), keep_header=st.booleans())
def test_spreadsheets_with_arbitrary_cells(name, rows, keep_header):
    header = IMPORTERS[name][2].splitlines()[0].split(",")
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True, "nan_inf_to_errors": True}) as book:
        sheet = book.add_worksheet()
        if keep_header:
            sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, book.add_format({"num_format": "dd/mm/yyyy"}))
                else:
                    sheet.write(r, c, value)
    _feed(name, buffer.getvalue(), ".xlsx")


@FUZZ
@given(data=st.binary(max_size=2000), prefix=st.sampled_from([b"", b"PAR1"]))
def test_random_bytes_as_parquet_ledger(data, prefix):
    _feed("service.read_ledger", prefix + data + prefix, ".parquet")


def test_an_overflowing_score_is_reported_not_crashed():
    header, first, *rest = SCORES_CSV.splitlines()
    cells = first.split(",")
    cells[-1] = "1e309"
    with pytest.raises(ScoresError, match="HL"):
        IMPORTERS["par.load_scores"][0](
            _write(tempfile.mkdtemp(), "\n".join([header, ",".join(cells), *rest]))
        )


def _write(folder: str, text: str) -> Path:
    path = Path(folder) / "diem.csv"
    path.write_text(text, encoding="utf-8")
    return path
