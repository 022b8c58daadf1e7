"""Read the rows of a CSV or XLSX file from a binary stream, as people see them in Excel.

Every importer (scores, ledgers, catalogue extensions, feedback registers, survey answers)
reads its tables here, so a file is understood the same way everywhere:

- **Format** from the name's extension AND the first bytes: ``.xlsx``/``.xlsm`` must be a
  ZIP, ``.csv`` must not be one. ``.xls``, ``.xlsb`` and ``.ods`` are refused: their size
  cannot be checked before decoding (see ``cchc.tables.workbook``), so the person is asked
  to save the file as ``.xlsx``.
- **Limits** (``TableLimits``) before anything is allocated: the workbook's container and
  declarations for XLSX, the columns and rows of a CSV as it is parsed.
- **Encodings** of CSV files through ``cchc.textio.decode_text`` (UTF-8 with or without
  BOM, UTF-16, Windows-1258, TCVN3, VNI).
- **Delimiter** of CSV files: the most frequent of ``,`` ``;`` and tab on the first line
  (Excel in a Vietnamese locale saves ``;`` because ``,`` is the decimal mark; KoboToolbox
  exports ``;`` by default).
- **Cells**: CSV cells are text; spreadsheet cells keep their type (number, bool, text),
  dates and times become ISO text, empty cells None. ``cell_text`` gives the one text form
  (booleans 1/0, whole numbers without ".0").
- **Header**: the first non-empty row, or with ``header_key`` the first of the first ten
  rows that holds that name (a title may sit above the header). Row numbers are Excel's:
  the header is usually row 1, the first data row row 2; blank rows are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cchc.fmt import format_int
from cchc.tables.limits import DEFAULT_LIMITS, TableLimits
from cchc.tables.problems import TableError
from cchc.tables.workbook import check_workbook
from cchc.textio import TextEncodingError, decode_text

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "CSV_SUFFIXES",
    "SPREADSHEET_SUFFIXES",
    "Cell",
    "SourceStream",
    "Table",
    "TextTable",
    "cell_text",
    "check_file_rows",
    "read_arrow",
    "read_rows",
    "read_table",
    "read_text_table",
    "table_format",
]

Cell = str | float | int | bool | None

CSV_SUFFIXES = (".csv",)
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")
#: Spreadsheet formats the reader could decode but whose size cannot be checked first.
_UNCHECKED = (".xls", ".xlsb", ".ods")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_SEARCH_ROWS = 10


@dataclass
class Table:
    """A header (stripped names, trailing blanks dropped) and its numbered data rows."""

    file: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Cell]]]  # (spreadsheet row number, cells), blanks skipped


def cell_text(value: object) -> str:
    """The text of a cell: "" for empty, booleans 1/0, whole numbers without ".0", ISO dates."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _head(stream: IO[bytes]) -> bytes:
    position = stream.tell()
    head = stream.read(8)
    stream.seek(position)
    return head


def table_format(stream: IO[bytes], name: str) -> str:
    """"csv" or "xlsx", from the extension checked against the content; else TableError."""
    suffix = Path(name).suffix.lower()
    head = _head(stream)
    if suffix in SPREADSHEET_SUFFIXES:
        if not head.startswith(_ZIP_MAGIC):
            raise TableError.single(
                name, "nội dung tệp không phải Excel (.xlsx) như phần mở rộng ghi; "
                "tệp có thể bị hỏng hoặc bị đổi tên",
            )
        return "xlsx"
    if suffix in _UNCHECKED:
        raise TableError.single(
            name, f"không nhận bảng tính {suffix}: hãy mở tệp và lưu lại dưới dạng .xlsx hoặc .csv"
        )
    if suffix in CSV_SUFFIXES:
        if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
            raise TableError.single(
                name, "nội dung tệp là bảng tính, không phải CSV như phần mở rộng ghi; "
                "hãy đổi phần mở rộng hoặc lưu lại dưới dạng CSV",
            )
        return "csv"
    raise TableError.single(
        name, f"định dạng '{suffix or '(không có)'}' không hỗ trợ: dùng .csv hoặc .xlsx"
    )


