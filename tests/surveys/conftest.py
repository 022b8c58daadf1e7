"""Fixtures for the survey tests: write small answer files as CSV or XLSX."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import xlsxwriter

HEADER = ("respondent_id", "unit_code", "factor", "question", "answer")

WriteTable = Callable[..., Path]


def _write(
    path: Path, rows: Sequence[Sequence[object]], header: Sequence[str], delimiter: str
) -> Path:
    if path.suffix == ".xlsx":
        workbook = xlsxwriter.Workbook(str(path))
        sheet = workbook.add_worksheet()
        sheet.write_row(0, 0, header)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                if value is not None and value != "":
                    sheet.write(r, c, value)
        workbook.close()
        return path
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def write_table(tmp_path: Path) -> WriteTable:
    """write_table("a.csv" | "a.xlsx", rows, header=HEADER, delimiter=",") -> path."""

    def write(
        name: str,
        rows: Sequence[Sequence[object]],
        header: Sequence[str] = HEADER,
        delimiter: str = ",",
    ) -> Path:
        return _write(tmp_path / name, rows, header, delimiter)

    return write


def respondents(
    unit: str, factor: str, values: Sequence[object], question: str = "q1"
) -> list[list[object]]:
    """One answer row per value, each from a distinct respondent of ``unit``."""
    return [[f"{unit}-r{i}", unit, factor, question, v] for i, v in enumerate(values)]


@pytest.fixture
def rows_for() -> Callable[..., list[list[object]]]:
    return respondents
