"""Reading the rows of a CSV or spreadsheet file, keeping the row numbers people see.

Row numbers are those of the file opened in Excel: the header is usually row 1 and the
first data row row 2. A title above the header is allowed in spreadsheets; the header is
the first row holding ``unit_code``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from cchc.textio import TextEncodingError, decode_text

__all__ = ["Cell", "Table", "TableReadError", "read_table"]

Cell = str | float | int | bool | None

_HEADER_KEY = "unit_code"
_HEADER_SEARCH_ROWS = 10
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class TableReadError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Table:
    """A header (stripped names) and its data rows, each with its row number."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Cell]]]


def read_table(path: Path) -> Table:
    """Read a CSV (UTF-8, comma or semicolon) or XLSX/XLS/ODS (first sheet) file."""
    if not path.is_file():
        raise TableReadError("không tìm thấy tệp")
    if path.suffix.lower() in _SPREADSHEET_SUFFIXES:
        grid = _read_spreadsheet(path)
    else:
        grid = _read_csv(path)
    for position, cells in enumerate(grid[:_HEADER_SEARCH_ROWS]):
        names = [_header_name(c) for c in cells]
        if _HEADER_KEY in names:
            while names and not names[-1]:
                names.pop()
            rows = [
                (position + 2 + i, list(r))
                for i, r in enumerate(grid[position + 1 :])
                if any(_filled(c) for c in r)
            ]
            return Table(header=names, header_row=position + 1, rows=rows)
    raise TableReadError(f"không tìm thấy dòng tiêu đề có cột {_HEADER_KEY}")


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


def _header_name(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a criterion code typed as 1 in Excel arrives as 1.0
    return str(cell).strip()


def _read_csv(path: Path) -> list[list[Cell]]:
    # Old office files come as UTF-16, Windows-1258, TCVN3 or VNI: cchc.textio reads them all.
    try:
        text = decode_text(path.read_bytes(), path.name)
    except TextEncodingError as exc:
        raise TableReadError(f"{exc.reason}; hãy lưu tệp dạng CSV UTF-8") from None
    first_line = text.split("\n", 1)[0]
    # Excel in a Vietnamese locale saves CSV with ";" because "," is the decimal mark.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise TableReadError(f"CSV không hợp lệ ({exc})") from None


def _read_spreadsheet(path: Path) -> list[list[Cell]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types per format
        raise TableReadError(f"không đọc được bảng tính: {exc}") from None
    grid: list[list[Cell]] = []
    for row in data:
        cells: list[Cell] = []
        for value in row:
            if value == "":
                cells.append(None)
            elif isinstance(value, bool | int | float | str):
                cells.append(value)
            else:  # dates, times, durations: keep their text so the error can show them
                cells.append(str(value))
        grid.append(cells)
    return grid
