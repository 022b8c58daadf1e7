"""Reading CSV, XLSX and Parquet files into named Arrow columns, before any validation.

CSV and XLSX are read by ``cchc.tables.read_arrow`` (cells as text: comma, semicolon or
tab separated, any supported encoding; spreadsheet limits checked before decoding);
Parquet keeps its own types.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from cchc.fmt import format_int
from cchc.service.problems import Checker, LedgerImportError
from cchc.tables import DEFAULT_LIMITS, TableLimits, check_file_rows, read_arrow
from cchc.tables.reader import SourceStream

if TYPE_CHECKING:
    import pyarrow as pa

Source = Path | str | IO[bytes]
"""A file to read: a path, or a binary stream (its name given separately)."""

_PARQUET = (".parquet", ".pq")


def source_name(source: Source, name: str | None = None) -> str:
    """How errors name the file: the given name, else the path."""
    return name or (str(source) if isinstance(source, Path | str) else str(getattr(source, "name", "tệp")))


def read_raw(
    source: Source, name: str | None = None, *, limits: TableLimits = DEFAULT_LIMITS
) -> tuple[pa.Table, int]:
    """The file's columns as Arrow, and the number of the first data row for messages."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = source_name(source, name)
    suffix = Path(file).suffix.lower()
    if isinstance(source, Path | str) and not Path(source).exists():
        raise LedgerImportError.single(file, "tệp không tồn tại")
    if suffix in _PARQUET:
        with SourceStream(source, file) as opened:
            try:
                _check_parquet(opened.stream, file, limits)
                return pq.read_table(opened.stream), 1
            except (pa.ArrowInvalid, OSError) as exc:
                raise LedgerImportError.single(file, f"không đọc được tệp Parquet: {exc}") from None
    if suffix not in {".csv", ".xlsx", ".xlsm", ".xls", ".ods"}:
        raise LedgerImportError.single(
            file, f"định dạng '{suffix}' không hỗ trợ: dùng .csv, .xlsx hoặc .parquet"
        )
    return read_arrow(source, file, limits=limits)


def _check_parquet(stream: IO[bytes], file: str, limits: TableLimits) -> None:
    """A Parquet file's declared rows, columns and decoded size against ``limits``, from its
    footer, before any column is decoded (run-length encoding packs a billion equal
    values in a few bytes). Rows and decoded size only with ``max_file_rows`` set (a
    server's policy: the command line reads ten-million-row ledgers)."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(stream).metadata
    stream.seek(0)
    check_file_rows(meta.num_rows, file, limits)
    if meta.num_columns > limits.max_columns:
        raise LedgerImportError.single(
            file, f"tệp có {format_int(meta.num_columns)} cột, vượt giới hạn "
            f"{format_int(limits.max_columns)} cột",
        )
    decoded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if limits.max_file_rows is not None and decoded > limits.max_uncompressed_bytes:
        raise LedgerImportError.single(
            file, f"tệp khi giải nén có {format_int(decoded // (1024 * 1024))} MB, vượt giới hạn "
            f"{format_int(limits.max_uncompressed_bytes // (1024 * 1024))} MB",
        )


class NamedColumns:
    """A small input file (catalogue extension, feedback register) read for validation.

    Columns are found by name, case-insensitively; an absent optional column reads as all
    empty. ``check`` collects the problems; ``raise_problems`` ends the read when any exist.
    """

    def __init__(
        self, source: Source, required: tuple[str, ...], *, name: str | None = None,
        limits: TableLimits = DEFAULT_LIMITS,
    ) -> None:
        raw, first_row = read_raw(source, name, limits=limits)
        self._raw = raw
        self._names = {column.strip().lower(): column for column in raw.column_names}
        self.check = Checker(source_name(source, name), first_row)
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
