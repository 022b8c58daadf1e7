"""How big a table the importers accept: checked before a spreadsheet is decoded.

A spreadsheet is a ZIP of XML files, and its reader trusts what they declare: a 2 KB file
whose sheet claims the range A1:XFD1048576 made the reader reserve room for 17 billion
cells (about 512 GiB) and kill the process; one 1 GB shared string (the zip compresses it
a thousand times) took the server to 9 GB. ``cchc.tables.workbook`` checks every figure
below against the file's own declarations and against what it really holds, by streaming,
before the reader sees it.

Defaults are Excel's own sheet limits where Excel has one (16 384 columns, 1 048 576 rows,
32 767 characters in a cell: Microsoft, "Excel specifications and limits"), and otherwise
generous for a province's files (assumed; the web server reads smaller ones from its
settings, docs/web.md).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_LIMITS", "TableLimits"]

MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class TableLimits:
    """The largest table an importer will read (every figure is inclusive)."""

    #: Rows of the sheet (data rows and header), declared or real.
    max_rows: int = 1_048_576
    #: Columns of the sheet or of a CSV line.
    max_columns: int = 16_384
    #: Rows × columns of the sheet's rectangle: what the reader allocates (assumed).
    max_cells: int = 5_000_000
    #: Files inside the spreadsheet's ZIP container.
    max_members: int = 1_000
    #: All the ZIP's files once decompressed, declared or real.
    max_uncompressed_bytes: int = 512 * MIB
    #: Decompressed ÷ compressed size of one file of the ZIP above 1 MiB (XML compresses
    #: 10–30 times; a zip bomb thousands of times).
    max_compression_ratio: int = 200
    #: The shared-strings file (every text cell of an XLSX), decompressed.
    max_shared_strings_bytes: int = 128 * MIB
    #: Characters in one text cell (Excel's own limit).
    max_cell_chars: int = 32_767
    #: Rows of a CSV or Parquet file; None: no limit. Such a file cannot make the reader
    #: reserve more than it holds (memory grows with the file, whose size the caller
    #: bounds), so only a server sets it, as a policy (a province's answers file from the
    #: command line may well hold millions of rows).
    max_file_rows: int | None = None

    def __post_init__(self) -> None:
        for name in self.__slots__:
            value = getattr(self, name)
            if value is None and name == "max_file_rows":
                continue
            if not isinstance(value, int) or value <= 0:
                raise ValueError(f"TableLimits.{name} must be a positive integer, not {value!r}")


DEFAULT_LIMITS = TableLimits()