class SourceStream:
    """A seekable binary stream for a path, bytes or an open stream (left open)."""

    def __init__(self, source: IO[bytes] | bytes | Path | str, name: str | None = None) -> None:
        self._owned: IO[bytes] | None = None
        if isinstance(source, bytes):
            self.stream: IO[bytes] = io.BytesIO(source)
            self.name = name or "tệp"
        elif isinstance(source, Path | str):
            path = Path(source)
            self.name = name or str(path)
            if not path.is_file():
                raise TableError.single(self.name, "không tìm thấy tệp")
            self._owned = self.stream = path.open("rb")
        else:
            self.stream = source if source.seekable() else io.BytesIO(source.read())
            self.name = name or str(getattr(source, "name", "tệp"))

    def __enter__(self) -> SourceStream:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self._owned is not None:
            self._owned.close()


def _csv_rows(stream: IO[bytes], name: str, limits: TableLimits) -> Iterator[list[Cell]]:
    try:
        text = decode_text(stream.read(), name)
    except TextEncodingError as exc:
        raise TableError.single(name, f"{exc.reason}; hãy lưu tệp dạng CSV UTF-8") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    try:
        for number, row in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
        ):
            if len(row) > limits.max_columns:
                raise TableError.single(
                    name,
                    f"dòng có {format_int(len(row))} cột, vượt giới hạn "
                    f"{format_int(limits.max_columns)} cột",
                    row=number,
                )
            if limits.max_file_rows is not None and number > limits.max_file_rows:
                raise TableError.single(
                    name, f"tệp có hơn {format_int(limits.max_file_rows)} dòng (giới hạn)",
                    row=number,
                )
            yield list(row)
    except csv.Error as exc:
        raise TableError.single(name, f"CSV không hợp lệ ({exc})") from None


def _spreadsheet_rows(stream: IO[bytes], name: str, limits: TableLimits) -> Iterator[list[Cell]]:
    check_workbook(stream, name, limits)
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(stream).get_sheet_by_index(0)  # type: ignore[arg-type]
        # iter_rows starts at sheet row 1 (leading blank rows included), so numbering holds.
        for row in sheet.iter_rows():
            yield [_spreadsheet_cell(v) for v in row]
    except TableError:
        raise
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise TableError.single(name, f"không đọc được bảng tính ({exc})") from None


def _spreadsheet_cell(value: object) -> Cell:
    if value == "" or value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    return cell_text(value)  # dates, times, durations: their text, as people typed them


def read_rows(
    source: IO[bytes] | bytes | Path | str, name: str | None = None,
    *, limits: TableLimits = DEFAULT_LIMITS,
) -> Iterator[list[Cell]]:
    """Every row of the file from row 1 (blank ones included), first sheet of a workbook."""
    with SourceStream(source, name) as opened:
        kind = table_format(opened.stream, opened.name)
        reader = _spreadsheet_rows if kind == "xlsx" else _csv_rows
        yield from reader(opened.stream, opened.name, limits)


def _header_name(cell: Cell) -> str:
    return cell_text(cell).strip()


def _blank(cells: list[Cell]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(
    source: IO[bytes] | bytes | Path | str, name: str | None = None,
    *, header_key: str | None = None, limits: TableLimits = DEFAULT_LIMITS,
) -> Table:
    """The header and the numbered non-blank rows after it (streamed as they are read).

    The header is found before this returns, so a file that cannot be read at all fails
    here; a problem further down the file is raised while the rows are iterated.
    """
    file = name or (str(source) if isinstance(source, Path | str) else "tệp")
    grid = read_rows(source, file, limits=limits)
    for number, cells in enumerate(grid, start=1):
        names = [_header_name(c) for c in cells]
        if header_key is None and _blank(cells):
            continue
        if header_key is not None and header_key not in names:
            if number >= _HEADER_SEARCH_ROWS:
                break
            continue
        while names and not names[-1]:
            names.pop()
        return Table(file, names, number, _numbered(grid, number + 1))
    if header_key is not None:
        raise TableError.single(file, f"không tìm thấy dòng tiêu đề có cột {header_key}")
    raise TableError.single(file, "tệp trống, không có dòng tiêu đề", row=1)


def _numbered(grid: Iterator[list[Cell]], start: int) -> Iterator[tuple[int, list[Cell]]]:
    for number, cells in enumerate(grid, start=start):
        if not _blank(cells):
            yield number, cells


@dataclass
class TextTable:
    """``Table`` with every cell as stripped text, rows padded to the header's width."""

    file: str
    header: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[str]]]


