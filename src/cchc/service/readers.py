"""Reading CSV, XLSX and Parquet files into named Arrow columns, before any validation.

CSV cells are read as text (comma or semicolon separated, UTF-8 with or without BOM);
spreadsheet cells are turned into the same text forms (dates ISO, whole numbers without
".0", booleans true/false); Parquet keeps its own types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from cchc.service.problems import Checker, LedgerImportError, Problem
from cchc.textio import TextEncodingError, decode_text

if TYPE_CHECKING:
    import pyarrow as pa


def _read_csv(path: Path) -> pa.Table:
    """UTF-8 files go straight to Arrow's reader; anything else (UTF-16, Windows-1258,
    TCVN3, VNI from old office spreadsheets) is decoded by ``cchc.textio`` first."""
    import pyarrow as pa

    with path.open("rb") as handle:
        head = handle.readline()
    try:
        header_line = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        try:
            return _arrow_csv(path, header_line)
        except pa.ArrowInvalid as exc:
            if "utf8" not in str(exc).lower():
                raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp CSV: {exc}")]) from None
    try:
        text = decode_text(path.read_bytes(), path.name)
    except TextEncodingError as exc:
        raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp CSV: {exc.reason}")]) from None
    try:
        return _arrow_csv(io.BytesIO(text.encode("utf-8")), text.split("\n", 1)[0])
    except pa.ArrowInvalid as exc:
        raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp CSV: {exc}")]) from None


def _arrow_csv(source: Path | io.BytesIO, header_line: str) -> pa.Table:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    names = next(csv.reader([header_line.lstrip("\ufeff")], delimiter=delimiter), [])
    return pacsv.read_csv(
        source,
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
        ),
    )


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return str(value)


def _read_xlsx(path: Path) -> pa.Table:
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    try:
        rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp Excel: {exc}")]) from None
    if not rows:
        return pa.table({})
    header = [str(h).strip() for h in rows[0]]
    body = [r for r in rows[1:]]
    # Trailing empty rows are common in office spreadsheets; they are not records.
    while body and all(c in (None, "") for c in body[-1]):
        body.pop()
    columns = {
        name: pa.array([_cell_text(r[i]) if i < len(r) else None for r in body], pa.string())
        for i, name in enumerate(header)
        if name
    }
    return pa.table(columns)


def read_raw(path: Path) -> tuple[pa.Table, int]:
    """The file's columns as Arrow, and the number of the first data row for messages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    suffix = path.suffix.lower()
    if not path.exists():
        raise LedgerImportError([Problem(str(path), None, None, "tệp không tồn tại")])
    if suffix == ".csv":
        return _read_csv(path), 2
    if suffix in {".xlsx", ".xlsm", ".xls", ".ods"}:
        return _read_xlsx(path), 2
    if suffix in {".parquet", ".pq"}:
        try:
            return pq.read_table(path), 1
        except (pa.ArrowInvalid, OSError) as exc:
            raise LedgerImportError([Problem(str(path), None, None, f"không đọc được tệp Parquet: {exc}")]) from None
    raise LedgerImportError(
        [Problem(str(path), None, None, f"định dạng '{suffix}' không hỗ trợ: dùng .csv, .xlsx hoặc .parquet")]
    )



class NamedColumns:
    """A small input file (catalogue extension, feedback register) read for validation.

    Columns are found by name, case-insensitively; an absent optional column reads as all
    empty. ``check`` collects the problems; ``raise_problems`` ends the read when any exist.
    """

    def __init__(self, path: Path, required: tuple[str, ...]) -> None:
        raw, first_row = read_raw(path)
        self._raw = raw
        self._names = {name.strip().lower(): name for name in raw.column_names}
        self.check = Checker(str(path), first_row)
        for name in required:
            if name not in self._names:
                self.check.add(name, "thiếu cột bắt buộc")
        self.raise_problems()

    @property
    def rows(self) -> int:
        return int(self._raw.num_rows)

    def column(self, name: str) -> pa.ChunkedArray:
        import pyarrow as pa

        if name in self._names:
            return self._raw.column(self._names[name])
        return pa.chunked_array([pa.nulls(self.rows, pa.string())])

    def raise_problems(self) -> None:
        if self.check.total:
            raise LedgerImportError(self.check.problems, self.check.total)


def repeated(values: Iterable[Hashable | None]) -> pa.Array:
    """True where a value (not None) already occurred in an earlier row."""
    import pyarrow as pa

    seen: set[Hashable] = set()
    out = []
    for value in values:
        out.append(value is not None and value in seen)
        if value is not None:
            seen.add(value)
    return pa.array(out, pa.bool_())
