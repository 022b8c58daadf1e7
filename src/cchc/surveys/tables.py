"""Read the rows of a CSV or XLSX file as text cells, keeping spreadsheet row numbers.

Row numbers are what the user sees in Excel: the header (the first non-empty row, usually
row 1) keeps its number, and so does every data row. Blank rows are skipped. Rows are
streamed, so a province-wide file is not held twice in memory.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cchc.surveys.errors import InputProblem, SurveyInputError
from cchc.textio import TextEncodingError, decode_text

__all__ = ["RawTable", "read_table"]


@dataclass
class RawTable:
    file: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells padded to header)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _csv_rows(path: Path) -> Iterator[list[str]]:
    # Answers typed on old office machines come as UTF-16, Windows-1258, TCVN3 or VNI;
    # cchc.textio reads them all (and plain UTF-8 with or without a BOM).
    text = decode_text(path.read_bytes(), path.name)
    first_line = text.split("\n", 1)[0]
    # KoboToolbox exports CSV with ";" by default; Excel in Vietnamese locales often does too.
    delimiter = max(",;\t", key=first_line.count)
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield [cell.strip() for cell in row]


def _xlsx_rows(path: Path) -> Iterator[list[str]]:
    from python_calamine import CalamineWorkbook

    # iter_rows starts at sheet row 1 (leading blank rows included), so numbering holds.
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    for row in sheet.iter_rows():
        yield [_cell_text(v) for v in row]


def _guarded(file: str, rows: Iterator[list[str]]) -> Iterator[list[str]]:
    """Turn read failures in the middle of a file into the same clear error as at its start."""
    try:
        yield from rows
    except TextEncodingError as exc:
        raise SurveyInputError([InputProblem(file, exc.reason)]) from exc
    except csv.Error as exc:
        raise SurveyInputError([InputProblem(file, f"CSV không hợp lệ ({exc})")]) from exc
    except OSError as exc:
        raise SurveyInputError(
            [InputProblem(file, f"không đọc được tệp ({exc.strerror})")]
        ) from exc
    except SurveyInputError:
        raise
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise SurveyInputError([InputProblem(file, f"không đọc được bảng tính ({exc})")]) from exc


def _numbered(grid: Iterator[list[str]], width: int, start: int) -> Iterator[tuple[int, list[str]]]:
    for number, cells in enumerate(grid, start=start):
        if not any(cells):
            continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        yield number, cells


def read_table(path: Path | str) -> RawTable:
    """Open the first sheet of an .xlsx/.xls/.ods or a .csv file; other suffixes are refused."""
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        grid = _guarded(file, _csv_rows(path))
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        grid = _guarded(file, _xlsx_rows(path))
    else:
        raise SurveyInputError([InputProblem(file, "chỉ nhận tệp .csv hoặc .xlsx")])
    for header_row, cells in enumerate(grid, start=1):
        if any(cells):
            header = [cell.strip() for cell in cells]
            while header and not header[-1]:
                header.pop()
            return RawTable(file, header, header_row, _numbered(grid, len(header), header_row + 1))
    raise SurveyInputError([InputProblem(file, "tệp trống, không có dòng tiêu đề", row=1)])