def read_text_table(
    source: IO[bytes] | bytes | Path | str, name: str | None = None,
    *, limits: TableLimits = DEFAULT_LIMITS,
) -> TextTable:
    """``read_table`` (header = first non-empty row) with cells as ``cell_text``, stripped."""
    table = read_table(source, name, limits=limits)
    width = len(table.header)

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, cells in table.rows:
            texts = [cell_text(c).strip() for c in cells]
            if len(texts) < width:
                texts += [""] * (width - len(texts))
            yield number, texts

    return TextTable(table.file, table.header, table.header_row, rows())


def read_arrow(
    source: IO[bytes] | bytes | Path | str, name: str | None = None,
    *, limits: TableLimits = DEFAULT_LIMITS, dictionary: bool = False,
) -> tuple[pa.Table, int]:
    """All columns as Arrow text (nulls for empty cells) and the first data row's number.

    The header is the first row. UTF-8 CSV goes straight to Arrow's reader (fast on large
    ledgers); other encodings are decoded by ``cchc.textio`` first. Spreadsheet rows keep
    their numbers (blank rows inside the data stay, as empty records; trailing ones go).

    ``dictionary``: every column dictionary-encoded (``dictionary<int32, string>``; each
    chunk has its own dictionary), for files of a few distinct values repeated a million
    times (a survey wave's answers): Arrow's CSV reader encodes as it parses, so the text of
    every cell is never held (4 bytes a cell instead of its text, its offset and a copy).
    """
    with SourceStream(source, name) as opened:
        if table_format(opened.stream, opened.name) == "csv":
            return _arrow_csv(opened.stream, opened.name, limits, dictionary), 2
        table = _arrow_sheet(opened.stream, opened.name, limits)
        if dictionary:
            import pyarrow as pa

            table = pa.Table.from_arrays(
                [column.dictionary_encode() for column in table.columns],
                names=table.column_names,
            )
        return table, 2


def _arrow_csv(
    stream: IO[bytes], name: str, limits: TableLimits, dictionary: bool = False
) -> pa.Table:
    import pyarrow as pa

    head = stream.readline()
    stream.seek(0)
    try:
        header_line = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        try:
            return _arrow_parse(stream, name, header_line, limits, dictionary)
        except pa.ArrowInvalid as exc:
            if "utf8" not in str(exc).lower():
                raise TableError.single(name, f"không đọc được tệp CSV: {exc}") from None
    stream.seek(0)
    try:
        text = decode_text(stream.read(), name)
    except TextEncodingError as exc:
        raise TableError.single(name, f"không đọc được tệp CSV: {exc.reason}") from None
    try:
        return _arrow_parse(
            io.BytesIO(text.encode("utf-8")), name, text.split("\n", 1)[0], limits, dictionary
        )
    except pa.ArrowInvalid as exc:
        raise TableError.single(name, f"không đọc được tệp CSV: {exc}") from None


def _arrow_parse(
    stream: IO[bytes], name: str, header_line: str, limits: TableLimits, dictionary: bool = False
) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    delimiter = max(",;\t", key=header_line.count)
    names = next(csv.reader([header_line.lstrip("\ufeff")], delimiter=delimiter), [])
    if len(names) > limits.max_columns:
        raise TableError.single(
            name,
            f"dòng tiêu đề có {format_int(len(names))} cột, vượt giới hạn "
            f"{format_int(limits.max_columns)} cột",
            row=1,
        )
    text = pa.dictionary(pa.int32(), pa.string()) if dictionary else pa.string()
    table = pacsv.read_csv(
        stream,
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, text), strings_can_be_null=False
        ),
    )
    check_file_rows(table.num_rows + 1, name, limits)
    return table


def check_file_rows(rows: int, name: str, limits: TableLimits) -> None:
    """Refuse a CSV or Parquet file of more than ``limits.max_file_rows`` rows."""
    if limits.max_file_rows is not None and rows > limits.max_file_rows:
        raise TableError.single(
            name, f"tệp có {format_int(rows)} dòng, vượt giới hạn "
            f"{format_int(limits.max_file_rows)} dòng",
        )


def _arrow_sheet(stream: IO[bytes], name: str, limits: TableLimits) -> pa.Table:
    import pyarrow as pa

    rows = list(_spreadsheet_rows(stream, name, limits))
    if not rows:
        return pa.table({})
    header = [_header_name(h) for h in rows[0]]
    body = rows[1:]
    # Trailing empty rows are common in office spreadsheets; they are not records.
    while body and _blank(body[-1]):
        body.pop()
    return pa.table(
        {
            column: pa.array(
                [(cell_text(r[i]) or None) if i < len(r) else None for r in body], pa.string()
            )
            for i, column in enumerate(header)
            if column
        }
    )
