"""Read the rows of a CSV or XLSX file as text cells, keeping spreadsheet row numbers.

Row numbers are what the user sees in Excel: the header is row 1, the first data row is 2.
Blank rows are skipped but keep their numbers, so an error points at the right line.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cchc.surveys.errors import InputProblem, SurveyInputError

__all__ = ["RawTable", "read_table"]


@dataclass(frozen=True)
class RawTable:
    file: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells padded to header)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _read_csv(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8-sig")
    first_line = text.split("\n", 1)[0]
    # KoboToolbox exports CSV with ";" by default; Excel in Vietnamese locales often does too.
    delimiter = max(",;\t", key=first_line.count)
    return [
        [cell.strip() for cell in row] for row in csv.reader(text.splitlines(), delimiter=delimiter)
    ]


def _read_xlsx(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    return [[_cell_text(v) for v in row] for row in sheet.to_python(skip_empty_area=False)]


def read_table(path: Path | str) -> RawTable:
    """Read the first sheet of an .xlsx/.xls/.ods or a .csv file; other suffixes are refused."""
    path = Path(path)
    file = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            grid = _read_csv(path)
        elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
            grid = _read_xlsx(path)
        else:
            raise SurveyInputError([InputProblem(file, "chỉ nhận tệp .csv hoặc .xlsx")])
    except OSError as exc:
        raise SurveyInputError(
            [InputProblem(file, f"không đọc được tệp ({exc.strerror})")]
        ) from exc
    except UnicodeDecodeError as exc:
        raise SurveyInputError([InputProblem(file, "tệp CSV phải mã hóa UTF-8")]) from exc
    except SurveyInputError:
        raise
    except Exception as exc:  # calamine raises its own types for corrupt workbooks
        raise SurveyInputError([InputProblem(file, f"không đọc được bảng tính ({exc})")]) from exc
    if not grid or not any(grid[0]):
        raise SurveyInputError([InputProblem(file, "tệp trống, không có dòng tiêu đề", row=1)])
    header = [cell.strip() for cell in grid[0]]
    while header and not header[-1]:
        header.pop()
    rows: list[tuple[int, list[str]]] = []
    for number, cells in enumerate(grid[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        padded = (list(cells) + [""] * len(header))[: max(len(header), len(cells))]
        rows.append((number, padded))
    return RawTable(file=file, header=header, rows=rows)
