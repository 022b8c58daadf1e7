"""Reading tables (CSV, XLSX) safely, and reporting what is wrong with them, in one place.

``cchc.par``, ``cchc.service`` and ``cchc.surveys`` read every input table through this
package: ``read_table``/``read_rows``/``read_arrow`` (``reader``), the limits checked
before a spreadsheet is decoded (``limits``, ``workbook``) and the one problem type and
error (``problems``). It sits with the foundations: it imports only ``cchc.fmt`` and
``cchc.textio``.
"""

from cchc.tables.limits import DEFAULT_LIMITS, TableLimits
from cchc.tables.problems import MAX_PROBLEMS, Problem, ProblemList, TableError, more_text
from cchc.tables.reader import (
    Cell,
    Table,
    TextTable,
    cell_text,
    check_file_rows,
    read_arrow,
    read_rows,
    read_table,
    read_text_table,
    table_format,
)
from cchc.tables.workbook import check_workbook

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_PROBLEMS",
    "Cell",
    "Problem",
    "ProblemList",
    "Table",
    "TableError",
    "TableLimits",
    "TextTable",
    "cell_text",
    "check_file_rows",
    "check_workbook",
    "more_text",
    "read_arrow",
    "read_rows",
    "read_table",
    "read_text_table",
    "table_format",
]
